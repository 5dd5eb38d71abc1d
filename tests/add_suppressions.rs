//! `check --add-suppressions` end to end: on standard input, and on every file of the shared
//! corpus, where it must leave each file parsing to the same instructions and linting clean,
//! and add nothing when run again.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn layerlint(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_layerlint"));
    c.current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .env("XDG_CONFIG_HOME", dir.join("no-user-config"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("the binary runs");
    if let Some(text) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("the binary ends")
}

#[test]
fn standard_input_gets_its_comments_on_standard_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "FROM python:3.12\nRUN pip install flask\nCMD python -m http.server\n";
    let o = layerlint(
        dir.path(),
        &["check", "--add-suppressions", "-"],
        Some(text),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "FROM python:3.12\n# layerlint ignore=package-cache-kept\nRUN pip install flask\n\
         # layerlint ignore=missing-expose,shell-form-cmd\nCMD python -m http.server\n"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("added 2 suppression comments in 1 file"),
        "{err}"
    );
    assert!(err.contains("no problems found in 1 file"), "{err}");
    // A clean file is printed as it is.
    let clean = "FROM python:3.12\nCMD [\"python\"]\n";
    let o = layerlint(
        dir.path(),
        &["check", "--add-suppressions", "-"],
        Some(clean),
    );
    assert_eq!(String::from_utf8_lossy(&o.stdout), clean);
    // With --diff, the comments are shown and nothing is written.
    let file = dir.path().join("Dockerfile");
    std::fs::write(&file, text).expect("write");
    let o = layerlint(
        dir.path(),
        &["check", "--add-suppressions", "--diff", "Dockerfile"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("+# layerlint ignore=package-cache-kept"));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), text);
    // Fixing and suppressing at once is a usage error.
    let o = layerlint(
        dir.path(),
        &["check", "--add-suppressions", "--fix", "Dockerfile"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}

fn corpus() -> Option<PathBuf> {
    let c = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    c.join("dockerfiles.tsv").is_file().then_some(c)
}

/// From a JSON report: files linted, the findings (file and rule), and the files that could
/// not be linted.
fn outcome(o: &Output) -> (u64, Vec<String>, Vec<String>) {
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    let findings = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("{}: {}", d["file"], d["rule"]))
        .collect();
    let failed = doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["file"].to_string())
        .collect();
    (
        doc["summary"]["files"].as_u64().unwrap_or(0),
        findings,
        failed,
    )
}

#[test]
fn the_corpus_lints_clean_after_and_parses_the_same() {
    let Some(corpus) = corpus() else {
        common::skip("../shared/corpus is not here");
        return;
    };
    let list = std::fs::read_to_string(corpus.join("dockerfiles.tsv")).expect("list");
    let files: Vec<&str> = list
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert!(files.len() > 3000);
    let dir = tempfile::tempdir().expect("temp dir");
    for f in &files {
        let to = dir.path().join(f);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(corpus.join(f), &to).expect("copy");
    }
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json", "--exit-zero"];
        args.extend_from_slice(extra);
        args.extend(files.iter().copied());
        layerlint(dir.path(), &args, None)
    };
    let (_, before, failed_before) = outcome(&run(&[]));
    assert!(!before.is_empty());
    let added = run(&["--add-suppressions"]);
    let note = String::from_utf8_lossy(&added.stderr);
    assert!(note.contains("suppression comments in"), "{note}");
    let (linted, after, failed_after) = outcome(&run(&[]));
    assert_eq!(after, Vec::<String>::new(), "findings left");
    assert_eq!(
        failed_after, failed_before,
        "files that could not be linted"
    );
    assert!(linted > 3000);
    // The comments change no instruction, as BuildKit's parser reads them.
    let mut changed = 0;
    for f in &files {
        let old = std::fs::read(corpus.join(f)).expect("read");
        let new = std::fs::read(dir.path().join(f)).expect("read");
        if old == new {
            continue;
        }
        changed += 1;
        let (old, new) = (String::from_utf8_lossy(&old), String::from_utf8_lossy(&new));
        assert_eq!(
            layerlint::syntax::dump_text(&old),
            layerlint::syntax::dump_text(&new),
            "{f}"
        );
    }
    assert!(changed > 100, "{changed} files changed");
    let again = run(&["--add-suppressions"]);
    let note = String::from_utf8_lossy(&again.stderr);
    assert!(note.contains("no suppression comment needed"), "{note}");
}
