//! Finding the Dockerfiles to lint: explicit files, directories walked with `.gitignore`
//! respected, and reading a file's text with clear errors for what is not a Dockerfile.

use ignore::WalkBuilder;
use std::path::{Path, PathBuf};

/// Is this file name one of the Dockerfile names a directory walk picks up?
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || (lower.starts_with("dockerfile.") && !lower.ends_with(".dockerignore"))
        || (lower.starts_with("containerfile.") && !lower.ends_with(".dockerignore"))
}

/// The Dockerfiles under `dir`, sorted. Hidden directories are walked (`.devcontainer`),
/// `.git` is not, and `.gitignore` applies even outside a git repository. Links are not
/// followed into directories, but a link, fifo or other non-directory with a Dockerfile's name
/// is returned, so that reading it reports what is wrong instead of skipping it in silence.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| !t.is_dir()))
        .filter(|e| e.file_name().to_str().is_some_and(is_dockerfile_name))
        .map(|e| e.into_path())
        .collect();
    found.sort();
    found
}

/// Read a Dockerfile as text. Binary files and invalid UTF-8 are errors: a linter that
/// guessed at their meaning would report nonsense.
///
/// The file type is checked before the file is opened: opening a fifo would block until
/// something writes to it.
pub fn read_dockerfile(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| {
        let dangling = e.kind() == std::io::ErrorKind::NotFound
            && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if dangling {
            "broken symbolic link (its target does not exist)".into()
        } else {
            io_message(&e)
        }
    })?;
    if meta.is_dir() {
        return Err("is a directory".into());
    }
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let bytes = std::fs::read(path).map_err(|e| io_message(&e))?;
    decode(bytes)
}

pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err("binary file (contains NUL bytes), not a Dockerfile".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The operating system's message without Rust's ` (os error N)` suffix, which tells a user
/// nothing more.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "Permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.rfind(" (os error ") {
                Some(i) if s.ends_with(')') => s[..i].to_string(),
                _ => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "Containerfile",
            "app.Dockerfile",
            "Dockerfile.dev",
            "dockerfile",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "README.md",
            "Dockerfile-old.txt.bak",
            ".dockerignore",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
