//! `layerlint cache` against BuildKit's documented cache rules: one fixture per rule, each
//! with what must rerun and what must stay CACHED; and the seed's story on examples/python-app.

mod common;

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_layerlint"))
}

/// A context in a temp dir: `files` are (path, content); the Dockerfile is `Dockerfile`.
fn context(dockerfile: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    for (p, c) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, c).unwrap();
    }
    dir
}

/// One line per step shown, `stage | instruction | status reason`, from the JSON output.
fn outcome(dir: &Path, args: &[&str]) -> String {
    let out = bin()
        .arg("cache")
        .arg(dir.join("Dockerfile"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut lines = Vec::new();
    for stage in v["stages"].as_array().unwrap() {
        for step in stage["steps"].as_array().unwrap() {
            let reason = match &step["reason"] {
                serde_json::Value::Null => String::new(),
                r => {
                    let detail = ["path", "name", "stage", "source"]
                        .iter()
                        .find_map(|k| r[k].as_str())
                        .unwrap_or("");
                    format!(" {} {detail}", r["kind"].as_str().unwrap())
                        .trim_end()
                        .to_string()
                }
            };
            lines.push(format!(
                "{} | {} | {}{reason}",
                stage["name"].as_str().unwrap(),
                step["instruction"].as_str().unwrap(),
                step["status"].as_str().unwrap()
            ));
        }
    }
    lines.join("\n")
}

#[test]
fn arg_invalidates_from_its_first_use_not_its_declaration() {
    let df = "FROM alpine AS a\nARG V=1\nWORKDIR /app\nCOPY a.txt .\nRUN echo build\n\
              FROM alpine AS b\nCOPY a.txt .\nRUN echo other\n\
              FROM alpine AS c\nCOPY --from=a /app /app\nCOPY --from=b /a.txt /\n";
    let dir = context(df, &[("a.txt", "a")]);
    assert_eq!(
        outcome(dir.path(), &["--build-arg", "V=2"]),
        "a | FROM alpine AS a | cached\n\
         a | WORKDIR /app | cached\n\
         a | COPY a.txt . | cached\n\
         a | RUN echo build | run build-arg V\n\
         b | FROM alpine AS b | cached\n\
         b | COPY a.txt . | cached\n\
         b | RUN echo other | cached\n\
         c | FROM alpine AS c | cached\n\
         c | COPY --from=a /app /app | run stage a\n\
         c | COPY --from=b /a.txt / | run parent"
    );
    // An explicit use comes first when it is earlier than any RUN.
    let df = "FROM alpine\nARG V=1\nWORKDIR /app\nCOPY a.txt /$V/\nRUN echo\n";
    let dir = context(df, &[("a.txt", "a")]);
    assert_eq!(
        outcome(dir.path(), &["--build-arg", "V=2"]),
        "stage-0 | FROM alpine | cached\n\
         stage-0 | WORKDIR /app | cached\n\
         stage-0 | COPY a.txt /$V/ | run build-arg V\n\
         stage-0 | RUN echo | run build-arg V"
    );
    // A build arg no stage declares reruns nothing.
    assert!(!outcome(dir.path(), &["--build-arg", "OTHER=1"]).contains("run"));
}

#[test]
fn a_bind_mount_keys_the_run_a_cache_or_secret_mount_does_not() {
    let df = "FROM golang\n\
              RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok go env\n\
              RUN --mount=type=bind,source=go.mod,target=/src/go.mod go mod download\n";
    let dir = context(df, &[("go.mod", "module x"), ("main.go", "package main")]);
    assert_eq!(
        outcome(dir.path(), &["--changed", "go.mod"]),
        "stage-0 | FROM golang | cached\n\
         stage-0 | RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok go… | cached\n\
         stage-0 | RUN --mount=type=bind,source=go.mod,target=/src/go.mod go mod download | run changed go.mod"
    );
    assert!(!outcome(dir.path(), &["--changed", "main.go"]).contains("run"));
}

#[test]
fn a_dockerignored_file_reruns_nothing() {
    let df = "FROM alpine\nCOPY . /app\nRUN echo\n";
    let dir = context(
        df,
        &[
            (".dockerignore", "*.log\n"),
            ("debug.log", "x"),
            ("app.py", "x"),
        ],
    );
    assert!(!outcome(dir.path(), &["--changed", "debug.log"]).contains("run"));
    assert_eq!(
        outcome(dir.path(), &["--changed", "app.py"]),
        "stage-0 | FROM alpine | cached\n\
         stage-0 | COPY . /app | run changed app.py\n\
         stage-0 | RUN echo | run parent"
    );
    let text = String::from_utf8(
        bin()
            .arg("cache")
            .arg(dir.path().join("Dockerfile"))
            .args(["--changed", "debug.log"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        text.contains("reruns nothing (it is not in the build context: excluded by"),
        "{text}"
    );
}

const CHAIN: &str = "FROM golang AS deps\nCOPY go.mod .\nRUN go mod download\n\
                     FROM deps AS build\nCOPY main.go .\nRUN go build -o /out/app\n\
                     FROM alpine AS test\nCOPY --from=deps /go /go\nRUN echo test\n\
                     FROM alpine AS final\nCOPY --from=build /out/app /app\n";

#[test]
fn copy_from_and_from_stage_carry_reruns_into_dependents() {
    let dir = context(CHAIN, &[("go.mod", "m"), ("main.go", "p")]);
    assert_eq!(
        outcome(dir.path(), &["--changed", "go.mod"]),
        "deps | FROM golang AS deps | cached\n\
         deps | COPY go.mod . | run changed go.mod\n\
         deps | RUN go mod download | run parent\n\
         build | FROM deps AS build | run stage deps\n\
         build | COPY main.go . | run parent\n\
         build | RUN go build -o /out/app | run parent\n\
         final | FROM alpine AS final | cached\n\
         final | COPY --from=build /out/app /app | run stage build"
    );
    assert_eq!(
        outcome(dir.path(), &["--changed", "main.go"]),
        "deps | FROM golang AS deps | cached\n\
         deps | COPY go.mod . | cached\n\
         deps | RUN go mod download | cached\n\
         build | FROM deps AS build | cached\n\
         build | COPY main.go . | run changed main.go\n\
         build | RUN go build -o /out/app | run parent\n\
         final | FROM alpine AS final | cached\n\
         final | COPY --from=build /out/app /app | run stage build"
    );
}

#[test]
fn target_prunes_the_stages_it_does_not_need() {
    let dir = context(CHAIN, &[("go.mod", "m"), ("main.go", "p")]);
    assert_eq!(
        outcome(dir.path(), &["--changed", "go.mod", "--target", "test"]),
        "deps | FROM golang AS deps | cached\n\
         deps | COPY go.mod . | run changed go.mod\n\
         deps | RUN go mod download | run parent\n\
         test | FROM alpine AS test | cached\n\
         test | COPY --from=deps /go /go | run stage deps\n\
         test | RUN echo test | run parent"
    );
    // main.go is read only by `build`, which the target does not need.
    assert!(!outcome(dir.path(), &["--changed", "main.go", "--target", "test"]).contains("run"));
    let out = bin()
        .arg("cache")
        .arg(dir.path().join("Dockerfile"))
        .args(["--target", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_heredoc_run_is_keyed_by_its_text_not_by_the_files_it_names() {
    let df = "FROM alpine\nRUN <<EOF\ncat /data.txt\nEOF\nCOPY <<EOF /note\nhi\nEOF\n\
              COPY data.txt /\nRUN <<EOF\nsh /data.txt\nEOF\n";
    let dir = context(df, &[("data.txt", "d"), ("note", "n")]);
    assert_eq!(
        outcome(dir.path(), &["--changed", "data.txt"]),
        "stage-0 | FROM alpine | cached\n\
         stage-0 | RUN <<EOF cat /data.txt EOF | cached\n\
         stage-0 | COPY <<EOF /note hi EOF | cached\n\
         stage-0 | COPY data.txt / | run changed data.txt\n\
         stage-0 | RUN <<EOF sh /data.txt EOF | run parent"
    );
    // A heredoc COPY reads no context file, even one with its name.
    assert!(!outcome(dir.path(), &["--changed", "note"]).contains("run"));
}

#[test]
fn copy_link_does_not_depend_on_the_steps_before_it() {
    let df = "FROM alpine\nCOPY a.txt /\nCOPY --link b.txt /\nRUN echo\n";
    let dir = context(df, &[("a.txt", "a"), ("b.txt", "b")]);
    assert_eq!(
        outcome(dir.path(), &["--changed", "a.txt"]),
        "stage-0 | FROM alpine | cached\n\
         stage-0 | COPY a.txt / | run changed a.txt\n\
         stage-0 | COPY --link b.txt / | cached\n\
         stage-0 | RUN echo | run parent"
    );
    assert_eq!(
        outcome(dir.path(), &["--changed", "b.txt"]),
        "stage-0 | FROM alpine | cached\n\
         stage-0 | COPY a.txt / | cached\n\
         stage-0 | COPY --link b.txt / | run changed b.txt\n\
         stage-0 | RUN echo | run parent"
    );
}

#[test]
fn add_url_is_unknown() {
    let df = "FROM alpine\nADD https://example.com/x.tgz /x.tgz\nRUN echo\n";
    let dir = context(df, &[]);
    assert_eq!(
        outcome(dir.path(), &[]),
        "stage-0 | FROM alpine | cached\n\
         stage-0 | ADD https://example.com/x.tgz /x.tgz | unknown remote https://example.com/x.tgz\n\
         stage-0 | RUN echo | cached"
    );
}

#[test]
fn since_reads_git_changes_and_untracked_files() {
    let df = "FROM alpine\nCOPY a.txt /\nCOPY b.txt /\n";
    let dir = context(df, &[("a.txt", "a"), ("b.txt", "b")]);
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .output()
    };
    if git(&["init", "-q"]).is_err() {
        return common::skip("git is not installed");
    }
    git(&["add", "."]).unwrap();
    git(&["commit", "-qm", "x"]).unwrap();
    std::fs::write(dir.path().join("b.txt"), "changed").unwrap();
    assert_eq!(
        outcome(dir.path(), &["--since", "HEAD"]),
        "stage-0 | FROM alpine | cached\n\
         stage-0 | COPY a.txt / | cached\n\
         stage-0 | COPY b.txt / | run changed b.txt"
    );
}

/// The three runs the README shows, on the bundled example.
fn seed_runs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runs: [&[&str]; 3] = [
        &[
            "examples/python-app/Dockerfile",
            "--changed",
            "src/server.py",
        ],
        &[
            "examples/python-app/Dockerfile",
            "--changed",
            "src/requirements.txt",
        ],
        &[
            "examples/python-app-broken/copy-before-install.Dockerfile",
            "--context",
            "examples/python-app",
            "--changed",
            "src/server.py",
        ],
    ];
    runs.iter()
        .map(|args| {
            let out = bin()
                .current_dir(root)
                .arg("cache")
                .args(*args)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0));
            (
                format!("layerlint cache {}", args.join(" ")),
                String::from_utf8(out.stdout).unwrap(),
            )
        })
        .collect()
}

#[test]
fn seed_story() {
    let runs = seed_runs();
    assert!(runs[0]
        .1
        .contains("reruns 1 step in stage `stage-0`: `COPY src/ .`, and nothing expensive"));
    assert!(runs[0]
        .1
        .contains("RUN pip install --no-cache-dir -r requirements.txt  CACHED"));
    assert!(runs[1]
        .1
        .contains("so it reruns `pip install --no-cache-dir -r requirements.txt`"));
    assert!(runs[2]
        .1
        .contains("so it reruns `pip install --no-cache-dir -r requirements.txt`"));
}

#[test]
fn readme_shows_the_real_output_of_the_seed_runs() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for (cmd, out) in seed_runs() {
        let block = format!("```text\n$ {cmd}\n{out}```");
        assert!(
            readme.contains(&block),
            "README.md should hold, verbatim:\n{block}"
        );
    }
}

#[test]
fn cache_map_counts_the_files_that_rerun_each_expensive_step() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        String::from_utf8(
            bin()
                .current_dir(root)
                .arg("cache")
                .args(args)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    assert!(run(&["examples/python-app"]).contains(
        "`pip install --no-cache-dir -r requirements.txt` reruns when any of 1 file changes: `src/requirements.txt`"
    ));
    let broken = run(&[
        "examples/python-app-broken/copy-before-install.Dockerfile",
        "--context",
        "examples/python-app",
    ]);
    assert!(
        broken.contains(
            "reruns when any of 2 files changes: `src/requirements.txt`, `src/server.py`"
        ),
        "{broken}"
    );
    let dir = context(
        "FROM node\nCOPY . .\nRUN npm ci\n",
        &[
            ("package.json", "{}"),
            ("a/1.js", ""),
            ("a/2.js", ""),
            ("b/3.js", ""),
            (".dockerignore", "b\n"),
        ],
    );
    let out = String::from_utf8(
        bin()
            .arg("cache")
            .arg(dir.path().join("Dockerfile"))
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        out.contains("`npm ci` reruns when any of 5 files under `./` changes"),
        "{out}"
    );
}
