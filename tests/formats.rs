//! Every output format rendered from one hand-built run, compared with the expected files in
//! `tests/snapshots/`; `UPDATE_SNAPSHOTS=1 cargo test --test formats` rewrites them.

mod common;

use layerlint::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use layerlint::model::Model;
use layerlint::report::{
    checkstyle, concise, github, gitlab, json, junit, sarif, sonarqube, statistics, text,
    FileError, FileReport, Run,
};
use layerlint::rules::{FixAvailability, Rule};
use layerlint::syntax::Span;
use std::path::{Path, PathBuf};
use std::process::Command;

fn no_check(_: &Model, _: &mut Vec<Diagnostic>) {}

/// Stand-in rules, so that the snapshots do not change whenever a real rule or its page does.
static DEMO_ERROR: Rule = Rule {
    name: "demo-error",
    group: "correctness",
    severity: Severity::Error,
    summary: "an instruction without its value",
    fix: FixAvailability::None,
    doc: "# demo-error\n\n## What it does\nFlags `ENV` without a value.\n\n## Why is this bad?\nThe build fails.\n",
    aliases: &[],
    default: true,
    check: no_check,
};

static DEMO_WARNING: Rule = Rule {
    name: "demo-warning",
    group: "runtime",
    severity: Severity::Warning,
    summary: "CMD in shell form",
    fix: FixAvailability::Safe,
    doc: "# demo-warning\n\n## What it does\nFlags `CMD` in shell form & more <things>.\n\n## Use instead\n```dockerfile good\nCMD [\"python\"]\n```\n",
    aliases: &[],
    default: true,
    check: no_check,
};

static DEMO_INFO: Rule = Rule {
    name: "demo-info",
    group: "cache",
    severity: Severity::Info,
    summary: "a note about caching",
    fix: FixAvailability::None,
    doc: "# demo-info\n\n## What it does\nNotes things.\n",
    aliases: &[],
    default: true,
    check: no_check,
};

static DEMO_RULES: &[&Rule] = &[&DEMO_ERROR, &DEMO_WARNING, &DEMO_INFO];

const CWD: &str = "/work/project";

fn span_of(text: &str, needle: &str) -> Span {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    Span::new(start, start + needle.len())
}

/// Two files with findings (one given by an absolute path under the source root), a clean
/// file and a file that could not be read; an error, a warning and an info; a secondary label,
/// a fix, a message that needs escaping in every format, and non-ASCII text before a column.
fn fixture_run() -> Run {
    let app = "FROM python:3.12-slim AS base\nRUN echo \"h\u{e9}llo w\u{f6}rld\" && pip install flask\nCMD python server.py\n".to_string();
    let info = Diagnostic::new(
        "demo-info",
        Severity::Info,
        "100% of \"pip install\", a <b> & c: see\nthe second line",
        span_of(&app, "pip install flask"),
    )
    .label("installs without a lock file")
    .secondary(span_of(&app, "python:3.12-slim"), "base image chosen here")
    .help("pin versions in a requirements file");
    let cmd = span_of(&app, "python server.py");
    let warning = Diagnostic::new(
        "demo-warning",
        Severity::Warning,
        "CMD in shell form runs `python` under `/bin/sh -c`",
        cmd,
    )
    .label("runs as a child of /bin/sh")
    .help("use the exec form")
    .fix(Fix {
        title: "rewrite as `CMD [\"python\", \"server.py\"]`".into(),
        applicability: Applicability::Safe,
        edits: vec![Edit {
            span: cmd,
            content: "[\"python\", \"server.py\"]".into(),
        }],
    });
    let broken = "FROM scratch\nENV PATH\n".to_string();
    let error = Diagnostic::new(
        "demo-error",
        Severity::Error,
        "ENV must have two arguments",
        span_of(&broken, "ENV PATH"),
    )
    .label("BuildKit stops the build here");
    Run {
        files: vec![
            FileReport {
                path: "/work/project/b/Dockerfile".into(),
                text: broken,
                diagnostics: vec![error],
            },
            FileReport {
                path: "./app/Dockerfile".into(),
                text: app,
                diagnostics: vec![info, warning],
            },
            FileReport {
                path: "clean/Dockerfile".into(),
                text: "FROM alpine:3.20\nCMD [\"sh\"]\n".into(),
                diagnostics: vec![],
            },
        ],
        errors: vec![FileError {
            path: "missing/Dockerfile".into(),
            message: "No such file or directory".into(),
        }],
    }
}

fn group_of(name: &str) -> &'static str {
    DEMO_RULES
        .iter()
        .find(|r| r.name == name)
        .map(|r| r.group)
        .unwrap_or("")
}

fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        panic!(
            "{} differs (UPDATE_SNAPSHOTS=1 rewrites it); actual output:\n{actual}",
            path.display()
        );
    }
}

fn python_ok() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// XML output must parse, whatever the messages hold.
fn assert_well_formed_xml(name: &str, xml: &str) {
    if !python_ok() {
        common::skip(&format!(
            "python3 not found: the XML of {name} is not parsed"
        ));
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(format!("{name}.xml"));
    std::fs::write(&file, xml).expect("write xml");
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])",
        ])
        .arg(&file)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{name} is not well-formed XML: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn text() {
    snapshot("text", &text::render(&fixture_run(), false, false));
}

#[test]
fn text_quiet_has_no_summary() {
    let out = text::render(&fixture_run(), false, true);
    assert!(!out.contains("found "), "{out}");
}

#[test]
fn concise() {
    let out = concise::render(&fixture_run(), false);
    // One line per finding and file error, plus the summary.
    assert_eq!(out.lines().count(), 5, "{out}");
    snapshot("concise", &out);
}

#[test]
fn json() {
    snapshot("json", &json::render(&fixture_run(), &group_of));
}

#[test]
fn sarif() {
    let out = sarif::render(&fixture_run(), DEMO_RULES, Path::new(CWD));
    let doc: serde_json::Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let rules = &doc["runs"][0]["tool"]["driver"]["rules"];
    for r in doc["runs"][0]["results"].as_array().expect("results") {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    snapshot("sarif", &out);
}

#[test]
fn github() {
    snapshot("github", &github::render(&fixture_run(), Path::new(CWD)));
}

#[test]
fn gitlab() {
    let out = gitlab::render(&fixture_run(), Path::new(CWD));
    let doc: serde_json::Value = serde_json::from_str(&out).expect("GitLab report is JSON");
    let mut prints: Vec<&str> = doc
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    let n = prints.len();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), n, "fingerprints are unique");
    snapshot("gitlab", &out);
}

#[test]
fn gitlab_fingerprints_survive_unrelated_edits() {
    let before = gitlab::render(&fixture_run(), Path::new(CWD));
    let mut run = fixture_run();
    // Two lines above every finding of the app file: its fingerprints must not change.
    let app = &mut run.files[1];
    app.text.insert_str(0, "# syntax=docker/dockerfile:1\n\n");
    let shift = "# syntax=docker/dockerfile:1\n\n".len();
    for d in &mut app.diagnostics {
        d.primary.span = Span::new(d.primary.span.start + shift, d.primary.span.end + shift);
    }
    let after = gitlab::render(&run, Path::new(CWD));
    let prints = |s: &str| -> Vec<String> {
        let doc: serde_json::Value = serde_json::from_str(s).expect("json");
        doc.as_array()
            .expect("array")
            .iter()
            .map(|i| i["fingerprint"].to_string())
            .collect()
    };
    assert_eq!(prints(&before), prints(&after));
    assert_ne!(before, after, "the line numbers did move");
}

#[test]
fn sonarqube() {
    let out = sonarqube::render(&fixture_run(), Path::new(CWD));
    let doc: serde_json::Value = serde_json::from_str(&out).expect("SonarQube report is JSON");
    let issues = doc["issues"].as_array().expect("issues array");
    for i in issues {
        let r = &i["primaryLocation"]["textRange"];
        let start = (r["startLine"].as_u64(), r["startColumn"].as_u64());
        let end = (r["endLine"].as_u64(), r["endColumn"].as_u64());
        // SonarQube rejects a range that does not move forward.
        if start.1.is_some() {
            assert!(end > start, "{i}");
        }
        assert!(["BUG", "CODE_SMELL"].contains(&i["type"].as_str().unwrap_or("")));
    }
    assert!(issues.iter().any(|i| i["ruleId"] == "file-error"));
    snapshot("sonarqube", &out);
}

#[test]
fn checkstyle() {
    let out = checkstyle::render(&fixture_run());
    assert_well_formed_xml("checkstyle", &out);
    snapshot("checkstyle", &out);
}

#[test]
fn junit() {
    let out = junit::render(&fixture_run());
    assert_well_formed_xml("junit", &out);
    snapshot("junit", &out);
}

#[test]
fn statistics() {
    let mut run = fixture_run();
    // A rule that fired twice comes first; ties are by name.
    let again = run.files[1].diagnostics[1].clone();
    run.files[1].diagnostics.push(again);
    let out = format!(
        "{}\n{}",
        statistics::render_text(&run, DEMO_RULES),
        statistics::render_json(&run, DEMO_RULES)
    );
    snapshot("statistics", &out);
}

// The command line: the flags that decide where and how much is written.

fn layerlint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_layerlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run layerlint")
}

const FIXTURES: &str = "tests/fixtures/formats";

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file: PathBuf = dir.path().join("report.txt");
    let path = file.to_string_lossy().to_string();
    let out = layerlint(&[
        "check",
        "--select",
        "missing-cmd,shell-form-cmd",
        "--format",
        "concise",
        "-o",
        &path,
        FIXTURES,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).expect("report written");
    assert!(written.contains("warning[shell-form-cmd]"), "{written}");
}

#[test]
fn unwritable_output_file_is_exit_2_naming_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir
        .path()
        .join("no-such-dir/report.txt")
        .to_string_lossy()
        .to_string();
    let out = layerlint(&[
        "check",
        "--select",
        "missing-cmd,shell-form-cmd",
        "--output-file",
        &path,
        FIXTURES,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&path), "{stderr}");
}

#[test]
fn statistics_count_per_rule() {
    let out = layerlint(&[
        "check",
        "--select",
        "missing-cmd,shell-form-cmd",
        "--statistics",
        FIXTURES,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rules: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(rules, ["missing-cmd", "shell-form-cmd"], "{stdout}");
    let sarif = layerlint(&[
        "check",
        "--select",
        "missing-cmd,shell-form-cmd",
        "--statistics",
        "--format",
        "sarif",
        FIXTURES,
    ]);
    assert_eq!(sarif.status.code(), Some(2));
}

#[test]
fn quiet_drops_the_summary() {
    let loud = layerlint(&[
        "check",
        "--select",
        "missing-cmd,shell-form-cmd",
        "--format",
        "concise",
        FIXTURES,
    ]);
    let quiet = layerlint(&[
        "check",
        "--select",
        "missing-cmd,shell-form-cmd",
        "--format",
        "concise",
        "--quiet",
        FIXTURES,
    ]);
    let loud = String::from_utf8_lossy(&loud.stdout).to_string();
    let quiet = String::from_utf8_lossy(&quiet.stdout).to_string();
    assert!(loud.contains("found 2 problems"), "{loud}");
    assert_eq!(quiet.lines().count(), 2, "{quiet}");
    assert!(loud.starts_with(&quiet));
}

#[test]
fn hadolint_format_names_are_ours() {
    for (theirs, ours) in [
        ("tty", "text"),
        ("gnu", "concise"),
        ("codeclimate", "gitlab"),
        ("SonarQube", "sonarqube"),
    ] {
        let a = layerlint(&["check", "--color", "never", "-f", theirs, FIXTURES]);
        let b = layerlint(&["check", "--color", "never", "-f", ours, FIXTURES]);
        assert!(!a.stdout.is_empty(), "{theirs}");
        assert_eq!(a.stdout, b.stdout, "{theirs}");
        assert_eq!(a.status.code(), b.status.code(), "{theirs}");
    }
    let bad = layerlint(&["check", "-f", "tty2", FIXTURES]);
    assert_eq!(bad.status.code(), Some(2));
}
