//! Property tests for the whole pipeline: linting never panics on arbitrary or Dockerfile-shaped
//! text, with or without a build context, and `.dockerignore` parsing and matching never panic.

use layerlint::context::{BuildContext, IgnoreFile, PatternMatcher};
use layerlint::lint::lint_text;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

fn config() -> ProptestConfig {
    // Failures print their minimal input; a regressions file next to the tests is not wanted.
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces that put together make text close to a Dockerfile, so that cases reach the model and
/// the rules rather than stopping at "no instructions".
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM ".to_string()),
        Just("FROM alpine:3.19 AS build\n".to_string()),
        Just("FROM build\n".to_string()),
        Just("FROM scratch\n".to_string()),
        Just("RUN ".to_string()),
        Just("RUN pip install -r requirements.txt\n".to_string()),
        Just("RUN --mount=type=cache,target=/root/.cache apt-get install -y curl\n".to_string()),
        Just("COPY ".to_string()),
        Just("COPY . .\n".to_string()),
        Just("COPY --from=build /out /app\n".to_string()),
        Just("COPY src/app/*.py /app/\n".to_string()),
        Just("COPY [\"a b\", \"/c\"]\n".to_string()),
        Just("ADD https://example.com/x.tar.gz /x\n".to_string()),
        Just("ARG ".to_string()),
        Just("ARG V=1\n".to_string()),
        Just("ENV ".to_string()),
        Just("ENV P=$P:/x Q=${V:-d}\n".to_string()),
        Just("WORKDIR ".to_string()),
        Just("WORKDIR /app\n".to_string()),
        Just("WORKDIR ../$V\n".to_string()),
        Just("CMD ".to_string()),
        Just("CMD [\"python\", \"app.py\"]\n".to_string()),
        Just("ENTRYPOINT ".to_string()),
        Just("USER nobody\n".to_string()),
        Just("EXPOSE 8080/tcp\n".to_string()),
        Just("SHELL [\"/bin/bash\", \"-c\"]\n".to_string()),
        Just("ONBUILD ".to_string()),
        Just("HEALTHCHECK CMD true\n".to_string()),
        Just("# syntax=docker/dockerfile:1\n".to_string()),
        Just("# escape=`\n".to_string()),
        Just("<<EOF\nhello\nEOF\n".to_string()),
        Just("<<-'X'\n\tbody\nX\n".to_string()),
        Just("${V}".to_string()),
        Just("$".to_string()),
        Just("\\\n".to_string()),
        Just("`\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("[".to_string()),
        Just("--".to_string()),
        Just("=".to_string()),
        Just("\u{FEFF}".to_string()),
        "[a-zA-Z0-9./*?_-]{0,8}",
        any::<char>().prop_map(String::from),
    ]
}

fn dockerfile_shaped() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

/// A small build context, made once: files, a nested tree, an ignore file with an exception,
/// and links that loop, dangle and climb.
fn context() -> &'static BuildContext {
    static CTX: OnceLock<(tempfile::TempDir, BuildContext)> = OnceLock::new();
    &CTX.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("layerlint-props")
            .tempdir_in(std::env::temp_dir())
            .expect("temp dir");
        let root = dir.path();
        for d in ["src/app", "docs", "node_modules/x"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        for (f, body) in [
            ("requirements.txt", "flask\n"),
            ("package.json", "{}\n"),
            ("src/app/main.py", "print(1)\n"),
            ("docs/README.md", "# docs\n"),
            ("secret.env", "TOKEN=x\n"),
            (
                ".dockerignore",
                "docs\n*.env\n!keep.env\nnode_modules\n**/*.pyc\n",
            ),
        ] {
            fs::write(root.join(f), body).unwrap();
        }
        links(root);
        let ctx = BuildContext::open(root, None).expect("open context");
        (dir, ctx)
    })
    .1
}

#[cfg(unix)]
fn links(root: &Path) {
    use std::os::unix::fs::symlink;
    symlink("loop-b", root.join("loop-a")).unwrap();
    symlink("loop-a", root.join("loop-b")).unwrap();
    symlink("missing", root.join("dangling")).unwrap();
    symlink("..", root.join("src/up")).unwrap();
    symlink("/", root.join("abs")).unwrap();
}

#[cfg(not(unix))]
fn links(_: &Path) {}

fn lint_all(text: &str, ctx: Option<&BuildContext>) {
    let mut args = BTreeMap::new();
    args.insert("V".to_string(), "x y".to_string());
    let _ = lint_text(text, ctx, &args, &|_| true);
}

/// A line of an ignore file: patterns with classes, exceptions, escapes and odd bytes.
fn ignore_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "!?/?[a-z*?.]{0,6}(/[a-z*?.]{0,6}){0,3}/?",
        "[a-z]{0,3}\\[[!^]?[a-z\\]\\\\-]{0,4}\\]?[a-z*]{0,3}",
        "\\*\\*(/[a-z*]{0,3}){0,3}",
        "[ #!\\\\\\[\\]*?/.a-]{0,10}",
        any::<String>(),
    ]
}

fn rel_path() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z.]{1,4}(/[a-z.\\[\\]*?]{1,4}){0,4}",
        "(\\.\\./|/|\\./)?[a-z*?]{0,4}(/[a-z.]{0,4}){0,3}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn lint_never_panics_on_arbitrary_text(text in any::<String>()) {
        lint_all(&text, None);
    }

    #[test]
    fn lint_never_panics_on_dockerfile_shaped_text(text in dockerfile_shaped()) {
        lint_all(&text, None);
    }

    #[test]
    fn lint_with_a_context_never_panics(text in dockerfile_shaped()) {
        lint_all(&text, Some(context()));
    }

    #[test]
    fn context_lookups_never_panic(path in rel_path()) {
        let ctx = context();
        let _ = ctx.kind(&path);
        let _ = ctx.resolve_source(&path);
        let _ = ctx.list_dir(&path);
        let _ = ctx.suggest(&path, 50);
        let _ = ctx.read_to_string(&path, 64);
        let _ = ctx.ignored_reason(&path);
    }

    #[test]
    fn dockerignore_parsing_and_matching_never_panic(
        lines in prop::collection::vec(ignore_line(), 0..8),
        paths in prop::collection::vec(rel_path(), 0..8),
    ) {
        let text = lines.join("\n");
        if let Ok(file) = IgnoreFile::parse(Path::new(".dockerignore"), text.as_bytes()) {
            for p in &paths {
                let _ = file.excluded_by(p);
                let _ = file.reenters(p);
            }
        }
        if let Ok(m) = PatternMatcher::new(&lines) {
            for p in &paths {
                let _ = m.matches_or_parent_matches(p);
            }
        }
    }

    #[test]
    fn dockerignore_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = IgnoreFile::parse(Path::new(".dockerignore"), &data);
    }
}
