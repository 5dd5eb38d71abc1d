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

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, ins) in m.instructions_of(Keyword::Run) {
        let Some(stage) = m.stage_of[i].and_then(|s| m.stages.get(s)) else {
            continue;
        };
        let shell = m.shell_at(stage, i);
        if !shell.kind.is_posix() || (!ins.is_exec_form() && shell_has_errexit(&shell.argv)) {
            continue;
        }
        let cmds = m.commands(i);
        for c in cmds {
            if c.followed_by != Some(Connector::Seq) || c.failure_ignored() {
                continue;
            }
            // Only straight-line script: the top level, a heredoc script, an `sh -c` script.
            if !c
                .nesting
                .iter()
                .all(|n| matches!(n, Nesting::HeredocScript | Nesting::ShellC))
            {
                continue;
            }
            let Some(tc) = recognise(c) else { continue };
            if !matches!(
                tc.kind,
                CommandKind::PackageInstall
                    | CommandKind::DependencyInstall
                    | CommandKind::WholeSourceStep
            ) {
                continue;
            }
            let same_script = |p: &&SimpleCommand| p.scopes == c.scopes;
            if cmds[..c.index]
                .iter()
                .filter(same_script)
                .any(|p| p.sets_errexit())
            {
                continue;
            }
            // A later command of the same script decides the status.
            let Some(next) = cmds[c.index + 1..]
                .iter()
                .filter(same_script)
                .find(|n| !n.nesting.contains(&Nesting::Substitution))
            else {
                continue;
            };
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
