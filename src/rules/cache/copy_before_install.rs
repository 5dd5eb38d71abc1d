//! copy-before-install: a COPY of more than the dependency manifests comes before a dependency
//! install in the same stage, so every source edit throws away the install layer.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::deps::{broad_part, install_needs};
use crate::model::{path, Copy, CopyFrom, Model, Origin, RunStep, Stage};
use crate::rules::{FixAvailability, Rule};
use crate::shell::{CommandKind, Tool};
use crate::syntax::{Keyword, Span};
use std::cell::OnceCell;

pub static RULE: Rule = Rule {
    name: "copy-before-install",
    group: "cache",
    severity: Severity::Warning,
    summary: "source files are copied before the dependency install, so every edit reruns it",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/copy-before-install.md"),
    aliases: &[],
    default: true,
    check,
};

/// Tools whose installs share one dependency cache: a second install after an earlier one
/// from manifests alone costs little.
fn ecosystem(t: Tool) -> u8 {
    match t {
        Tool::Pip | Tool::Uv | Tool::Poetry | Tool::Pipenv | Tool::Pdm | Tool::Conda => 1,
        Tool::Npm | Tool::Yarn | Tool::Pnpm | Tool::Bun => 2,
        Tool::Bundler | Tool::Gem => 3,
        other => 10 + other as u8,
    }
}

/// An install of a manifest: its image path and, when the broad COPY put it there, its
/// context path.
struct ManifestAt {
    image: String,
    context: Option<String>,
    /// A folder the install needs (`bin/`), copied as a whole to `image`.
    dir: bool,
}

/// The files `step` reads, in the image, and which of them `copy` provided.
fn manifests_of(
    m: &Model,
    stage: &Stage,
    run: usize,
    step: &RunStep,
    copy: usize,
) -> Vec<ManifestAt> {
    let (Some(tc), Some(dir)) = (&step.tool, &step.dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for read in &tc.reads {
        let mut by_copy = Vec::new();
        let mut elsewhere = false;
        let mut first = None;
        for cand in &read.candidates {
            if cand.contains(['$', '`', '*', '?', '[']) {
                continue;
            }
            let image = path::resolve(dir, cand);
            match m.lookup(stage.index, &image, run).found {
                Some(f) if f.instr == copy => match f.origin {
                    Some(Origin::Context(cp)) => by_copy.push(ManifestAt {
                        image,
                        context: Some(cp),
                        dir: false,
                    }),
                    _ => elsewhere = true,
                },
                Some(_) => elsewhere = true,
                None => {
                    first.get_or_insert(image);
                }
            }
        }
        if !by_copy.is_empty() {
            out.extend(by_copy);
        } else if read.required && !elsewhere {
            // Nothing provides it: the fix cannot name it.
            if let Some(image) = first {
                out.push(ManifestAt {
                    image,
                    context: None,
                    dir: false,
                });
            }
        }
    }
    out
}

fn list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        n => format!("{} and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

/// RUN steps that cannot need the project source: package and dependency installs, index
/// updates, cache cleans, and commands that touch no files.
fn run_is_movable_past(m: &Model, run: usize) -> bool {
    let steps = m.run_steps(run);
    !steps.is_empty()
        && steps.iter().all(|s| match &s.tool {
            Some(t) => {
                matches!(
                    t.kind,
                    CommandKind::DependencyInstall
                        | CommandKind::PackageInstall
                        | CommandKind::IndexUpdate
                        | CommandKind::CacheClean
                ) && !needs_project(t)
            }
            None => !s.cmd.program().is_some_and(|p| {
                !matches!(
                    p,
                    "set" | "true" | "echo" | "cd" | "mkdir" | "rm" | "sh" | "bash"
                )
            }),
        })
}

/// Installs that also install the project itself and so need its source.
fn needs_project(t: &crate::shell::ToolCommand) -> bool {
    match t.tool {
        Tool::Poetry => {
            !t.has_flag(&["--no-root", "--only-root"])
                && !t.options.iter().any(|o| o.name == "--only")
        }
        Tool::Uv => {
            t.subcommand.as_deref() == Some("sync")
                && !t.has_flag(&["--no-install-project", "--no-install-workspace"])
        }
        Tool::Pdm => !t.has_flag(&["--no-self"]),
        Tool::Cargo | Tool::Gradle => true,
        _ => false,
    }
}

/// Edits that copy the manifests, install, then copy the rest: the broad COPY becomes a
/// COPY of the manifests and moves, unchanged, to just after the install RUN.
fn fix_for(
    m: &Model,
    stage: &Stage,
    copy: &Copy,
    run: usize,
    manifests: &[ManifestAt],
) -> Option<Fix> {
    let c = copy.instr;
    // Every instruction in between must be one the source cannot matter to.
    for i in c + 1..run {
        let ins = m.instruction(i);
        let ok = match ins.keyword {
            // A variable set in between could change what the moved COPY means.
            Keyword::Env | Keyword::Arg => !m.snippet(m.instruction(c).span, 10_000).contains('$'),
            Keyword::Label | Keyword::Expose | Keyword::User => true,
            Keyword::Run => run_is_movable_past(m, i),
            _ => false,
        };
        if !ok {
            return None;
        }
    }
    if !run_is_movable_past(m, run) {
        return None;
    }
    // No other install after the COPY that the move would leave behind it.
    let later = stage
        .instrs
        .clone()
        .filter(|&i| i > run && m.instruction(i).keyword == Keyword::Run)
        .any(|i| m.run_steps(i).iter().any(RunStep::is_dependency_install));
    if later {
        return None;
    }
    let copy_ins = m.instruction(c);
    let copy_text = m.file.text.get(copy_ins.span.start..copy_ins.span.end)?;
    let run_ins = m.instruction(run);
    let mut replacement = String::new();
    // Group the manifests by the directory they land in.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for ma in manifests {
        let cp = ma.context.clone()?;
        let dir = match ma.image.rfind('/') {
            _ if ma.dir => ma.image.clone(),
            Some(0) | None => "/".to_string(),
            Some(k) => ma.image[..k].to_string(),
        };
        let cp = if ma.dir { format!("{cp}/") } else { cp };
        match groups.iter_mut().find(|g| g.0 == dir) {
            Some(g) => g.1.push(cp),
            None => groups.push((dir, vec![cp])),
        }
    }
    let flags: Vec<&str> = copy_ins
        .flags
        .iter()
        .filter(|f| matches!(f.name.as_str(), "chown" | "chmod"))
        .filter_map(|f| m.file.text.get(f.span.start..f.span.end))
        .collect();
    let workdir = m.workdir_at(c);
    // The file's own line ending.
    let nl = if m.file.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    for (dir, srcs) in &groups {
        let dest = if dir == workdir {
            "./".to_string()
        } else {
            format!("{}/", dir.trim_end_matches('/'))
        };
        if !replacement.is_empty() {
            replacement.push_str(nl);
        }
        replacement.push_str("COPY ");
        for f in &flags {
            replacement.push_str(f);
            replacement.push(' ');
        }
        replacement.push_str(&srcs.join(" "));
        replacement.push(' ');
        replacement.push_str(&dest);
    }
    let mut edits = Vec::new();
    if replacement.is_empty() {
        // Nothing to copy first: remove the COPY line, its line break included.
        let end = if m.file.text[copy_ins.span.end..].starts_with("\r\n") {
            copy_ins.span.end + 2
        } else if m.file.text[copy_ins.span.end..].starts_with('\n') {
            copy_ins.span.end + 1
        } else {
            copy_ins.span.end
        };
        edits.push(Edit {
            span: Span::new(copy_ins.span.start, end),
            content: String::new(),
        });
    } else {
        edits.push(Edit {
            span: copy_ins.span,
            content: replacement,
        });
    }
    edits.push(Edit {
        span: Span::new(run_ins.span.end, run_ins.span.end),
        content: format!("{nl}{copy_text}"),
    });
    Some(Fix {
        title: "copy the manifests first and the rest after the install".into(),
        applicability: Applicability::Unsafe,
        edits,
    })
}

/// What an install runs from the build context besides its manifests (the scripts its hooks
/// name, the local paths of a requirements file), as context paths; and whether that is the
/// whole project folder (`-e .`), in which case the install needs the source anyway.
struct Needs {
    paths: Vec<String>,
    whole_project: bool,
}

fn needs_of(m: &Model, stage: &Stage, run: usize, step: &RunStep) -> Needs {
    let mut needs = Needs {
        paths: Vec::new(),
        whole_project: false,
    };
    let (Some(ctx), Some(tc), Some(dir)) = (m.context, &step.tool, &step.dir) else {
        return needs;
    };
    let scripts = !tc.has_flag(&["--ignore-scripts", "--no-scripts"]);
    for cand in tc.reads.iter().flat_map(|r| r.candidates.iter()) {
        if cand.contains(['$', '`', '*', '?', '[']) {
            continue;
        }
        let image = path::resolve(dir, cand);
        let Some(found) = m.lookup(stage.index, &image, run).found else {
            continue;
        };
        let Some(Origin::Context(cp)) = found.origin else {
            continue;
        };
        let project = match cp.rfind('/') {
            Some(k) => cp[..k].to_string(),
            None => ".".to_string(),
        };
        for n in install_needs(ctx, &cp, scripts) {
            if n == project {
                needs.whole_project = true;
            } else if !needs.paths.contains(&n) {
                needs.paths.push(n);
            }
        }
    }
    needs
}

/// The needed context paths that `copy` brings in, with where they land.
fn needs_provided(m: &Model, copy: &Copy, needs: &[String]) -> Vec<ManifestAt> {
    let mut out = Vec::new();
    for n in needs {
        for s in copy.context_paths() {
            let src = s.cleaned.trim_start_matches("./").trim_end_matches('/');
            let rel = if src.is_empty() || src == "." {
                Some(n.as_str())
            } else if s.matches.iter().any(|x| x.path == src && x.is_dir) {
                path::strip_dir(n, src).filter(|r| !r.is_empty())
            } else {
                None
            };
            if let Some(rel) = rel {
                out.push(ManifestAt {
                    image: path::join(&copy.dest, rel),
                    context: Some(n.clone()),
                    dir: m.context.is_some_and(|c| c.is_dir(n)),
                });
                break;
            }
        }
    }
    out
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for stage in &m.stages {
        let installs: Vec<(usize, &RunStep, OnceCell<Needs>)> = stage
            .instrs
            .clone()
            .filter(|&i| m.instruction(i).keyword == Keyword::Run)
            .flat_map(|i| {
                m.run_steps(i)
                    .iter()
                    .filter(|s| s.is_dependency_install())
                    .map(move |s| (i, s, OnceCell::new()))
            })
            .collect();
        if installs.is_empty() {
            continue;
        }
        // The first install of each ecosystem.
        let mut firsts: Vec<(u8, usize)> = Vec::new();
        for (r, s, _) in &installs {
            if let Some(t) = &s.tool {
                if !firsts.iter().any(|(e, _)| *e == ecosystem(t.tool)) {
                    firsts.push((ecosystem(t.tool), *r));
                }
            }
        }
        // One finding per install, on the first COPY at fault; later ones join it as labels.
        let mut found: Vec<(Span, Diagnostic)> = Vec::new();
        for (&c, copy) in m.copies.range(stage.instrs.clone()) {
            if copy.from != CopyFrom::Context {
                continue;
            }
            let Some((install, d)) = check_copy(m, stage, copy, c, &installs, &firsts) else {
                continue;
            };
            match found.iter_mut().find(|(s, _)| *s == install) {
                Some((_, first)) => {
                    first.secondary.push(crate::diagnostic::Label {
                        span: d.primary.span,
                        message: "also copies more than the manifests before the install".into(),
                    });
                    first.fix = None;
                }
                None => found.push((install, d)),
            }
        }
        out.extend(found.into_iter().map(|(_, d)| d));
    }
}

fn check_copy(
    m: &Model,
    stage: &Stage,
    copy: &Copy,
    c: usize,
    installs: &[(usize, &RunStep, OnceCell<Needs>)],
    firsts: &[(u8, usize)],
) -> Option<(Span, Diagnostic)> {
    // A COPY after the first install of an ecosystem cannot be blamed for that ecosystem's
    // reinstalls, and a COPY after all of them for none (which keeps a file of thousands of
    // COPY/RUN pairs linear).
    if firsts.iter().all(|(_, r)| *r < c) {
        return None;
    }
    let ran_before = |t: Tool| firsts.iter().any(|(e, r)| *e == ecosystem(t) && *r < c);
    for (run, step, needs) in installs.iter().filter(|(r, _, _)| *r > c) {
        let (run, step) = (*run, *step);
        let Some(tc) = &step.tool else { continue };
        if ran_before(tc.tool) {
            continue;
        }
        // Read from the context once per install, and only for the installs a COPY could be
        // blamed for.
        let needs = needs.get_or_init(|| needs_of(m, stage, run, step));
        if needs.whole_project {
            continue;
        }
        let read_paths: Vec<String> = tc
            .reads
            .iter()
            .flat_map(|r| r.candidates.iter().cloned())
            .collect();
        let what = broad_part(m, copy, &read_paths, &needs.paths)?;
        let mut manifests = manifests_of(m, stage, run, step, c);
        let provides = manifests.iter().any(|x| x.context.is_some());
        // What the hooks run comes first along with the manifests, so that the fix never
        // moves it after the install.
        manifests.extend(needs_provided(m, copy, &needs.paths));
        let whole = what == "the whole build context";
        let overlaps = step.dir.as_deref().is_some_and(|d| {
            path::strip_dir(&copy.dest, d).is_some() || path::strip_dir(d, &copy.dest).is_some()
        });
        if !(provides || whole || overlaps) {
            continue;
        }
        let copy_ins = m.instruction(c);
        let install = m.snippet(tc.span, 60);
        let names: Vec<String> = manifests.iter().filter_map(|x| x.context.clone()).collect();
        let mut help = if names.is_empty() {
            let wanted: Vec<String> = tc
                .reads
                .iter()
                .filter(|r| r.required)
                .filter_map(|r| r.candidates.first().cloned())
                .collect();
            if wanted.is_empty() {
                "move this COPY after the install".to_string()
            } else {
                format!("copy {} first, install, then copy the rest", list(&wanted))
            }
        } else {
            format!("copy {} first, install, then copy the rest", list(&names))
        };
        if needs_project(tc) {
            let flag = match tc.tool {
                Tool::Poetry => Some("`poetry install --no-root`"),
                Tool::Uv => Some("`uv sync --no-install-project`"),
                Tool::Pdm => Some("`pdm install --no-self`"),
                _ => None,
            };
            if let Some(flag) = flag {
                help.push_str(&format!(" (with {flag} before the full copy)"));
            }
        }
        let mut d = Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "`{}` brings in {what} before `{install}`, so every source change reruns the install",
                m.snippet(copy_ins.span, 40)
            ),
            copy_ins.span,
        )
        .label("copies more than the dependency manifests")
        .secondary(tc.span, "this install reruns whenever any copied file changes")
        .help(help);
        let all_in_context = manifests.iter().all(|x| x.context.is_some());
        if all_in_context && !needs_project(tc) {
            if let Some(fix) = fix_for(m, stage, copy, run, &manifests) {
                d = d.fix(fix);
            }
        }
        return Some((tc.span, d));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{apply_edits, Diagnostic};
    use crate::rules::test_context::run;

    const PY: &[&str] = &[
        "requirements.txt: flask",
        "app.py: print(1)",
        "src/",
        "src/x.py: 1",
    ];
    const NODE: &[&str] = &[
        "package.json: {}",
        "package-lock.json: {}",
        "yarn.lock: ",
        "pnpm-lock.yaml: ",
        "index.js: 1",
    ];
    const GO: &[&str] = &["go.mod: module x", "go.sum: ", "main.go: package main"];
    const RUBY: &[&str] = &["Gemfile: source 'x'", "Gemfile.lock: ", "app.rb: 1"];
    const PHP: &[&str] = &["composer.json: {}", "composer.lock: {}", "index.php: 1"];
    const PYPROJ: &[&str] = &[
        "pyproject.toml: ",
        "poetry.lock: ",
        "uv.lock: ",
        "app/",
        "app/m.py: 1",
    ];
    const JVM: &[&str] = &["pom.xml: <x/>", "build.gradle: ", "src/", "src/A.java: 1"];

    fn fires(files: &[&str], text: &str) -> Vec<Diagnostic> {
        run("copy-before-install", files, "Dockerfile", text)
    }

    #[test]
    fn flagged() {
        for (files, text) in [
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN apt-get update && PIP_NO_CACHE_DIR=1 python -m pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip3 install -U pip; pip3 install -r requirements.txt || true\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN sh -c 'pip install -r requirements.txt'\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN [\"pip\", \"install\", \"-r\", \"requirements.txt\"]\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN <<EOF\nset -e\npip install -r requirements.txt\nEOF\n"),
            (PY, "from python:3\nworkdir /app\ncopy . .\nrun pip install \\\n    -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY src/ /app/src/\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"),
            (PY, "# escape=`\nFROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install `\n    -r requirements.txt\n"),
            (PY, "ARG D=/app\nFROM python:3\nARG D\nWORKDIR $D\nCOPY . $D\nRUN cd $D && pip install -r requirements.txt\n"),
            (NODE, "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"),
            (NODE, "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn --frozen-lockfile\n"),
            (NODE, "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n"),
            (NODE, "FROM oven/bun\nWORKDIR /app\nCOPY . .\nRUN bun install\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .\n"),
            (RUBY, "FROM ruby:3\nWORKDIR /app\nCOPY . .\nRUN bundle install\n"),
            (PHP, "FROM composer:2\nWORKDIR /app\nCOPY . .\nRUN composer install --no-dev\n"),
            (PYPROJ, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN poetry install\n"),
            (PYPROJ, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n"),
            (JVM, "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn -B dependency:go-offline\n"),
            (JVM, "FROM gradle:8\nWORKDIR /app\nCOPY . .\nRUN gradle dependencies\n"),
            (PY, "FROM python:3 AS base\nWORKDIR /app\nFROM base\nCOPY . .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY * ./\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY src/ src/\nCOPY app.py *.txt ./\nRUN pip install -r requirements.txt\n"),
        ] {
            let d = fires(files, text);
            assert_eq!(d.len(), 1, "{text}\n{d:#?}");
        }
    }

    #[test]
    fn left_alone() {
        for (files, text) in [
            (PY, "FROM python:3\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN pip install -e .\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3 AS src\nCOPY . /app\nFROM python:3\nWORKDIR /app\nCOPY --from=src /app/requirements.txt .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY app.py .\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY src/ /etc/conf/\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nONBUILD RUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install flask\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install .\n"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN --mount=type=bind,source=requirements.txt,target=requirements.txt pip install -r requirements.txt\nCOPY . .\n"),
            (NODE, "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n"),
            (NODE, "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nCOPY . .\nRUN yarn build\n"),
            (NODE, "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm run build\n"),
            (NODE, "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install -g serve\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n"),
            (GO, "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nFROM alpine\nCOPY --from=build /app /app\nRUN apk add --no-cache ca-certificates\n"),
            (RUBY, "FROM ruby:3\nWORKDIR /app\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\n"),
            (PHP, "FROM composer:2\nWORKDIR /app\nCOPY composer.json composer.lock ./\nRUN composer install --no-scripts\nCOPY . .\n"),
            (PYPROJ, "FROM python:3\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\nRUN poetry install\n"),
            (JVM, "FROM maven:3\nWORKDIR /app\nCOPY pom.xml .\nRUN mvn -B dependency:go-offline\nCOPY src ./src\nRUN mvn -B package\n"),
            (&["package.json: {}", "prisma/schema.prisma: x"][..], "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY prisma ./prisma/\nRUN npm install\nCOPY . .\n"),
            (&["requirements/", "requirements/base.txt: x", "requirements/prod.txt: -r base.txt"][..], "FROM python:3\nWORKDIR /app\nCOPY requirements/ requirements/\nRUN pip install -r requirements/prod.txt\n"),
        ] {
            let d = fires(files, text);
            assert!(d.is_empty(), "{text}\n{d:#?}");
        }
    }

    #[test]
    fn help_names_context_paths_and_fix_reorders() {
        let text = "FROM python:3.12-slim\nWORKDIR /app\nCOPY src/ .\nRUN pip install --no-cache-dir -r requirements.txt\nEXPOSE 8088\n";
        let files = &["src/requirements.txt: flask", "src/server.py: 1"];
        let d = run("copy-before-install", files, "Dockerfile", text);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].help
                .as_deref()
                .unwrap_or("")
                .contains("`src/requirements.txt`"),
            "{d:#?}"
        );
        let fix = d[0].fix.as_ref().expect("a fix");
        let edits: Vec<_> = fix.edits.iter().collect();
        let (fixed, _) = apply_edits(text, &edits);
        assert_eq!(
            fixed,
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY src/requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ .\nEXPOSE 8088\n"
        );
        assert!(run("copy-before-install", files, "Dockerfile", &fixed).is_empty());
    }

    #[test]
    fn dockerfile_in_a_subdirectory() {
        let files = &["requirements.txt: x", "svc/", "svc/main.py: 1"];
        let text = "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n";
        let d = run("copy-before-install", files, "docker/Dockerfile", text);
        assert_eq!(d.len(), 1);
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("`requirements.txt`"));
    }

    #[test]
    fn several_copies_before_one_install_make_one_finding() {
        let files = &["requirements.txt: x", "src/a.py: 1", "lib/b.py: 1"];
        let text = "FROM python:3\nWORKDIR /app\nCOPY src/ src/\nCOPY lib/ lib/\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n";
        let d = fires(files, text);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].secondary.len(), 2);
        assert!(d[0].fix.is_none());
    }

    #[test]
    fn no_fix_when_something_in_between_uses_the_source() {
        let text = "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN python gen.py\nRUN pip install -r requirements.txt\n";
        let d = fires(PY, text);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
    }

    const HOOKED: &[&str] = &[
        "package.json: {\"scripts\": {\"postinstall\": \"bin/setup.sh\", \"start\": \"node index.js\"}}",
        "package-lock.json: {}",
        "bin/setup.sh: echo",
        "bin/www: x",
        "index.js: 1",
    ];

    #[test]
    fn what_install_hooks_run_is_part_of_the_install() {
        for (files, text) in [
            (HOOKED, "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY bin/ ./bin/\nRUN npm ci\nCOPY . .\n"),
            (HOOKED, "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nCOPY bin/setup.sh bin/\nRUN npm ci\nCOPY . .\n"),
            (&["package.json: {\"scripts\": {\"prepare\": \"npm run gen\", \"gen\": \"node tools/gen.js\"}}", "yarn.lock: x", "tools/gen.js: 1", "tools/other.js: 1"][..],
             "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nCOPY tools tools\nRUN yarn install --frozen-lockfile\n"),
            (&["composer.json: {\"scripts\": {\"post-install-cmd\": [\"@setup\"], \"setup\": \"php scripts/post-install.php\"}}", "composer.lock: {}", "scripts/post-install.php: x", "scripts/x.php: x"][..],
             "FROM composer:2\nWORKDIR /app\nCOPY composer.json composer.lock ./\nCOPY scripts/ scripts/\nRUN composer install\n"),
            (&["requirements.txt: -e ./lib\\nflask", "lib/setup.py: x", "lib/m.py: 1"][..],
             "FROM python:3\nWORKDIR /app\nCOPY requirements.txt .\nCOPY lib/ lib/\nRUN pip install -r requirements.txt\n"),
            (&["requirements.txt: -r requirements/base.txt", "requirements/base.txt: flask", "app.py: 1"][..],
             "FROM python:3\nWORKDIR /app\nCOPY requirements.txt .\nCOPY requirements requirements\nRUN pip install -r requirements.txt\n"),
            (&["package.json: {\"scripts\": {\"prepare\": \"npm run build\", \"build\": \"tsc -p .\"}}", "package-lock.json: {}", "src/a.ts: 1"][..],
             "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"),
            // The install builds the project itself: it needs the source.
            (&["requirements.txt: -e .\\nflask", "setup.py: x", "app/m.py: 1"][..],
             "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"),
        ] {
            let d = fires(files, text);
            assert!(d.is_empty(), "{text}\n{d:#?}");
        }
        // Hooks that do not run need nothing; a folder no hook names is source.
        for text in [
            "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nCOPY bin/ ./bin/\nRUN npm ci --ignore-scripts\n",
            "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nCOPY bin/ ./bin/\nCOPY src/ ./src/\nRUN npm ci\n",
        ] {
            let files: Vec<&str> = HOOKED.iter().copied().chain(["src/a.js: 1"]).collect();
            assert_eq!(fires(&files, text).len(), 1, "{text}");
        }
    }

    #[test]
    fn fix_copies_what_the_hooks_run_with_the_manifests() {
        let text =
            "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n";
        let d = fires(HOOKED, text);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            d[0].help.as_deref(),
            Some("copy `package.json`, `package-lock.json` and `bin/setup.sh` first, install, then copy the rest")
        );
        let fix = d[0].fix.as_ref().expect("a fix");
        let edits: Vec<_> = fix.edits.iter().collect();
        let (fixed, _) = apply_edits(text, &edits);
        assert_eq!(
            fixed,
            "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY bin/setup.sh /app/bin/\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"index.js\"]\n"
        );
        assert!(fires(HOOKED, &fixed).is_empty());
    }

    #[test]
    fn fix_keeps_the_line_endings() {
        let text = "FROM node:20\r\nWORKDIR /app\r\nCOPY . .\r\nRUN npm ci\r\n";
        let d = fires(HOOKED, text);
        let edits: Vec<_> = d[0].fix.iter().flat_map(|f| f.edits.iter()).collect();
        let (fixed, _) = apply_edits(text, &edits);
        assert_eq!(
            fixed,
            "FROM node:20\r\nWORKDIR /app\r\nCOPY package.json package-lock.json ./\r\nCOPY bin/setup.sh /app/bin/\r\nRUN npm ci\r\nCOPY . .\r\n"
        );
    }
}
