//! Test helpers for the `#[cfg(test)]` tables of rules: a temporary build context made from a
//! list of files, and what one rule reports for a Dockerfile in it (or with no context at all).

use crate::context::BuildContext;
use crate::diagnostic::Diagnostic;
use crate::lint::{lint_for, lint_text};
use crate::model::{Model, Purpose};
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

/// `severity: message` for each finding of `rule` for `dockerfile` in a context made of
/// `files`, for tables whose cases differ in severity too.
pub fn leveled(rule: &str, files: &[&str], dockerfile: &str) -> Vec<String> {
    let dir = context_with(files);
    let context = BuildContext::open(dir.path(), None).expect("context opens");
    let linted = lint_text(dockerfile, Some(&context), &BTreeMap::new(), &|r| {
        r.name == rule
    })
    .expect("parses");
    linted
        .diagnostics
        .into_iter()
        .map(|d| format!("{}: {}", d.severity.as_str(), d.message))
        .collect()
}

/// The messages of `rule` for `dockerfile` in a context made of `files`, without build args.
pub fn messages(rule: &str, files: &[&str], dockerfile: &str) -> Vec<String> {
    lint_with_args(&context_with(files), dockerfile, &[], rule)
}

/// The findings of `rule` for `text` written at `dockerfile` (a path inside the context) in a
/// context made of `files`: the Dockerfile is part of the context, as in a real build.
pub fn run(rule: &str, files: &[&str], dockerfile: &str, text: &str) -> Vec<Diagnostic> {
    let dir = context_with(files);
    let df = dir.path().join(dockerfile);
    std::fs::create_dir_all(df.parent().expect("parent")).expect("dir");
    std::fs::write(&df, text).expect("dockerfile");
    let ctx = BuildContext::open(dir.path(), Some(&df)).expect("context");
    lint_text(text, Some(&ctx), &BTreeMap::new(), &|r| r.name == rule)
        .expect("parses")
        .diagnostics
}

/// How many findings `rule` gives for `text` at the root of a context made of `files`, built
/// for `purpose` (a target, a runner).
pub fn fires_for(rule: &str, text: &str, files: &[&str], purpose: &Purpose) -> usize {
    run_for(rule, text, files, purpose).len()
}

/// What `rule` reports for `text` in a context made of `files`, built for `purpose`.
pub fn run_for(rule: &str, text: &str, files: &[&str], purpose: &Purpose) -> Vec<Diagnostic> {
    let dir = context_with(files);
    let ctx = BuildContext::open(dir.path(), None).expect("context");
    lint_for(text, Some(&ctx), &BTreeMap::new(), purpose, &|r| {
        r.name == rule
    })
    .expect("parses")
    .diagnostics
}

/// How many findings `rule` gives for `text` as `Dockerfile` at the root of a context made of
/// `files`.
pub fn fires(rule: &str, text: &str, files: &[&str]) -> usize {
    run(rule, files, "Dockerfile", text).len()
}

/// The findings of a rule's `check` for `text` with no build context and no build args.
pub fn check_text(check: fn(&Model, &mut Vec<Diagnostic>), text: &str) -> Vec<Diagnostic> {
    let file = crate::syntax::parse(text).expect("parses");
    let m = Model::build(&file, None, &BTreeMap::new());
    let mut out = Vec::new();
    check(&m, &mut out);
    out
}

/// Each `(text, n)`: `check` gives `n` findings for `text` with no build context.
pub fn assert_counts(check: fn(&Model, &mut Vec<Diagnostic>), cases: &[(&str, usize)]) {
    for (text, want) in cases {
        let got = check_text(check, text);
        let messages: Vec<&str> = got.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(got.len(), *want, "{text}: {messages:?}");
    }
}
