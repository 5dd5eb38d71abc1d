//! `check` as a new user meets it: a `--context` that cannot be used, standard input named by
//! `--stdin-filename`, fixes on CRLF files and on files that cannot be written, unreadable
//! directories, inputs named twice, and summaries that agree with what was linted.

mod common;

use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// A shell-form CMD: one `shell-form-cmd` warning with a safe fix, in any context.
const SHELL_CMD: &str = "FROM debian:12\nCMD sleep infinity\n";
const EXEC_CMD: &str = "FROM debian:12\nCMD [\"sleep\", \"infinity\"]\n";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }

    /// Both streams, for messages that may go to either.
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

fn command(dir: &Path, program: &str, pre: &[&str], args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(pre)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn finish(mut c: Command, stdin: Option<&str>) -> Out {
    c.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = c.spawn().expect("spawn layerlint");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        // A usage error exits before reading: a closed pipe is then expected.
        let _ = pipe.write_all(text.as_bytes());
    }
    let out = child.wait_with_output().expect("output");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Out {
    finish(
        command(dir, env!("CARGO_BIN_EXE_layerlint"), &[], args),
        None,
    )
}

fn run_stdin(dir: &Path, args: &[&str], stdin: &str) -> Out {
    finish(
        command(dir, env!("CARGO_BIN_EXE_layerlint"), &[], args),
        Some(stdin),
    )
}

fn tmp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("layerlint-trust")
        .tempdir_in(std::env::temp_dir())
        .expect("temp dir")
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// Permission checks mean nothing to root, so as root the binary runs as `nobody` through
/// `setpriv` (the directory is opened up for it); `None` when that is not possible.
#[cfg(unix)]
fn unprivileged(dir: &Path) -> Option<(String, Vec<String>)> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let bin = env!("CARGO_BIN_EXE_layerlint").to_string();
    let probe = dir.join(".probe");
    fs::write(&probe, "").ok()?;
    let root = fs::metadata(&probe).ok()?.uid() == 0;
    fs::remove_file(&probe).ok()?;
    if !root {
        return Some((bin, Vec::new()));
    }
    let setpriv = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !setpriv {
        return None;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).ok()?;
    let pre = [
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        bin.as_str(),
    ];
    Some((
        "setpriv".into(),
        pre.iter().map(|s| s.to_string()).collect(),
    ))
}

#[cfg(unix)]
fn run_unprivileged(dir: &Path, args: &[&str]) -> Option<Out> {
    let (program, pre) = unprivileged(dir)?;
    let pre: Vec<&str> = pre.iter().map(String::as_str).collect();
    Some(finish(command(dir, &program, &pre, args), None))
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

// 2: a `--context` that cannot be used is a usage error before any finding.
#[test]
fn an_unusable_context_is_a_usage_error_before_any_finding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ok = run(root, &["check", "examples/python-app"]);
    assert_eq!(
        (ok.code, ok.stdout.as_str()),
        (0, "no problems found in 1 file\n")
    );
    for format in ["text", "json"] {
        let o = run(
            root,
            &[
                "check",
                "--format",
                format,
                "--context",
                "no/such/dir",
                "examples/python-app",
            ],
        );
        assert_eq!(o.code, 2, "{}", o.all());
        assert_eq!(o.stdout, "", "no finding before the usage error");
        assert_eq!(
            o.stderr,
            "error: --context no/such/dir: No such file or directory\n"
        );
    }
    let o = run(
        root,
        &["check", "--context", "README.md", "examples/python-app"],
    );
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (2, "", "error: --context README.md: not a directory\n")
    );
    // A usable one is used.
    let o = run(
        root,
        &[
            "check",
            "--context",
            "examples/python-app",
            "examples/python-app/Dockerfile",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.all());
}

// 3: `--stdin-filename` reads standard input, or says why it cannot.
#[test]
fn stdin_filename_reads_standard_input() {
    let dir = tmp();
    // A Dockerfile in the current directory that must not be linted in place of stdin.
    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:12\nCMD sleep 1\nCMD sleep 2\n",
    );
    let o = run_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "app/Dockerfile",
        ],
        SHELL_CMD,
    );
    assert_eq!(o.code, 1, "{}", o.all());
    assert_eq!(
        o.stdout,
        "app/Dockerfile:2:5: warning[shell-form-cmd]: CMD in shell form runs `sleep` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully\n\
         found 1 problem in 1 file: 0 errors, 1 warning, 0 info\n[*] 1 fixable with --fix\n"
    );
    let o = run_stdin(
        dir.path(),
        &["check", "--stdin-filename", "app/Dockerfile"],
        EXEC_CMD,
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "no problems found in 1 file\n")
    );
    // Beside paths without `-`, it would be ignored: a usage error instead.
    let o = run_stdin(
        dir.path(),
        &["check", "--stdin-filename", "app/Dockerfile", "Dockerfile"],
        SHELL_CMD,
    );
    assert_eq!(o.code, 2, "{}", o.all());
    assert_eq!(o.stdout, "");
    assert!(o.stderr.contains("--stdin-filename"), "{}", o.stderr);
    assert!(o.stderr.contains("`-`"), "{}", o.stderr);
}

// 4: fixes on a CRLF file insert CRLF, and the BOM stays first.
#[test]
fn fixes_keep_the_line_ending_and_the_bom() {
    let dir = tmp();
    let crlf = "\u{FEFF}FROM python:3.12\r\nWORKDIR /app\r\nCOPY . .\r\nRUN pip install --no-cache-dir -r requirements.txt\r\nCMD python app.py\r\n";
    write(dir.path(), "Dockerfile", crlf);
    write(dir.path(), "requirements.txt", "flask\n");
    write(dir.path(), "app.py", "");
    let o = run(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "Dockerfile"],
    );
    assert_eq!(o.code, 0, "{}", o.all());
    let fixed = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert_eq!(
        fixed,
        "\u{FEFF}FROM python:3.12\r\nWORKDIR /app\r\nCOPY requirements.txt ./\r\nRUN pip install --no-cache-dir -r requirements.txt\r\nCOPY . .\r\nCMD [\"python\", \"app.py\"]\r\n"
    );
    // The same file with `\n` keeps `\n`.
    let lf = crlf.replace("\r\n", "\n").replace('\u{FEFF}', "");
    write(dir.path(), "Dockerfile", &lf);
    let o = run(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "Dockerfile"],
    );
    assert_eq!(o.code, 0, "{}", o.all());
    let fixed_lf = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert_eq!(
        fixed_lf,
        fixed.replace("\r\n", "\n").replace('\u{FEFF}', "")
    );
    // The edits in JSON are the ones --fix applies.
    write(dir.path(), "Dockerfile", crlf);
    let v = run(dir.path(), &["check", "--format", "json", "Dockerfile"]).json();
    let content = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "copy-before-install")
        .map(|d| {
            d["fix"]["edits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["content"].as_str().unwrap())
                .collect::<String>()
        })
        .expect("copy-before-install fires");
    assert!(content.contains("\r\n"), "{content:?}");
    assert!(!content.replace("\r\n", "").contains('\n'), "{content:?}");
}

// 5: an unreadable directory is named, with the reason, and fails the run.
#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_reported() {
    let dir = tmp();
    write(dir.path(), "tree/good/Dockerfile", EXEC_CMD);
    write(dir.path(), "tree/locked/Dockerfile", SHELL_CMD);
    let Some(o) = run_unprivileged(dir.path(), &["check", "tree"]) else {
        common::skip("cannot run as a user without root's permissions (no setpriv)");
        return;
    };
    // Readable, it is linted like any other directory.
    assert_eq!(o.code, 1, "{}", o.all());
    chmod(&dir.path().join("tree/locked"), 0o000);
    for format in ["text", "json"] {
        let o = run_unprivileged(dir.path(), &["check", "--format", format, "tree"]).unwrap();
        assert_eq!(o.code, 2, "{}", o.all());
        if format == "json" {
            let v = o.json();
            assert_eq!(v["errors"][0]["file"], "tree/locked");
            assert_eq!(v["errors"][0]["message"], "Permission denied");
            assert_eq!(v["summary"]["files"], 1);
            assert_eq!(v["summary"]["failed"], 1);
        } else {
            assert_eq!(
                o.stdout,
                "error: tree/locked: Permission denied\n\n\
                 no problems found in 1 file; 1 file could not be linted\n"
            );
        }
    }
    // Named directly, it is not "no Dockerfile found".
    let o = run_unprivileged(dir.path(), &["check", "tree/locked"]).unwrap();
    assert_eq!(o.code, 2, "{}", o.all());
    assert_eq!(
        o.stdout,
        "error: tree/locked: Permission denied\n\nnothing linted: 1 file could not be linted\n"
    );
    chmod(&dir.path().join("tree/locked"), 0o755);
}

// 6: --fix on a file that cannot be written reports its findings and the write error.
#[cfg(unix)]
#[test]
fn fix_on_a_read_only_file_reports_what_was_not_fixed() {
    let dir = tmp();
    write(dir.path(), "Dockerfile", SHELL_CMD);
    chmod(&dir.path().join("Dockerfile"), 0o444);
    let Some(o) = run_unprivileged(
        dir.path(),
        &["check", "--fix", "--format", "concise", "Dockerfile"],
    ) else {
        common::skip("cannot run as a user without root's permissions (no setpriv)");
        return;
    };
    assert_eq!(o.code, 2, "{}", o.all());
    assert_eq!(
        o.stdout,
        "Dockerfile:2:5: warning[shell-form-cmd]: CMD in shell form runs `sleep` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully\n\
         Dockerfile:1:1: error[file-error]: cannot write the fixed file: Permission denied\n\
         found 1 problem in 1 file (0 fixed, 1 remaining: 0 errors, 1 warning, 0 info)\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        SHELL_CMD
    );
    let v = run_unprivileged(
        dir.path(),
        &["check", "--fix", "--format", "json", "Dockerfile"],
    )
    .unwrap()
    .json();
    assert_eq!(v["diagnostics"][0]["rule"], "shell-form-cmd");
    assert_eq!(v["errors"][0]["file"], "Dockerfile");
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["failed"], 0);
    // Writable, the same file is fixed.
    chmod(&dir.path().join("Dockerfile"), 0o666);
    let o = run_unprivileged(dir.path(), &["check", "--fix", "Dockerfile"]).unwrap();
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "found 1 problem in 1 file (1 fixed, 0 remaining)\n")
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        EXEC_CMD
    );
}

// 7: a new buffer in a folder that does not exist yet is linted without a context.
#[test]
fn stdin_in_a_new_folder_is_linted_without_a_context() {
    let dir = tmp();
    let new = dir.path().join("new/dir/Dockerfile");
    let new = new.to_str().unwrap();
    let o = run_stdin(
        dir.path(),
        &["check", "--format", "concise", "--stdin-filename", new, "-"],
        SHELL_CMD,
    );
    assert_eq!(o.code, 1, "{}", o.all());
    assert_eq!(
        o.stdout,
        format!("{new}:2:5: warning[shell-form-cmd]: CMD in shell form runs `sleep` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully\n\
                 found 1 problem in 1 file: 0 errors, 1 warning, 0 info\n[*] 1 fixable with --fix\n")
    );
    assert_eq!(o.stderr, "");
    // In an existing folder, the folder is the context.
    write(dir.path(), "old/app.py", "");
    let o = run_stdin(
        dir.path(),
        &["check", "--stdin-filename", "old/Dockerfile"],
        "FROM python:3.12\nCOPY app.py .\nCOPY missing.py .\nCMD [\"python\", \"app.py\"]\n",
    );
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stdout
            .contains("`missing.py` is not in the build context"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("`app.py`"), "{}", o.stdout);
}

#[test]
fn no_raw_os_error_in_any_message() {
    let dir = tmp();
    write(dir.path(), "file", "x");
    for args in [
        &["check", "no/such/Dockerfile"][..],
        &["check", "--context", "no/such", "file"],
        &["check", "--config", "no/such.toml", "file"],
        &["check", "-o", "no/such/out.txt", "file"],
        &["check", "file/Dockerfile"],
        &["dump", "no/such/Dockerfile"],
    ] {
        let o = run(dir.path(), args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.all());
        assert!(!o.all().contains("os error"), "{args:?}: {}", o.all());
    }
}

// 8: an input named twice, in any spelling, is linted once.
#[test]
fn inputs_named_twice_are_linted_once() {
    let dir = tmp();
    write(dir.path(), "x/Dockerfile", SHELL_CMD);
    let o = run(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "x/Dockerfile",
            "./x/Dockerfile",
            "x",
            "./x/",
        ],
    );
    assert_eq!(o.code, 1, "{}", o.all());
    assert_eq!(
        o.stdout,
        "x/Dockerfile:2:5: warning[shell-form-cmd]: CMD in shell form runs `sleep` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully\n\
         found 1 problem in 1 file: 0 errors, 1 warning, 0 info\n[*] 1 fixable with --fix\n"
    );
    let o = run_stdin(
        dir.path(),
        &["check", "--format", "json", "-", "-"],
        SHELL_CMD,
    );
    let v = o.json();
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["summary"]["files"], 1);
    // Two different files are two.
    write(dir.path(), "y/Dockerfile", SHELL_CMD);
    let v = run(dir.path(), &["check", "--format", "json", "x", "y"]).json();
    assert_eq!(v["summary"]["files"], 2);
}

// 9: JSON and text count the same files, and JSON says how many failed.
#[test]
fn json_and_text_count_the_same_files() {
    let dir = tmp();
    write(dir.path(), "good/Dockerfile", SHELL_CMD);
    let args = ["check", "good/Dockerfile", "missing/Dockerfile"];
    let text = run(dir.path(), &args);
    assert_eq!(text.code, 2);
    assert!(
        text.stdout.ends_with(
            "found 1 problem in 1 file: 0 errors, 1 warning, 0 info; 1 file could not be linted\n\
             [*] 1 fixable with --fix\n"
        ),
        "{}",
        text.stdout
    );
    let v = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "good/Dockerfile",
            "missing/Dockerfile",
        ],
    )
    .json();
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["failed"], 1);
    let v = run(
        dir.path(),
        &["check", "--format", "json", "good/Dockerfile"],
    )
    .json();
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["failed"], 0);
}

// 10: one summary after --fix, and "no problems found" only when something was linted.
#[test]
fn one_summary_and_never_a_clean_bill_for_nothing() {
    let dir = tmp();
    write(
        dir.path(),
        "Dockerfile",
        "FROM python:3.12\nCMD sleep infinity\nRUN pip install flask\n",
    );
    let o = run(dir.path(), &["check", "--fix", "Dockerfile"]);
    let summaries = o
        .stdout
        .lines()
        .filter(|l| l.starts_with("found ") || l.starts_with("no problems"))
        .count();
    assert_eq!(summaries, 1, "{}", o.stdout);
    assert!(
        o.stdout.ends_with(
            "found 2 problems in 1 file (1 fixed, 1 remaining: 0 errors, 0 warnings, 1 info)\n"
        ),
        "{}",
        o.stdout
    );
    // Nothing linted: no file could be read.
    let o = run(dir.path(), &["check", "missing/Dockerfile"]);
    assert_eq!(o.code, 2);
    assert!(!o.stdout.contains("no problems found"), "{}", o.stdout);
    assert!(
        o.stdout
            .ends_with("nothing linted: 1 file could not be linted\n"),
        "{}",
        o.stdout
    );
    let o = run(dir.path(), &["check", "--fix", "missing/Dockerfile"]);
    assert!(!o.stdout.contains("no problems found"), "{}", o.stdout);
    // Nothing to lint: every file named was excluded.
    let o = run(
        dir.path(),
        &[
            "check",
            "--force-exclude",
            "--exclude",
            "Dockerfile",
            "Dockerfile",
        ],
    );
    assert_eq!((o.code, o.stdout.as_str()), (0, "no Dockerfile to lint\n"));
}

// 11: documentation and templates named like Dockerfiles are not linted by a walk.
#[test]
fn the_walk_passes_over_docs_and_templates() {
    let dir = tmp();
    write(dir.path(), "Dockerfile", EXEC_CMD);
    write(dir.path(), "Dockerfile.prod", SHELL_CMD);
    write(dir.path(), "app.dockerfile", SHELL_CMD);
    // Every ending the pre-commit hooks exclude is passed over by the walk too.
    let hooks =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap();
    let exclude = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("exclude: '(?i)\\.("))
        .and_then(|l| l.strip_suffix(")$'"))
        .expect("the hooks exclude by extension");
    let endings: Vec<&str> = exclude.split('|').collect();
    assert!(
        endings.contains(&"md") && endings.contains(&"j2"),
        "{endings:?}"
    );
    for ext in &endings {
        write(
            dir.path(),
            &format!("Dockerfile.{ext}"),
            "# not a Dockerfile\n{{ x }}\n",
        );
        write(
            dir.path(),
            &format!("docs/Containerfile.{}", ext.to_uppercase()),
            "not one\n",
        );
    }
    let v = run(dir.path(), &["check", "--format", "json", "."]).json();
    let mut files: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    files.dedup();
    assert_eq!(files, ["./Dockerfile.prod", "./app.dockerfile"]);
    assert_eq!(v["summary"]["files"], 3);
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0));
    assert!(
        hooks.matches("exclude_types: [markdown]").count() == 2,
        "{hooks}"
    );
}

// Rough edges of the options.
#[test]
fn selections_trim_and_accept_all_in_any_case() {
    let dir = tmp();
    write(
        dir.path(),
        "Dockerfile",
        "FROM python:3.12\nCMD sleep infinity\nRUN pip install flask==3.0.3\n",
    );
    let count = |args: &[&str]| {
        let o = run(
            dir.path(),
            &[&["check", "--format", "json"][..], args].concat(),
        );
        assert!(o.code < 2, "{args:?}: {}", o.all());
        o.json()["diagnostics"].as_array().map(Vec::len)
    };
    assert_eq!(count(&[]), Some(2));
    assert_eq!(
        count(&["--select", "shell-form-cmd, package-cache-kept"]),
        Some(2)
    );
    assert_eq!(count(&["--select", " shell-form-cmd "]), Some(1));
    assert_eq!(
        count(&["--select", "ALL", "--ignore", "shell-form-cmd , "]),
        Some(1)
    );
    assert_eq!(count(&["--select", "All"]), Some(2));
    let o = run(
        dir.path(),
        &["check", "--select", "shell-form-cdm", "Dockerfile"],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("did you mean `shell-form-cmd`"),
        "{}",
        o.stderr
    );
}

#[test]
fn format_names_and_aliases() {
    let dir = tmp();
    write(dir.path(), "Dockerfile", SHELL_CMD);
    let concise = run(dir.path(), &["check", "--format", "concise", "Dockerfile"]).stdout;
    assert!(
        concise.starts_with("Dockerfile:2:5: warning[shell-form-cmd]"),
        "{concise}"
    );
    for args in [
        &["-f", "concise"][..],
        &["--output-format", "concise"],
        &["--format", "CONCISE"],
        &["--output-format=Concise"],
    ] {
        let o = run(
            dir.path(),
            &[&["check"][..], args, &["Dockerfile"]].concat(),
        );
        assert_eq!((o.code, &o.stdout), (1, &concise), "{args:?}: {}", o.stderr);
    }
    let o = run(dir.path(), &["check", "--format", "yaml", "Dockerfile"]);
    assert_eq!(o.code, 2);
    let o = run(dir.path(), &["rules", "--format", "JSON"]);
    assert_eq!(o.code, 0);
    assert!(o.json().as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn rule_suggests_a_name_and_dump_reads_stdin() {
    let dir = tmp();
    let o = run(dir.path(), &["rule", "shell-form-cdm"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            2,
            "error: unknown rule `shell-form-cdm` (did you mean `shell-form-cmd`?)\n"
        )
    );
    let o = run(dir.path(), &["rule", "zzz"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            2,
            "error: unknown rule `zzz`; `layerlint rules` lists them\n"
        )
    );
    let o = run(dir.path(), &["rule", "shell-form-cmd"]);
    assert!(o.stdout.starts_with("# shell-form-cmd\n"), "{}", o.stdout);
    let o = run_stdin(dir.path(), &["dump", "-"], "FROM a\nRUN b\n");
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "(from \"a\")\n(run \"b\")\n")
    );
    let o = run_stdin(dir.path(), &["dump", "-"], "# nothing\n");
    assert_eq!(o.code, 2);
    assert!(o.stderr.starts_with("error: -: "), "{}", o.stderr);
}

#[test]
fn diff_applies_with_patch_p0_to_paths_with_spaces_and_quotes() {
    if Command::new("patch").arg("--version").output().is_err() {
        common::skip("patch is not installed");
        return;
    }
    let dir = tmp();
    for name in [
        "my app/Dockerfile",
        "odd \"name\".Dockerfile",
        "plain.Dockerfile",
    ] {
        write(dir.path(), name, SHELL_CMD);
        let o = run(dir.path(), &["check", "--diff", name]);
        assert_eq!(o.code, 1, "{name}: {}", o.all());
        let mut patch = Command::new("patch")
            .args(["-p0", "--batch", "--silent"])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("patch runs");
        patch
            .stdin
            .take()
            .unwrap()
            .write_all(o.stdout.as_bytes())
            .unwrap();
        let done = patch.wait_with_output().unwrap();
        assert!(
            done.status.success(),
            "{name}: {}\n{}{}",
            o.stdout,
            String::from_utf8_lossy(&done.stdout),
            String::from_utf8_lossy(&done.stderr)
        );
        assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), EXEC_CMD);
    }
}

#[test]
fn info_is_called_info_in_every_human_format() {
    let dir = tmp();
    write(
        dir.path(),
        "Dockerfile",
        "FROM python:3.12\nRUN pip install flask\nCMD [\"python\"]\n",
    );
    for args in [
        &["check", "Dockerfile"][..],
        &["check", "--color", "always", "Dockerfile"],
        &["check", "--format", "concise", "Dockerfile"],
    ] {
        let o = run(dir.path(), args);
        assert_eq!(o.code, 0, "{args:?}: {}", o.all());
        assert!(
            o.stdout.contains("info[package-cache-kept]"),
            "{args:?}: {}",
            o.stdout
        );
        assert!(!o.stdout.contains("note"), "{args:?}: {}", o.stdout);
        assert!(o.stdout.contains(", 1 info"), "{args:?}: {}", o.stdout);
    }
    // A message that says "note" keeps it: only the severity is renamed.
    write(
        dir.path(),
        "Dockerfile",
        "FROM python:3.12\nRUN pip install note\nCMD [\"python\"]\n",
    );
    let o = run(dir.path(), &["check", "Dockerfile"]);
    assert!(
        o.stdout.starts_with("info[package-cache-kept]"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("pip install note"), "{}", o.stdout);
}

// `[contexts]`: pre-commit names `services/api/Dockerfile` alone, and its context is elsewhere.
#[test]
fn config_contexts_give_each_dockerfile_its_build_context() {
    let dir = tmp();
    write(
        dir.path(),
        "layerlint.toml",
        "[contexts]\n\"docker/*.Dockerfile\" = \".\"\n\"services/api/**\" = \"services\"\n",
    );
    write(dir.path(), "app.py", "");
    write(dir.path(), "api/server.py", "");
    let app = "FROM python:3.12\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n";
    let api = "FROM python:3.12\nCOPY api/server.py .\nCMD [\"python\", \"server.py\"]\n";
    write(dir.path(), "docker/app.Dockerfile", app);
    write(dir.path(), "services/api/Dockerfile", api);
    write(dir.path(), "services/api/server.py", "");
    // The contexts hold the files: clean.
    let both = ["docker/app.Dockerfile", "services/api/Dockerfile"];
    let o = run(dir.path(), &[&["check"][..], &both].concat());
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "no problems found in 2 files\n"),
        "{}",
        o.stderr
    );
    // Without the configuration, each Dockerfile's own directory is its context.
    let o = run(
        dir.path(),
        &[&["check", "--isolated", "--format", "concise"][..], &both].concat(),
    );
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stdout
            .contains("docker/app.Dockerfile:2:6: error[copy-source-missing]"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("services/api/Dockerfile:2:6: error[copy-source-missing]"),
        "{}",
        o.stdout
    );
    // --context still wins, and --verbose says which one was used, and why.
    let o = run(dir.path(), &["check", "-v", "docker/app.Dockerfile"]);
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(
        o.stderr,
        "linting docker/app.Dockerfile: context . ([contexts] in layerlint.toml), config layerlint.toml\n"
    );
    let o = run(
        dir.path(),
        &[
            "check",
            "-v",
            "--context",
            "docker",
            "docker/app.Dockerfile",
        ],
    );
    assert!(
        o.stderr
            .starts_with("linting docker/app.Dockerfile: context docker (--context), config "),
        "{}",
        o.stderr
    );
    // A context that does not exist fails that file only, by name.
    write(
        dir.path(),
        "layerlint.toml",
        "[contexts]\n\"docker/*\" = \"gone\"\n",
    );
    let v = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "docker/app.Dockerfile",
            "services/api/Dockerfile",
        ],
    )
    .json();
    assert_eq!(v["errors"][0]["file"], "docker/app.Dockerfile");
    let msg = v["errors"][0]["message"].as_str().unwrap();
    assert!(msg.contains("gone: No such file or directory"), "{msg}");
    assert_eq!(v["summary"]["files"], 1);
    // A value that is not a directory name is a usage error naming the line.
    write(
        dir.path(),
        "layerlint.toml",
        "\n[contexts]\n\"docker/*\" = 1\n",
    );
    let o = run(dir.path(), &["check", "docker/app.Dockerfile"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("layerlint.toml:3: `contexts.\"docker/*\"`: expected a directory"),
        "{}",
        o.stderr
    );
}

#[test]
fn verbose_and_show_settings() {
    let dir = tmp();
    write(
        dir.path(),
        "layerlint.toml",
        "fail-level = \"error\"\n[severity]\nshell-form-cmd = \"info\"\n",
    );
    write(dir.path(), "a/Dockerfile", SHELL_CMD);
    write(dir.path(), "b/Dockerfile", SHELL_CMD);
    let quiet = run(dir.path(), &["check", "a", "b"]);
    let o = run(
        dir.path(),
        &["check", "--verbose", "--threads", "2", "a", "b"],
    );
    assert_eq!(o.stdout, quiet.stdout, "--verbose leaves the report alone");
    assert_eq!(
        o.stderr,
        "linting a/Dockerfile: context a (the Dockerfile's directory), config layerlint.toml\n\
         linting b/Dockerfile: context b (the Dockerfile's directory), config layerlint.toml\n"
    );
    assert_eq!(quiet.stderr, "");
    let o = run(
        dir.path(),
        &[
            "check",
            "--show-settings",
            "--select",
            "runtime",
            "--build-arg",
            "V=1",
            "a",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.all());
    assert_eq!(
        o.stdout,
        "a/Dockerfile: context a (the Dockerfile's directory), config layerlint.toml\n  \
         fail-level: error\n  \
         rules: missing-cmd, missing-expose, expose-port-mismatch, shell-form-cmd\n  \
         severity: shell-form-cmd = info\n  \
         build-args: V=1\n"
    );
}
