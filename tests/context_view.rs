//! The build-context view against small contexts built in temporary directories: source
//! resolution, ignore-file precedence, suggestions, symlinks, and a large tree.

use std::fs;
use std::path::Path;

use layerlint::context::{BuildContext, ContextError, EntryKind};
use tempfile::TempDir;

fn ctx_with(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("layerlint-ctx")
        .tempdir_in(std::env::temp_dir())
        .expect("temp dir");
    for (path, body) in files {
        let p = dir.path().join(path);
        if path.ends_with('/') {
            fs::create_dir_all(&p).expect("mkdir");
            continue;
        }
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&p, body).expect("write");
    }
    dir
}

fn open(dir: &TempDir) -> BuildContext {
    BuildContext::open(dir.path(), None).expect("opens")
}

fn paths(m: &layerlint::context::SourceMatch) -> Vec<&str> {
    m.matches.iter().map(|e| e.path.as_str()).collect()
}

#[test]
fn plain_sources_files_and_dirs() {
    let d = ctx_with(&[
        ("app/main.go", "package main"),
        ("go.mod", "module x"),
        ("empty/", ""),
    ]);
    let c = open(&d);
    let m = c.resolve_source("go.mod");
    assert_eq!(paths(&m), ["go.mod"]);
    assert!(!m.matches[0].is_dir && !m.has_wildcards && !m.escaped_root);
    let m = c.resolve_source("./app/");
    assert_eq!(m.cleaned, "app");
    assert!(m.matches[0].is_dir);
    let m = c.resolve_source(".");
    assert_eq!(paths(&m), ["."]);
    assert!(m.matches[0].is_dir);
    assert!(c.resolve_source("missing.txt").matches.is_empty());
    assert!(c.is_dir("empty") && c.exists("empty") && !c.exists("nope"));
}

#[test]
fn dotdot_is_clamped_at_the_root() {
    let d = ctx_with(&[("etc/passwd", "not the host's")]);
    let c = open(&d);
    let m = c.resolve_source("../../etc/passwd");
    assert!(m.escaped_root);
    assert_eq!(m.cleaned, "etc/passwd");
    assert_eq!(paths(&m), ["etc/passwd"]);
    let m = c.resolve_source("/etc/../etc/passwd");
    assert!(!m.escaped_root);
    assert_eq!(paths(&m), ["etc/passwd"]);
}

#[test]
fn wildcards_list_only_what_they_match() {
    let d = ctx_with(&[
        ("src/a.txt", ""),
        ("src/b.txt", ""),
        ("src/c.md", ""),
        ("src/sub/d.txt", ""),
        ("lib1/x.txt", ""),
        ("lib2/x.txt", ""),
        ("libx/y.txt", ""),
        (".env", ""),
        ("file[1].txt", ""),
    ]);
    let c = open(&d);
    let m = c.resolve_source("src/*.txt");
    assert!(m.has_wildcards);
    assert_eq!(paths(&m), ["src/a.txt", "src/b.txt"]);
    let m = c.resolve_source("lib[0-9]/*.txt");
    assert_eq!(paths(&m), ["lib1/x.txt", "lib2/x.txt"]);
    let m = c.resolve_source("src/s*");
    assert_eq!(paths(&m), ["src/sub"]);
    assert!(m.matches[0].is_dir);
    // `*` matches dot files, as Go's filepath.Match does.
    assert!(paths(&c.resolve_source("*")).contains(&".env"));
    assert_eq!(paths(&c.resolve_source("?env")), [".env"]);
    assert_eq!(paths(&c.resolve_source(".e?v")), [".env"]);
    // Escaped brackets make the source literal; BuildKit keeps the backslashes then.
    let m = c.resolve_source("file\\[1\\].txt");
    assert!(!m.has_wildcards);
    let m = c.resolve_source("file[[]1].txt");
    assert_eq!(paths(&m), ["file[1].txt"]);
    let m = c.resolve_source("src/[a-");
    assert!(m.bad_pattern && m.matches.is_empty());
}

#[test]
fn ignored_sources_name_the_pattern() {
    let d = ctx_with(&[
        (
            ".dockerignore",
            "# build output\ndist/\n*.log\n!important.log\n",
        ),
        ("dist/app.js", ""),
        ("a.log", ""),
        ("important.log", ""),
    ]);
    let c = open(&d);
    let m = c.resolve_source("dist/app.js");
    let by = m.matches[0].ignored_by.as_ref().expect("excluded");
    assert_eq!((by.line, by.text.as_str()), (2, "dist/"));
    let m = c.resolve_source("*.log");
    assert_eq!(paths(&m), ["a.log", "important.log"]);
    assert_eq!(m.matches[0].ignored_by.as_ref().map(|p| p.line), Some(3));
    assert!(m.matches[1].ignored_by.is_none());
    assert_eq!(m.included().count(), 1);
    let ig = c.ignore_file().expect("ignore file");
    let p = c.is_ignored("dist").expect("excluded");
    assert_eq!(ig.describe(p), "`dist/` (line 2 of .dockerignore)");
    assert_eq!(
        c.ignored_reason("dist/app.js").as_deref(),
        Some("excluded by `dist/` (line 2 of .dockerignore)")
    );
    assert!(c.ignored_reason("important.log").is_none());
    let listed = c.list_dir(".");
    let names: Vec<&str> = listed.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, [".dockerignore", "a.log", "dist", "important.log"]);
    assert!(listed[2].ignored_by.is_some() && listed[2].kind == EntryKind::Dir);
}

#[test]
fn per_dockerfile_ignore_file_wins() {
    let d = ctx_with(&[
        (".dockerignore", "root-rule\n"),
        ("docker/Dockerfile.dev", "FROM scratch\n"),
        ("docker/Dockerfile.dev.dockerignore", "\ndev-rule\n"),
        ("docker/Dockerfile.prod", "FROM scratch\n"),
        ("docker/Dockerfile.empty", "FROM scratch\n"),
        ("docker/Dockerfile.empty.dockerignore", ""),
    ]);
    let root = d.path();
    let dev = BuildContext::open(root, Some(&root.join("docker/Dockerfile.dev"))).expect("opens");
    let ig = dev.ignore_file().expect("ignore file");
    assert_eq!(ig.name(), "Dockerfile.dev.dockerignore");
    assert_eq!(ig.patterns()[0].line, 2);
    assert!(dev.is_ignored("dev-rule").is_some());
    assert!(dev.is_ignored("root-rule").is_none());
    // Without its own file, a Dockerfile falls back to the context root's.
    let prod = BuildContext::open(root, Some(&root.join("docker/Dockerfile.prod"))).expect("opens");
    assert_eq!(prod.ignore_file().map(|f| f.name()), Some(".dockerignore"));
    // An empty per-Dockerfile file still wins, and excludes nothing.
    let empty =
        BuildContext::open(root, Some(&root.join("docker/Dockerfile.empty"))).expect("opens");
    assert_eq!(
        empty.ignore_file().map(|f| f.name()),
        Some("Dockerfile.empty.dockerignore")
    );
    assert!(empty.is_ignored("root-rule").is_none());
}

#[test]
fn default_dockerfile_ignore_file_at_the_root() {
    let d = ctx_with(&[
        (".dockerignore", "root-rule\n"),
        ("Dockerfile", "FROM scratch\n"),
        ("Dockerfile.dockerignore", "df-rule\n"),
    ]);
    let c = open(&d);
    assert_eq!(
        c.ignore_file().map(|f| f.name()),
        Some("Dockerfile.dockerignore")
    );
    let d = ctx_with(&[("sub/", "")]);
    assert!(open(&d).ignore_file().is_none());
    // A directory where the ignore file would be is not an ignore file.
    let d = ctx_with(&[(".dockerignore/", "")]);
    assert!(open(&d).ignore_file().is_none());
}

#[test]
fn exceptions_reenter_excluded_dirs() {
    let d = ctx_with(&[
        (".dockerignore", "vendor\n!vendor/keep.txt\n"),
        ("vendor/keep.txt", ""),
        ("vendor/drop.txt", ""),
    ]);
    let c = open(&d);
    assert!(c.is_ignored("vendor").is_some());
    assert!(c.reenters("vendor"));
    let m = c.resolve_source("vendor/*");
    let kept: Vec<&str> = m.included().map(|e| e.path.as_str()).collect();
    assert_eq!(kept, ["vendor/keep.txt"]);
}

#[test]
fn a_negated_class_can_span_directories() {
    // BuildKit matches the wildcard part against whole relative paths, and `[^x]` matches `/`.
    let d = ctx_with(&[
        ("src/main.go", ""),
        ("srcymain.go", ""),
        ("srcxmain.go", ""),
    ]);
    let c = open(&d);
    let m = c.resolve_source("src[^x]main.go");
    assert_eq!(paths(&m), ["src/main.go", "srcymain.go"]);
}

#[test]
fn bad_ignore_file_names_file_and_line() {
    let d = ctx_with(&[(".dockerignore", "ok\n# fine\n[z-a]\n")]);
    let err = BuildContext::open(d.path(), None).expect_err("rejected");
    assert!(matches!(err, ContextError::Ignore(ref e) if e.line == 3));
    assert!(err.to_string().starts_with(".dockerignore:3:"), "{err}");
    let d = ctx_with(&[("Dockerfile", ""), ("Dockerfile.dockerignore", "!\n")]);
    let err = BuildContext::open(d.path(), Some(&d.path().join("Dockerfile"))).expect_err("bad");
    assert_eq!(
        err.to_string(),
        "Dockerfile.dockerignore:1: illegal exclusion pattern: \"!\""
    );
    let f = d.path().join("Dockerfile");
    assert!(matches!(
        BuildContext::open(&f, None),
        Err(ContextError::NotADirectory(_))
    ));
}

#[test]
fn suggestions() {
    let d = ctx_with(&[
        ("src/requirements.txt", ""),
        ("node_modules/requirements.txt", ""),
        ("Makefile.txt", ""),
        ("config/Settings.yaml", ""),
        ("app/requirments.txt", ""),
    ]);
    let c = open(&d);
    assert_eq!(
        c.suggest("requirements.txt", 1000),
        ["src/requirements.txt"]
    );
    assert_eq!(c.suggest("makefile.txt", 1000), ["Makefile.txt"]);
    assert_eq!(
        c.suggest("config/settings.yaml", 1000),
        ["config/Settings.yaml"]
    );
    let s = c.suggest("app/requirements.txt", 1000);
    assert_eq!(s, ["app/requirments.txt", "src/requirements.txt"]);
    assert!(c.suggest("requirements.txt", 2).is_empty());
}

#[cfg(unix)]
#[test]
fn symlinks_stay_inside_and_never_hang() {
    use std::os::unix::fs::symlink;
    let d = ctx_with(&[("real/file.txt", "inside"), ("etc/hosts", "context hosts")]);
    let root = d.path();
    symlink("real", root.join("link")).expect("link");
    symlink("missing", root.join("broken")).expect("link");
    symlink("loop2", root.join("loop1")).expect("link");
    symlink("loop1", root.join("loop2")).expect("link");
    symlink("/etc/hosts", root.join("abs")).expect("link");
    symlink("../../../../../../etc/hosts", root.join("up")).expect("link");
    let c = open(&d);
    assert!(c.is_dir("link"));
    assert_eq!(
        c.read_to_string("link/file.txt", 100).as_deref(),
        Some("inside")
    );
    assert_eq!(c.kind("broken"), Some(EntryKind::BrokenSymlink));
    assert!(!c.exists("broken"));
    assert_eq!(c.kind("loop1"), Some(EntryKind::BrokenSymlink));
    assert!(!c.exists("loop1/x"));
    // Absolute and climbing targets resolve inside the context, as in BuildKit.
    assert_eq!(
        c.read_to_string("abs", 100).as_deref(),
        Some("context hosts")
    );
    assert_eq!(
        c.read_to_string("up", 100).as_deref(),
        Some("context hosts")
    );
    // Wildcard steps do not descend through links, but a final match may be one.
    assert!(c.resolve_source("l*/file.txt").matches.is_empty());
    assert_eq!(paths(&c.resolve_source("l*")), ["link", "loop1", "loop2"]);
    assert!(c.resolve_source("link/*.txt").matches.len() == 1);
    assert!(c.resolve_source("broken").matches.is_empty());
    let listed = c.list_dir(".");
    assert!(listed.iter().any(|e| e.name == "loop1"));
}

#[test]
fn read_is_bounded() {
    let d = ctx_with(&[("big.txt", "0123456789")]);
    let c = open(&d);
    assert_eq!(c.read_to_string("big.txt", 4).as_deref(), Some("0123"));
    assert_eq!(
        c.read_to_string("/big.txt", 100).as_deref(),
        Some("0123456789")
    );
    assert!(c.read_to_string(".", 4).is_none());
    assert!(c.read_to_string("nope", 4).is_none());
}

#[test]
fn large_context_answers_without_walking() {
    let d = ctx_with(&[(".dockerignore", "pkg*/skip-*\n")]);
    let root: &Path = d.path();
    for i in 0..200 {
        let dir = root.join(format!("pkg{i:03}"));
        fs::create_dir(&dir).expect("mkdir");
        for j in 0..100 {
            let name = if j == 0 {
                "skip-me".to_string()
            } else {
                format!("f{j:03}.rs")
            };
            fs::write(dir.join(name), "").expect("write");
        }
    }
    let c = open(&d);
    assert!(c.exists("pkg123/f042.rs"));
    assert!(!c.exists("pkg123/f100.rs"));
    let m = c.resolve_source("pkg1*/f00?.rs");
    assert_eq!(m.matches.len(), 100 * 9);
    assert_eq!(m.matches[0].path, "pkg100/f001.rs");
    let m = c.resolve_source("pkg0[0-4]?/skip-*");
    assert_eq!(m.matches.len(), 50);
    assert!(m.matches.iter().all(|e| e.ignored_by.is_some()));
    // The search budget bounds the work, so a far-away name may not be found.
    assert!(c.suggest("f042.rs", 50).is_empty());
    assert_eq!(
        c.suggest("f042.rs", 1000).first().map(String::as_str),
        Some("pkg000/f042.rs")
    );
}
