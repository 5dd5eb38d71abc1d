//! Which image of a Dockerfile is the application, end to end: `--target`, compose's and
//! `devcontainer.json`'s `build.target`, dev containers, compose services that set the command,
//! and base images that sibling Dockerfiles build on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_layerlint"))
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The concise report of `rules` (comma-separated) for `file`, with exit code and stderr.
fn check(dir: &Path, rules: &str, extra: &[&str], file: &str) -> (Option<i32>, String, String) {
    let mut args = vec!["check", "-q", "--format", "concise", "--select", rules];
    args.extend(extra);
    args.push(file);
    let o = run(dir, &args);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A fresh repository (it has `.git`) holding `files` (path, text).
fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let d = std::env::temp_dir().join(format!("layerlint-project-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join(".git")).unwrap();
    for (path, text) in files {
        write(&d, path, text);
    }
    d
}

fn write(d: &Path, path: &str, text: &str) {
    let p = d.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The build stage ships the app but has no CMD; `prod` has one; `test` comes last, with none.
const STAGED: &str = "FROM python:3.12-slim AS build\nWORKDIR /app\nCOPY app.py .\n\n\
FROM build AS prod\nCMD [\"python\", \"app.py\"]\n\nFROM build AS test\nRUN python -m compileall .\n";

#[test]
fn target_chooses_the_stage_the_runtime_rules_judge() {
    let d = tree("target", &[("Dockerfile", STAGED), ("app.py", "")]);
    // Without a target the last stage is the image.
    let (code, out, _) = check(&d, "missing-cmd", &[], "Dockerfile");
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "Dockerfile:8:1: warning[missing-cmd]: the final stage has no CMD or ENTRYPOINT: a container starts `python:3.12-slim`'s default command (a shell or an interpreter prompt), not the application\n"
    );
    // The shipped target has its CMD; the stages after it are not built.
    let (code, out, _) = check(&d, "missing-cmd", &["--target", "prod"], "Dockerfile");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // Stage names are matched without regard to case, as BuildKit does.
    let (code, _, _) = check(&d, "missing-cmd", &["--target", "PROD"], "Dockerfile");
    assert_eq!(code, Some(0));
    // A target in the middle of the file is judged by its own CMD.
    let (code, out, _) = check(&d, "missing-cmd", &["--target", "build"], "Dockerfile");
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "Dockerfile:1:1: warning[missing-cmd]: the target stage `build` has no CMD or ENTRYPOINT: a container starts `python:3.12-slim`'s default command (a shell or an interpreter prompt), not the application\n"
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn an_unknown_target_is_an_error_naming_the_stages() {
    let d = tree("unknown", &[("Dockerfile", STAGED), ("app.py", "")]);
    let o = run(&d, &["check", "--target", "release", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Dockerfile: --target: no stage named `release` to build (its stages are build, prod, test)"),
        "{out}"
    );
    write(&d, "Dockerfile", "FROM alpine\n");
    let o = run(&d, &["check", "--target", "release", "Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("it has no named stages"));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn compose_build_target_and_command() {
    let d = tree(
        "compose",
        &[
            ("Dockerfile", STAGED),
            ("app.py", ""),
            (
                "compose.yaml",
                "services:\n  web:\n    build:\n      context: .\n      target: prod\n",
            ),
        ],
    );
    let (code, out, _) = check(&d, "missing-cmd", &[], "Dockerfile");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // --target wins over compose.
    let (code, _, _) = check(&d, "missing-cmd", &["--target", "test"], "Dockerfile");
    assert_eq!(code, Some(1));
    // A compose target that names no stage is a warning, and the final stage is judged.
    write(
        &d,
        "compose.yaml",
        "services:\n  web:\n    build:\n      context: .\n      target: nope\n",
    );
    let (code, out, err) = check(&d, "missing-cmd", &[], "Dockerfile");
    assert_eq!(code, Some(1), "{out}");
    assert!(err.contains("no stage named `nope`"), "{err}");
    // A service that sets its command runs that, not the image's CMD.
    write(
        &d,
        "compose.yaml",
        "services:\n  web:\n    build: .\n    command: [\"python\", \"app.py\"]\n",
    );
    let (code, out, _) = check(&d, "missing-cmd", &[], "Dockerfile");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // ... but only when every service built from the Dockerfile does.
    write(
        &d,
        "compose.yaml",
        "services:\n  web:\n    build: .\n    command: [\"python\", \"app.py\"]\n  worker:\n    build: .\n",
    );
    let (code, _, _) = check(&d, "missing-cmd", &[], "Dockerfile");
    assert_eq!(code, Some(1));
    let _ = std::fs::remove_dir_all(d);
}

const BASE: &str =
    "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n";

#[test]
fn a_base_image_that_a_compose_sibling_builds_on() {
    let d = tree(
        "composebase",
        &[
            ("runtime/Dockerfile", BASE),
            ("runtime/requirements.txt", ""),
            ("app/Dockerfile", "FROM myproj-base:latest\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n"),
            ("app/app.py", ""),
            (
                "compose.yaml",
                "services:\n  base:\n    build: ./runtime\n    image: myproj-base\n  app:\n    build: ./app\n",
            ),
        ],
    );
    let (code, out, _) = check(&d, "missing-cmd,missing-expose", &[], "runtime/Dockerfile");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // The sibling may name it through a build arg that compose gives.
    write(
        &d,
        "app/Dockerfile",
        "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n",
    );
    write(
        &d,
        "compose.yaml",
        "services:\n  base:\n    build: ./runtime\n    image: myproj-base\n  app:\n    build:\n      context: ./app\n      args:\n        BASE_IMAGE: myproj-base:dev\n",
    );
    let (code, out, _) = check(&d, "missing-cmd", &[], "runtime/Dockerfile");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // No sibling builds on it: it is an image of its own.
    write(
        &d,
        "app/Dockerfile",
        "FROM python:3.12-slim\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n",
    );
    let (code, out, _) = check(&d, "missing-cmd", &[], "runtime/Dockerfile");
    assert_eq!(code, Some(1), "{out}");
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_base_image_known_by_its_file_name() {
    let d = tree(
        "namebase",
        &[
            ("Dockerfile.base", BASE),
            ("requirements.txt", ""),
            (
                "Dockerfile",
                "FROM ghcr.io/acme/shop-base:1.4\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n",
            ),
            ("app.py", ""),
        ],
    );
    let (code, out, _) = check(&d, "missing-cmd", &[], "Dockerfile.base");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // `COPY --from` an image of that name counts too.
    write(&d, "Dockerfile", "FROM python:3.12-slim\nCOPY --from=shop-base /usr/local/lib /usr/local/lib\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n");
    let (code, out, _) = check(&d, "missing-cmd", &[], "Dockerfile.base");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // A sibling that builds on other images leaves it an image of its own, as does a name
    // that does not say base (`database` is not `base`).
    write(
        &d,
        "Dockerfile",
        "FROM python:3.12-slim\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n",
    );
    let (code, _, _) = check(&d, "missing-cmd", &[], "Dockerfile.base");
    assert_eq!(code, Some(1));
    write(&d, "Dockerfile", "FROM acme/database\n");
    let (code, _, _) = check(&d, "missing-cmd", &[], "Dockerfile.base");
    assert_eq!(code, Some(1));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_dev_container_takes_its_context_and_needs_no_cmd() {
    let dev =
        "FROM python:3.12\nCOPY requirements.txt /tmp/\nRUN pip install -r /tmp/requirements.txt\n";
    let d = tree(
        "devcontainer",
        &[
            (".devcontainer/Dockerfile", dev),
            (
                ".devcontainer/devcontainer.json",
                "// The dev image\n{\n  \"name\": \"dev\",\n  \"build\": {\n    \"dockerfile\": \"Dockerfile\",\n    \"context\": \"..\", /* the repository */\n  },\n}\n",
            ),
            ("requirements.txt", ""),
        ],
    );
    let rules = "missing-cmd,copy-source-missing";
    let (code, out, err) = check(&d, rules, &[], ".devcontainer/Dockerfile");
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    // Walking the repository finds it the same way.
    let (code, out, _) = check(&d, rules, &[], ".");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    // Without the configuration the context is `.devcontainer/`, and the image needs a CMD.
    std::fs::remove_file(d.join(".devcontainer/devcontainer.json")).unwrap();
    let (code, out, _) = check(&d, rules, &[], ".devcontainer/Dockerfile");
    assert_eq!(code, Some(1));
    assert!(
        out.contains("copy-source-missing") && out.contains("missing-cmd"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_dev_container_target_and_args() {
    let d = tree(
        "devtarget",
        &[
            ("Dockerfile", "ARG BASE=nginx:1\nFROM ${BASE} AS dev\nCOPY app.py /srv/\n\nFROM scratch AS release\nCOPY app.py /\n"),
            ("app.py", ""),
            (
                ".devcontainer.json",
                "{ \"build\": { \"dockerfile\": \"Dockerfile\", \"target\": \"dev\", \"args\": { \"BASE\": \"python:3.12\" } } }",
            ),
        ],
    );
    // The dev stage is built, from python, and is a dev container: quiet. The release stage
    // would be judged without the configuration.
    let (code, out, _) = check(&d, "missing-cmd", &[], "Dockerfile");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    std::fs::remove_file(d.join(".devcontainer.json")).unwrap();
    let (code, out, _) = check(&d, "missing-cmd", &[], "Dockerfile");
    assert_eq!(code, Some(1));
    assert!(out.contains("`FROM scratch`"), "{out}");
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_malformed_devcontainer_json_is_a_warning() {
    let d = tree(
        "baddev",
        &[
            (".devcontainer/Dockerfile", "FROM alpine\n"),
            (".devcontainer/devcontainer.json", "{ \"build\": "),
        ],
    );
    let (code, _, err) = check(&d, "missing-cmd", &[], ".devcontainer/Dockerfile");
    assert_eq!(code, Some(0));
    assert!(err.contains("not a valid devcontainer.json"), "{err}");
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_compose_image_built_on_by_another_dockerfile_of_the_run() {
    let d = tree(
        "runbase",
        &[
            ("platform/Dockerfile", BASE),
            ("platform/requirements.txt", ""),
            (
                "platform/compose.yaml",
                "services:\n  runtime:\n    build: .\n    image: acme/python-runtime:3\n",
            ),
            (
                "shop/Dockerfile",
                "FROM acme/python-runtime:3\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n",
            ),
            ("shop/app.py", ""),
        ],
    );
    // Alone, nothing in the compose project builds on it.
    let (code, _, _) = check(&d, "missing-cmd", &[], "platform/Dockerfile");
    assert_eq!(code, Some(1));
    // Linted with the Dockerfile that does, it is a base image.
    let o = run(
        &d,
        &[
            "check",
            "-q",
            "--format",
            "concise",
            "--select",
            "missing-cmd",
            "platform/Dockerfile",
            "shop/Dockerfile",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_dev_container_that_compose_starts() {
    let d = tree(
        "devcompose",
        &[
            (
                ".devcontainer/Dockerfile",
                "FROM python:3.12\nCOPY requirements.txt /tmp/\nRUN pip install -r /tmp/requirements.txt\n",
            ),
            (
                ".devcontainer/devcontainer.json",
                "{\n  \"dockerComposeFile\": \"docker-compose.yml\",\n  \"service\": \"app\",\n  \"workspaceFolder\": \"/workspace\",\n}\n",
            ),
            (
                ".devcontainer/docker-compose.yml",
                "services:\n  app:\n    build:\n      context: ..\n      dockerfile: .devcontainer/Dockerfile\n",
            ),
            ("requirements.txt", ""),
        ],
    );
    let rules = "missing-cmd,copy-source-missing";
    let (code, out, err) = check(&d, rules, &[], ".devcontainer/Dockerfile");
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    // Without the configuration, compose still gives the context, but the image is an app.
    std::fs::remove_file(d.join(".devcontainer/devcontainer.json")).unwrap();
    let (code, out, _) = check(&d, rules, &[], ".devcontainer/Dockerfile");
    assert_eq!(code, Some(1));
    assert!(
        out.contains("missing-cmd") && !out.contains("copy-source-missing"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(d);
}
