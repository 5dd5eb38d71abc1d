//! install-manifest-missing: a dependency install reads a manifest (`requirements.txt`,
//! `package-lock.json`, `go.mod`, …) that is not in the image when the RUN executes.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::copy_dest::{forgotten_destination, forgotten_destination_of};
use crate::model::deps::{context_trusted, install_config, yarn_path};
use crate::model::{path, CopyFrom, EntryKind, Model, Origin, RunStep, Stage};
use crate::rules::{FixAvailability, Rule};
use crate::shell::{CommandKind, ManifestRead, Tool, ToolCommand};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "install-manifest-missing",
    group: "correctness",
    severity: Severity::Error,
    summary: "an install step reads a manifest that is not in the image at that point",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/install-manifest-missing.md"),
    aliases: &[],
    default: true,
    check,
};

/// Environment variables that make a tool read a manifest other than the one it implies.
const REDIRECTING_VARS: &[(Tool, &str)] = &[
    (Tool::Bundler, "BUNDLE_GEMFILE"),
    (Tool::Pipenv, "PIPENV_PIPFILE"),
    (Tool::Composer, "COMPOSER"),
    (Tool::Npm, "npm_config_prefix"),
    (Tool::Npm, "NPM_CONFIG_PREFIX"),
    (Tool::Go, "GOFLAGS"),
    (Tool::Uv, "UV_PROJECT"),
    (Tool::Poetry, "POETRY_PROJECT_DIR"),
];

/// A context COPY in `stage` (or a stage it is built on) before `before`: what it brought in
/// could be anything when the context is not the build's.
fn copies_from_context_before(m: &Model, stage: &Stage, before: usize) -> bool {
    let mut st = Some(stage);
    let mut limit = before;
    let mut depth = 0;
    while let Some(s) = st {
        if m.copies
            .range(s.instrs.start..limit.min(s.instrs.end))
            .any(|(_, c)| c.from == CopyFrom::Context)
        {
            return true;
        }
        depth += 1;
        st = match s.base {
            crate::model::Base::Stage(p) if depth < 16 => m.stages.get(p),
            _ => None,
        };
        limit = usize::MAX;
    }
    false
}

/// Where else the file is: copied into the image elsewhere (with the COPY), or present in the
/// context but never copied, or excluded there by `.dockerignore`.
enum Elsewhere {
    Copied { at: String, instr: usize },
    InContext(String),
    Ignored(String),
    Nowhere,
}

fn find_elsewhere(m: &Model, stage: &Stage, before: usize, cand: &str) -> Elsewhere {
    let name = path::base_name(cand);
    // The stage's own copies, latest first.
    for e in stage.fs.iter().rev().filter(|e| e.instr < before) {
        match &e.kind {
            EntryKind::Path { dir: false, .. } if path::base_name(&e.path) == name => {
                return Elsewhere::Copied {
                    at: e.path.clone(),
                    instr: e.instr,
                };
            }
            EntryKind::Tree(Origin::Context(d)) => {
                if let Some(ctx) = m.context {
                    let cp = path::join(d, cand);
                    if ctx.exists(&cp) && ctx.is_ignored(&cp).is_none() {
                        return Elsewhere::Copied {
                            at: path::join(&e.path, cand),
                            instr: e.instr,
                        };
                    }
                }
            }
            _ => {}
        }
    }
    let Some(ctx) = m.context else {
        return Elsewhere::Nowhere;
    };
    let rel = path::clean(cand.trim_start_matches('/'));
    if ctx.exists(&rel) {
        return if ctx.is_ignored(&rel).is_some() {
            Elsewhere::Ignored(rel)
        } else {
            Elsewhere::InContext(rel)
        };
    }
    ctx.suggest(&rel, 5000)
        .into_iter()
        .find(|s| path::base_name(s).eq_ignore_ascii_case(name))
        .map(Elsewhere::InContext)
        .unwrap_or(Elsewhere::Nowhere)
}

/// `c` with `$NAME` / `${NAME}` replaced by the ARG/ENV values in force at `r`, when every
/// variable it names has one and the script does not set it itself; `c` when it names none.
fn expand_known(m: &Model, r: usize, step: &RunStep, c: &str) -> Option<String> {
    if !c.contains('$') {
        return Some(c.to_string());
    }
    let mut names = Vec::new();
    let mut rest = c;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let body = rest.strip_prefix('{').unwrap_or(rest);
        let end = body
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .unwrap_or(body.len());
        if end == 0 {
            return None;
        }
        names.push(&body[..end]);
    }
    let set_in_script = |n: &str| {
        m.run_steps(r).iter().any(|s| {
            s.cmd
                .assignments
                .iter()
                .any(|a| a.value.split('=').next() == Some(n))
                || (s.cmd.program() == Some("export")
                    && s.cmd
                        .args()
                        .iter()
                        .any(|a| a.value.split('=').next() == Some(n)))
        })
    };
    if names
        .iter()
        .any(|n| m.var_at(r, n).is_none() || set_in_script(n))
    {
        return None;
    }
    let _ = step;
    Some(m.expand_at(r, c))
}

fn either(cands: &[String]) -> String {
    let q: Vec<String> = cands.iter().map(|c| format!("`{c}`")).collect();
    match q.len() {
        0 | 1 => q.concat(),
        n => format!("{} or {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    // Judged once, and only for a file that has an install step to check: it lists the context.
    let trusted_once = std::cell::OnceCell::new();
    let trusted = || *trusted_once.get_or_init(|| context_trusted(m));
    // Whether any COPY forgot its destination: only then is a manifest that is present worth
    // a second look.
    let slips_once = std::cell::OnceCell::new();
    let slips = || {
        *slips_once.get_or_init(|| {
            m.copies
                .values()
                .any(|c| forgotten_destination(m, c).is_some())
        })
    };
    for stage in &m.stages {
        for r in stage.instrs.clone() {
            if m.instruction(r).keyword != Keyword::Run {
                continue;
            }
            for step in m.run_steps(r) {
                if let Some(d) = check_step(m, stage, r, step, &trusted, &slips) {
                    out.push(d);
                }
            }
        }
    }
}

fn check_step(
    m: &Model,
    stage: &Stage,
    r: usize,
    step: &RunStep,
    trusted: &dyn Fn() -> bool,
    slips: &dyn Fn() -> bool,
) -> Option<Diagnostic> {
    let tc = step.tool.as_ref()?;
    // A command that may not run, or whose failure the script ignores, cannot fail the build.
    if step.cmd.is_conditional() || step.cmd.failure_ignored() {
        return None;
    }
    let dir = step.dir.as_deref()?;
    // Windows paths (`C:\app`) are beyond the POSIX path model.
    if dir.contains([':', '\\']) {
        return None;
    }
    // Variables that point the tool at another manifest.
    let redirected = REDIRECTING_VARS.iter().any(|(tool, var)| {
        *tool == tc.tool && (tc.env_value(var).is_some() || m.var_at(r, var).is_some())
    });
    if redirected {
        return None;
    }
    let earlier = &m.run_steps(r)[..step.cmd.index.min(m.run_steps(r).len())];
    for (k, read) in tc.reads.iter().enumerate().filter(|(_, r)| r.required) {
        let cands: Option<Vec<String>> = read
            .candidates
            .iter()
            .map(|c| expand_known(m, r, step, c))
            .collect();
        let Some(cands) = cands.filter(|c| !c.is_empty()) else {
            continue;
        };
        if cands
            .iter()
            .any(|c| c.contains(['$', '`', '*', '?', '[', '{', '~']))
        {
            continue;
        }
        let paths: Vec<String> = cands.iter().map(|c| path::resolve(dir, c)).collect();
        let absent = |p: &String| {
            m.lookup_file_during_run(r, p).is_absent() && !earlier.iter().any(|s| s.may_create(p))
        };
        if !paths.iter().all(absent) {
            if slips() {
                if let Some(d) = holds_another_file(m, stage, r, tc, read, &paths) {
                    return Some(d);
                }
            }
            continue;
        }
        // A bind mount meant to show the file: when its source is missing, the mount fails
        // before the install runs, and that is another finding.
        let mounted = m.mounts.get(&r).into_iter().flatten().any(|mt| {
            mt.kind == "bind"
                && paths
                    .iter()
                    .any(|p| path::strip_dir(p, &mt.target).is_some())
        });
        if mounted {
            continue;
        }
        if !trusted() && copies_from_context_before(m, stage, r) {
            return None;
        }
        return Some(report(m, stage, r, tc, k, read, &cands, &paths, dir));
    }
    if tc.kind == CommandKind::DependencyInstall && trusted() {
        return settings_missing(m, stage, r, step, tc, dir);
    }
    None
}

/// Settings files the build context has beside the `package.json` this install reads
/// (`pnpm-workspace.yaml`, `.npmrc`, `.yarnrc.yml`, `bunfig.toml`) that are not in the image:
/// the install runs, but not as the project set it up. And the Yarn release a copied
/// `.yarnrc.yml` names, without which Yarn does not start.
fn settings_missing(
    m: &Model,
    stage: &Stage,
    r: usize,
    step: &RunStep,
    tc: &ToolCommand,
    dir: &str,
) -> Option<Diagnostic> {
    let ctx = m.context?;
    if install_config(tc.tool, false).is_empty() {
        return None;
    }
    let found = m
        .lookup(stage.index, &path::join(dir, "package.json"), r)
        .found?;
    let Some(Origin::Context(manifest)) = found.origin else {
        return None;
    };
    let ctx_dir = match manifest.rfind('/') {
        Some(k) => manifest[..k].to_string(),
        None => String::new(),
    };
    let in_context = |name: &str| {
        let cp = path::join(&ctx_dir, name);
        (ctx.exists(&cp) && ctx.is_ignored(&cp).is_none()).then_some(cp)
    };
    let berry = in_context(".yarnrc.yml").is_some();
    // What the context has, before asking the image about any of it.
    let present: Vec<(&str, String)> = install_config(tc.tool, berry)
        .into_iter()
        .filter_map(|name| Some((name, in_context(name)?)))
        .collect();
    if present.is_empty() && !(tc.tool == Tool::Yarn && berry) {
        return None;
    }
    let earlier = &m.run_steps(r)[..step.cmd.index.min(m.run_steps(r).len())];
    let mounted = |p: &str| {
        m.mounts.get(&r).into_iter().flatten().any(|mt| {
            path::strip_dir(p, &mt.target).is_some()
                || (p.ends_with("/.npmrc") && mt.target.ends_with("/.npmrc"))
        })
    };
    let absent = |p: &str| {
        m.lookup_file_during_run(r, p).is_absent()
            && !earlier.iter().any(|s| s.may_create(p))
            && !mounted(p)
    };
    // A user-level `.npmrc` (or one named by `NPM_CONFIG_USERCONFIG`) stands in for the project's.
    let user_npmrc = || {
        ["NPM_CONFIG_USERCONFIG", "npm_config_userconfig"]
            .iter()
            .any(|v| tc.env_value(v).is_some() || m.var_at(r, v).is_some())
            || ["/root/.npmrc", "/home/node/.npmrc", "/usr/local/etc/npmrc"]
                .iter()
                .any(|p| m.lookup(stage.index, p, r).found.is_some() || mounted(p))
    };
    let mut missing: Vec<(String, String)> = Vec::new();
    for (name, cp) in present {
        let image = path::join(dir, name);
        if absent(&image) && !(name == ".npmrc" && user_npmrc()) {
            missing.push((cp, image));
        }
    }
    let install = m.snippet(tc.span, 60);
    // The release Yarn runs from: without it Yarn stops before installing anything.
    if tc.tool == Tool::Yarn && !missing.iter().any(|(cp, _)| cp.ends_with(".yarnrc.yml")) {
        if let Some(d) = yarn_release_missing(m, tc, dir, &ctx_dir, &absent) {
            return Some(d);
        }
    }
    if missing.is_empty() {
        return None;
    }
    let images: Vec<String> = missing.iter().map(|(_, i)| i.clone()).collect();
    let sources: Vec<String> = missing.iter().map(|(c, _)| c.clone()).collect();
    let workdir = m.workdir_at(r);
    let dest = if dir == workdir {
        "./".to_string()
    } else {
        format!("{}/", dir.trim_end_matches('/'))
    };
    let mut help = format!("add `COPY {} {dest}` before this RUN", sources.join(" "));
    if missing.iter().any(|(c, _)| c.ends_with(".npmrc")) {
        help.push_str(&format!(
            "; an `.npmrc` that holds a token is better mounted for the install alone: `RUN --mount=type=secret,id=npmrc,target={} …`",
            path::join(dir, ".npmrc")
        ));
    }
    Some(
        Diagnostic::new(
            RULE.name,
            Severity::Warning,
            format!(
                "`{install}` reads {}, which the build context has beside `{manifest}` but the image does not have at this point",
                list_and(&images),
            ),
            tc.span,
        )
        .label(format!("installs without {}", list_and(&sources)))
        .help(help),
    )
}

/// A copied `.yarnrc.yml` whose `yarnPath` release the image lacks.
fn yarn_release_missing(
    m: &Model,
    tc: &ToolCommand,
    dir: &str,
    ctx_dir: &str,
    absent: &dyn Fn(&str) -> bool,
) -> Option<Diagnostic> {
    let ctx = m.context?;
    let rc = path::join(ctx_dir, ".yarnrc.yml");
    let release = yarn_path(&ctx.read_to_string(&rc, 64 * 1024)?)?;
    if release.starts_with('/') || release.contains("..") || release.contains('$') {
        return None;
    }
    let image = path::join(dir, &release);
    let cp = path::join(ctx_dir, &release);
    if !absent(&image) || !ctx.exists(&cp) || ctx.is_ignored(&cp).is_some() {
        return None;
    }
    let parent = |p: &str| match p.rfind('/') {
        Some(k) => format!("{}/", &p[..k]),
        None => "./".into(),
    };
    Some(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "`{}` runs Yarn from `{image}`, the `yarnPath` of `.yarnrc.yml`, which is not in the image at this point",
                m.snippet(tc.span, 60)
            ),
            tc.span,
        )
        .label(format!("needs `{release}`"))
        .help(format!(
            "add `COPY {} {}` before this RUN",
            parent(&cp),
            parent(&release)
        )),
    )
}

fn list_and(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|c| format!("`{c}`")).collect();
    match q.len() {
        0 | 1 => q.concat(),
        n => format!("{} and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

/// The manifest is there, but it is another file of the context under the manifest's name: the
/// COPY that put it there took its last word, the manifest, as the destination.
fn holds_another_file(
    m: &Model,
    stage: &Stage,
    r: usize,
    tc: &ToolCommand,
    read: &ManifestRead,
    paths: &[String],
) -> Option<Diagnostic> {
    let (p, found) = paths
        .iter()
        .find_map(|p| Some((p, m.lookup(stage.index, p, r).found?)))?;
    let copy = m.copies.get(&found.instr)?;
    let f = forgotten_destination(m, copy).filter(|f| &f.copied_to == p)?;
    let copy_span = m.instruction(f.instr).span;
    Some(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "`{}` reads `{p}`, which holds `{}`: `{}` took `{}` as the destination",
                m.snippet(tc.span, 60),
                f.source,
                m.snippet(copy_span, 60),
                f.dest_word
            ),
            read.span.unwrap_or(tc.span),
        )
        .label(format!("reads `{}` as `{}`", f.source, f.dest_word))
        .secondary(copy_span, format!("copies `{}` to `{p}`", f.source))
        .help(format!(
            "end the COPY with a destination: `{}`",
            f.suggestion
        )),
    )
}

#[allow(clippy::too_many_arguments)]
fn report(
    m: &Model,
    stage: &Stage,
    r: usize,
    tc: &ToolCommand,
    k: usize,
    read: &ManifestRead,
    cands: &[String],
    paths: &[String],
    dir: &str,
) -> Diagnostic {
    let install = m.snippet(tc.span, 60);
    let span = read.span.unwrap_or(tc.span);
    // The first read is the manifest itself; a later one (a lock file) is read beside it.
    let what = if read.span.is_none() && k > 0 && cands.len() > 1 {
        format!(
            "needs {} in `{dir}`, and neither is in the image at this point",
            either(cands)
        )
    } else {
        format!(
            "reads `{}`, which is not in the image at this point",
            paths[0]
        )
    };
    let cand = &cands[0];
    let elsewhere = read
        .candidates
        .iter()
        .map(|c| find_elsewhere(m, stage, r, c))
        .find(|e| !matches!(e, Elsewhere::Nowhere))
        .unwrap_or(Elsewhere::Nowhere);
    let workdir = m.workdir_at(r);
    let rel_dest = |image_dir: &str| {
        if image_dir == workdir {
            "./".to_string()
        } else {
            format!("{}/", image_dir.trim_end_matches('/'))
        }
    };
    let target_dir = match paths[0].rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => paths[0][..i].to_string(),
    };
    let forgotten = match &elsewhere {
        Elsewhere::InContext(cp) => forgotten_destination_of(m, stage.index, r, cp),
        _ => None,
    };
    let (where_, help, secondary) = match (&elsewhere, &forgotten) {
        (Elsewhere::Copied { at, instr }, _) => (
            format!("; it was copied to `{at}`"),
            format!(
                "copy it to `{}` instead, or point the install at `{at}`",
                paths[0]
            ),
            Some((m.instruction(*instr).span, format!("copied to `{at}` here"))),
        ),
        (_, Some(f)) => (
                format!(
                    "; `{}` copied it to `{}`, taking `{}` as the destination",
                    m.snippet(m.instruction(f.instr).span, 60),
                    f.copied_to,
                    f.dest_word
                ),
                format!("end the COPY with a destination: `{}`", f.suggestion),
                Some((
                    m.instruction(f.instr).span,
                    format!("copies `{}` to `{}`", f.source, f.copied_to),
                )),
        ),
        (Elsewhere::InContext(cp), None) => (
            format!("; it is in the build context at `{cp}` but never copied"),
            format!("add `COPY {cp} {}` before this RUN", rel_dest(&target_dir)),
            None,
        ),
        (Elsewhere::Ignored(cp), _) => (
            format!("; the build context has `{cp}` but `.dockerignore` excludes it"),
            format!("stop excluding `{cp}` in `.dockerignore` and copy it before this RUN"),
            None,
        ),
        (Elsewhere::Nowhere, _) if m.context.is_some() => (
            String::new(),
            format!(
                "the build context has no `{}` either: add it there and copy it into `{}` before this RUN",
                path::base_name(cand),
                target_dir
            ),
            None,
        ),
        (Elsewhere::Nowhere, _) => (
            String::new(),
            format!(
                "copy `{}` into `{}` before this RUN",
                path::base_name(cand),
                target_dir
            ),
            None,
        ),
    };
    let mut d = Diagnostic::new(
        RULE.name,
        RULE.severity,
        format!("`{install}` {what}{where_}"),
        span,
    )
    .label(if read.span.is_some() {
        "this file is not in the image here".to_string()
    } else {
        format!("needs {}", either(cands))
    })
    .help(help);
    if let Some((s, text)) = secondary {
        d = d.secondary(s, text);
    }
    d
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostic;
    use crate::rules::test_context::run;

    fn lint(files: &[&str], text: &str) -> Vec<Diagnostic> {
        run("install-manifest-missing", files, "Dockerfile", text)
    }

    const PY: &[&str] = &["src/requirements.txt: flask", "src/server.py: 1"];
    const APP: &[&str] = &["requirements.txt: flask", "app.py: print(1)"];
    const PNPM: &[&str] = &[
        "package.json: {}",
        "pnpm-lock.yaml: x",
        "pnpm-workspace.yaml: packages:\\n  - packages/*",
        ".npmrc: registry=https://r.example.com",
    ];
    const BERRY: &[&str] = &[
        "package.json: {}",
        "yarn.lock: x",
        ".yarnrc.yml: yarnPath: .yarn/releases/yarn-4.1.0.cjs",
        ".yarn/releases/yarn-4.1.0.cjs: x",
    ];

    #[test]
    fn flagged() {
        for (files, text, needle) in [
            (PY, "FROM python:3\nWORKDIR /app\nRUN pip install -r requirements.txt\n", "at `src/requirements.txt` but never copied"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY src/requirements.txt /tmp/\nRUN pip install -r requirements.txt\n", "copied to `/tmp/requirements.txt`"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY src/ src/\nRUN pip install -r requirements.txt\n", "copied to `/app/src/requirements.txt`"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN apt-get update && python -m pip install -r requirements.txt\n", "never copied"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN [\"pip\", \"install\", \"-r\", \"requirements.txt\"]\n", "never copied"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN <<EOF\npip install -r requirements.txt\nEOF\n", "never copied"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN sh -c \"cd /app && pip install -r requirements.txt\"\n", "never copied"),
            (PY, "FROM python:3\nARG REQ=requirements.txt\nWORKDIR /app\nRUN pip install -r ${REQ}\n", ""),
            (&["package.json: {}", "index.js: 1"][..], "FROM node:20\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\n", "`package-lock.json` or `npm-shrinkwrap.json`"),
            (&["go.sum: ", "main.go: 1"][..], "FROM golang:1\nWORKDIR /src\nCOPY go.sum .\nRUN go mod download\n", "/src/go.mod"),
            (&["Gemfile: x", "app.rb: 1"][..], "FROM ruby:3\nWORKDIR /app\nRUN bundle install\n", "never copied"),
            (&["composer.json: {}"][..], "FROM php:8\nWORKDIR /app\nRUN composer install\n", "never copied"),
            (&["pyproject.toml: x"][..], "FROM python:3\nWORKDIR /app\nRUN poetry install\n", "never copied"),
            (&["pyproject.toml: x", "uv.lock: x"][..], "FROM python:3\nWORKDIR /app\nCOPY pyproject.toml .\nRUN uv sync --locked\n", "uv.lock"),
            (&["pom.xml: x"][..], "FROM maven:3\nWORKDIR /app\nRUN mvn dependency:go-offline\n", "never copied"),
            (&["build.gradle: x"][..], "FROM gradle:8\nWORKDIR /home/gradle/app\nRUN gradle dependencies\n", "never copied"),
            (&["package.json: {}", "yarn.lock: x"][..], "FROM node:20\nWORKDIR /app\nRUN yarn install --frozen-lockfile\n", "never copied"),
            (&["package.json: {}", "pnpm-lock.yaml: x"][..], "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN pnpm install --frozen-lockfile\n", "pnpm-lock.yaml"),
            (&["requirements.txt: x", ".dockerignore: *.txt"][..], "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n", "`.dockerignore` excludes it"),
            (PY, "FROM python:3 AS base\nWORKDIR /app\nFROM base\nRUN pip install -r requirements.txt\n", "never copied"),
            (PY, "FROM scratch\nRUN pip install -r /requirements.txt\n", ""),
            (APP, "FROM python:3\nWORKDIR /app\nCOPY app.py requirements.txt\nRUN pip install -r requirements.txt\n", "which holds `app.py`: `COPY app.py requirements.txt` took `requirements.txt` as the destination"),
            (APP, "FROM python:3\nWORKDIR /app\nCOPY requirements.txt app.py\nRUN pip install -r requirements.txt\n", "copied it to `/app/app.py`, taking `app.py` as the destination"),
            (&["composer.json: {}", "index.php: 1"][..], "FROM php:8.3-apache\nWORKDIR /var/www/html\nRUN composer install\n", "never copied"),
            (&["composer.json: {}", "index.php: 1"][..], "FROM php:8.3-fpm-alpine\nRUN cd /var/www/html && composer install\n", "never copied"),
            (PNPM, "FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .\n", "reads `/app/pnpm-workspace.yaml` and `/app/.npmrc`, which the build context has beside `package.json`"),
            (&["package.json: {}", "package-lock.json: {}", ".npmrc: registry=https://r.example.com"][..], "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n", "reads `/app/.npmrc`"),
            (&["package.json: {}", "bun.lock: x", "bunfig.toml: [install]"][..], "FROM oven/bun:1\nWORKDIR /app\nCOPY package.json bun.lock ./\nRUN bun install --frozen-lockfile\n", "reads `/app/bunfig.toml`"),
            (&["web/package.json: {}", "web/yarn.lock: x", "web/.yarnrc.yml: nodeLinker: node-modules"][..], "FROM node:20\nWORKDIR /app\nCOPY web/package.json web/yarn.lock ./\nRUN yarn install --immutable\n", "reads `/app/.yarnrc.yml`, which the build context has beside `web/package.json`"),
            (BERRY, "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN yarn install --immutable\n", "runs Yarn from `/app/.yarn/releases/yarn-4.1.0.cjs`"),
        ] {
            let d = lint(files, text);
            assert_eq!(d.len(), 1, "{text}\n{d:#?}");
            assert!(d[0].message.contains(needle), "{text}\n{}", d[0].message);
        }
    }

    #[test]
    fn left_alone() {
        for (files, text) in [
            (PY, "FROM python:3\nWORKDIR /app\nCOPY src/requirements.txt .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY src/ .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nRUN pip install -r /opt/requirements.txt\n"),
            (PY, "FROM python:3\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN git clone https://example.com/r.git . \nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN curl -fsSLO https://example.com/requirements.txt\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN echo flask > requirements.txt && pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN --mount=type=bind,source=src/requirements.txt,target=requirements.txt pip install -r requirements.txt\n"),
            (PY, "FROM python:3 AS deps\nWORKDIR /app\nCOPY src/requirements.txt .\nFROM python:3\nWORKDIR /app\nCOPY --from=deps /app/requirements.txt .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3 AS deps\nWORKDIR /app\nCOPY src/requirements.txt .\nFROM deps\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN test -f requirements.txt && pip install -r requirements.txt || true\n"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN if [ -f requirements.txt ]; then pip install -r requirements.txt; fi\n"),
            (PY, "FROM python:3\nWORKDIR /app\nONBUILD COPY . .\nONBUILD RUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nCOPY --from=other-image:1 /app/ ./\nRUN pip install -r requirements.txt\n"),
            (&["package.json: {}", "package-lock.json: {}"][..], "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"),
            (&["package.json: {}"][..], "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\n"),
            (&["package.json: {}"][..], "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm install && npm ci\n"),
            (&["go.mod: x", "go.sum: x"][..], "FROM golang:1\nWORKDIR /src\nCOPY go.* ./\nRUN go mod download\n"),
            (&["Gemfile: x"][..], "FROM ruby:3\nWORKDIR /app\nCOPY Gemfile ./\nRUN bundle install\n"),
            (&["web/package.json: {}", "web/package-lock.json: {}"][..], "FROM node:20\nWORKDIR /app\nCOPY web/ web/\nRUN cd web && npm ci\n"),
            (&["web/package.json: {}", "web/package-lock.json: {}"][..], "FROM node:20\nWORKDIR /app\nCOPY web/ web/\nRUN npm ci --prefix web\n"),
            // A context that is not the build's: a COPY names a source it lacks.
            (&["Dockerfile.dev: x"][..], "FROM python:3\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"),
            (&["Dockerfile.dev: x"][..], "FROM python:3\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n"),
            (PY, "FROM python:3\nWORKDIR /app\nRUN --mount=type=bind,source=requirements.txt,target=requirements.txt pip install -r requirements.txt\n"),
            (&["x/Gemfile: x"][..], "FROM ruby:3\nENV BUNDLE_GEMFILE=/app/x/Gemfile\nWORKDIR /app\nRUN bundle install\n"),
            (PY, "FROM python:3-onbuild\nWORKDIR /usr/src/app\nRUN pip install -r requirements.txt\n"),
            (PY, "# escape=`\nFROM python:3\nWORKDIR /app\nCOPY src/requirements.txt .\nRUN pip install `\n  -r requirements.txt\n"),
            (APP, "FROM python:3\nWORKDIR /app\nCOPY app.py requirements.txt ./\nRUN pip install -r requirements.txt\n"),
            (APP, "FROM python:3\nWORKDIR /app\nCOPY requirements.txt reqs.txt\nRUN pip install -r reqs.txt\n"),
            (&["requirements.txt: x", "requirements-prod.txt: x"][..], "FROM python:3\nWORKDIR /app\nCOPY requirements-prod.txt requirements.txt\nRUN pip install -r requirements.txt\n"),
            (&["composer.json: {}"][..], "FROM wordpress:6\nWORKDIR /var/www/html\nRUN composer install\n"),
            (&["composer.json: {}"][..], "FROM php:8.3-apache\nWORKDIR /var/www\nRUN composer install\n"),
            (&["composer.json: {}"][..], "FROM myorg/php:8\nWORKDIR /var/www/html\nRUN composer install\n"),
            (PNPM, "FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./\nRUN pnpm install --frozen-lockfile\n"),
            (PNPM, "FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc pnpm install --frozen-lockfile\n"),
            (PNPM, "FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nCOPY .npmrc /root/.npmrc\nRUN pnpm install --frozen-lockfile\n"),
            (PNPM, "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n"),
            (&["package.json: {}", "package-lock.json: {}", ".npmrc: x", ".dockerignore: .npmrc"][..], "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"),
            // `npm ci` reads no pnpm workspace file; Yarn 2+ reads no `.npmrc`.
            (&["package.json: {}", "package-lock.json: {}", "pnpm-workspace.yaml: x"][..], "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"),
            (&["package.json: {}", "yarn.lock: x", ".yarnrc.yml: nodeLinker: node-modules", ".npmrc: x"][..], "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN yarn install --immutable\n"),
            (BERRY, "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nCOPY .yarn/releases .yarn/releases\nRUN yarn install --immutable\n"),
            (PNPM, "FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile || true\n"),
        ] {
            let d = lint(files, text);
            assert!(d.is_empty(), "{text}\n{d:#?}");
        }
    }

    #[test]
    fn dockerfile_in_a_subdirectory_with_context_at_the_root() {
        let files = &["src/requirements.txt: x", "src/app.py: 1"];
        let text =
            "FROM python:3\nWORKDIR /app\nCOPY src/app.py .\nRUN pip install -r requirements.txt\n";
        let d = run("install-manifest-missing", files, "docker/Dockerfile", text);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("`src/requirements.txt`"),
            "{}",
            d[0].message
        );
    }
}
