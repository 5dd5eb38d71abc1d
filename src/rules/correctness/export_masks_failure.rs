//! export-masks-failure: `export NAME=$(cmd)` (or `local`, `readonly`, `declare`, `typeset`)
//! succeeds whatever `cmd` does, so where a plain assignment would have stopped the build on a
//! failed `cmd`, the build goes on with an empty value.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::shell::{Connector, Nesting, PartKind, SimpleCommand};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "export-masks-failure",
    group: "correctness",
    severity: Severity::Warning,
    summary: "`export NAME=$(cmd)` succeeds even when cmd fails, so the build goes on",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/export-masks-failure.md"),
    aliases: &["SC2155"],
    default: true,
    check,
};

/// Builtins whose status is their own, not that of a substitution in their arguments.
const DECLARERS: &[&str] = &["export", "local", "readonly", "declare", "typeset"];

/// Commands that do not fail in a working image, for which a lost status loses nothing:
/// `export GNUPGHOME="$(mktemp -d)"` is how the official images write it.
const CANNOT_FAIL: &[&str] = &[
    "mktemp", "pwd", "uname", "nproc", "arch", "id", "whoami", "date", "basename", "dirname",
    "echo", "printf", "getconf", "dpkg", "apk", "tr", "cut", "expr", "true",
];

/// Is a failure of `c` one that would stop the build: it is followed by `&&`, it is the last
/// command, or `set -e` is in force.
fn failure_would_stop(cmds: &[SimpleCommand], c: &SimpleCommand) -> bool {
    if c.failure_ignored() || c.followed_by == Some(Connector::Pipe) {
        return false;
    }
    let set_e = cmds[..c.index]
        .iter()
        .any(|p| p.scopes == c.scopes && p.sets_errexit());
    let last = cmds[c.index + 1..]
        .iter()
        .all(|n| n.nesting.len() > c.nesting.len() || n.scopes != c.scopes);
    set_e || c.followed_by == Some(Connector::And) || last
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, _) in m.instructions_of(Keyword::Run) {
        let Some(stage) = m.stage_of[i].and_then(|s| m.stages.get(s)) else {
            continue;
        };
        if !m.shell_at(stage, i).kind.is_posix() {
            continue;
        }
        let cmds = m.commands(i);
        for c in cmds {
            let Some(declarer) = c.program().filter(|p| DECLARERS.contains(p)) else {
                continue;
            };
            if c.nesting.contains(&Nesting::Substitution) || !failure_would_stop(cmds, c) {
                continue;
            }
            for w in c.args() {
                let Some((name, _)) = w.raw.split_once('=') else {
                    continue;
                };
                if !crate::shell::words::is_name(name) {
                    continue;
                }
                let subs: Vec<_> = w
                    .parts()
                    .into_iter()
                    .filter(|p| matches!(p.kind, PartKind::CommandSub | PartKind::Backtick))
                    .collect();
                // The commands the substitutions run, found by where they are.
                let inner = cmds.iter().filter(|n| {
                    n.nesting.last() == Some(&Nesting::Substitution)
                        && subs.iter().any(|p| p.span.contains(n.span.start))
                });
                let Some(failing) = inner
                    .filter_map(|n| n.program())
                    .find(|p| !CANNOT_FAIL.contains(p))
                else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        RULE.name,
                        RULE.severity,
                        format!(
                            "`{declarer} {name}=…` succeeds even when `{failing}` fails, so the build goes on with `{name}` empty"
                        ),
                        w.span,
                    )
                    .label(format!("the status of `{failing}` is lost here"))
                    .help(format!(
                        "assign first, then {declarer}: `{name}=$(…) && {declarer} {name}`; a plain assignment keeps the status of the substitution"
                    ))
                    .answers_to(RULE.aliases),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        assert_counts(
            super::check,
            &[
                ("FROM debian:12\nRUN export V=$(curl -f https://x/v) && echo $V\n", 1),
                ("FROM debian:12\nRUN V=$(curl -f https://x/v) && export V && echo $V\n", 0),
                ("FROM debian:12\nRUN export V=\"`git describe`\"\n", 1),
                ("FROM debian:12\nRUN set -eux; export V=$(git describe); make\n", 1),
                // Without `&&` or `set -e`, a plain assignment would not stop the build either.
                ("FROM debian:12\nRUN export V=$(git describe); make\n", 0),
                ("FROM debian:12\nRUN set -eux; export GNUPGHOME=\"$(mktemp -d)\"; gpg x\n", 0),
                ("FROM debian:12\nRUN export V=$(git describe) || true\n", 0),
                ("FROM debian:12\nRUN export PATH=$PATH:/x && make\n", 0),
                ("FROM debian:12\nRUN export A=1 B=$(uname -m) && make\n", 0),
                ("FROM debian:12\nRUN export A=1 B=$(cat /v) && make\n", 1),
                (
                    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN export V=$(git describe) && x\n",
                    0,
                ),
            ],
        );
    }
}
