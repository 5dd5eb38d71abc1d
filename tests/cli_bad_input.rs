//! Bad input on the command line: every unreadable, odd or hostile input gets a message naming
//! its path and exit code 2, while every other file is still linted and reported.

mod common;

use serde_json::Value;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GOOD: &str = "FROM debian:12\nCMD sleep infinity\n";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `dir` with a deadline, so that an input which blocks (a fifo) fails the
/// test instead of hanging the suite.
fn run_in(dir: &Path, args: &[&str]) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_layerlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn layerlint");
    // Read both pipes while waiting: a large report would otherwise fill the pipe and block
    // the child before it exits.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        // A guard against a process that waits forever, not a timing check: the unoptimised
        // test build takes about two minutes on the 20 MB file of `twenty_megabyte_dockerfile`
        // on two cores (the release build: 17 s, linear in the size).
        if start.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            panic!("layerlint {args:?} did not finish: blocked on its input?");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let out = std::process::Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    };
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("layerlint-bad-input")
        .tempdir_in(std::env::temp_dir())
        .expect("temp dir")
}

/// A directory with `good/Dockerfile`, whose shell-form CMD always gives one finding.
fn with_good() -> tempfile::TempDir {
    let dir = tmp();
    fs::create_dir(dir.path().join("good")).unwrap();
    fs::write(dir.path().join("good/Dockerfile"), GOOD).unwrap();
    dir
}

fn json(out: &Out) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", out.stdout))
}

/// Lints `bad` beside `good/Dockerfile`, in JSON and in text, and checks the contract: exit 2,
/// one error naming `bad` whose message contains `message`, and the good file still reported.
/// Returns the error message.
fn bad_beside_good(dir: &Path, bad: &str, message: &str) -> String {
    bad_beside_good_named(dir, bad, bad, message)
}

/// As [`bad_beside_good`], where the error names `named`, a file found by walking `bad`.
fn bad_beside_good_named(dir: &Path, bad: &str, named: &str, message: &str) -> String {
    let out = run_in(dir, &["check", "--format", "json", bad, "good/Dockerfile"]);
    assert_eq!(
        out.code, 2,
        "{bad}: stdout {} stderr {}",
        out.stdout, out.stderr
    );
    let v = json(&out);
    let errors = v["errors"].as_array().expect("errors array");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], named);
    let got = errors[0]["message"].as_str().expect("message").to_string();
    assert!(got.contains(message), "{bad}: `{got}` lacks `{message}`");
    let diags = v["diagnostics"].as_array().expect("diagnostics array");
    assert!(
        diags.iter().any(|d| d["file"] == "good/Dockerfile"),
        "good file not reported: {diags:?}"
    );
    assert!(diags.iter().all(|d| d["file"] == "good/Dockerfile"));
    // Only the good file was linted; the bad input is counted as failed.
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["failed"], 1);

    let text = run_in(dir, &["check", bad, "good/Dockerfile"]);
    assert_eq!(text.code, 2);
    assert!(
        text.stdout.contains(&format!("error: {named}: {got}")),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("good/Dockerfile"), "{}", text.stdout);
    got
}

#[test]
fn missing_file() {
    let dir = with_good();
    bad_beside_good(
        dir.path(),
        "missing/Dockerfile",
        "No such file or directory",
    );
}

#[test]
fn directory_is_walked() {
    let dir = with_good();
    fs::create_dir_all(dir.path().join("tree/app")).unwrap();
    fs::write(dir.path().join("tree/app/Dockerfile"), GOOD).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json", "tree"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let v = json(&out);
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["diagnostics"][0]["file"], "tree/app/Dockerfile");
}

#[test]
fn directory_without_dockerfiles() {
    let dir = with_good();
    fs::create_dir(dir.path().join("empty")).unwrap();
    fs::write(dir.path().join("empty/README.md"), "hello\n").unwrap();
    bad_beside_good(dir.path(), "empty", "no Dockerfile found in this directory");
}

#[test]
fn binary_file() {
    let dir = with_good();
    fs::write(
        dir.path().join("image.bin"),
        b"\x7fELF\x02\x01\x01\0\0\0FROM x\n",
    )
    .unwrap();
    bad_beside_good(dir.path(), "image.bin", "binary file");
}

#[test]
fn invalid_utf8_names_the_offset() {
    let dir = with_good();
    fs::write(
        dir.path().join("Dockerfile.latin1"),
        b"FROM alpine\nLABEL a=caf\xe9\n",
    )
    .unwrap();
    let msg = bad_beside_good(dir.path(), "Dockerfile.latin1", "not valid UTF-8");
    assert!(msg.contains("offset 23"), "{msg}");
}

#[test]
fn empty_and_comment_only_files() {
    let dir = with_good();
    fs::write(dir.path().join("empty.Dockerfile"), "").unwrap();
    fs::write(
        dir.path().join("comments.Dockerfile"),
        "# syntax=docker/dockerfile:1\n\n# nothing here yet\n   \n",
    )
    .unwrap();
    bad_beside_good(dir.path(), "empty.Dockerfile", "file with no instructions");
    bad_beside_good(
        dir.path(),
        "comments.Dockerfile",
        "file with no instructions",
    );
}

#[test]
fn twenty_megabyte_dockerfile() {
    let dir = with_good();
    let mut text = String::from("FROM alpine:3.19 AS build\n");
    let mut n = 0;
    while text.len() < 20 << 20 {
        text.push_str(&format!(
            "RUN echo step {n} && \\\n    touch /tmp/file-{n}\nENV V{n}=value-$V{n}\n"
        ));
        n += 1;
    }
    text.push_str("CMD [\"sh\"]\n");
    fs::write(dir.path().join("huge.Dockerfile"), &text).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "huge.Dockerfile",
            "good/Dockerfile",
        ],
    );
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let v = json(&out);
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0));
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["file"] == "good/Dockerfile"));
}

/// A `.dockerignore` is read as the context is opened, so a bad one fails only the Dockerfiles
/// that use that context.
#[test]
fn malformed_dockerignore_fails_only_its_dockerfile() {
    let dir = with_good();
    fs::create_dir(dir.path().join("app")).unwrap();
    fs::write(dir.path().join("app/Dockerfile"), GOOD).unwrap();
    fs::write(dir.path().join("app/.dockerignore"), "*.log\n[z-a]\n").unwrap();
    let msg = bad_beside_good(dir.path(), "app/Dockerfile", ".dockerignore");
    assert!(msg.contains("app/.dockerignore:2"), "{msg}");
}

#[cfg(unix)]
#[test]
fn unreadable_dockerignore() {
    use std::os::unix::fs::PermissionsExt;
    let dir = with_good();
    fs::create_dir(dir.path().join("app")).unwrap();
    fs::write(dir.path().join("app/Dockerfile"), GOOD).unwrap();
    let ignore = dir.path().join("app/.dockerignore");
    fs::write(&ignore, "*.log\n").unwrap();
    fs::set_permissions(&ignore, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&ignore).is_ok() {
        common::skip("running as a user that can read a mode-000 file (root)");
        return;
    }
    let msg = bad_beside_good(dir.path(), "app/Dockerfile", "Permission denied");
    assert!(msg.contains("app/.dockerignore"), "{msg}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_and_broken_symlink_as_paths() {
    let dir = with_good();
    std::os::unix::fs::symlink("loop.Dockerfile", dir.path().join("loop.Dockerfile")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.path().join("broken.Dockerfile")).unwrap();
    bad_beside_good(dir.path(), "loop.Dockerfile", "symbolic links");
    bad_beside_good(dir.path(), "broken.Dockerfile", "broken symbolic link");
}

/// A walked directory reports a Dockerfile-named link that leads nowhere rather than
/// skipping it in silence.
#[cfg(unix)]
#[test]
fn broken_symlink_found_by_a_walk() {
    let dir = with_good();
    fs::create_dir(dir.path().join("tree")).unwrap();
    std::os::unix::fs::symlink("gone/Dockerfile", dir.path().join("tree/Dockerfile")).unwrap();
    bad_beside_good_named(
        dir.path(),
        "tree",
        "tree/Dockerfile",
        "broken symbolic link",
    );
}

/// Links in the build context are content, not inputs: a loop or a dangling link there must
/// neither hang nor stop the lint.
#[cfg(unix)]
#[test]
fn symlink_loop_and_broken_symlink_in_the_context() {
    let dir = tmp();
    let ctx = dir.path().join("ctx");
    fs::create_dir_all(ctx.join("sub")).unwrap();
    std::os::unix::fs::symlink("a", ctx.join("b")).unwrap();
    std::os::unix::fs::symlink("b", ctx.join("a")).unwrap();
    std::os::unix::fs::symlink("..", ctx.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("missing", ctx.join("dangling")).unwrap();
    fs::write(
        ctx.join("Dockerfile"),
        "FROM alpine:3.19\nCOPY . /src\nCOPY a /a\nCOPY dangling /d\nCOPY sub/up/sub/up/* /x/\nCMD echo hi\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json", "ctx"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stdout);
    let v = json(&out);
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn missing_context_directory() {
    // A usage error, before any finding: without the context asked for, the context rules
    // would report on a build that is not the user's.
    let dir = with_good();
    for format in ["json", "text"] {
        let out = run_in(
            dir.path(),
            &[
                "check",
                "--format",
                format,
                "--context",
                "no/such/ctx",
                "good/Dockerfile",
            ],
        );
        assert_eq!(out.code, 2, "{} {}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "error: --context no/such/ctx: No such file or directory\n"
        );
    }
    let out = run_in(
        dir.path(),
        &["check", "--context", "good", "good/Dockerfile"],
    );
    assert_eq!(out.code, 1, "{} {}", out.stdout, out.stderr);
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn fifo_does_not_block() {
    let dir = with_good();
    if !mkfifo(&dir.path().join("pipe.Dockerfile")) {
        common::skip("mkfifo is not available");
        return;
    }
    bad_beside_good(dir.path(), "pipe.Dockerfile", "not a regular file");

    // Found by a walk, too, and as the context's ignore file.
    fs::create_dir(dir.path().join("tree")).unwrap();
    assert!(mkfifo(&dir.path().join("tree/Dockerfile")));
    bad_beside_good_named(dir.path(), "tree", "tree/Dockerfile", "not a regular file");

    fs::create_dir(dir.path().join("app")).unwrap();
    fs::write(dir.path().join("app/Dockerfile"), GOOD).unwrap();
    assert!(mkfifo(&dir.path().join("app/.dockerignore")));
    assert!(mkfifo(&dir.path().join("app/fifo")));
    fs::write(
        dir.path().join("app/Dockerfile"),
        "FROM alpine\nCOPY fifo /f\nCMD echo\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json", "app/Dockerfile"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stdout);
    json(&out);
}

/// The same input gives the same bytes, run after run, in every format.
#[test]
fn output_is_deterministic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = with_good();
    fs::create_dir(dir.path().join("more")).unwrap();
    for (i, text) in [
        "FROM a\nRUN x\nCMD y\n",
        "FROM b AS one\nFROM one\nCOPY --from=one / /\nENTRYPOINT z\n",
        "FROM c\nFROOM d\nCMD [\"ok\"]\n",
    ]
    .iter()
    .enumerate()
    {
        fs::write(dir.path().join(format!("more/{i}.Dockerfile")), text).unwrap();
    }
    let example = root.join("examples");
    let example = example.to_str().unwrap();
    for format in ["json", "text"] {
        let args = [
            "check", "--format", format, "good", "more", "missing", example,
        ];
        let first = run_in(dir.path(), &args);
        for _ in 0..4 {
            let again = run_in(dir.path(), &args);
            assert_eq!(first.stdout, again.stdout);
            assert_eq!(first.stderr, again.stderr);
            assert_eq!(first.code, again.code);
        }
    }
}
