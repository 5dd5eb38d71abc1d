//! Test helpers for rules that read the build context: a temporary context made from a list of
//! files, and the messages one rule gives for a Dockerfile in it.

use crate::context::BuildContext;
use crate::lint::lint_text;
use std::collections::BTreeMap;

/// A temporary build context. Each entry is `path` (an empty file), `path/` (a folder) or
/// `path: content` (`\n` for line breaks), as in the `text context` blocks of the rule pages.
pub fn context_with(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in files {
        let (path, content) = match f.split_once(": ") {
            Some((p, c)) => (p, c.replace("\\n", "\n")),
            None => (*f, String::new()),
        };
        let full = dir.path().join(path);
        if path.ends_with('/') {
            std::fs::create_dir_all(&full).expect("mkdir");
        } else {
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            std::fs::write(&full, content).expect("write");
        }
    }
    dir
}

/// The messages of `rule` for `dockerfile`, linted with `ctx` as its context (the Dockerfile
/// itself is not written into the context).
pub fn lint_with_args(
    ctx: &tempfile::TempDir,
    dockerfile: &str,
    build_args: &[(&str, &str)],
    rule: &str,
) -> Vec<String> {
    let context = BuildContext::open(ctx.path(), None).expect("context opens");
    let args: BTreeMap<String, String> = build_args
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let linted = lint_text(dockerfile, Some(&context), &args, &|r| r.name == rule).expect("parses");
    linted.diagnostics.into_iter().map(|d| d.message).collect()
}
