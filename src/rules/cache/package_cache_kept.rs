//! package-cache-kept: a package manager leaves its download cache or index in a layer of the
//! image the build ships (pip, apt lists, apk, npm, yarn), where it only adds size.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{path, Base, Model};
use crate::rules::{FixAvailability, Rule};
use crate::shell::{
    recognise, working_dirs, CacheTarget, CommandKind, SimpleCommand, Tool, ToolCommand,
};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "package-cache-kept",
    group: "cache",
    severity: Severity::Info,
    summary: "a package manager's cache is left in an image layer",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/package-cache-kept.md"),
    aliases: &[
        "DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042", "DL3060",
    ],
    default: true,
    check,
};

/// The stages whose layers end up in the image the build produces: the last stage and the
/// stages it is built on. Caches in other stages are thrown away with them.
fn shipped_stages(m: &Model) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = m.image_stage().map(|s| s.index);
    while let Some(s) = at {
        if out.contains(&s) || out.len() > 64 {
            break;
        }
        out.push(s);
        at = match m.stages[s].base {
            Base::Stage(p) => Some(p),
            _ => None,
        };
    }
    out.reverse();
    out
}

/// BuildKit is certainly in use when the file asks for a frontend or uses `--mount`.
fn uses_buildkit(m: &Model) -> bool {
    m.file.directives.iter().any(|d| d.name == "syntax") || !m.mounts.is_empty()
}

/// A recognised command with its position among the RUN's commands.
struct Step {
    at: usize,
    cmd: SimpleCommand,
    tc: ToolCommand,
}

/// Everything the checks need about one RUN.
struct Run<'a> {
    m: &'a Model<'a>,
    instr: usize,
    cmds: &'a [SimpleCommand],
    steps: Vec<Step>,
    /// Targets of `--mount=type=cache` and `type=tmpfs`: what is written there stays out of the layer.
    mounted: Vec<String>,
    /// The home directory of the user the RUN runs as, when known.
    home: Option<String>,
    /// A Windows image: caches live elsewhere and BuildKit mounts do not apply.
    windows: bool,
}

impl Run<'_> {
    /// A path under the home directory (`rel` like `.cache/pip`) or an absolute path, as the
    /// user should read it.
    /// ` in `DIR``, naming where the cache is; nothing on Windows, where the paths differ.
    fn in_dir(&self, dir: &str) -> String {
        if self.windows {
            String::new()
        } else {
            format!(" in `{dir}`")
        }
    }

    fn show(&self, rel: &str) -> String {
        if rel.starts_with('/') {
            return rel.to_string();
        }
        match &self.home {
            Some(h) => format!("{}/{rel}", h.trim_end_matches('/')),
            None => format!("~/{rel}"),
        }
    }

    /// `dir` (absolute, or relative to the home directory) lies in a cache or tmpfs mount.
    fn mounted(&self, dir: &str) -> bool {
        self.mounted
            .iter()
            .any(|t| covers(t, dir, self.home.as_deref()))
    }

    /// A command after position `after` removes `dir` (or a directory holding it), or is a
    /// clean command for `target`.
    fn removed_after(&self, after: usize, dir: &str, target: CacheTarget) -> bool {
        let cleaned = self
            .steps
            .iter()
            .any(|s| s.at > after && s.tc.cleans.contains(&target));
        let home = self.home.as_deref();
        let dirs = working_dirs(self.cmds);
        let workdir = self.m.workdir_at(self.instr);
        cleaned
            || self.cmds.iter().skip(after + 1).any(|c| {
                // Where a relative operand points: `cd /var/lib && rm -rf apt`.
                let here = match dirs.get(c.index).cloned().flatten() {
                    None => Some(workdir.to_string()),
                    Some(d) if d.starts_with('/') => Some(d),
                    Some(d) if d.starts_with('~') || d.starts_with('$') => None,
                    Some(d) => Some(path::join(workdir, &d)),
                };
                c.program() == Some("rm")
                    && c.args()
                        .iter()
                        .filter(|w| !w.value.starts_with('-'))
                        .flat_map(|w| braces(&w.value))
                        .any(|v| {
                            let mut v = expand_home(&v, home);
                            // `lists/*_*` empties the directory as well as `lists/*` does.
                            if let Some((parent, last)) = v.rsplit_once('/') {
                                let all = last.contains('*')
                                    && last.chars().all(|c| matches!(c, '*' | '?' | '_'));
                                if all && !parent.is_empty() {
                                    v = parent.to_string();
                                }
                            }
                            let abs = if v.starts_with('/') || v.starts_with('~') {
                                Some(v)
                            } else {
                                here.as_deref().map(|h| path::resolve(h, &v))
                            };
                            abs.is_some_and(|a| covers(&a, dir, home))
                        })
            })
    }

    /// The value of an environment variable for a command: its prefix, an `export` earlier in
    /// the RUN, or ARG/ENV in force.
    fn env(&self, tc: &ToolCommand, at: usize, name: &str) -> Option<String> {
        if let Some(v) = tc.env_value(name) {
            return Some(v.to_string());
        }
        let exported = self.cmds[..at.min(self.cmds.len())]
            .iter()
            .rev()
            .filter(|c| c.program() == Some("export"))
            .flat_map(|c| c.args())
            .filter_map(|w| w.value.split_once('='))
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .next();
        exported.or_else(|| self.m.var_at(self.instr, name).map(str::to_string))
    }
}

/// Brace expansion as bash does it for an `rm` operand: `/var/lib/{apt,dpkg}` is two paths.
fn braces(v: &str) -> Vec<String> {
    let open = v.find('{');
    let close = open.and_then(|o| v[o..].find('}').map(|c| o + c));
    match (open, close) {
        (Some(o), Some(c)) if v[o + 1..c].contains(',') => v[o + 1..c]
            .split(',')
            .flat_map(|alt| braces(&format!("{}{alt}{}", &v[..o], &v[c + 1..])))
            .take(64)
            .collect(),
        _ => vec![v.to_string()],
    }
}

fn expand_home(v: &str, home: Option<&str>) -> String {
    let v = v.trim_end_matches('*').trim_end_matches('/');
    for pre in ["~", "$HOME", "${HOME}"] {
        if let Some(rest) = v.strip_prefix(pre) {
            return match home {
                Some(h) => format!("{}{rest}", h.trim_end_matches('/')),
                None => format!("~{rest}"),
            };
        }
    }
    v.to_string()
}

/// `outer` (a mount target or a removed path) is `dir` or one of its parents. A `dir` relative
/// to an unknown home directory is compared by its trailing components (`/.cache` covers
/// `.cache/pip` wherever home is); `/` and home itself are too broad to count.
fn covers(outer: &str, dir: &str, home: Option<&str>) -> bool {
    let outer = outer.trim_end_matches('/');
    if outer.is_empty() || outer == "~" {
        return false;
    }
    let dir = if dir.starts_with('/') {
        dir.to_string()
    } else {
        match home {
            Some(h) => format!("{}/{dir}", h.trim_end_matches('/')),
            None => {
                let mut p = dir;
                loop {
                    if outer.ends_with(&format!("/{p}")) || outer == format!("~/{p}") {
                        return true;
                    }
                    match p.rsplit_once('/') {
                        Some((a, _)) => p = a,
                        None => return false,
                    }
                }
            }
        }
    };
    if home.is_some_and(|h| h.trim_end_matches('/') == outer) {
        return false;
    }
    dir == outer || dir.starts_with(&format!("{outer}/"))
}

fn home_of(m: &Model, instr: usize) -> Option<String> {
    if let Some(h) = m.var_at(instr, "HOME") {
        return Some(h.to_string());
    }
    match m.states.get(instr).and_then(|s| s.user.as_deref()) {
        None => Some("/root".into()),
        Some(u) => {
            let name = u.split(':').next().unwrap_or(u);
            matches!(name, "root" | "0").then(|| "/root".to_string())
        }
    }
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let buildkit = uses_buildkit(m);
    // An apk index left by an earlier layer is reused, so later `apk add`s add none of their own.
    let mut apk_index_kept = false;
    let stages = shipped_stages(m);
    let windows = stages.first().is_some_and(|&s| match &m.stages[s].base {
        Base::Image(img) => {
            let img = img.to_ascii_lowercase();
            ["windows", "nanoserver", "servercore", "dotnet/framework"]
                .iter()
                .any(|w| img.contains(w))
        }
        _ => false,
    }) || stages.iter().any(|&s| {
        m.stages[s].end_state.shell.first().is_some_and(|sh| {
            let sh = sh.to_ascii_lowercase();
            let prog = sh.rsplit(['/', '\\']).next().unwrap_or(&sh);
            let prog = prog.strip_suffix(".exe").unwrap_or(prog);
            matches!(prog, "cmd" | "powershell" | "pwsh")
        })
    });
    let buildkit = buildkit && !windows;
    for si in stages {
        for i in m.stages[si].instrs.clone() {
            let ins = m.instruction(i);
            if ins.keyword != Keyword::Run || ins.error.is_some() {
                continue;
            }
            let cmds = m.commands(i);
            let steps = cmds
                .iter()
                .filter_map(|c| {
                    recognise(c).map(|tc| Step {
                        at: c.index,
                        cmd: c.clone(),
                        tc,
                    })
                })
                .collect();
            let mounted = m
                .mounts
                .get(&i)
                .into_iter()
                .flatten()
                .filter(|mt| mt.kind == "cache" || mt.kind == "tmpfs")
                .map(|mt| mt.target.clone())
                .collect();
            let run = Run {
                m,
                instr: i,
                cmds,
                steps,
                mounted,
                home: home_of(m, i),
                windows,
            };
            out.extend(pip(&run, buildkit));
            out.extend(apt(&run, buildkit));
            out.extend(apk(&run, buildkit, &mut apk_index_kept));
            out.extend(node(&run, buildkit, Tool::Npm));
            out.extend(node(&run, buildkit, Tool::Yarn));
            for tool in [Tool::Yum, Tool::Dnf, Tool::Microdnf, Tool::Zypper] {
                out.extend(rpm(&run, buildkit, tool));
            }
        }
    }
}

fn is_install(tc: &ToolCommand) -> bool {
    matches!(
        tc.kind,
        CommandKind::PackageInstall | CommandKind::DependencyInstall | CommandKind::WholeSourceStep
    )
}

fn name_of(s: &Step) -> String {
    let prog = s
        .cmd
        .argv
        .get(s.tc.argv_start)
        .map_or("", |w| w.value.as_str());
    let prog = prog.rsplit('/').next().unwrap_or(prog);
    match &s.tc.subcommand {
        Some(sub) => format!("{prog} {sub}"),
        None => prog.to_string(),
    }
}

fn pip(run: &Run, buildkit: bool) -> Option<Diagnostic> {
    let s = run.steps.iter().find(|s| {
        let tc = &s.tc;
        if tc.tool != Tool::Pip || tc.subcommand.as_deref() != Some("install") || !is_install(tc) {
            return false;
        }
        if tc.has_flag(&["--no-cache-dir", "--no-cache"])
            || run.env(tc, s.at, "PIP_NO_CACHE_DIR").is_some()
        {
            return false;
        }
        let dir = tc
            .option(&["--cache-dir"])
            .and_then(|o| o.value.as_ref())
            .map(|w| w.value.clone())
            .or_else(|| run.env(tc, s.at, "PIP_CACHE_DIR"))
            .map(|d| expand_home(&d, run.home.as_deref()))
            .unwrap_or_else(|| ".cache/pip".into());
        !run.mounted(&dir) && !run.removed_after(s.at, &dir, CacheTarget::Pip)
    })?;
    let dir = run.show(".cache/pip");
    let help = if buildkit {
        format!("add `--no-cache-dir`, or keep the cache out of the layer with `RUN --mount=type=cache,target={dir} {} …`", name_of(s))
    } else {
        "add `--no-cache-dir`, or set `ENV PIP_NO_CACHE_DIR=1` before the installs".to_string()
    };
    Some(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "`{}` keeps downloaded packages{} in the image",
                name_of(s),
                run.in_dir(&dir)
            ),
            s.tc.span,
        )
        .label("runs without `--no-cache-dir`")
        .help(help)
        .answers_to(&["DL3042"]),
    )
}

fn apt(run: &Run, buildkit: bool) -> Option<Diagnostic> {
    let apt_step = |kind| move |s: &&Step| s.tc.tool == Tool::AptGet && s.tc.kind == kind;
    // Lists fetched by an earlier layer are in that layer whatever this RUN removes, so only a
    // RUN that fetches them and installs from them is at fault.
    let last_update = run
        .steps
        .iter()
        .rev()
        .find(apt_step(CommandKind::IndexUpdate))?;
    let first_update = run.steps.iter().find(apt_step(CommandKind::IndexUpdate))?;
    let install = run
        .steps
        .iter()
        .filter(apt_step(CommandKind::PackageInstall))
        .find(|s| s.at > first_update.at)?;
    let lists = "/var/lib/apt/lists";
    if run.mounted(lists) || run.removed_after(last_update.at, lists, CacheTarget::AptLists) {
        return None;
    }
    let mut help = format!(
        "end the RUN with `&& rm -rf {lists}/*`; the lists are fetched again by the next `{}`",
        name_of(first_update)
    );
    if buildkit {
        help.push_str(&format!(
            ", or keep them out of the layer with `RUN --mount=type=cache,target={lists},sharing=locked …`"
        ));
    }
    Some(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "the package lists that `{}` fetched stay in `{lists}` in the image",
                name_of(first_update)
            ),
            install.tc.span,
        )
        .label("installs, and the RUN never removes the lists")
        .secondary(first_update.tc.span, "fetches the lists")
        .help(help)
        .answers_to(&["DL3009"]),
    )
}

fn apk(run: &Run, buildkit: bool, index_kept: &mut bool) -> Option<Diagnostic> {
    let cache = "/var/cache/apk";
    let is_apk = |s: &&Step| s.tc.tool == Tool::Apk;
    let mut found: Option<&Step> = None;
    let mut fetched = false;
    for s in run.steps.iter().filter(is_apk) {
        let tc = &s.tc;
        let fetches = match tc.kind {
            CommandKind::IndexUpdate => true,
            // `--no-network` installs from what is already on disk and fetches no index.
            CommandKind::PackageInstall if !tc.has_flag(&["--no-cache", "--no-network"]) => {
                !*index_kept || tc.has_flag(&["-U", "--update-cache", "--update"])
            }
            _ => false,
        };
        if !fetches {
            continue;
        }
        fetched = true;
        let mounted = run.mounted(cache) || run.mounted("/etc/apk/cache");
        if mounted || run.removed_after(s.at, cache, CacheTarget::Apk) {
            continue;
        }
        if tc.kind == CommandKind::PackageInstall {
            found.get_or_insert(s);
        }
    }
    let cleaned = run
        .steps
        .iter()
        .any(|s| s.tc.cleans.contains(&CacheTarget::Apk));
    if fetched {
        *index_kept = !cleaned && !run.mounted(cache);
    } else if cleaned {
        *index_kept = false;
    }
    let s = found?;
    let mut help =
        "use `apk add --no-cache …`, which fetches the index without storing it (and makes a separate `apk update` unnecessary)".to_string();
    if buildkit {
        help.push_str(&format!(
            ", or keep it out of the layer with `RUN --mount=type=cache,target={cache} …`"
        ));
    }
    Some(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "`{}` keeps the package index in `{cache}` in the image",
                name_of(s)
            ),
            s.tc.span,
        )
        .label("runs without `--no-cache`")
        .help(help)
        .answers_to(&["DL3019"]),
    )
}

/// yum, dnf, microdnf and zypper: the repository metadata (and any kept packages) they leave
/// in their cache directory, unless the RUN cleans it after installing.
fn rpm(run: &Run, buildkit: bool, tool: Tool) -> Option<Diagnostic> {
    let (target, dirs, clean, alias): (_, &[&str], _, &'static [&'static str]) = match tool {
        Tool::Yum => (
            CacheTarget::Yum,
            &["/var/cache/yum"],
            "yum clean all",
            &["DL3032"],
        ),
        Tool::Dnf => (
            CacheTarget::Dnf,
            &["/var/cache/dnf", "/var/cache/libdnf5"],
            "dnf clean all",
            &["DL3040"],
        ),
        Tool::Microdnf => (
            CacheTarget::Yum,
            &["/var/cache/yum"],
            "microdnf clean all",
            &["DL3040"],
        ),
        _ => (
            CacheTarget::Zypper,
            &["/var/cache/zypp"],
            "zypper clean --all",
            &["DL3036"],
        ),
    };
    let s = run.steps.iter().find(|s| {
        s.tc.tool == tool
            && s.tc.kind == CommandKind::PackageInstall
            && !dirs
                .iter()
                .any(|d| run.mounted(d) || run.removed_after(s.at, d, target))
    })?;
    let dir = dirs[0];
    let mut help = format!("end the RUN with `&& {clean}`");
    if buildkit {
        help.push_str(&format!(
            ", or keep the cache out of the layer with `RUN --mount=type=cache,target={dir} …`"
        ));
    }
    Some(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "`{}` keeps the repository metadata{} in the image",
                name_of(s),
                run.in_dir(dir)
            ),
            s.tc.span,
        )
        .label(format!("installs, and the RUN never runs `{clean}`"))
        .help(help)
        .answers_to(alias),
    )
}

/// npm and yarn: the cache directory they write to, as the user configured it or by default.
fn node(run: &Run, buildkit: bool, tool: Tool) -> Option<Diagnostic> {
    let (target, default_dir, env_name, opt, clean) = match tool {
        Tool::Npm => (
            CacheTarget::Npm,
            ".npm",
            "npm_config_cache",
            "--cache",
            "npm cache clean --force",
        ),
        _ => (
            CacheTarget::Yarn,
            // Yarn 1 keeps root's cache outside home.
            if run.home.as_deref() == Some("/root") {
                "/usr/local/share/.cache/yarn"
            } else {
                ".cache/yarn"
            },
            "YARN_CACHE_FOLDER",
            "--cache-folder",
            "yarn cache clean",
        ),
    };
    let dir_of = |s: &Step| {
        s.tc.option(&[opt])
            .and_then(|o| o.value.as_ref())
            .map(|w| w.value.clone())
            .or_else(|| run.env(&s.tc, s.at, env_name))
            .or_else(|| {
                (tool == Tool::Npm)
                    .then(|| run.env(&s.tc, s.at, "NPM_CONFIG_CACHE"))
                    .flatten()
            })
            .map(|d| expand_home(&d, run.home.as_deref()))
    };
    let s = run.steps.iter().find(|s| {
        if s.tc.tool != tool
            || !matches!(
                s.tc.kind,
                CommandKind::DependencyInstall | CommandKind::PackageInstall
            )
        {
            return false;
        }
        let dir = dir_of(s).unwrap_or_else(|| default_dir.to_string());
        let yarn_berry_dirs = tool == Tool::Yarn
            && [
                ".yarn/berry/cache",
                "/usr/local/share/.cache/yarn",
                ".cache/yarn",
            ]
            .iter()
            .any(|d| run.mounted(d));
        !run.mounted(&dir) && !yarn_berry_dirs && !run.removed_after(s.at, &dir, target)
    })?;
    let dir = dir_of(s).unwrap_or_else(|| run.show(default_dir));
    let name = name_of(s);
    let mut help = format!("end the RUN with `&& {clean}`");
    if buildkit {
        help.push_str(&format!(
            ", or keep the cache out of the layer with `RUN --mount=type=cache,target={dir} {name}`"
        ));
    }
    Some(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "`{name}` keeps its package cache{} in the image",
                run.in_dir(&dir)
            ),
            s.tc.span,
        )
        .label("the downloaded packages stay in this layer")
        .help(help)
        // hadolint checks yarn's cache but not npm's.
        .answers_to(if tool == Tool::Yarn { &["DL3060"] } else { &[] }),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::{assert_counts, check_text};

    fn found(text: &str) -> Vec<String> {
        check_text(super::check, text)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            // pip
            ("FROM python:3.12\nRUN pip install flask\n", 1),
            ("FROM python:3.12\nRUN pip install --no-cache-dir flask\n", 0),
            ("FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt\n", 0),
            ("FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n", 0),
            ("FROM python:3.12\nARG PIP_NO_CACHE_DIR=1\nRUN pip install flask\n", 0),
            ("FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask\n", 0),
            ("FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask\n", 0),
            ("FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n", 0),
            ("FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache pip install flask\n", 0),
            ("FROM python:3.12\nUSER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install flask\n", 0),
            ("FROM python:3.12\nRUN pip install flask && rm -rf /root/.cache/pip\n", 0),
            ("FROM python:3.12\nRUN pip install flask && pip cache purge\n", 0),
            ("FROM python:3.12\nARG CACHE=/root/.cache/pip\nRUN --mount=type=cache,target=${CACHE} pip install flask\n", 0),
            ("FROM python:3.12\nRUN --mount=type=bind,target=/root/.cache/pip pip install flask\n", 1),
            ("FROM python:3.12\nENV PIP_CACHE_DIR=/cache/pip\nRUN --mount=type=cache,target=/cache pip install flask\n", 0),
            ("FROM python:3.12\nRUN pip install --cache-dir /tmp/pip flask && rm -rf /tmp/pip\n", 0),
            ("FROM python:3.12\nRUN pip install --cache-dir /tmp/pip flask\n", 1),
            ("# escape=`\nFROM python:3.12\nRUN pip install `\n  flask\n", 1),
            ("FROM python:3.12\nRUN pip install flask || true\n", 1),
            ("FROM python:3.12\nRUN pip download flask\n", 0),
            ("FROM python:3.12\nRUN rm -rf /root/.cache/pip && pip install flask\n", 1),
            ("FROM python:3.12\nRUN pip install a && pip install b\n", 1),
            ("FROM python:3.12\nRUN python3 -m pip install flask\n", 1),
            ("FROM python:3.12\nRUN [\"pip\", \"install\", \"flask\"]\n", 1),
            ("FROM python:3.12\nRUN sh -c 'pip install flask'\n", 1),
            ("FROM python:3.12\nRUN <<EOF\npip install flask\nEOF\n", 1),
            ("FROM python:3.12\nRUN <<EOF\npip install flask\nrm -rf ~/.cache/pip\nEOF\n", 0),
            ("from python:3.12\nrun pip install \\\n  flask\n", 1),
            ("FROM python:3.12\nONBUILD RUN pip install flask\n", 0),
            // Only the stages that reach the final image count.
            ("FROM python:3.12 AS build\nRUN pip install flask\nFROM python:3.12-slim\nCOPY --from=build /usr/local /usr/local\n", 0),
            ("FROM python:3.12 AS base\nRUN pip install flask\nFROM base\nCMD [\"flask\"]\n", 1),
            ("FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask\n", 0),
            // apt
            ("FROM debian\nRUN apt-get update && apt-get install -y curl\n", 1),
            ("FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", 0),
            ("FROM debian\nRUN apt-get update \\\n && apt-get install -y curl \\\n && apt-get clean \\\n && rm -rf /var/lib/apt/lists/* /tmp/*\n", 0),
            ("FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n", 0),
            ("FROM debian\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl\n", 0),
            // Lists from an earlier layer: removing them here would not shrink the image.
            ("FROM debian\nRUN apt-get install -y curl\n", 0),
            ("FROM debian\nRUN apt-get update && apt-get upgrade -y\n", 0),
            ("FROM debian\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl\n", 1),
            // apk
            ("FROM alpine\nRUN apk add curl\n", 1),
            ("FROM alpine\nRUN apk add --no-cache curl\n", 0),
            ("FROM alpine\nRUN apk add --no-network --virtual .rundeps $runDeps\n", 0),
            ("FROM alpine\nRUN apk add --update curl && rm -rf /var/cache/apk/*\n", 0),
            ("FROM alpine\nRUN apk add curl\nRUN apk add git\n", 1),
            ("FROM alpine\nRUN apk update && apk add curl\n", 1),
            ("FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n", 0),
            // npm and yarn
            ("FROM node:20\nCOPY package*.json ./\nRUN npm ci\n", 1),
            ("FROM node:20\nRUN npm ci && npm cache clean --force\n", 0),
            ("FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\n", 0),
            ("FROM node:20\nRUN npm ci --cache /tmp/npm && rm -rf /tmp/npm\n", 0),
            ("FROM node:20\nRUN npm run build\n", 0),
            ("FROM node:20 AS build\nRUN npm ci && npm run build\nFROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n", 0),
            ("FROM node:20\nRUN yarn install --frozen-lockfile\n", 1),
            ("FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n", 0),
            ("FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n", 0),
            ("FROM node:20\nRUN npm install -g pnpm\n", 1),
            // Relative removal after `cd`, brace expansion.
            ("FROM debian\nRUN apt-get update && apt-get install -y git && cd /var/lib && rm -rf apt dpkg\n", 0),
            ("FROM debian\nWORKDIR /var/lib\nRUN apt-get update && apt-get install -y git && rm -rf apt/lists\n", 0),
            ("FROM debian\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/{apt,dpkg}/\n", 0),
            ("FROM debian\nRUN apt-get update && apt-get install -y git && rm /var/lib/apt/lists/*_*\n", 0),
            ("FROM debian\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/*.bin\n", 1),
            ("FROM debian\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/{dpkg,cache}/\n", 1),
            ("FROM debian\nRUN apt-get update && apt-get install -y git && cd /tmp && rm -rf apt\n", 1),
            // yum, dnf, microdnf, zypper
            ("FROM centos:7\nRUN yum install -y httpd\n", 1),
            ("FROM centos:7\nRUN yum install -y httpd && yum clean all\n", 0),
            ("FROM centos:7\nRUN yum install -y httpd && yum clean packages\n", 1),
            ("FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum\n", 0),
            ("FROM centos:7\nRUN yum clean all && yum install -y httpd\n", 1),
            ("FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd\n", 0),
            ("FROM fedora\nRUN dnf install -y httpd\n", 1),
            ("FROM fedora\nRUN dnf install -y httpd && dnf clean all\n", 0),
            ("FROM fedora\nRUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd\n", 0),
            ("FROM fedora\nRUN dnf makecache\n", 0),
            ("FROM ubi-minimal\nRUN microdnf install java && microdnf clean all\n", 0),
            ("FROM ubi-minimal\nRUN microdnf install java\n", 1),
            ("FROM opensuse/leap\nRUN zypper -n install curl\n", 1),
            ("FROM opensuse/leap\nRUN zypper -n install curl && zypper clean\n", 1),
            ("FROM opensuse/leap\nRUN zypper -n install curl && zypper clean --all\n", 0),
            ("FROM opensuse/leap\nRUN zypper -n install curl && zypper cc -a\n", 0),
            ("FROM fedora AS build\nRUN dnf install -y gcc\nFROM scratch\nCOPY --from=build /a /a\n", 0),
        ];
        assert_counts(super::check, cases);
    }

    #[test]
    fn windows_names_no_unix_path() {
        let text = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN pip install flask\n";
        assert_eq!(
            found(text),
            ["`pip install` keeps downloaded packages in the image"]
        );
        let text = "FROM python:3.12\nRUN pip install flask\n";
        assert_eq!(
            found(text),
            ["`pip install` keeps downloaded packages in `/root/.cache/pip` in the image"]
        );
    }

    #[test]
    fn one_finding_per_manager() {
        let text = "FROM python:3.12\nRUN apt-get update && apt-get install -y nodejs npm && pip install flask && npm ci\n";
        assert_eq!(found(text).len(), 3);
    }
}
