//! broad-copy-unfiltered: `COPY . <dest>` while the context holds VCS data, dependency trees,
//! caches or build outputs that no `.dockerignore` excludes: a slow upload and a cache bust.

use crate::context::{BuildContext, EntryKind};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Base, Copy, Model};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword};
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    name: "broad-copy-unfiltered",
    group: "cache",
    severity: Severity::Warning,
    summary:
        "`COPY .` sends VCS data, dependencies or build outputs that .dockerignore does not exclude",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/broad-copy-unfiltered.md"),
    aliases: &[],
    default: true,
    check,
};

/// First-level subdirectories whose own contents are looked at too (a monorepo's
/// `frontend/node_modules`); the rest of the tree is never walked.
const SUBDIR_LIMIT: usize = 64;

/// What a directory of this name is, when the project around it says it is one.
fn unwanted(ctx: &BuildContext, dir: &str, name: &str) -> Option<&'static str> {
    let near = |files: &[&str]| {
        files.iter().any(|f| {
            let p = sibling(dir, f);
            ctx.exists(&p)
        })
    };
    match name {
        ".git" => Some("git history"),
        "node_modules" => Some("npm dependencies"),
        "__pycache__" | ".pytest_cache" | ".mypy_cache" | ".ruff_cache" | ".tox" => {
            Some("Python cache")
        }
        // Only a virtualenv; a folder merely called `venv` may be anything.
        ".venv" | "venv" if ctx.exists(&format!("{dir}/pyvenv.cfg")) => Some("virtualenv"),
        "target" if near(&["Cargo.toml", "pom.xml", "build.sbt"]) => Some("build output"),
        "build"
            if near(&[
                "package.json",
                "setup.py",
                "pyproject.toml",
                "build.gradle",
                "build.gradle.kts",
            ]) =>
        {
            Some("build output")
        }
        "dist" if near(&["package.json", "setup.py", "pyproject.toml"]) => Some("build output"),
        _ => None,
    }
}

/// `file` in the same directory as `dir`.
fn sibling(dir: &str, file: &str) -> String {
    match dir.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/{file}"),
        None => file.to_string(),
    }
}

/// Whether the ignore file keeps `dir` out, wholly or by everything below it (`dir/*`).
fn filtered(ctx: &BuildContext, dir: &str) -> bool {
    ctx.is_ignored(dir).is_some() || ctx.is_ignored(&format!("{dir}/layerlint-probe")).is_some()
}

/// The ignore file brings `dir` back with a `!` line after excluding it (`*` then `!.git`):
/// the build means to have it.
fn wanted(ctx: &BuildContext, dir: &str) -> bool {
    ctx.reincluded_by(dir).is_some()
}

/// Words of the Dockerfile that name `dir` as a path: a COPY source inside it, or a RUN, CMD or
/// ENTRYPOINT argument containing it as a path component. Such a directory is wanted.
fn used_on_purpose(m: &Model, dir: &str) -> bool {
    // A bare word is not enough: `npm run build` names a script, not the folder.
    let names_it = |text: &str| {
        text.split(|c: char| c.is_whitespace() || "\"'=,;:&|()[]".contains(c))
            .any(|w| {
                let t = w.trim_start_matches("./");
                t.starts_with(&format!("{dir}/"))
                    || t.contains(&format!("/{dir}/"))
                    || t.ends_with(&format!("/{dir}"))
                    || (t != w && t == dir)
            })
    };
    let in_copy = m
        .copies
        .values()
        .flat_map(Copy::context_paths)
        .any(|s| s.cleaned == dir || s.cleaned.starts_with(&format!("{dir}/")));
    in_copy
        || m.file.instructions.iter().any(|ins| {
            matches!(
                ins.keyword,
                Keyword::Run | Keyword::Cmd | Keyword::Entrypoint
            ) && match &ins.args {
                Args::Shell(s) => names_it(&s.text),
                Args::Exec(w) | Args::Words(w) => w.iter().any(|w| names_it(&w.value)),
                _ => false,
            }
        })
}

/// Commands and build plugins that read the repository's own history.
const GIT_READERS: &[&str] = &[
    "git describe",
    "git rev-parse",
    "git log",
    "git show",
    "git status",
    "git diff",
    "git tag",
    "git branch",
    "git submodule",
    "git checkout",
    "setuptools_scm",
    "setuptools-scm",
    "hatch-vcs",
    "versioningit",
    "dunamai",
];

/// Names `make` looks for when no `-f` is given, in its order.
const MAKEFILES: &[&str] = &["GNUmakefile", "makefile", "Makefile"];
/// Makefiles read, and bytes of each, when a RUN runs `make`.
const MAKEFILE_READS: usize = 8;
const MAKEFILE_LIMIT: usize = 64 * 1024;

/// A stage runs `make` and copied in a Makefile that asks git about the repository
/// (`VERSION := $(shell git describe --tags)`).
fn make_reads_git(m: &Model, ctx: &BuildContext) -> bool {
    // Stages that run make, and the stages they are built on: the Makefile may come in with
    // either. Each stage is marked once, so a long chain of stages stays linear.
    let mut relevant = vec![false; m.stages.len()];
    for stage in &m.stages {
        let runs_make = stage.instrs.clone().any(|i| {
            m.run_steps(i)
                .iter()
                .any(|s| matches!(s.cmd.program(), Some("make" | "gmake")))
        });
        let mut cur = runs_make.then_some(stage.index);
        while let Some(c) = cur {
            if relevant[c] {
                break;
            }
            relevant[c] = true;
            cur = match m.stages[c].base {
                Base::Stage(p) => Some(p),
                _ => None,
            };
        }
    }
    let copied = m
        .copies
        .values()
        .filter(|c| m.stage_of[c.instr].is_some_and(|s| relevant[s]))
        .flat_map(Copy::context_paths)
        .flat_map(|s| s.matches.iter().filter(|mt| !mt.ignored));
    let mut tried: BTreeSet<String> = BTreeSet::new();
    for mt in copied {
        let candidates: Vec<String> = if mt.is_dir {
            MAKEFILES
                .iter()
                .map(|f| match mt.path.as_str() {
                    "." => f.to_string(),
                    d => format!("{d}/{f}"),
                })
                .collect()
        } else if MAKEFILES.contains(&mt.path.rsplit('/').next().unwrap_or(&mt.path)) {
            vec![mt.path.clone()]
        } else {
            continue;
        };
        for f in candidates {
            if tried.len() >= MAKEFILE_READS {
                return false;
            }
            if !ctx.exists(&f) || ctx.is_ignored(&f).is_some() || !tried.insert(f.clone()) {
                continue;
            }
            let text = ctx.read_to_string(&f, MAKEFILE_LIMIT).unwrap_or_default();
            if GIT_READERS.iter().any(|g| text.contains(g)) {
                return true;
            }
        }
    }
    false
}

/// `.git` is needed when the build asks git about itself (`git describe` in a RUN or in a
/// Makefile a RUN runs, or a Python project whose version comes from its tags). Installing the
/// `git` package does not count.
fn uses_git(m: &Model, ctx: &BuildContext) -> bool {
    let reads = |text: &str| GIT_READERS.iter().any(|g| text.contains(g));
    let in_run = m.file.instructions.iter().any(|ins| {
        ins.keyword == Keyword::Run
            && match &ins.args {
                Args::Shell(s) => reads(&s.text),
                Args::Exec(w) => reads(
                    &w.iter()
                        .map(|w| w.value.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                _ => false,
            }
            || ins.heredocs.iter().any(|h| reads(&h.content))
    });
    in_run
        || ctx
            .read_to_string("pyproject.toml", 64 * 1024)
            .is_some_and(|t| reads(&t))
        || make_reads_git(m, ctx)
}

/// Unwanted directories of the context root and its first-level subdirectories.
fn find_unwanted(m: &Model, ctx: &BuildContext) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    let mut subdirs = Vec::new();
    for e in ctx.list_dir(".") {
        if e.kind != EntryKind::Dir || filtered(ctx, &e.path) || wanted(ctx, &e.path) {
            continue;
        }
        match unwanted(ctx, &e.path, &e.name) {
            Some(what) => found.push((e.path, what)),
            None => subdirs.push(e.path),
        }
    }
    for sub in subdirs.into_iter().take(SUBDIR_LIMIT) {
        for e in ctx.list_dir(&sub) {
            if e.kind != EntryKind::Dir
                || e.name == ".git"
                || filtered(ctx, &e.path)
                || wanted(ctx, &e.path)
            {
                continue;
            }
            if let Some(what) = unwanted(ctx, &e.path, &e.name) {
                found.push((e.path, what));
            }
        }
    }
    found.retain(|(path, what)| match path.rsplit('/').next() {
        Some(".git") => !uses_git(m, ctx),
        _ if *what == "build output" => !used_on_purpose(m, path),
        _ => true,
    });
    found
}

/// Items named in a message before "and N more".
const LISTED: usize = 4;

fn listed(items: impl Iterator<Item = String>) -> String {
    let all: Vec<String> = items.collect();
    let mut text = all[..all.len().min(LISTED)].join(", ");
    if all.len() > LISTED {
        text.push_str(&format!(" and {} more", all.len() - LISTED));
    }
    text
}

/// The `.dockerignore` lines that exclude `dirs`: one `**/name` for a name found in several
/// places, the path itself otherwise.
fn ignore_lines(dirs: &[(String, &'static str)]) -> Vec<String> {
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let mut lines: Vec<String> = Vec::new();
    for (p, _) in dirs {
        let n = name(p);
        let line = if dirs.iter().filter(|(q, _)| name(q) == n).count() > 1 {
            format!("**/{n}")
        } else {
            p.clone()
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(ctx) = m.context else { return };
    let mut found: Option<Vec<(String, &'static str)>> = None;
    for copy in m.copies.values() {
        let Some(root) = copy
            .context_paths()
            .find(|s| s.cleaned == "." && !s.escapes_context)
        else {
            continue;
        };
        let dirs = found.get_or_insert_with(|| find_unwanted(m, ctx));
        if dirs.is_empty() {
            return;
        }
        let names = listed(dirs.iter().map(|(p, _)| format!("`{p}`")));
        let kinds = listed(dirs.iter().map(|(p, k)| format!("`{p}` ({k})")));
        let kw = m
            .instruction(copy.instr)
            .keyword
            .as_str()
            .to_ascii_uppercase();
        let lines = ignore_lines(dirs);
        let Some(stage) = m.stage_of[copy.instr].and_then(|s| m.stages.get(s)) else {
            continue;
        };
        // Into a stage the final image takes none of these from (a builder that hands on only
        // its binary): the upload and the cache busting remain, the image does not carry them.
        let build_only = !dirs.iter().any(|(p, _)| {
            let dest = m
                .copied_to(copy.instr, p)
                .unwrap_or_else(|| copy.dest.clone());
            m.reaches_final_image(stage.index, &dest)
        });
        let (into, severity) = if build_only {
            (
                format!("the build stage `{}`", stage.display_name()),
                RULE.severity.lowered(),
            )
        } else {
            ("the image".to_string(), RULE.severity)
        };
        let (why, help) = match ctx.ignore_file() {
            Some(f) => (
                format!("{} does not exclude them", f.name()),
                format!("add these lines to {}: {}", f.name(), lines.join(", ")),
            ),
            None => (
                "there is no .dockerignore".to_string(),
                format!(
                    "create a .dockerignore at the root of the build context with these lines: {}",
                    lines.join(", ")
                ),
            ),
        };
        out.push(
            Diagnostic::new(
                RULE.name,
                severity,
                format!(
                    "`{kw} {}` copies {} into {into}; {why}",
                    root.word.value, kinds
                ),
                root.word.span,
            )
            .label(format!("copies {names} too"))
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::leveled;

    fn fires(files: &[&str], dockerfile: &str) -> Vec<String> {
        leveled("broad-copy-unfiltered", files, dockerfile)
    }

    #[test]
    fn ignore_lines_fold_repeated_names() {
        let dirs = [
            (".git".to_string(), "git history"),
            ("a/node_modules".to_string(), "npm dependencies"),
            ("b/node_modules".to_string(), "npm dependencies"),
            ("web/dist".to_string(), "build output"),
        ];
        assert_eq!(
            super::ignore_lines(&dirs),
            [".git", "**/node_modules", "web/dist"]
        );
    }

    #[test]
    fn table() {
        let cases: &[(&[&str], &str, &[&str])] = &[
            (
                &[".git/HEAD", "node_modules/x/index.js", "index.js"],
                "FROM node\nCOPY . .\n",
                &["warning: `COPY .` copies `.git` (git history), `node_modules` (npm dependencies) into the image; there is no .dockerignore"],
            ),
            // Excluded wholly or by everything below.
            (
                &[".dockerignore: .git\\nnode_modules/*", ".git/HEAD", "node_modules/x/index.js"],
                "FROM node\nCOPY . .\n",
                &[],
            ),
            (
                &[".dockerignore: **/__pycache__", "app/__pycache__/a.pyc", "app/a.py"],
                "FROM python\nCOPY . /app\n",
                &[],
            ),
            // A monorepo one level down.
            (
                &["web/package.json: {}", "web/node_modules/x/i.js", "web/dist/main.js"],
                "FROM node\ncopy ./ /src/\n",
                &["warning: `COPY ./` copies `web/dist` (build output), `web/node_modules` (npm dependencies) into the image; there is no .dockerignore"],
            ),
            // Many places: the list is cut short.
            (
                &["a/package.json: {}", "a/node_modules/", "b/node_modules/", "c/node_modules/", "d/node_modules/", "e/node_modules/"],
                "FROM node\nCOPY . .\n",
                &["warning: `COPY .` copies `a/node_modules` (npm dependencies), `b/node_modules` (npm dependencies), `c/node_modules` (npm dependencies), `d/node_modules` (npm dependencies) and 1 more into the image; there is no .dockerignore"],
            ),
            // `target` only next to a Cargo or Maven project.
            (&["target/x.txt", "README.md"], "FROM alpine\nCOPY . /src\n", &[]),
            (
                &["target/debug/app", "Cargo.toml"],
                "FROM rust\nCOPY . /src\n",
                &["warning: `COPY .` copies `target` (build output) into the image; there is no .dockerignore"],
            ),
            // A build output the Dockerfile uses on purpose.
            (
                &["dist/index.js", "package.json: {}"],
                "FROM node\nCOPY . /app\nCMD [\"node\", \"dist/index.js\"]\n",
                &[],
            ),
            (
                &["build/app.jar", "build.gradle"],
                "FROM eclipse-temurin\nCOPY . /src\nCOPY build/app.jar /app.jar\n",
                &[],
            ),
            // `venv` only when it is a virtualenv.
            (&["venv/notes.txt"], "FROM python\nCOPY . /app\n", &[]),
            (
                &["venv/pyvenv.cfg"],
                "FROM python\nCOPY . /app\n",
                &["warning: `COPY .` copies `venv` (virtualenv) into the image; there is no .dockerignore"],
            ),
            // `.git` the build asks about.
            (&[".git/HEAD"], "FROM alpine\nCOPY . /src\nRUN git describe --tags > /VERSION\n", &[]),
            // Installing git, or running a `build` script, does not make `.git` or `build` wanted.
            (
                &[".git/HEAD", "build/app.js", "package.json: {}"],
                "FROM node\nRUN apt-get install -y git \\\n && true\nCOPY . .\nRUN npm run build\n",
                &["warning: `COPY .` copies `.git` (git history), `build` (build output) into the image; there is no .dockerignore"],
            ),
            // A version taken from git tags at install time.
            (
                &[".git/HEAD", "pyproject.toml: [tool.setuptools_scm]"],
                "FROM python\nCOPY . /src\nRUN pip install /src\n",
                &[],
            ),
            // Re-included on purpose: `*` then `!.git`.
            (
                &[".dockerignore: *\\n!.git\\n!src", ".git/HEAD", "src/main.go", "node_modules/x/i.js"],
                "FROM golang\nCOPY . /src\n",
                &[],
            ),
            // Excluded by nothing: not the same as brought back.
            (
                &[".dockerignore: !.git\\nnode_modules", ".git/HEAD", "node_modules/x/i.js"],
                "FROM golang\nCOPY . /src\n",
                &["warning: `COPY .` copies `.git` (git history) into the image; .dockerignore does not exclude them"],
            ),
            // A Makefile that asks git, run by the stage that copies it.
            (
                &[".git/HEAD", "Makefile: VERSION := $(shell git describe --tags)\\nbuild:\\n\\tgo build -ldflags \"-X main.v=$(VERSION)\"", "main.go"],
                "FROM golang AS build\nRUN apt-get update && apt-get install -y git\nWORKDIR /src\nCOPY . .\nRUN make build\nFROM scratch\nCOPY --from=build /src/app /app\n",
                &[],
            ),
            (
                &[".git/HEAD", "Makefile: REV = $(shell git rev-parse --short HEAD)", "main.go"],
                "FROM golang AS base\nCOPY . /src\nFROM base AS build\nRUN cd /src && gmake\nFROM base\n",
                &[],
            ),
            // The Makefile does not ask git, or is never run.
            (
                &[".git/HEAD", "Makefile: build:\\n\\tgo build", "main.go"],
                "FROM golang AS build\nWORKDIR /src\nCOPY . .\nRUN make build\nFROM scratch\nCOPY --from=build /src/app /app\n",
                &["info: `COPY .` copies `.git` (git history) into the build stage `build`; there is no .dockerignore"],
            ),
            (
                &[".git/HEAD", "Makefile: V = $(shell git describe)", "main.go"],
                "FROM golang\nWORKDIR /src\nCOPY . .\nRUN go build\n",
                &["warning: `COPY .` copies `.git` (git history) into the image; there is no .dockerignore"],
            ),
            // A build stage the final image takes all of reaches it.
            (
                &[".git/HEAD", "main.go"],
                "FROM golang AS build\nWORKDIR /src\nCOPY . .\nFROM golang:alpine\nCOPY --from=build /src /src\n",
                &["warning: `COPY .` copies `.git` (git history) into the image; there is no .dockerignore"],
            ),
            (
                &[".git/HEAD", "main.go"],
                "FROM golang\nCOPY . /src\nRUN go build -o /app /src\nFROM scratch\nCOPY --from=0 /app /app\n",
                &["info: `COPY .` copies `.git` (git history) into the build stage `0`; there is no .dockerignore"],
            ),
            // Not a copy of the whole context.
            (&[".git/HEAD", "src/a.py"], "FROM python\nCOPY src /app\n", &[]),
            (&[".git/HEAD"], "FROM alpine AS b\nFROM alpine\nCOPY --from=b . /x\n", &[]),
        ];
        for (files, df, want) in cases {
            assert_eq!(&fires(files, df), want, "{df}");
        }
    }
}
