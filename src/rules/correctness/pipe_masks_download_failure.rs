//! pipe-masks-download-failure: `curl … | sh` (or `wget -O- … | python3`, `… | tee file`)
//! under a shell without `pipefail`: a pipeline's status is its last command's, and a shell or
//! `tee` reading an empty download succeeds, so a failed download builds an image without what
//! it was to install.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{path, Model};
use crate::rules::{FixAvailability, Rule};
use crate::shell::exec::ShellKind;
use crate::shell::{Connector, SimpleCommand};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "pipe-masks-download-failure",
    group: "correctness",
    severity: Severity::Warning,
    summary:
        "a download piped into a shell or tee, where a failed download does not fail the build",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/pipe-masks-download-failure.md"),
    aliases: &["DL4006"],
    default: true,
    check,
};

const DOWNLOADERS: &[&str] = &["curl", "wget"];

/// Programs that succeed on empty input when they read a script (or data) from stdin.
const SUCCEED_ON_EMPTY: &[&str] = &[
    "sh", "bash", "dash", "ash", "zsh", "ksh", "python", "python2", "python3", "perl", "ruby",
    "node", "php", "tee",
];

/// Wrappers that run the next word as the command (`sudo -E bash -`).
const WRAPPERS: &[&str] = &["sudo", "env", "doas"];

/// The program that reads the pipe, and whether it reads its script from stdin (no script file
/// named; `tee` always takes its input).
fn stdin_reader(c: &SimpleCommand) -> Option<String> {
    let mut words = c.argv.iter().map(|w| w.value.as_str()).peekable();
    let mut program = path::base_name(words.next()?);
    while WRAPPERS.contains(&program) {
        // Skip the wrapper's options and `VAR=value` words.
        let next = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
        program = path::base_name(next);
    }
    let program = program.to_string();
    if !SUCCEED_ON_EMPTY.contains(&program.as_str()) {
        return None;
    }
    if program == "tee" {
        return Some(program);
    }
    for w in words {
        match w {
            "-" | "--" => return Some(program),
            // `sh -c '…'` and `python3 -c '…'` run their argument, not stdin.
            "-c" | "-e" | "-m" => return None,
            _ if w.starts_with('-') => continue,
            // A script file: what it does with empty input is its own business.
            _ => return None,
        }
    }
    Some(program)
}

/// `set -o pipefail`, `set -eo pipefail`, `set -euxo pipefail` earlier in the script.
fn sets_pipefail(c: &SimpleCommand) -> bool {
    c.program() == Some("set") && c.args().iter().any(|w| w.value == "pipefail")
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, ins) in m.instructions_of(Keyword::Run) {
        if ins.is_exec_form() {
            continue;
        }
        let Some(stage) = m.stage_of[i].and_then(|s| m.stages.get(s)) else {
            continue;
        };
        let shell = m.shell_at(stage, i);
        if !shell.kind.is_posix() || shell.kind == ShellKind::Missing {
            continue;
        }
        if shell.argv.iter().any(|a| a == "pipefail") {
            continue;
        }
        let cmds = m.commands(i);
        for (k, c) in cmds.iter().enumerate() {
            if c.preceded_by == Some(Connector::Pipe) || c.followed_by != Some(Connector::Pipe) {
                continue;
            }
            let Some(program) = c.program() else { continue };
            if !DOWNLOADERS.contains(&program) {
                continue;
            }
            // The pipeline's last command: the next ones joined by `|` in the same scope.
            let mut last = c;
            for next in &cmds[k + 1..] {
                if next.scopes != c.scopes || next.nesting != c.nesting {
                    continue;
                }
                if next.preceded_by != Some(Connector::Pipe) {
                    break;
                }
                last = next;
                if next.followed_by != Some(Connector::Pipe) {
                    break;
                }
            }
            if std::ptr::eq(last, c) {
                continue;
            }
            let Some(reader) = stdin_reader(last) else {
                continue;
            };
            if cmds[..k].iter().any(sets_pipefail) {
                continue;
            }
            let what = if reader == "tee" {
                "`tee` writes an empty file and succeeds"
            } else {
                "the shell runs an empty script and succeeds"
            };
            let help = match shell.kind {
                ShellKind::Bash | ShellKind::BusyboxAsh => format!(
                    "download to a file first (`{program} -fsSL -o /tmp/install.sh URL && sh /tmp/install.sh`), or make the pipeline fail with its first command: `SHELL [\"{}\", \"-o\", \"pipefail\", \"-c\"]` before this RUN",
                    if shell.kind == ShellKind::Bash { "/bin/bash" } else { "/bin/ash" }
                ),
                _ => format!(
                    "download to a file first (`{program} -fsSL -o /tmp/install.sh URL && sh /tmp/install.sh`), or, where the image has bash, `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN"
                ),
            };
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!("if `{program}` fails, the build goes on: a pipeline's status is its last command's, and {what}"),
                    c.span,
                )
                .label(format!("its failure is lost in the pipe to `{reader}`"))
                .help(help)
                .answers_to(RULE.aliases),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM debian:12\nRUN curl -fsSL https://x.sh | sh\n", 1),
            ("FROM debian:12\nRUN curl -fsSL https://x.sh | bash -s -- --yes\n", 1),
            ("FROM debian:12\nRUN wget -qO- https://x.sh | sudo -E bash -\n", 1),
            ("FROM debian:12\nRUN curl -fsSL https://x/key | tee /etc/apt/keyrings/x.asc\n", 1),
            ("FROM debian:12\nRUN apt-get update && curl -sL https://x.sh | python3 - && echo ok\n", 1),
            ("FROM alpine:3.20\nRUN curl -fsSL https://x.sh | sh\n", 1),
            ("FROM debian:12\nRUN <<EOF\ncurl -fsSL https://x.sh | sh\nEOF\n", 1),
            // pipefail in force.
            ("FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x.sh | sh\n", 0),
            ("FROM debian:12\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x.sh | sh\n", 0),
            ("FROM debian:12\nRUN set -eo pipefail && curl -fsSL https://x.sh | bash\n", 0),
            ("FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN curl -fsSL https://x.sh | sh\n", 0),
            // The last command fails on an empty download, or runs a file of its own.
            ("FROM debian:12\nRUN curl -fsSL https://x.tgz | tar -xz -C /opt\n", 0),
            ("FROM debian:12\nRUN curl -fsSL https://x/key | gpg --dearmor -o /k.gpg\n", 0),
            ("FROM debian:12\nRUN curl -fsSL https://x | python3 check.py\n", 0),
            ("FROM debian:12\nRUN curl -fsSL https://x | sh -c 'cat > /x'\n", 0),
            // No download on the left, or no pipe.
            ("FROM debian:12\nRUN cat /x.sh | sh\n", 0),
            ("FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://x.sh && sh /tmp/i.sh\n", 0),
            ("FROM debian:12\nRUN echo $(curl -fsSL https://x) | tee /v\n", 0),
            // Windows shells are not POSIX shells.
            ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN curl -fsSL https://x.sh | sh\n", 0),
            ("FROM debian:12\nSHELL [\"powershell\", \"-Command\"]\nRUN curl https://x | sh\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
