//! The command line end to end: `check` on the bundled example and on broken files, its exit
//! codes and JSON contract, `dump` against BuildKit's expectations, `rules` and `rule`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_layerlint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("CLICOLOR_FORCE");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("layerlint-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn the_example_lints_clean() {
    let o = run(&["check", "examples/python-app"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "no problems found in 1 file\n");
}

#[test]
fn findings_give_exit_1_and_the_json_contract() {
    let dir = temp_dir("json");
    std::fs::write(dir.join("server.py"), "print('hi')\n").unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM python:3.12\nCOPY server.py .\nCMD python server.py\n",
    )
    .unwrap();
    let df = dir.join("Dockerfile");
    let o = run(&["check", "--format", "json", df.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "layerlint");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "shell-form-cmd");
    assert_eq!(d["group"], "runtime");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], df.to_str().unwrap());
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(3), Some(21))
    );
    assert_eq!(d["fix"]["applicability"], "safe");
    assert_eq!(
        d["fix"]["edits"][0]["content"],
        "[\"python\", \"server.py\"]"
    );
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["warning"], 1);
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0));

    // --fail-level error: a warning no longer fails; --exit-zero never does.
    assert_eq!(
        run(&["check", "--fail-level", "error", df.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--exit-zero", df.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    // --ignore by rule and by group.
    assert_eq!(
        run(&["check", "--ignore", "shell-form-cmd", df.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--ignore", "runtime", df.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unparseable_file_is_exit_2_and_the_others_are_still_linted() {
    let dir = temp_dir("mixed");
    std::fs::write(dir.join("Dockerfile"), "# only a comment\n").unwrap();
    std::fs::write(
        dir.join("app.Dockerfile"),
        "FROM debian:12\nCMD sleep infinity\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errors"][0]["message"], "file with no instructions");
    assert!(v["errors"][0]["file"]
        .as_str()
        .unwrap()
        .ends_with("Dockerfile"));
    assert_eq!(v["diagnostics"][0]["rule"], "shell-form-cmd");
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["failed"], 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_missing_file_is_named() {
    let o = run(&["check", "no/such/Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("error: no/such/Dockerfile: No such file or directory"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn build_args_reach_from_lines() {
    let dir = temp_dir("args");
    std::fs::write(dir.join("app.py"), "").unwrap();
    // The base decides whether missing-cmd applies: nginx serves by itself, python does not.
    std::fs::write(
        dir.join("Dockerfile"),
        "ARG BASE=nginx:1\nFROM ${BASE}\nCOPY app.py /srv/\n",
    )
    .unwrap();
    let df = dir.join("Dockerfile");
    assert_eq!(run(&["check", df.to_str().unwrap()]).status.code(), Some(0));
    let o = run(&[
        "check",
        "--build-arg",
        "BASE=python:3.12",
        df.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("missing-cmd"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn stdin_with_a_filename() {
    use std::io::Write;
    let mut child = bin()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "examples/python-app/Dockerfile",
            "--format",
            "json",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM python:3.12\nCOPY src/ /app/\nCMD python /app/server.py\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(diags
        .iter()
        .all(|d| d["file"] == "examples/python-app/Dockerfile"));
    assert!(
        diags.iter().any(|d| d["rule"] == "shell-form-cmd"),
        "{diags:?}"
    );
    // The context is the directory of --stdin-filename: the COPY source is found there.
    assert!(
        !diags.iter().any(|d| d["rule"] == "copy-source-missing"),
        "{diags:?}"
    );
}

#[test]
fn no_colour_unless_asked() {
    let dir = temp_dir("color");
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM debian:12\nCMD sleep infinity\n",
    )
    .unwrap();
    let df = dir.join("Dockerfile");
    let plain = run(&["check", df.to_str().unwrap()]);
    assert!(!stdout(&plain).contains('\x1b'));
    let forced = run(&["check", "--color", "always", df.to_str().unwrap()]);
    assert!(stdout(&forced).contains('\x1b'));
    let no_color = bin()
        .args(["check", df.to_str().unwrap()])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains('\x1b'));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn dump_matches_buildkit_and_fails_on_negative_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/buildkit");
    if !root.exists() {
        common::skip(&format!("{} not found", root.display()));
        return;
    }
    let case = root.join("testfiles/env");
    let o = run(&["dump", case.join("Dockerfile").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        std::fs::read_to_string(case.join("result")).unwrap()
    );
    for neg in [
        "empty_dockerfile",
        "only_comments",
        "env_no_value",
        "shykes-nested-json",
    ] {
        let o = run(&[
            "dump",
            root.join("testfiles-negative")
                .join(neg)
                .join("Dockerfile")
                .to_str()
                .unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{neg}");
        assert!(
            String::from_utf8_lossy(&o.stderr).starts_with("error: "),
            "{neg}"
        );
    }
}

#[test]
fn rules_and_rule() {
    let o = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(names.contains(&"missing-cmd") && names.contains(&"shell-form-cmd"));
    let o = run(&["rule", "shell-form-cmd"]);
    assert_eq!(
        stdout(&o),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/shell-form-cmd.md")
        )
        .unwrap()
    );
    let o = run(&["rule", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check", "--select", "no-such-rule", "examples"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Other tools' names for what a rule covers: listed, looked up, and accepted by `--select`,
/// `--ignore` and the configuration, where an ignored code drops only the findings that answer
/// to it.
#[test]
fn aliases_stand_for_rules() {
    let o = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rule = |name: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        rule("shell-form-cmd")["aliases"],
        serde_json::json!(["DL3025", "JSONArgsRecommended"])
    );
    assert_eq!(rule("missing-cmd")["aliases"], serde_json::json!([]));
    assert!(stdout(&run(&["rules"])).contains("(also DL3025, JSONArgsRecommended)"));
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/shell-form-cmd.md"),
    )
    .unwrap();
    assert_eq!(stdout(&run(&["rule", "DL3025"])), page);
    assert_eq!(stdout(&run(&["rule", "jsonargsrecommended"])), page);

    let dir = temp_dir("aliases");
    let df = dir.join("Dockerfile");
    std::fs::write(
        &df,
        "FROM python:3.12\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\nCMD python app.py\n",
    )
    .unwrap();
    let df = df.to_str().unwrap();
    let found = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["check", "--format", "json", "--exit-zero"];
        a.extend_from_slice(args);
        a.push(df);
        let v: serde_json::Value = serde_json::from_slice(&run(&a).stdout).unwrap();
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let m = d["message"].as_str().unwrap_or("");
                let what = if m.contains("pip") {
                    "pip"
                } else if m.contains("apt") {
                    "apt"
                } else {
                    ""
                };
                format!("{} {what}", d["rule"].as_str().unwrap())
                    .trim()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(found(&["--select", "DL3025"]), vec!["shell-form-cmd"]);
    let cache = found(&["--select", "package-cache-kept"]);
    assert_eq!(cache.len(), 2, "{cache:?}");
    // Ignoring pip's code keeps the apt finding of the same rule.
    let no_pip = found(&["--select", "package-cache-kept", "--ignore", "DL3042"]);
    assert_eq!(no_pip, vec!["package-cache-kept apt"]);
    assert!(!found(&["--ignore", "JSONArgsRecommended"]).contains(&"shell-form-cmd".to_string()));
    // The configuration, with a code as a severity key.
    std::fs::write(
        dir.join(".layerlint.toml"),
        "ignore = [\"DL3009\"]\n[severity]\nDL3025 = \"error\"\n",
    )
    .unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["check", "--format", "json", "--exit-zero", df]).stdout)
            .unwrap();
    let shell = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "shell-form-cmd")
        .cloned()
        .unwrap();
    assert_eq!(shell["severity"], "error");
    let apt = v["diagnostics"].as_array().unwrap().iter().any(|d| {
        d["rule"] == "package-cache-kept" && d["message"].as_str().unwrap().contains("apt")
    });
    assert!(!apt);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README shows the real output of its example command, byte for byte.
#[test]
fn the_readme_example_output_is_real() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let command = "cargo run --release -- check --context examples/python-app examples/python-app-broken\n```\n\n```text\n";
    let start = readme.find(command).expect("the example command") + command.len();
    let shown = &readme[start..];
    let shown = &shown[..shown.find("```\n").expect("the end of the example")];
    let o = bin()
        .env("NO_COLOR", "1")
        .args([
            "check",
            "--context",
            "examples/python-app",
            "examples/python-app-broken",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(stdout(&o), shown);
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _layerlint"),
        ("zsh", "#compdef layerlint"),
        ("fish", "complete -c layerlint"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[layerlint]"),
    ] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let out = stdout(&o);
        assert!(out.contains(marker), "{shell}: {out}");
        // The check command's own options complete too.
        assert!(out.contains("stdin-filename"), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn manual_pages() {
    let top = stdout(&run(&["man"]));
    assert!(top.contains(".TH layerlint 1"), "{top}");
    assert!(top.contains("layerlint\\-check(1)"), "{top}");
    let check = stdout(&run(&["man", "check"]));
    assert!(check.contains(".TH layerlint-check 1"), "{check}");
    assert!(check.contains("\\-\\-stdin\\-filename"), "{check}");
    let o = run(&["man", "chek"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pages exist for check"));
}

#[test]
fn the_project_dockerfile_lints_clean() {
    // The image of layerlint itself, with the repository as its build context: every source it
    // copies is there and not excluded by the .dockerignore.
    let o = run(&["check", "--format", "concise", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "no problems found in 1 file\n");
    // The check reads the context: a source the .dockerignore leaves out is reported.
    let dir = temp_dir("own-image");
    let text = std::fs::read_to_string("Dockerfile").unwrap();
    std::fs::write(dir.join("Dockerfile"), &text).unwrap();
    std::fs::write(
        dir.join(".dockerignore"),
        "*\n!Cargo.toml\n!Cargo.lock\n!src/\n",
    )
    .unwrap();
    for f in ["Cargo.toml", "Cargo.lock", "src/main.rs", "rules/a.md"] {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "").unwrap();
    }
    let o = run(&[
        "check",
        "--format",
        "concise",
        dir.join("Dockerfile").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("copy-source-ignored"), "{}", stdout(&o));
}
