//! `check` end to end for fixing (`--fix`, `--diff`, stdin), discovery (`--exclude`,
//! `--force-exclude`, hidden directories, `.gitignore`), thread counts and compose contexts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_layerlint"));
    c.current_dir(dir);
    c.env_remove("CLICOLOR_FORCE");
    c.env_remove("LAYERLINT_THREADS");
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin(dir).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh directory holding `files` (path, text).
fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("layerlint-fixcli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    for (path, text) in files {
        let p = d.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::create_dir_all(&d).unwrap();
    d
}

const BAD: &str = "# keep this comment\r\nFROM python:3.12 AS base\nCOPY app.py .\nCMD  python app.py   \n\nFROM base\nENTRYPOINT python app.py\n";
const GOOD: &str = "# keep this comment\r\nFROM python:3.12 AS base\nCOPY app.py .\nCMD  [\"python\", \"app.py\"]   \n\nFROM base\nENTRYPOINT [\"python\", \"app.py\"]\n";

#[test]
fn fix_rewrites_in_place_keeping_every_other_byte() {
    let d = tree("fix", &[("Dockerfile", BAD), ("app.py", "")]);
    let o = run(&d, &["check", "--fix", "--format", "concise", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(std::fs::read_to_string(d.join("Dockerfile")).unwrap(), GOOD);
    assert_eq!(
        stdout(&o),
        "found 2 problems in 1 file (2 fixed, 0 remaining)\n"
    );
    // A second run has nothing left to fix.
    let o = run(&d, &["check", "--fix", "Dockerfile"]);
    assert_eq!(stdout(&o), "no problems found in 1 file\n");
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn fix_reports_what_remains() {
    // missing-cmd has no fix: after fixing, it is what remains.
    let d = tree(
        "remain",
        &[
            (
                "Dockerfile",
                "FROM python:3.12\nCOPY app.py .\nRUN echo hi\n",
            ),
            ("app.py", ""),
        ],
    );
    let o = run(
        &d,
        &["check", "--fix", "-q", "--format", "concise", "Dockerfile"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("warning[missing-cmd]"),
        "{}",
        stdout(&o)
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn diff_prints_a_unified_diff_and_changes_nothing() {
    let d = tree("diff", &[("Dockerfile", BAD), ("app.py", "")]);
    let o = run(&d, &["check", "--diff", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "--- Dockerfile\n+++ Dockerfile\n@@ -1,7 +1,7 @@\n # keep this comment\r\n FROM python:3.12 AS base\n COPY app.py .\n-CMD  python app.py   \n+CMD  [\"python\", \"app.py\"]   \n \n FROM base\n-ENTRYPOINT python app.py\n+ENTRYPOINT [\"python\", \"app.py\"]\n"
    );
    assert_eq!(std::fs::read_to_string(d.join("Dockerfile")).unwrap(), BAD);
    assert_eq!(stderr(&o), "would fix 2 problems\n");
    // A file that cannot be linted is named on stderr, outside the patch.
    std::fs::write(d.join("empty.Dockerfile"), "# nothing\n").unwrap();
    let o = run(&d, &["check", "--diff", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).starts_with("--- ./Dockerfile\n"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("error: ./empty.Dockerfile: "),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(d.join("empty.Dockerfile")).unwrap();
    std::fs::write(d.join("Dockerfile"), GOOD).unwrap();
    let o = run(&d, &["check", "--diff", "Dockerfile"]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));
    // --unsafe-fixes alone changes nothing, and counts the unsafe fixes among the fixable.
    std::fs::write(
        d.join("Dockerfile"),
        "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD python app.py\n",
    )
    .unwrap();
    std::fs::write(d.join("requirements.txt"), "flask\n").unwrap();
    let tail = |o: &Output| stdout(o).lines().last().unwrap_or("").to_string();
    let o = run(&d, &["check", "Dockerfile"]);
    assert_eq!(
        tail(&o),
        "[*] 1 fixable with --fix (1 more with --unsafe-fixes)"
    );
    let o = run(&d, &["check", "--unsafe-fixes", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tail(&o), "[*] 2 fixable with --fix --unsafe-fixes");
    let o = run(&d, &["check", "--fix", "Dockerfile"]);
    assert_eq!(tail(&o), "[*] 1 fixable with --fix --unsafe-fixes");
    let o = run(&d, &["check", "--quiet", "Dockerfile"]);
    assert!(!stdout(&o).contains("[*]"), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn fix_on_stdin_prints_the_fixed_text() {
    let d = tree("stdin", &[("sub/app.py", "")]);
    let fix_stdin = |text: &str| {
        let mut child = bin(&d)
            .args(["check", "--fix", "-", "--stdin-filename", "sub/Dockerfile"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let o = fix_stdin(BAD);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), GOOD);
    assert!(
        stderr(&o).contains("2 fixed, 0 remaining"),
        "{}",
        stderr(&o)
    );
    assert!(!d.join("sub/Dockerfile").exists());
    // Text that cannot be linted comes back unchanged, with the error on stderr.
    let o = fix_stdin("# nothing\n");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "# nothing\n");
    assert!(stderr(&o).contains("sub/Dockerfile"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn discovery_walks_hidden_directories_and_honours_ignores_and_excludes() {
    let bad = "FROM debian:12\nCMD sleep infinity\n";
    let d = tree(
        "discover",
        &[
            (".devcontainer/Dockerfile", bad),
            (".git/Dockerfile", bad),
            (".gitignore", "build/\n"),
            ("build/Dockerfile", bad),
            ("vendor/lib/Dockerfile", bad),
            ("svc/app.dev.Dockerfile", bad),
            ("svc/Dockerfile", bad),
        ],
    );
    let files = |args: &[&str]| -> Vec<String> {
        let o = run(&d, args);
        let mut v: Vec<String> = stdout(&o)
            .lines()
            .filter_map(|l| l.split(':').next())
            .filter(|f| !f.starts_with("found"))
            .map(str::to_string)
            .collect();
        v.dedup();
        v
    };
    assert_eq!(
        files(&["check", "--format", "concise", "-q", "."]),
        [
            "./.devcontainer/Dockerfile",
            "./svc/Dockerfile",
            "./svc/app.dev.Dockerfile",
            "./vendor/lib/Dockerfile"
        ]
    );
    assert_eq!(
        files(&[
            "check",
            "--format",
            "concise",
            "-q",
            "--exclude",
            "vendor,*.dev.Dockerfile",
            "--exclude",
            ".devcontainer/Dockerfile",
            "."
        ]),
        ["./svc/Dockerfile"]
    );
    // Files named on the command line (as pre-commit passes them) are only excluded with
    // --force-exclude.
    let named = [
        "check",
        "--format",
        "concise",
        "-q",
        "--exclude",
        "vendor",
        "vendor/lib/Dockerfile",
        "svc/Dockerfile",
    ];
    assert_eq!(files(&named), ["svc/Dockerfile", "vendor/lib/Dockerfile"]);
    let mut forced = named.to_vec();
    forced.insert(1, "--force-exclude");
    assert_eq!(files(&forced), ["svc/Dockerfile"]);
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..16 {
        files.push((
            format!("s{}/d{i}/Dockerfile", i % 3),
            format!("FROM python:3.{i}\nCOPY app.py .\nCMD python app.py {i}\n"),
        ));
        files.push((format!("s{}/d{i}/app.py", i % 3), String::new()));
    }
    files.push(("bad/Dockerfile".into(), "# nothing\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let d = tree("threads", &refs);
    for format in ["text", "json", "sarif", "concise"] {
        let one = run(&d, &["check", "--threads", "1", "--format", format, "."]);
        let four = run(&d, &["check", "--threads", "4", "--format", format, "."]);
        let env = bin(&d)
            .args(["check", "--format", format, "."])
            .env("LAYERLINT_THREADS", "4")
            .output()
            .unwrap();
        assert_eq!(one.status.code(), Some(2));
        assert_eq!(stdout(&one), stdout(&four), "{format}");
        assert_eq!(stdout(&one), stdout(&env), "{format}");
    }
    let one = run(&d, &["check", "--threads", "1", "--diff", "."]);
    let four = run(&d, &["check", "--threads", "4", "--diff", "."]);
    assert_eq!(stdout(&one), stdout(&four));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_compose_service_gives_the_context_and_the_build_args() {
    let dockerfile = "ARG BASE=nginx:1\nFROM ${BASE}\nCOPY app.py /srv/\n";
    let d = tree(
        "compose",
        &[
            (".git/HEAD", ""),
            (
                "compose.yaml",
                "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n      args:\n        - BASE=python:3.12\n",
            ),
            ("docker/Dockerfile", dockerfile),
            ("app.py", ""),
        ],
    );
    // The compose args choose python, which needs a CMD.
    let o = run(&d, &["check", "--format", "concise", "docker/Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("missing-cmd"));
    // From a subdirectory the same compose file counts.
    let o = run(
        &d.join("docker"),
        &["check", "-q", "--format", "concise", "Dockerfile"],
    );
    assert!(stdout(&o).contains("missing-cmd"), "{}", stdout(&o));
    // --build-arg wins over compose.
    let o = run(
        &d,
        &["check", "--build-arg", "BASE=nginx:1", "docker/Dockerfile"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    // The context is compose's, not the Dockerfile's directory: one that does not exist is
    // reported by name.
    std::fs::write(
        d.join("compose.yaml"),
        "services:\n  web:\n    build:\n      context: nowhere\n      dockerfile: ../docker/Dockerfile\n",
    )
    .unwrap();
    let o = run(&d, &["check", "--format", "concise", "docker/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("nowhere"), "{}", stdout(&o));
    // --context wins over compose.
    let o = run(&d, &["check", "--context", ".", "docker/Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_malformed_compose_file_is_a_warning_and_the_dockerfile_directory_is_used() {
    let d = tree(
        "badcompose",
        &[
            (".git/HEAD", ""),
            ("docker-compose.yml", "services:\n  web: [\n"),
            (
                "Dockerfile",
                "FROM alpine\nCOPY app.py /srv/\nCMD [\"/srv/app.py\"]\n",
            ),
            ("app.py", ""),
        ],
    );
    let o = run(&d, &["check", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("warning: ") && err.contains("docker-compose.yml"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(d);
}

/// `--diff` on a 20 MB file with a fix near each end prints just the two hunks: the edit
/// script is found in memory linear in the file (a table over the lines between the two fixes
/// would need terabytes here).
#[test]
fn diff_of_a_20_mb_file_with_fixes_near_both_ends() {
    let pad = "# padding\n";
    let n = 20 * 1024 * 1024 / pad.len();
    let text = format!(
        "FROM python:3.12\n# layerlint ignore=copy-before-install\nRUN echo start\n{}\
         # layerlint ignore=copy-before-install\nCMD python app.py\n",
        pad.repeat(n)
    );
    assert!(text.len() > 20 * 1024 * 1024);
    let d = tree("bigdiff", &[("Dockerfile", &text)]);
    let o = run(&d, &["check", "--diff", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Old lines: 3 before the padding, the padding, then the second comment and CMD.
    let comment = n + 4;
    let pads = pad.repeat(3).replace('#', " #");
    assert_eq!(
        stdout(&o),
        format!(
            "--- Dockerfile\n+++ Dockerfile\n\
             @@ -1,5 +1,4 @@\n FROM python:3.12\n-# layerlint ignore=copy-before-install\n RUN echo start\n # padding\n # padding\n\
             @@ -{},5 +{},4 @@\n{pads}-# layerlint ignore=copy-before-install\n-CMD python app.py\n+CMD [\"python\", \"app.py\"]\n",
            comment - 3,
            comment - 4
        )
    );
    assert_eq!(stderr(&o), "would fix 3 problems\n");
    assert_eq!(std::fs::read_to_string(d.join("Dockerfile")).unwrap(), text);
    // The same file without the two fixes has nothing to say.
    let clean = text
        .replace("# layerlint ignore=copy-before-install\n", "")
        .replace("CMD python app.py", "CMD [\"python\", \"app.py\"]");
    std::fs::write(d.join("Dockerfile"), &clean).unwrap();
    let o = run(&d, &["check", "--diff", "Dockerfile"]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), ""));
    let _ = std::fs::remove_dir_all(d);
}
