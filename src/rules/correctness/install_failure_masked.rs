//! install-failure-masked: an install or build step followed by `;` (or a newline of a heredoc
//! script) without `set -e`: the shell runs the next command whatever happened, and the RUN
//! succeeds with the status of its last command, so a failed install builds an image without it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::shell::{is_errexit_option, recognise, CommandKind, Connector, Nesting, SimpleCommand};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "install-failure-masked",
    group: "correctness",
    severity: Severity::Warning,
    summary: "an install or build step followed by `;` without `set -e`: its failure does not fail the build",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/install-failure-masked.md"),
    aliases: &[],
    default: true,
    check,
};

/// Shell options before `-c` in a SHELL instruction that include `-e`.
fn shell_has_errexit(argv: &[String]) -> bool {
    argv.iter()
        .skip(1)
        .take_while(|a| a.as_str() != "-c")
        .any(|a| is_errexit_option(a))
}

/// Whether RUN `i` runs under a POSIX shell that goes on past a failed command: no `-e` among
/// the SHELL options (an exec-form RUN runs no shell of its own, so its `sh -c` has none).
pub(super) fn shell_runs_on(m: &Model, i: usize) -> bool {
    let Some(stage) = m.stage_of[i].and_then(|s| m.stages.get(s)) else {
        return false;
    };
    let shell = m.shell_at(stage, i);
    shell.kind.is_posix()
        && (m.file.instructions[i].is_exec_form() || !shell_has_errexit(&shell.argv))
}

/// The command that runs after `c` when `c` fails and nothing stops the script: `c` is followed
/// by `;` or a newline, in straight-line script (the RUN's, a heredoc's, an `sh -c` one, or a
/// branch, loop body or group of one), not under `!` or `||` or in a condition, with no `set -e`
/// before it in that script; the next command is the one written right after it, with nothing
/// but separators and comments between (so not the first command of an `else`).
pub(super) fn runs_on_after<'a>(
    cmds: &'a [SimpleCommand],
    c: &SimpleCommand,
    text: &str,
) -> Option<&'a SimpleCommand> {
    if c.followed_by != Some(Connector::Seq) || c.failure_ignored() {
        return None;
    }
    if c.nesting
        .iter()
        .any(|n| matches!(n, Nesting::Function | Nesting::Substitution))
    {
        return None;
    }
    let same_script = |p: &&SimpleCommand| p.scopes == c.scopes;
    // A subshell inherits `set -e` from the shell around it; an `sh -c` script is a shell of
    // its own.
    let inherits = |p: &&SimpleCommand| {
        if c.nesting.contains(&Nesting::ShellC) {
            p.scopes == c.scopes
        } else {
            c.scopes.starts_with(&p.scopes)
        }
    };
    if cmds[..c.index]
        .iter()
        .filter(inherits)
        .any(|p| p.sets_errexit())
    {
        return None;
    }
    let next = cmds[c.index + 1..]
        .iter()
        .filter(same_script)
        .find(|n| !n.nesting.contains(&Nesting::Substitution))?;
    (next.nesting == c.nesting && only_separators(text.get(c.span.end..next.span.start)?))
        .then_some(next)
}

/// Text made only of `;`, blanks, line continuations and comment lines.
fn only_separators(between: &str) -> bool {
    between.lines().all(|line| {
        let code = line.split('#').next().unwrap_or_default();
        code.chars()
            .all(|ch| matches!(ch, ';' | '\\' | ' ' | '\t' | '\r'))
    })
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, _) in m.instructions_of(Keyword::Run) {
        if !shell_runs_on(m, i) {
            continue;
        }
        let cmds = m.commands(i);
        for c in cmds {
            let Some(next) = runs_on_after(cmds, c, &m.file.text) else {
                continue;
            };
            let Some(tc) = recognise(c) else { continue };
            if !matches!(
                tc.kind,
                CommandKind::PackageInstall
                    | CommandKind::DependencyInstall
                    | CommandKind::WholeSourceStep
            ) {
                continue;
            }
            // `pip install`, `npm ci`: the program and its first operand.
            let program = c.program().unwrap_or_default();
            let what = match c.args().iter().find(|w| !w.value.starts_with('-')) {
                Some(sub) => format!("{program} {}", sub.value),
                None => program.to_string(),
            };
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!(
                        "if `{what}` fails, the build goes on: without `set -e` the script runs on after it, and the RUN takes the status of its last command"
                    ),
                    c.span,
                )
                .label("its failure is not checked")
                .secondary(next.span, "runs even when it failed")
                .help("join the commands with `&&`, or start the script with `set -e`"),
            );
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
                ("FROM debian:12\nRUN apt-get install -y curl; rm -rf /var/lib/apt/lists/*\n", 1),
                ("FROM debian:12\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", 0),
                ("FROM debian:12\nRUN set -eux; apt-get install -y curl; rm -rf /x\n", 0),
                ("FROM debian:12\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN pip install flask; rm -rf /x\n", 0),
                // The last command's status is the RUN's.
                ("FROM debian:12\nRUN rm -rf /x; apt-get install -y curl\n", 0),
                ("FROM python:3.12\nRUN <<EOF\npip install -r requirements.txt\nrm -rf /root/.cache\nEOF\n", 1),
                ("FROM python:3.12\nRUN <<EOF\nset -e\npip install -r requirements.txt\nrm -rf /root/.cache\nEOF\n", 0),
                ("FROM python:3.12\nRUN pip install flask || true; echo done\n", 0),
                ("FROM python:3.12\nRUN if true; then pip install flask; fi; echo done\n", 0),
                ("FROM node:22\nRUN npm ci; npm run build\n", 1),
                ("FROM node:22\nRUN echo a; echo b\n", 0),
                (
                    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN npm ci; npm run build\n",
                    0,
                ),
            ],
        );
    }
}
