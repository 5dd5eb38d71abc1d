//! apt-update-separate: a RUN that only refreshes the package index, followed by a later RUN
//! that installs: the update layer stays cached while the install changes, so it reads stale lists.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::shell::{recognise, CommandKind, Connector, Tool, ToolCommand};
use crate::syntax::{Args, Keyword, Span};

pub static RULE: Rule = Rule {
    name: "apt-update-separate",
    group: "cache",
    severity: Severity::Warning,
    summary: "the package index is updated in a RUN of its own, apart from the install",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/apt-update-separate.md"),
    aliases: &[],
    default: true,
    check,
};

/// Package managers that share one index: `yum` is `dnf` on current systems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Apt,
    Apk,
    Rpm,
}

const FAMILIES: [Family; 3] = [Family::Apt, Family::Apk, Family::Rpm];

fn family(t: Tool) -> Option<Family> {
    match t {
        Tool::AptGet => Some(Family::Apt),
        Tool::Apk => Some(Family::Apk),
        Tool::Yum | Tool::Dnf | Tool::Microdnf => Some(Family::Rpm),
        _ => None,
    }
}

/// An install that reads the local index: `apk add --no-cache` and `apk add --update` fetch
/// a fresh one themselves.
fn reads_local_index(tc: &ToolCommand) -> bool {
    tc.kind == CommandKind::PackageInstall
        && !(tc.tool == Tool::Apk
            && tc.has_flag(&["--no-cache", "-U", "--update-cache", "--update"]))
}

/// One RUN seen from one package-manager family.
struct Step {
    instr: usize,
    /// The first index update: its span and how it is called (`apt-get update`).
    update: Option<(Span, String)>,
    /// An install comes after an update in the same RUN (or needs none).
    installs_fresh: bool,
    /// The first install that reads an index left by an earlier layer.
    stale_install: Option<(Span, String)>,
    /// The RUN has exactly one command.
    single: bool,
}

fn step_of(m: &Model, instr: usize, fam: Family) -> Step {
    let cmds = m.commands(instr);
    let mut s = Step {
        instr,
        update: None,
        installs_fresh: false,
        stale_install: None,
        single: cmds.len() == 1,
    };
    let mut updated = false;
    for c in cmds {
        let Some(tc) = recognise(c) else { continue };
        if family(tc.tool) != Some(fam) {
            continue;
        }
        let name = || {
            let prog = c.argv.get(tc.argv_start).map_or("", |w| w.value.as_str());
            let prog = prog.rsplit('/').next().unwrap_or(prog);
            format!("{prog} {}", tc.subcommand.as_deref().unwrap_or(""))
        };
        match tc.kind {
            CommandKind::IndexUpdate => {
                updated = true;
                if s.update.is_none() {
                    s.update = Some((tc.span, name()));
                }
            }
            CommandKind::PackageInstall if updated || !reads_local_index(&tc) => {
                s.installs_fresh = true
            }
            CommandKind::PackageInstall if s.stale_install.is_none() => {
                s.stale_install = Some((tc.span, name()));
            }
            _ => {}
        }
    }
    s
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for stage in &m.stages {
        for fam in FAMILIES {
            // The last RUN of this stage that updated the index and installed nothing with it.
            let mut pending: Option<Step> = None;
            let mut runs_between = 0usize;
            for i in stage.instrs.clone() {
                let ins = m.instruction(i);
                if ins.keyword != Keyword::Run || ins.error.is_some() {
                    continue;
                }
                let s = step_of(m, i, fam);
                if s.stale_install.is_some() {
                    if let Some(u) = pending.take() {
                        out.extend(finding(m, &u, &s, runs_between == 0));
                    }
                }
                if s.update.is_some() || s.stale_install.is_some() || s.installs_fresh {
                    pending = None;
                }
                if s.update.is_some() && !s.installs_fresh && s.stale_install.is_none() {
                    pending = Some(s);
                    runs_between = 0;
                } else {
                    runs_between += 1;
                }
            }
        }
    }
}

fn finding(m: &Model, u: &Step, inst: &Step, adjacent: bool) -> Option<Diagnostic> {
    let text = &m.file.text;
    let (uspan, upd) = u.update.clone()?;
    let (install, ins) = inst.stale_install.clone()?;
    let update_text = text.get(uspan.start..uspan.end).unwrap_or("");
    let mut d = Diagnostic::new(
        RULE.name,
        RULE.severity,
        format!("`{upd}` runs in a RUN of its own, so a later `{ins}` can read a stale cached index"),
        uspan,
    )
    .label("this layer stays cached while later installs change")
    .secondary(install, "installs from the index of that earlier layer")
    .help(format!(
        "run `{upd}` and `{ins}` in the same RUN (`{upd} && {ins} …`), so the index is fetched whenever the install runs"
    ));
    if let Some(fix) = merge_fix(m, u, inst, install, update_text, adjacent) {
        d = d.fix(fix);
    }
    Some(d)
}

/// Merge when nothing stands in the way: the update RUN is that one command on one line with
/// no flags, the install RUN is the next RUN, in shell form, and the install is a plain member
/// of its top-level `&&`/`;` list.
fn merge_fix(
    m: &Model,
    u: &Step,
    inst: &Step,
    install: Span,
    update_text: &str,
    adjacent: bool,
) -> Option<Fix> {
    let uins = m.instruction(u.instr);
    let iins = m.instruction(inst.instr);
    if !adjacent
        || !u.single
        || !uins.flags.is_empty()
        || !uins.heredocs.is_empty()
        || !iins.heredocs.is_empty()
        || !matches!(uins.args, Args::Shell(_))
        || !matches!(iins.args, Args::Shell(_))
        || update_text.contains(['\n', '\\', '`', '$', '\'', '"'])
        || update_text.is_empty()
    {
        return None;
    }
    let cmds = m.commands(inst.instr);
    let c = cmds
        .iter()
        .find(|c| c.span.start <= install.start && install.end <= c.span.end)?;
    if !c.nesting.is_empty()
        || !matches!(c.preceded_by, None | Some(Connector::And | Connector::Seq))
    {
        return None;
    }
    let text = &m.file.text;
    // Remove the whole update line, its line break included.
    let mut end = uins.span.end;
    if text[end..].starts_with("\r\n") {
        end += 2;
    } else if text[end..].starts_with('\n') {
        end += 1;
    }
    let line_start = text[..uins.span.start].rfind('\n').map_or(0, |p| p + 1);
    if !text[line_start..uins.span.start].trim().is_empty() {
        return None;
    }
    Some(Fix {
        title: format!("move `{update_text}` into the RUN that installs"),
        applicability: Applicability::Unsafe,
        edits: vec![
            Edit {
                span: Span::new(line_start, end),
                content: String::new(),
            },
            Edit {
                span: Span::new(c.span.start, c.span.start),
                content: format!("{update_text} && "),
            },
        ],
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::check_text;

    fn fires(text: &str) -> usize {
        check_text(super::check, text).len()
    }

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n", 1),
            ("from debian\nrun apt-get update\nrun apt-get install -y curl\n", 1),
            ("FROM debian\nRUN apt update -q\nRUN apt install -y curl\n", 1),
            ("FROM debian\nRUN apt-get update && apt-get install -y curl\n", 0),
            // The update RUN installs too: its lists are fresh for what it installs.
            ("FROM debian\nRUN apt-get update && apt-get install -y git\nRUN apt-get install -y curl\n", 0),
            // The later RUN updates for itself.
            ("FROM debian\nRUN apt-get update\nRUN apt-get update && apt-get install -y curl\n", 0),
            // Upgrade is not an install of named packages.
            ("FROM debian\nRUN apt-get update\nRUN apt-get upgrade -y\n", 0),
            ("FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get install -y curl\n", 1),
            // Across stages.
            ("FROM debian AS a\nRUN apt-get update\nFROM a\nRUN apt-get install -y curl\n", 0),
            ("FROM alpine\nRUN apk update\nRUN apk add curl\n", 1),
            ("FROM alpine\nRUN apk update\nRUN apk add --no-cache curl\n", 0),
            ("FROM alpine\nRUN apk update\nRUN apk add -U curl\n", 0),
            ("FROM fedora\nRUN dnf makecache\nRUN dnf install -y curl\n", 1),
            ("FROM centos\nRUN yum makecache\nRUN yum install -y curl\n", 1),
            // Other families do not share the index.
            ("FROM debian\nRUN apt-get update\nRUN apk add curl\n", 0),
            ("FROM debian\nRUN [\"apt-get\", \"update\"]\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n", 1),
            ("FROM debian\nRUN sh -c 'apt-get update'\nRUN apt-get install -y curl\n", 1),
            ("FROM debian\nRUN <<EOF\napt-get update\nEOF\nRUN <<EOF\napt-get install -y curl\nEOF\n", 1),
            ("FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n", 0),
            ("FROM debian\nRUN set -e; \\\n  apt-get update\nRUN DEBIAN_FRONTEND=noninteractive \\\n  apt-get install -y curl\n", 1),
            // ONBUILD runs in child builds.
            ("FROM debian\nRUN apt-get update\nONBUILD RUN apt-get install -y curl\n", 0),
            ("FROM debian\nONBUILD RUN apt-get update\nRUN apt-get install -y curl\n", 0),
            ("# escape=`\nFROM debian\nRUN apt-get update\nRUN apt-get install -y `\n  curl\n", 1),
            // Two installs after one update: one finding.
            ("FROM debian\nRUN apt-get update\nRUN apt-get install -y a\nRUN apt-get install -y b\n", 1),
            ("FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\nRUN apt-get install -y curl\n", 1),
        ];
        for (text, n) in cases {
            assert_eq!(fires(text), *n, "{text}");
        }
    }

    fn fixed(text: &str) -> String {
        let out = check_text(super::check, text);
        let Some(fix) = out.first().and_then(|d| d.fix.clone()) else {
            return String::new();
        };
        let edits: Vec<_> = fix.edits.iter().collect();
        crate::diagnostic::apply_edits(text, &edits).0
    }

    #[test]
    fn fixes() {
        assert_eq!(
            fixed("FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n"),
            "FROM debian\nRUN apt-get update && apt-get install -y curl\n"
        );
        assert_eq!(
            fixed("FROM debian\nRUN apt-get update\nRUN set -eux; apt-get install -y curl\n"),
            "FROM debian\nRUN set -eux; apt-get update && apt-get install -y curl\n"
        );
        // A RUN in between might need the lists: no fix.
        assert_eq!(
            fixed("FROM debian\nRUN apt-get update\nRUN echo hi\nRUN apt-get install -y curl\n"),
            ""
        );
        assert_eq!(
            fixed("FROM debian\nRUN apt-get update && apt-get upgrade -y\nRUN apt-get install -y curl\n"),
            ""
        );
        assert_eq!(
            fixed("FROM debian\nRUN apt-get update\nRUN [\"apt-get\", \"install\", \"curl\"]\n"),
            ""
        );
    }
}
