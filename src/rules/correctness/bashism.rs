//! bashism: bash syntax in a RUN that a POSIX `/bin/sh` runs: `source`, `[[ ]]`, `set -o
//! pipefail` under Debian's dash stop the build, brace expansion and `echo -e` quietly do
//! something else. An error where the base image tells which shell it is, a warning where it
//! does not.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{images, Model};
use crate::rules::{FixAvailability, Rule};
use crate::shell::dialect::{self, Found};
use crate::shell::exec::ShellKind;
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "bashism",
    group: "correctness",
    severity: Severity::Error,
    summary: "bash syntax in a RUN that a POSIX /bin/sh (dash, busybox ash) runs",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/bashism.md"),
    aliases: &[
        "SC3010", "SC3014", "SC3046", "SC2113", "SC3030", "SC3054", "SC3009", "SC3020", "SC3011",
        "SC3003", "SC3057", "SC3060", "SC3059", "SC3053", "SC3040", "SC3037", "SC3039", "SC3006",
        "SC3005", "SC3008", "SC3024", "SC3044", "SC3029", "SC3001", "SC3050", "SC3019", "SC3021",
    ],
    default: true,
    check,
};

/// The POSIX shell a piece of the script runs under.
#[derive(Clone, Debug)]
enum Runner {
    /// Known by name: dash or busybox ash, with how a message names it.
    Known(ShellKind, String),
    /// A `/bin/sh` this model cannot name.
    SomeSh(String),
    /// Not a POSIX sh (bash, PowerShell, a shell-less image, exec form): not checked.
    Other,
}

/// The runner of a script run by `program` (`sh`, `/bin/dash`, `bash`), in an image whose
/// `/bin/sh` is `image_sh`.
fn runner_of_program(program: &str, image_sh: ShellKind, image: Option<&str>) -> Runner {
    let base = program.rsplit('/').next().unwrap_or(program);
    match base {
        "sh" => match image_sh {
            ShellKind::Dash | ShellKind::BusyboxAsh => Runner::Known(
                image_sh,
                format!(
                    "{} (`/bin/sh` in `{}`)",
                    image_sh.name(),
                    image.unwrap_or_default()
                ),
            ),
            ShellKind::Unknown => Runner::SomeSh(match image {
                Some(i) => format!("`/bin/sh` of `{i}`"),
                None => "`/bin/sh`".to_string(),
            }),
            _ => Runner::Other,
        },
        "dash" => Runner::Known(ShellKind::Dash, "dash".into()),
        "ash" | "busybox" => Runner::Known(ShellKind::BusyboxAsh, "busybox ash".into()),
        _ => Runner::Other,
    }
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    // CMD and ENTRYPOINT in shell form run under the same shell, when the container starts.
    let instrs = [Keyword::Run, Keyword::Cmd, Keyword::Entrypoint]
        .into_iter()
        .flat_map(|kw| m.instructions_of(kw));
    for (i, ins) in instrs {
        let Some(stage) = m.stage_of[i].and_then(|s| m.stages.get(s)) else {
            continue;
        };
        let cmds = m.commands(i);
        if cmds.is_empty() {
            continue;
        }
        let shell = m.shell_at(stage, i);
        let image = shell.image.as_deref();
        let image_sh = image.map_or(ShellKind::Missing, images::bin_sh);
        // The shell form's commands run under the shell in force; exec form runs its argv.
        let top = if ins.is_exec_form() {
            Runner::Other
        } else {
            match shell.kind {
                // An image without a shell that had one copied in: which one is not known.
                ShellKind::Unknown if image_sh != ShellKind::Unknown => Runner::Other,
                ShellKind::Dash | ShellKind::BusyboxAsh | ShellKind::Unknown => shell
                    .argv
                    .first()
                    .map_or(Runner::Other, |p| runner_of_program(p, shell.kind, image)),
                _ => Runner::Other,
            }
        };
        // Pieces another program runs: `bash -c '…'`, a heredoc fed to `bash` or with a `#!`.
        let mut pieces: Vec<(Span, Runner)> = Vec::new();
        for c in cmds {
            let Some(k) = crate::shell::script::shell_c_script(c) else {
                continue;
            };
            let Some(program) = c.program() else {
                continue;
            };
            let runner = runner_of_program(program, image_sh, image);
            pieces.push((c.argv[k].span, runner));
        }
        for doc in &ins.heredocs {
            let runner = if let Some(line) = doc.content.strip_prefix("#!") {
                // BuildKit runs a heredoc with a `#!` line as a script of that interpreter.
                let line = line.lines().next().unwrap_or("");
                let mut words = line.split_whitespace();
                let mut program = words.next().unwrap_or("");
                if program.ends_with("/env") {
                    program = words.find(|w| !w.starts_with('-')).unwrap_or("");
                }
                runner_of_program(program, image_sh, image)
            } else {
                // `RUN bash <<EOF`: the command whose heredoc it is runs it.
                let feeder = cmds.iter().find(|c| {
                    c.nesting.is_empty()
                        && c.redirects.iter().any(|r| {
                            r.op.starts_with("<<")
                                && r.op != "<<<"
                                && r.target.as_ref().is_some_and(|t| t.value == doc.name)
                        })
                });
                match feeder.and_then(|c| c.program()) {
                    Some(p) => runner_of_program(p, image_sh, image),
                    None => top.clone(),
                }
            };
            pieces.push((doc.body_span, runner));
        }
        let runner_at = |span: Span| -> &Runner {
            pieces
                .iter()
                .filter(|(p, _)| p.start <= span.start && span.end <= p.end)
                .min_by_key(|(p, _)| p.end - p.start)
                .map_or(&top, |(_, r)| r)
        };
        let found = dialect::find(cmds, m.constructs(i), |span| {
            !matches!(runner_at(span), Runner::Other)
        });
        for f in found {
            if let Some(d) = diagnostic(&f, runner_at(f.at), ins.keyword.as_str()) {
                out.push(d);
            }
        }
    }
}

fn diagnostic(f: &Found, runner: &Runner, keyword: &str) -> Option<Diagnostic> {
    let b = f.bashism;
    let subject = match f.detail {
        Some(name) => format!("`{name}` is a bash builtin"),
        None => format!("{} is bash, not POSIX sh", b.what),
    };
    let (severity, message, label) = match runner {
        Runner::Known(kind, name) => {
            let effect = match kind {
                ShellKind::Dash => b.dash,
                _ => b.ash,
            }?;
            (
                Severity::Error,
                format!("{subject}, and this {keyword} runs under {name}, which {effect}"),
                format!("not in {}", kind.name()),
            )
        }
        Runner::SomeSh(name) => (
            Severity::Warning,
            format!(
                "{subject}, and this {keyword} runs under {name}: dash (Debian, Ubuntu) and busybox ash (Alpine) may not run it"
            ),
            "bash only".to_string(),
        ),
        Runner::Other => return None,
    };
    let help = format!(
        "{}; or, where the image has bash, run this {keyword} under it: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before it",
        b.instead
    );
    Some(
        Diagnostic::new(RULE.name, severity, message, f.span)
            .label(label)
            .help(help)
            .answers_to(b.codes),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        assert_counts(
            super::check,
            &[
                // The shell that runs the text decides.
                ("FROM debian:12\nRUN source /x\n", 1),
                ("FROM alpine:3.20\nRUN source /x\n", 0),
                ("FROM alpine:3.20\nRUN mkdir /a/{b,c}\n", 1),
                ("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN source /x\n", 0),
                ("FROM debian:12\nRUN bash -c 'source /x && [[ -f y ]]'\n", 0),
                ("FROM debian:12\nRUN sh -c 'source /x'\n", 1),
                ("FROM debian:12\nRUN [\"bash\", \"-c\", \"source /x\"]\n", 0),
                ("FROM debian:12\nRUN [\"sh\", \"-c\", \"source /x\"]\n", 1),
                ("FROM debian:12\nRUN [\"sh\", \"-c\", \"echo ${v:0:3}\"]\n", 1),
                ("FROM debian:12\nRUN [\"bash\", \"-c\", \"echo ${v:0:3}\"]\n", 0),
                // dash expands the double-quoted word before bash sees it; one finding.
                ("FROM debian:12\nRUN sh -c \"echo ${v:0:3}\"\n", 1),
                ("FROM debian:12\nRUN bash -c \"echo ${v:0:3}\"\n", 1),
                ("FROM debian:12\nRUN bash -c 'echo ${v:0:3}'\n", 0),
                ("FROM debian:12\nRUN [\"source\", \"/x\"]\n", 0),
                ("FROM debian:12\nRUN <<EOF\nsource /x\nEOF\n", 1),
                ("FROM debian:12\nRUN <<EOF\n#!/bin/bash\nsource /x\nEOF\n", 0),
                ("FROM debian:12\nRUN <<EOF\n#!/usr/bin/env bash\nsource /x\nEOF\n", 0),
                ("FROM debian:12\nRUN bash <<EOF\nsource /x\nEOF\n", 0),
                ("FROM debian:12\nRUN cat > /f <<EOF\nsource /x\nEOF\n", 0),
                ("FROM centos:7\nRUN source /x\n", 0),
                ("FROM myorg/base:1\nRUN source /x\n", 1),
                ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN source /x\n", 0),
                (
                    "FROM mcr.microsoft.com/powershell\nSHELL [\"pwsh\", \"-Command\"]\nRUN if ($a) { [[ x ]] }\n",
                    0,
                ),
                ("FROM gcr.io/distroless/static\nRUN source /x\n", 0),
                // Inherited from an earlier stage.
                ("FROM debian:12 AS a\nFROM a\nRUN set -o pipefail && ls\n", 1),
                ("FROM alpine:3.20 AS a\nFROM a\nRUN set -o pipefail && ls\n", 0),
                ("FROM debian:12\nRUN . /x && [ a = b ] && printf '%s\\n' x\n", 0),
                // The container's command runs under the same shell.
                ("FROM python:3.12-slim\nCMD source /venv/bin/activate && python app.py\n", 1),
                ("FROM python:3.12-slim\nCMD . /venv/bin/activate && python app.py\n", 0),
                ("FROM python:3.12-slim\nCMD [\"source\", \"/x\"]\n", 0),
                ("FROM python:3.12-slim\nENTRYPOINT [[ -f /x ]] && exec app\n", 1),
                ("FROM python:3.12-slim\nSHELL [\"/bin/bash\", \"-c\"]\nCMD source /x && app\n", 0),
            ],
        );
    }
}
