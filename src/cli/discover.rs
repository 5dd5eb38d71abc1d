//! Finding the Dockerfiles to lint: explicit files, directories walked with `.gitignore`
//! respected and `--exclude` applied, reading a file's text, and linting files in parallel.

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `--exclude` globs. A path is excluded when a glob matches its path relative to the walked
/// root (or, for a file named on the command line, to the current directory), or the name of
/// the file or of any directory on that path.
#[derive(Debug, Default)]
pub struct Exclude {
    set: Option<GlobSet>,
}

impl Exclude {
    pub fn new(globs: &[String]) -> Result<Exclude, String> {
        let globs: Vec<&str> = globs
            .iter()
            .map(|g| g.trim())
            .filter(|g| !g.is_empty())
            .collect();
        if globs.is_empty() {
            return Ok(Exclude::default());
        }
        let mut b = GlobSetBuilder::new();
        for g in globs {
            // `dir/` in a gitignore-like list means the directory; the walk tests directories
            // by name, so the slash only gets in the way.
            let g = g.trim_end_matches('/');
            let g = g.strip_prefix("./").unwrap_or(g);
            b.add(Glob::new(g).map_err(|e| format!("invalid --exclude `{g}`: {e}"))?);
        }
        let set = b.build().map_err(|e| format!("invalid --exclude: {e}"))?;
        Ok(Exclude { set: Some(set) })
    }

    /// Is `rel` (relative, as walked or as given) excluded? Every ancestor is tested too, so
    /// that `--exclude vendor` covers `vendor/x/Dockerfile` named on the command line.
    pub fn excludes(&self, rel: &Path) -> bool {
        let Some(set) = &self.set else { return false };
        let rel: PathBuf = rel
            .components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect();
        rel.ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| set.is_match(p) || p.file_name().is_some_and(|n| set.is_match(n)))
    }

    /// For a file named on the command line (`--force-exclude`): matched relative to the
    /// current directory when it lies below it, as given otherwise.
    pub fn excludes_given(&self, path: &Path) -> bool {
        if self.set.is_none() {
            return false;
        }
        let rel = std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf());
        self.excludes(&rel)
    }
}

/// Is this file name one of the Dockerfile names a directory walk picks up?
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let not_dockerfile = lower
        .rsplit_once('.')
        .is_some_and(|(_, ext)| NOT_DOCKERFILE_EXTENSIONS.contains(&ext));
    if not_dockerfile {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || (lower.starts_with("dockerfile.") && !lower.ends_with(".dockerignore"))
        || (lower.starts_with("containerfile.") && !lower.ends_with(".dockerignore"))
}

/// The Dockerfiles under `dir`, sorted, and the paths the walk could not enter or read (a
/// directory without permission), each with the operating system's reason. Hidden directories
/// are walked (`.devcontainer`), `.git` is not, and `.gitignore` applies even outside a git
/// repository. Links are not followed into directories, but a link, fifo or other
/// non-directory with a Dockerfile's name is returned, so that reading it reports what is
/// wrong instead of skipping it in silence.
pub fn walk(dir: &Path, exclude: &Exclude) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let root = dir.to_path_buf();
    let excluded = move |p: &Path| exclude_rel(&root, p);
    let mut found = Vec::new();
    let mut failed = Vec::new();
    let entries = WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in entries {
        match entry {
            // Excluded directories are pruned by skipping what lies below them too.
            Ok(e) if excluded(e.path()).is_some_and(|rel| exclude.excludes(&rel)) => {}
            Ok(e) => {
                if e.file_type().is_some_and(|t| !t.is_dir())
                    && e.file_name().to_str().is_some_and(is_dockerfile_name)
                {
                    found.push(e.into_path());
                }
            }
            Err(e) => {
                if let Some(f) = walk_failure(&e, dir) {
                    if !excluded(&f.0).is_some_and(|rel| exclude.excludes(&rel)) {
                        failed.push(f);
                    }
                }
            }
        }
    }
    found.sort();
    failed.sort();
    failed.dedup();
    (found, failed)
}

/// The path and reason of a walk error that hides files from the walk: an unreadable
/// directory. A malformed `.gitignore` line is no reason to stop linting, and is passed over.
fn walk_failure(e: &ignore::Error, root: &Path) -> Option<(PathBuf, String)> {
    let mut path = None;
    let mut e = e;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path.get_or_insert_with(|| p.clone());
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err
            }
            ignore::Error::Io(io) => {
                return Some((path.unwrap_or_else(|| root.to_path_buf()), io_message(io)))
            }
            ignore::Error::Loop { child, .. } => {
                return Some((child.clone(), "symbolic link loop".into()))
            }
            _ => return None,
        }
    }
}

/// The ends of file names such as `Dockerfile.md` or `Dockerfile.j2`: documentation,
/// templates, backups and other files that share a Dockerfile's name but are not one, and
/// that a walk passes over (a file named on the command line is still linted).
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    // documentation
    "md", "markdown", "rst", "txt", "adoc", "html", // templates
    "j2", "jinja", "jinja2", "tpl", "tmpl", "template", "tera", "erb", "mustache", "hbs", "gotmpl",
    "in", // backups, editor and merge leftovers
    "bak", "orig", "old", "swp", "rej", "patch", "diff", // other formats
    "json", "yaml", "yml", "toml", "sh", "py", "sig", "asc", "sha256",
];

/// `p` relative to the walked root (`None` for the root itself).
fn exclude_rel(root: &Path, p: &Path) -> Option<PathBuf> {
    p.strip_prefix(root)
        .ok()
        .filter(|r| !r.as_os_str().is_empty())
        .map(Path::to_path_buf)
}

/// How many threads lint: `--threads`, else `LAYERLINT_THREADS`, else one per CPU.
pub fn thread_count(flag: Option<usize>) -> usize {
    flag.or_else(|| {
        std::env::var("LAYERLINT_THREADS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
    })
    .filter(|&n| n > 0)
    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `f` over every item on up to `threads` threads, results in the order of `items`. Workers
/// take the next item from a shared counter, so one slow file does not hold up a fixed share;
/// a single item or thread runs here, without spawning.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                if let Ok(mut d) = done.lock() {
                    d.push((i, r));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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

pub use crate::os_message::io_message;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_matches_relative_paths_names_and_ancestors() {
        let ex = Exclude::new(&[
            "vendor".into(),
            "*.dev.Dockerfile".into(),
            "build/**".into(),
        ])
        .unwrap();
        assert!(ex.excludes(Path::new("vendor")));
        assert!(ex.excludes(Path::new("./a/vendor/x/Dockerfile")));
        assert!(ex.excludes(Path::new("svc/app.dev.Dockerfile")));
        assert!(ex.excludes(Path::new("build/out/Dockerfile")));
        assert!(!ex.excludes(Path::new("src/Dockerfile")));
        assert!(!Exclude::default().excludes(Path::new("vendor")));
        assert!(Exclude::new(&["[".into()]).is_err());
    }

    #[test]
    fn parallel_map_keeps_order() {
        let items: Vec<u32> = (0..100).collect();
        assert_eq!(
            parallel_map(&items, 4, |x| x * 2),
            parallel_map(&items, 1, |x| x * 2)
        );
    }

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "Containerfile",
            "app.Dockerfile",
            "Dockerfile.dev",
            "dockerfile",
            "Dockerfile.prod",
            "Dockerfile.alpine",
            "Dockerfile.python3",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "README.md",
            "Dockerfile-old.txt.bak",
            ".dockerignore",
            "Dockerfile.md",
            "Dockerfile.J2",
            "Containerfile.jinja2",
            "app.Dockerfile.tmpl",
            "Dockerfile.bak",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
