//! Configuration files and suppression comments through the binary: which file applies, how
//! the command line overrides it, and what each suppression comment silences.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory holding `files` (`path`, `content`).
fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("layerlint-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    for (path, content) in files {
        let full = d.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    d
}

/// `layerlint check --format concise ARGS` run inside `dir`, with no user-wide hadolint
/// configuration to find: (exit code, stdout, stderr).
fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o: Output = Command::new(env!("CARGO_BIN_EXE_layerlint"))
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .env("XDG_CONFIG_HOME", dir.join("no-user-config"))
        .arg("check")
        .args(["--format", "concise"])
        .args(args)
        .output()
        .expect("the binary runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A Dockerfile whose only finding is shell-form-cmd on line 3.
const SHELL_FORM: &str = "FROM python:3.12\nCOPY app.py .\nCMD python app.py\n";
const FINDING: &str = "3:5: warning[shell-form-cmd]: CMD in shell form runs `python` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully";

#[test]
fn the_nearest_config_wins() {
    let d = tree(
        "nearest",
        &[
            ("layerlint.toml", "[severity]\nshell-form-cmd = \"info\"\n"),
            ("Dockerfile", SHELL_FORM),
            ("app.py", ""),
            ("svc/.layerlint.toml", "ignore = [\"runtime\"]\n"),
            ("svc/Dockerfile", SHELL_FORM),
            ("svc/app.py", ""),
            ("svc/deep/Dockerfile", SHELL_FORM),
            ("svc/deep/app.py", ""),
        ],
    );
    let (code, out, _) = check(&d, &["."]);
    assert_eq!(
        out,
        "./Dockerfile:3:5: info[shell-form-cmd]: CMD in shell form runs `python` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully\n\
         found 1 problem in 3 files: 0 errors, 0 warnings, 1 info\n[*] 1 fixable with --fix\n"
    );
    // Only an info finding remains, below the default fail level.
    assert_eq!(code, 0);
}

#[test]
fn config_flag_and_isolated() {
    let d = tree(
        "flag",
        &[
            ("layerlint.toml", "ignore = [\"shell-form-cmd\"]\n"),
            ("other.toml", "[severity]\nshell-form-cmd = \"error\"\n"),
            ("Dockerfile", SHELL_FORM),
            ("app.py", ""),
        ],
    );
    let (code, out, _) = check(&d, &["Dockerfile"]);
    assert_eq!((code, out.as_str()), (0, "no problems found in 1 file\n"));
    let (code, out, _) = check(&d, &["--config", "other.toml", "Dockerfile"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("Dockerfile:3:5: error[shell-form-cmd]"),
        "{out}"
    );
    let (code, out, _) = check(&d, &["--isolated", "Dockerfile"]);
    assert_eq!(code, 1);
    assert!(out.starts_with(&format!("Dockerfile:{FINDING}\n")), "{out}");
    let (code, _, err) = check(&d, &["--config", "missing.toml", "Dockerfile"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: missing.toml: "), "{err}");
}

#[test]
fn per_file_ignores_match_relative_to_the_config() {
    let d = tree(
        "per-file",
        &[
            (
                "layerlint.toml",
                "[per-file-ignores]\n\"legacy/*\" = [\"shell-form-cmd\"]\n",
            ),
            ("legacy/Dockerfile", SHELL_FORM),
            ("legacy/app.py", ""),
            ("app/Dockerfile", SHELL_FORM),
            ("app/app.py", ""),
        ],
    );
    let (code, out, _) = check(&d, &["."]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!(
            "./app/Dockerfile:{FINDING}\nfound 1 problem in 2 files: 0 errors, 1 warning, 0 info\n[*] 1 fixable with --fix\n"
        )
    );
}

#[test]
fn severity_override_shows_in_json_and_fail_level_comes_from_config() {
    let d = tree(
        "json",
        &[
            (
                "layerlint.toml",
                "fail-level = \"error\"\n\n[severity]\nruntime = \"info\"\nshell-form-cmd = \"error\"\n",
            ),
            ("Dockerfile", SHELL_FORM),
            ("app.py", ""),
        ],
    );
    let o = Command::new(env!("CARGO_BIN_EXE_layerlint"))
        .current_dir(&d)
        .args(["check", "--format", "json", "Dockerfile"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["diagnostics"][0]["rule"], "shell-form-cmd");
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    assert_eq!(v["summary"]["error"], 1);
    assert_eq!(o.status.code(), Some(1));

    // The rule's own entry beats its group's; without it the group's `info` applies, and
    // `fail-level = "error"` lets it pass; `--fail-level` on the command line wins.
    std::fs::write(
        d.join("layerlint.toml"),
        "fail-level = \"error\"\n[severity]\nruntime = \"info\"\n",
    )
    .unwrap();
    assert_eq!(check(&d, &["Dockerfile"]).0, 0);
    assert_eq!(check(&d, &["--fail-level", "info", "Dockerfile"]).0, 1);
}

#[test]
fn extend_select_adds_and_select_replaces() {
    let d = tree(
        "extend",
        &[
            ("layerlint.toml", "select = [\"syntax\"]\n"),
            ("Dockerfile", SHELL_FORM),
            ("app.py", ""),
        ],
    );
    assert_eq!(check(&d, &["Dockerfile"]).0, 0);
    let (code, out, _) = check(&d, &["--extend-select", "shell-form-cmd", "Dockerfile"]);
    assert_eq!(code, 1);
    assert!(out.starts_with(&format!("Dockerfile:{FINDING}\n")), "{out}");
    assert_eq!(check(&d, &["--select", "runtime", "Dockerfile"]).0, 1);
    assert_eq!(
        check(
            &d,
            &[
                "--select",
                "runtime",
                "--extend-ignore",
                "shell-form-cmd",
                "Dockerfile"
            ]
        )
        .0,
        0
    );
}

#[test]
fn build_args_from_config_and_the_command_line() {
    // missing-cmd flags a python base (its CMD is a REPL) but not nginx.
    let d = tree(
        "build-args",
        &[
            ("layerlint.toml", "[build-args]\nBASE = \"python:3.12\"\n"),
            (
                "Dockerfile",
                "ARG BASE=nginx:1.27\nFROM ${BASE}\nCOPY app.py .\n",
            ),
            ("app.py", ""),
        ],
    );
    let (_, out, _) = check(&d, &["Dockerfile"]);
    assert!(out.contains("[missing-cmd]"), "{out}");
    let (_, out, _) = check(&d, &["--build-arg", "BASE=nginx:1.27", "Dockerfile"]);
    assert_eq!(out, "no problems found in 1 file\n");
}

#[test]
fn a_bad_config_is_a_usage_error_naming_file_line_and_key() {
    let d = tree(
        "bad",
        &[
            (
                "layerlint.toml",
                "select = [\"runtime\"]\nselct = [\"runtime\"]\n",
            ),
            ("Dockerfile", SHELL_FORM),
        ],
    );
    let (code, out, err) = check(&d, &["Dockerfile"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    let want = format!(
        "error: {}:2: unknown key `selct` (did you mean `select`?)\n",
        d.join("layerlint.toml").display()
    );
    assert_eq!(err, want);
}

#[test]
fn suppression_comments() {
    let cases = [
        ("FROM python:3.12\nCOPY app.py .\n# layerlint ignore=shell-form-cmd\nCMD python app.py\n", ""),
        ("# layerlint global ignore=runtime\nFROM python:3.12\nCOPY app.py .\nCMD python app.py\n", ""),
        ("FROM python:3.12\nCOPY app.py .\n# hadolint ignore=DL3025\nCMD python app.py\n", ""),
        ("# check=skip=JSONArgsRecommended\nFROM python:3.12\nCOPY app.py .\nCMD python app.py\n", ""),
        (
            "FROM python:3.12\nCOPY app.py .\n# layerlint ignore=shell-form-cmd\n\nCMD python app.py\n",
            "Dockerfile:3:20: info[unused-suppression]: unused suppression of `shell-form-cmd`: no instruction follows directly below the comment\n\
             Dockerfile:5:5: warning[shell-form-cmd]: CMD in shell form runs `python` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully\n",
        ),
    ];
    for (i, (text, want)) in cases.into_iter().enumerate() {
        let d = tree(
            &format!("suppress-{i}"),
            &[("Dockerfile", text), ("app.py", "")],
        );
        let (_, out, _) = check(&d, &["--quiet", "Dockerfile"]);
        assert_eq!(out, want, "{text}");
    }
}

#[test]
fn unused_suppression_of_a_rule_that_does_not_run_is_quiet() {
    let text = "FROM python:3.12\nCOPY app.py .\n# layerlint ignore=shell-form-cmd\nCMD [\"python\", \"app.py\"]\n";
    let d = tree("unused-off", &[("Dockerfile", text), ("app.py", "")]);
    let (_, out, _) = check(&d, &["--quiet", "Dockerfile"]);
    assert!(out.contains("[unused-suppression]"), "{out}");
    let (_, out, _) = check(&d, &["--quiet", "--ignore", "shell-form-cmd", "Dockerfile"]);
    assert_eq!(out, "");
}

#[test]
fn stdin_uses_the_config_nearest_to_its_file_name() {
    use std::io::Write;
    let d = tree(
        "stdin",
        &[
            ("svc/layerlint.toml", "ignore = [\"shell-form-cmd\"]\n"),
            ("svc/app.py", ""),
            ("app.py", ""),
        ],
    );
    let lint = |extra: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_layerlint"))
            .current_dir(&d)
            .args(["check", "--format", "concise", "--quiet"])
            .args(extra)
            .arg("-")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(SHELL_FORM.as_bytes())
            .expect("writes");
        let o = child.wait_with_output().expect("finishes");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(lint(&["--stdin-filename", "svc/Dockerfile"]), "");
    assert_eq!(lint(&[]), format!("-:{FINDING}\n"));
}

// hadolint's configuration, read when no layerlint configuration applies.

const HADOLINT_YAML: &str = "\
# the configuration of a project that used hadolint
ignored:
  - DL3042   # pip's cache: handled elsewhere
  - DL3008
override:
  error:
    - DL3025
  style:
    - DL3009
failure-threshold: error
trustedRegistries:
  - docker.io
  - my-company.com:5000
label-schema:
  author: text
";

const HADOLINT_APP: &str = "FROM python:3.12\n\
RUN apt-get update && apt-get install -y --no-install-recommends curl\n\
RUN pip install flask\n\
COPY app.py .\n\
CMD python app.py\n\
LABEL author=\"ops\"\n";

#[test]
fn a_hadolint_configuration_is_honoured() {
    let d = tree(
        "hadolint",
        &[
            (".hadolint.yaml", HADOLINT_YAML),
            ("svc/Dockerfile", HADOLINT_APP),
            ("svc/app.py", ""),
        ],
    );
    let (code, out, err) = check(&d, &["svc/Dockerfile"]);
    // DL3042 is ignored: the pip cache finding is gone, the apt lists one (DL3009) stays, at
    // info; DL3025 is raised to an error, which fails the run at the error threshold.
    assert_eq!(
        out,
        "svc/Dockerfile:2:23: info[package-cache-kept]: the package lists that `apt-get update` fetched stay in `/var/lib/apt/lists` in the image\n\
         svc/Dockerfile:5:5: error[shell-form-cmd]: CMD in shell form runs `python` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully\n\
         found 2 problems in 1 file: 1 error, 0 warnings, 1 info\n[*] 1 fixable with --fix\n"
    );
    assert_eq!(code, 1);
    // Settings it cannot act on are named, not dropped silently.
    assert!(!err.contains("trustedRegistries"), "{err}");
    assert!(!err.contains("label-schema"), "{err}");
    // hadolint's own pragma silences the error: what remains is below the threshold.
    let quiet = HADOLINT_APP.replace("CMD", "# hadolint ignore=DL3025\nCMD");
    std::fs::write(d.join("svc/Dockerfile"), quiet).unwrap();
    let (code, out, _) = check(&d, &["svc/Dockerfile"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("found 1 problem in 1 file: 0 errors"), "{out}");
    // Found from a subdirectory too, as hadolint finds it.
    let (code, out, _) = check(&d.join("svc"), &["Dockerfile"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("pip"), "{out}");
    // The label schema asks for `author`.
    let unlabelled = HADOLINT_APP.replace("LABEL author=\"ops\"\n", "");
    std::fs::write(d.join("svc/Dockerfile"), unlabelled).unwrap();
    let (_, out, _) = check(&d.join("svc"), &["Dockerfile"]);
    assert!(
        out.contains("Dockerfile:1:1: warning[label-schema]: the label `author` that the label schema requires is missing from the final stage"),
        "{out}"
    );
    // `trustedRegistries` holds base images to the registries it lists.
    let elsewhere = "FROM quay.io/team/python:3.12\nFROM my-company.com:5000/base:1\n";
    std::fs::write(d.join("svc/Dockerfile"), elsewhere).unwrap();
    let (_, out, _) = check(&d.join("svc"), &["Dockerfile"]);
    assert!(
        out.contains("Dockerfile:1:6: warning[untrusted-registry]: `quay.io/team/python:3.12` comes from `quay.io`"),
        "{out}"
    );
    assert!(!out.contains("my-company"), "{out}");
}

#[test]
fn a_layerlint_configuration_wins_over_hadolint_s() {
    let d = tree(
        "hadolint-beside",
        &[
            (".hadolint.yaml", "override:\n  error: [DL3025]\n"),
            ("layerlint.toml", "[severity]\nshell-form-cmd = \"info\"\n"),
            ("Dockerfile", SHELL_FORM),
            ("app.py", ""),
        ],
    );
    let (code, out, _) = check(&d, &["Dockerfile"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("info[shell-form-cmd]"), "{out}");
    // Named with --config, the hadolint file is read whatever else is there.
    let (code, out, _) = check(&d, &["--config", ".hadolint.yaml", "Dockerfile"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[shell-form-cmd]"), "{out}");
}

#[test]
fn a_hadolint_threshold_of_none_never_fails_unless_the_command_line_says() {
    let d = tree(
        "hadolint-none",
        &[
            (".hadolint.yml", "failure-threshold: none\n"),
            ("Dockerfile", SHELL_FORM),
            ("app.py", ""),
        ],
    );
    let (code, out, _) = check(&d, &["Dockerfile"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("warning[shell-form-cmd]"), "{out}");
    let (code, _, _) = check(&d, &["--fail-level", "warning", "Dockerfile"]);
    assert_eq!(code, 1);
    // A broken file is an error naming it, exit 2.
    std::fs::write(d.join(".hadolint.yml"), "ignored: [DL3008\n").unwrap();
    let (code, _, err) = check(&d, &["Dockerfile"]);
    assert_eq!(code, 2);
    assert!(err.contains(".hadolint.yml: invalid YAML"), "{err}");
}

#[test]
fn trusted_registries_from_the_layerlint_configuration() {
    let d = tree(
        "registries",
        &[
            ("layerlint.toml", "trusted-registries = [\"ghcr.io\"]\n"),
            (
                "Dockerfile",
                "FROM ghcr.io/astral-sh/uv:0.4 AS uv\nFROM python:3.12\nCOPY --from=uv /uv /bin/uv\nCMD [\"python\"]\n",
            ),
        ],
    );
    let (_, out, _) = check(&d, &["Dockerfile"]);
    assert_eq!(
        out,
        "Dockerfile:2:6: warning[untrusted-registry]: `python:3.12` comes from `docker.io`, which is not among the trusted registries\n\
         found 1 problem in 1 file: 0 errors, 1 warning, 0 info\n"
    );
    // Without the setting, any registry.
    std::fs::write(d.join("layerlint.toml"), "").unwrap();
    let (code, out, _) = check(&d, &["Dockerfile"]);
    assert_eq!((code, out.as_str()), (0, "no problems found in 1 file\n"));
    // A value that is not a list of strings is a usage error naming the key.
    std::fs::write(
        d.join("layerlint.toml"),
        "trusted-registries = \"ghcr.io\"\n",
    )
    .unwrap();
    let (code, _, err) = check(&d, &["Dockerfile"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("layerlint.toml:1: `trusted-registries`: expected a list"),
        "{err}"
    );
}
