//! build-fetches-deps: a compiled-language build (`go build`, `cargo build`, `mvn package`,
//! `gradle build`) runs after the source is copied and no earlier step fetched the dependencies.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::deps::{
    broad_part, build_ecosystem, build_tool_in_makefile, context_trusted, BuildEcosystem,
    MAKE_NON_BUILD_TARGETS,
};
use crate::model::images::ImageRef;
use crate::model::{path, Base, Copy, CopyFrom, Model, Origin, RunStep, Stage};
use crate::rules::{FixAvailability, Rule};
use crate::shell::{CommandKind, Tool};
use crate::syntax::{Keyword, Span};
use std::cell::RefCell;
use std::collections::HashMap;

pub static RULE: Rule = Rule {
    name: "build-fetches-deps",
    group: "cache",
    severity: Severity::Warning,
    summary: "a compiled-language build after the source copy downloads every dependency anew",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/build-fetches-deps.md"),
    aliases: &[],
    default: true,
    check,
};

/// A build step: the ecosystem, where to point, and how to name it.
struct Build<'a> {
    eco: &'static BuildEcosystem,
    span: Span,
    /// Set when `make` runs the build: the tool's build command it stands for.
    via_make: bool,
    step: &'a RunStep,
}

/// The stage's base image, through the stages it is built on.
fn base_image<'m>(m: &'m Model, stage: &'m Stage) -> Option<&'m str> {
    match &m.stage_chain(stage).last()?.base {
        Base::Image(img) => Some(img),
        _ => None,
    }
}

fn build_of<'a>(
    m: &Model,
    stage: &Stage,
    r: usize,
    step: &'a RunStep,
    trusted: &dyn Fn() -> bool,
    makefiles: &RefCell<HashMap<String, Option<Tool>>>,
) -> Option<Build<'a>> {
    if let Some(tc) = &step.tool {
        let eco = build_ecosystem(tc.tool)?;
        if tc.kind != CommandKind::WholeSourceStep {
            return None;
        }
        let builds = match tc.tool {
            Tool::Maven | Tool::Gradle => tc.operands.iter().any(|w| {
                let task = w.value.rsplit(':').next().unwrap_or(&w.value);
                eco.builds.contains(&task)
            }),
            _ => tc
                .subcommand
                .as_deref()
                .is_some_and(|s| eco.builds.contains(&s)),
        };
        return builds.then_some(Build {
            eco,
            span: tc.span,
            via_make: false,
            step,
        });
    }
    // `make`, `make build`: what its Makefile builds with, or Go in a golang image.
    let prog = step.cmd.program()?;
    if !matches!(path::base_name(prog), "make" | "gmake") {
        return None;
    }
    if step
        .cmd
        .args()
        .iter()
        .any(|a| a.value.starts_with("-C") || a.value.starts_with("-f"))
    {
        return None;
    }
    let targets: Vec<&str> = step
        .cmd
        .args()
        .iter()
        .map(|a| a.value.as_str())
        .filter(|a| !a.starts_with('-') && !a.contains('='))
        .collect();
    if !targets.is_empty() && targets.iter().all(|t| MAKE_NON_BUILD_TARGETS.contains(t)) {
        return None;
    }
    let dir = step.dir.as_deref()?;
    let tool = match m.context.filter(|_| trusted()) {
        Some(ctx) => ["Makefile", "makefile", "GNUmakefile"]
            .iter()
            .find_map(|name| {
                let found = m.lookup(stage.index, &path::join(dir, name), r).found?;
                let Some(Origin::Context(cp)) = found.origin else {
                    return None;
                };
                // Read once per Makefile however many `make` steps run it.
                if let Some(known) = makefiles.borrow().get(&cp) {
                    return *known;
                }
                let tool = ctx
                    .read_to_string(&cp, 256 * 1024)
                    .and_then(|text| build_tool_in_makefile(&text));
                makefiles.borrow_mut().insert(cp, tool);
                tool
            })?,
        None => {
            let img = ImageRef::parse(base_image(m, stage)?);
            (img.short_name() == "golang").then_some(Tool::Go)?
        }
    };
    Some(Build {
        eco: build_ecosystem(tool)?,
        span: step.cmd.span,
        via_make: true,
        step,
    })
}

/// The build is told not to download (`-mod=vendor`, `--offline`).
fn offline(m: &Model, r: usize, b: &Build) -> bool {
    let flags = b.eco.offline;
    if let Some(tc) = &b.step.tool {
        let given = tc.options.iter().any(|o| {
            flags.contains(&o.name.as_str())
                || o.value
                    .as_ref()
                    .is_some_and(|v| flags.contains(&format!("{}={}", o.name, v.value).as_str()))
        });
        if given {
            return true;
        }
    }
    let var = |name: &str| {
        let v = b.step.tool.as_ref().and_then(|t| t.env_value(name));
        v.or_else(|| m.var_at(r, name))
    };
    // GOPATH mode has no module downloads; vendoring none either.
    b.eco.tool == Tool::Go
        && (var("GOFLAGS").is_some_and(|v| v.contains("-mod=vendor"))
            || var("GO111MODULE") == Some("off"))
}

fn home(m: &Model, r: usize) -> Option<String> {
    if let Some(h) = m.var_at(r, "HOME") {
        return Some(h.trim_end_matches('/').to_string());
    }
    match m.states.get(r).and_then(|s| s.user.as_deref()) {
        None => Some("/root".into()),
        Some(u) => matches!(u.split(':').next(), Some("root" | "0")).then(|| "/root".into()),
    }
}

/// A `--mount=type=cache` of the RUN covers one of the tool's cache directories (or a parent of
/// one), so the downloads survive a source change.
fn cache_mounted(m: &Model, r: usize, b: &Build) -> bool {
    let targets: Vec<&str> = m
        .mounts
        .get(&r)
        .into_iter()
        .flatten()
        .filter(|mt| mt.kind == "cache")
        .map(|mt| mt.target.trim_end_matches('/'))
        .collect();
    if targets.is_empty() {
        return false;
    }
    // A target the model could not expand may be any of them.
    if targets.iter().any(|t| t.contains('$')) {
        return true;
    }
    let home = home(m, r);
    let dir = b.step.dir.as_deref().unwrap_or("/");
    let mut dirs: Vec<String> = Vec::new();
    let mut home_relative: Vec<&str> = Vec::new();
    for d in b.eco.cache_dirs {
        if let Some(rel) = d.strip_prefix("~/") {
            match &home {
                Some(h) => dirs.push(format!("{h}/{rel}")),
                None => home_relative.push(rel),
            }
        } else if let Some(rel) = d.strip_prefix("./") {
            dirs.push(path::join(dir, rel));
        } else {
            dirs.push(d.to_string());
        }
    }
    for (var, below) in b.eco.cache_vars {
        let v = b.step.tool.as_ref().and_then(|t| t.env_value(var));
        if let Some(v) = v.or_else(|| m.var_at(r, var)) {
            dirs.push(path::resolve(
                dir,
                &format!("{}{below}", v.trim_end_matches('/')),
            ));
        }
    }
    targets.iter().any(|t| {
        let broad = t.is_empty() || home.as_deref() == Some(*t);
        !broad
            && (dirs
                .iter()
                .any(|d| path::strip_dir(d, t).is_some() || path::strip_dir(t, d).is_some())
                || home_relative
                    .iter()
                    .any(|rel| t.ends_with(&format!("/{rel}"))))
    })
}

/// The manifest next to the build or in a directory above it, up to where the source was
/// copied to: its context path when the context provided it, `Ok(None)` when something else
/// may have, `Err(())` when the image certainly has none there.
fn manifest_in_context(
    m: &Model,
    r: usize,
    dir: &str,
    copied_to: &str,
    name: &str,
) -> Result<Option<String>, ()> {
    let mut d = dir.to_string();
    let mut absent_everywhere = true;
    for _ in 0..64 {
        let l = m.lookup_file_during_run(r, &path::join(&d, name));
        if let Some(f) = &l.found {
            return Ok(match &f.origin {
                Some(Origin::Context(cp)) => Some(cp.clone()),
                _ => None,
            });
        }
        absent_everywhere &= l.is_absent();
        if d == "/" || path::strip_dir(copied_to, &d).is_some() {
            break;
        }
        d = match d.rfind('/') {
            Some(0) | None => "/".to_string(),
            Some(k) => d[..k].to_string(),
        };
    }
    if absent_everywhere {
        Err(())
    } else {
        Ok(None)
    }
}

/// What the context says about the dependencies: `false` when there is nothing to download
/// (no manifest at all, a `go.mod` without `require`, a vendored module).
fn has_dependencies(
    m: &Model,
    r: usize,
    copied_to: &str,
    b: &Build,
    trusted: &dyn Fn() -> bool,
) -> bool {
    let (Some(ctx), Some(dir)) = (m.context, b.step.dir.as_deref()) else {
        return true;
    };
    if !trusted() {
        return true;
    }
    if b.eco.manifest.is_empty() {
        return true;
    }
    match manifest_in_context(m, r, dir, copied_to, b.eco.manifest) {
        Err(()) => false,
        Ok(None) => true,
        Ok(Some(cp)) => {
            let Some(text) = ctx.read_to_string(&cp, 1024 * 1024) else {
                return true;
            };
            match b.eco.tool {
                Tool::Go => {
                    let module_dir = match cp.rfind('/') {
                        Some(k) => &cp[..k],
                        None => "",
                    };
                    text.contains("require")
                        && !ctx.exists(&path::join(module_dir, "vendor/modules.txt"))
                }
                Tool::Cargo => text.contains("dependencies") || text.contains("[workspace"),
                _ => true,
            }
        }
    }
}

/// The first COPY of the stage, before the build, that brings in more than the manifests and
/// lands where the build runs.
fn blamed_copy<'m>(
    m: &'m Model,
    stage: &Stage,
    r: usize,
    b: &Build,
) -> Option<(usize, &'m Copy, String)> {
    let dir = b.step.dir.as_deref()?;
    let reads: Vec<String> = b.eco.copy_first.iter().map(|s| s.to_string()).collect();
    m.copies
        .range(stage.instrs.start..r)
        .filter(|(_, c)| c.from == CopyFrom::Context)
        .find_map(|(&i, c)| {
            let what = broad_part(m, c, &reads, &[])?;
            let overlaps =
                path::strip_dir(&c.dest, dir).is_some() || path::strip_dir(dir, &c.dest).is_some();
            overlaps.then_some((i, c, what))
        })
}

/// The tool of a step that fetches or builds: after it, the tool's dependencies are either in
/// a layer of their own or its build is the finding.
fn fetch_or_build(step: &RunStep) -> Option<Tool> {
    let t = step.tool.as_ref()?;
    matches!(
        t.kind,
        CommandKind::DependencyInstall | CommandKind::WholeSourceStep
    )
    .then_some(t.tool)
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    // Judged once, and only for a file with a build in it: it lists the context.
    let trusted_once = std::cell::OnceCell::new();
    let trusted = || *trusted_once.get_or_init(|| context_trusted(m));
    let makefiles = RefCell::new(HashMap::new());
    // The tools that fetched or built in each stage and the stages it is built on, kept as
    // the stages are walked in order, so that each build asks in constant time.
    let mut ran: Vec<Vec<Tool>> = Vec::with_capacity(m.stages.len());
    for stage in &m.stages {
        let mut seen = match stage.base {
            Base::Stage(p) => ran.get(p).cloned().unwrap_or_default(),
            _ => Vec::new(),
        };
        for r in stage.instrs.clone() {
            if m.instruction(r).keyword != Keyword::Run {
                continue;
            }
            let mut fetched_here: Vec<Tool> = Vec::new();
            let mut built: Vec<Tool> = Vec::new();
            for step in m.run_steps(r) {
                if let Some(b) = build_of(m, stage, r, step, &trusted, &makefiles) {
                    let tool = b.eco.tool;
                    built.push(tool);
                    if !seen.contains(&tool) && !fetched_here.contains(&tool) {
                        if let Some(d) = check_build(m, stage, r, &b, &trusted) {
                            out.push(d);
                            fetched_here.push(tool);
                        }
                    }
                }
                if step.is_dependency_install() {
                    fetched_here.extend(fetch_or_build(step));
                }
            }
            let ran_here = m.run_steps(r).iter().filter_map(fetch_or_build);
            for tool in ran_here.chain(built) {
                if !seen.contains(&tool) {
                    seen.push(tool);
                }
            }
        }
        ran.push(seen);
    }
}

fn check_build(
    m: &Model,
    stage: &Stage,
    r: usize,
    b: &Build,
    trusted: &dyn Fn() -> bool,
) -> Option<Diagnostic> {
    let tool = b.eco.tool;
    // A build whose failure is ignored is a warm-up of the dependencies, not the real build.
    if b.step.cmd.failure_ignored() {
        return None;
    }
    if offline(m, r, b) || cache_mounted(m, r, b) {
        return None;
    }
    let (c, copy, what) = blamed_copy(m, stage, r, b)?;
    if !has_dependencies(m, r, &copy.dest, b, trusted) {
        return None;
    }
    let copy_ins = m.instruction(c);
    let build = m.snippet(b.span, 60);
    let via = if b.via_make {
        format!(" (which runs `{} build`)", tool.as_str())
    } else {
        String::new()
    };
    let mut d = Diagnostic::new(
        RULE.name,
        RULE.severity,
        format!(
            "`{}` brings in {what} before `{build}`{via} with no dependency step first, so every source change downloads and builds all dependencies again",
            m.snippet(copy_ins.span, 40)
        ),
        copy_ins.span,
    )
    .label("copies the source before the dependencies are fetched")
    .secondary(b.span, "downloads every dependency whenever any copied file changes")
    .help(b.eco.fix);
    if trusted() {
        if let Some(fix) = fix_for(m, stage, r, b, copy) {
            d = d.fix(fix);
        }
    }
    Some(d)
}

/// Edits that add the dependency step before the source copy: a COPY of the manifests the
/// source copy brings in, to where it puts them, and the fetch command. Only where the build
/// runs in the copy's destination, which is the WORKDIR, and with the ecosystem's own program
/// (`./mvnw` would need its wrapper files too).
fn fix_for(m: &Model, stage: &Stage, r: usize, b: &Build, copy: &Copy) -> Option<Fix> {
    let fetch = b.eco.fetch.as_ref()?;
    let tc = b.step.tool.as_ref();
    let program = tc
        .and_then(|t| b.step.cmd.argv.get(t.argv_start))
        .map(|w| w.value.as_str());
    if !b.via_make && program != Some(fetch.program) {
        return None;
    }
    let dest = copy.dest.as_str();
    if !copy.dest_is_dir || b.step.dir.as_deref() != Some(dest) || m.workdir_at(copy.instr) != dest
    {
        return None;
    }
    let mut sources = Vec::new();
    for (k, name) in fetch.manifests.iter().enumerate() {
        let found = m.lookup(stage.index, &path::join(dest, name), r).found;
        match found {
            Some(f) if f.instr == copy.instr => match f.origin {
                Some(Origin::Context(cp)) if !cp.contains([' ', '$', '*', '?', '[']) => {
                    sources.push(cp)
                }
                _ if k == 0 => return None,
                _ => {}
            },
            _ if k == 0 => return None,
            _ => {}
        }
    }
    // A module that replaces requirements with local folders needs them to download.
    if b.eco.tool == Tool::Go {
        let go_mod = m.context?.read_to_string(&sources[0], 1024 * 1024)?;
        if go_mod.contains("=> .") || go_mod.contains("=> /") {
            return None;
        }
    }
    let ins = m.instruction(copy.instr);
    // The file's own line ending.
    let nl = if m.file.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let content = format!("COPY {} ./{nl}RUN {}{nl}", sources.join(" "), fetch.command);
    Some(Fix {
        title: format!(
            "copy {} and run `{}` before the source",
            sources
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" and "),
            fetch.command
        ),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span: Span::new(ins.span.start, ins.span.start),
            content,
        }],
    })
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{apply_edits, Diagnostic};
    use crate::rules::test_context::{check_text, run};

    /// With no files, no build context at all.
    fn lint(files: &[&str], text: &str) -> Vec<Diagnostic> {
        if files.is_empty() {
            return check_text(super::check, text);
        }
        run("build-fetches-deps", files, "Dockerfile", text)
    }

    const GO: &[&str] = &[
        "go.mod: module x\\nrequire example.com/y v1.0.0",
        "go.sum: h1",
        "main.go: package main",
    ];
    const RUST: &[&str] = &[
        "Cargo.toml: [package]\\n[dependencies]\\nserde = \"1\"",
        "Cargo.lock: x",
        "src/main.rs: fn main() {}",
    ];
    const JVM: &[&str] = &["pom.xml: <x/>", "build.gradle: x", "src/A.java: x"];
    const NONE: &[&str] = &[];

    #[test]
    fn flagged() {
        for (files, text) in [
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app ./cmd/x\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN cd cmd && go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/tmp/x go build -o /app .\n"),
            (&["go.mod: module x\\nrequire y v1", "Makefile: build:\\n\tgo build -o app .", "main.go: x"][..], "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN make build\n"),
            (NONE, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN make\n"),
            (NONE, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN make\nCOPY x y\nRUN make install\n"),
            (NONE, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN make deps && make GOOS=linux build\n"),
            (NONE, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"),
            (RUST, "FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n"),
            (RUST, "FROM rust:1\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nCOPY src ./src\nRUN cargo build --release\n"),
            (RUST, "FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo install --path .\n"),
            (JVM, "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn -B clean package -DskipTests\n"),
            (JVM, "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN ./mvnw install\n"),
            (JVM, "FROM gradle:8\nWORKDIR /app\nCOPY . .\nRUN gradle build --no-daemon\n"),
            (JVM, "FROM eclipse-temurin:21\nWORKDIR /app\nCOPY . .\nRUN ./gradlew :app:bootJar\n"),
            (GO, "FROM golang:1.22 AS base\nWORKDIR /src\nFROM base\nCOPY . .\nRUN go build -o /app .\n"),
        ] {
            let d = lint(files, text);
            assert_eq!(d.len(), 1, "{text}\n{d:#?}");
        }
    }

    #[test]
    fn left_alone() {
        for (files, text) in [
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n"),
            // After the copy, the fetch is copy-before-install's finding.
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download && go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .\n"),
            (GO, "FROM golang:1.22\nENV GOMODCACHE=/cache/mod\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/cache go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -mod=vendor -o /app .\n"),
            (GO, "FROM golang:1.22\nENV GOFLAGS=-mod=vendor\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"),
            (&["go.mod: module x\\nrequire y v1", "vendor/modules.txt: x", "main.go: x"][..], "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"),
            (&["go.mod: module x\\ngo 1.22", "main.go: x"][..], "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"),
            (&["main.go: x"][..], "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY --from=other /src /src\nRUN go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . /elsewhere\nRUN go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nFROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\n"),
            (GO, "FROM golang:1.22 AS deps\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nFROM deps\nCOPY . .\nRUN go build -o /app .\n"),
            (&["Makefile: build:\\n\tgcc -o app app.c", "app.c: x"][..], "FROM gcc:13\nWORKDIR /src\nCOPY . .\nRUN make\n"),
            (NONE, "FROM debian:12\nWORKDIR /src\nCOPY . .\nRUN make\n"),
            (NONE, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN make clean lint\n"),
            (RUST, "FROM rust:1\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\nRUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release\nCOPY . .\nRUN cargo build --release\n"),
            (RUST, "FROM rust:1\nWORKDIR /app\nCOPY recipe.json .\nRUN cargo chef cook --release --recipe-path recipe.json\nCOPY . .\nRUN cargo build --release\n"),
            (RUST, "FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry --mount=type=cache,target=/app/target cargo build --release\n"),
            (RUST, "FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --offline\n"),
            (&["Cargo.toml: [package]\\nname = \"x\"", "src/main.rs: x"][..], "FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n"),
            (JVM, "FROM maven:3\nWORKDIR /app\nCOPY pom.xml .\nRUN mvn -B dependency:go-offline\nCOPY src ./src\nRUN mvn -B package\n"),
            (JVM, "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.m2 mvn -B package\n"),
            (JVM, "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn -o package\n"),
            (JVM, "FROM gradle:8\nWORKDIR /app\nCOPY build.gradle settings.gradle ./\nRUN gradle dependencies\nCOPY . .\nRUN gradle build\n"),
            (JVM, "FROM gradle:8\nUSER gradle\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/home/gradle/.gradle gradle build\n"),
            (JVM, "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn clean\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN GO111MODULE=off go build -o /app .\n"),
            (GO, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/go/pkg/mod/cache go build -o /app .\n"),
            (RUST, "FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/cargo/registry/index --mount=type=cache,target=/usr/local/cargo/registry/cache cargo build\n"),
            (JVM, "FROM gradle:8\nWORKDIR /app\nCOPY build.gradle src ./\nRUN gradle build || true\nCOPY . .\nRUN gradle build\n"),
            (JVM, "FROM eclipse-temurin:21\nWORKDIR /app\nCOPY build.gradle gradlew ./\nCOPY gradle gradle\nRUN ./gradlew downloadRepos\nCOPY . .\nRUN ./gradlew installDist\n"),
            (&["Cargo.toml: [package]\\n[dependencies]\\nx = \"1\"", "src/main.rs: x"][..], "FROM rust:1\nWORKDIR /app\nRUN --mount=type=bind,source=.,target=/app --mount=type=cache,target=/app/target/ cargo build --release\n"),
        ] {
            let d = lint(files, text);
            assert!(d.is_empty(), "{files:?}\n{text}\n{d:#?}");
        }
    }

    #[test]
    fn fix_adds_the_dependency_step_before_the_source() {
        let text = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n";
        let d = lint(GO, text);
        assert_eq!(d.len(), 1, "{d:#?}");
        let fix = d[0].fix.as_ref().expect("a fix");
        let edits: Vec<_> = fix.edits.iter().collect();
        let (fixed, _) = apply_edits(text, &edits);
        assert_eq!(
            fixed,
            "FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n"
        );
        assert!(lint(GO, &fixed).is_empty());
        // In the file's own line endings.
        let crlf = text.replace('\n', "\r\n");
        let d = lint(GO, &crlf);
        let edits: Vec<_> = d[0].fix.iter().flat_map(|f| f.edits.iter()).collect();
        assert_eq!(apply_edits(&crlf, &edits).0, fixed.replace('\n', "\r\n"));
        // No fix where the build runs elsewhere than the copy lands, through a wrapper, or
        // for Cargo.
        for text in [
            "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN cd cmd && go build -o /app .\n",
            "FROM golang:1.22\nWORKDIR /src\nCOPY . /go/src/app\nRUN cd /go/src/app && go build -o /app .\n",
        ] {
            let d = lint(GO, text);
            assert_eq!(d.len(), 1, "{text}");
            assert!(d[0].fix.is_none(), "{text}");
        }
        let local = &[
            "go.mod: module x\\nrequire y v1\\nreplace y => ./y",
            "y/go.mod: module y",
            "main.go: x",
        ];
        let d = lint(
            local,
            "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n",
        );
        assert!(d.len() == 1 && d[0].fix.is_none(), "{d:#?}");
        let d = lint(
            JVM,
            "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN ./mvnw package\n",
        );
        assert!(d.len() == 1 && d[0].fix.is_none());
        let d = lint(
            RUST,
            "FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build\n",
        );
        assert!(d.len() == 1 && d[0].fix.is_none());
    }
}
