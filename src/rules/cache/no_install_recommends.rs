//! no-install-recommends: `apt-get install` without `--no-install-recommends`, which installs
//! every package the named ones recommend as well as what they depend on.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::shell::prompts::{configures_no_recommends, disables_recommends, file_writes};
use crate::shell::{argument_insertion, recognise, Tool};
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "no-install-recommends",
    group: "cache",
    severity: Severity::Info,
    summary: "apt-get install also installs the recommended packages",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/no-install-recommends.md"),
    aliases: &["DL3015"],
    default: true,
    check,
};

/// An earlier RUN of the stage or its bases wrote an apt.conf that turns recommends off.
fn configured(m: &Model, instr: usize) -> bool {
    m.runs_before(instr).into_iter().any(|i| {
        file_writes(m.commands(i))
            .iter()
            .any(|(p, t)| configures_no_recommends(p, t))
    })
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let text = &m.file.text;
    for (i, _) in m.instructions_of(Keyword::Run) {
        let cmds = m.commands(i);
        let mut told: Option<bool> = None;
        for (k, c) in cmds.iter().enumerate() {
            let Some(tc) = recognise(c) else { continue };
            if tc.tool != Tool::AptGet || tc.subcommand.as_deref() != Some("install") {
                continue;
            }
            let Some(sub_span) = tc.subcommand_span else {
                continue;
            };
            let off = tc.has_flag(&["--no-install-recommends"])
                || tc
                    .options
                    .iter()
                    .filter(|o| matches!(o.name.as_str(), "-o" | "--option"))
                    .filter_map(|o| o.value.as_ref())
                    .any(|w| disables_recommends(&w.value));
            if off
                || file_writes(&cmds[..k])
                    .iter()
                    .any(|(p, t)| configures_no_recommends(p, t))
                || *told.get_or_insert_with(|| configured(m, i))
            {
                continue;
            }
            let Some(prog_word) = c.argv.get(tc.argv_start) else {
                continue;
            };
            let prog = prog_word.value.rsplit('/').next().unwrap_or("");
            let at = sub_span.end;
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!("`{prog} install` also installs what the named packages recommend"),
                    Span::new(prog_word.span.start, sub_span.end),
                )
                .label("without `--no-install-recommends`")
                .help(format!(
                    "write `{prog} install --no-install-recommends`, and name any recommended package the image needs"
                ))
                .fix(Fix {
                    title: "add `--no-install-recommends`".into(),
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit {
                        span: Span::new(at, at),
                        content: argument_insertion(text, at, "--no-install-recommends"),
                    }],
                })
                .answers_to(if prog == "apt-get" { &["DL3015"] } else { &[] }),
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
            ("FROM debian\nRUN apt-get update && apt-get install -y curl\n", 1),
            ("FROM debian\nRUN apt-get install -y --no-install-recommends curl\n", 0),
            ("FROM debian\nRUN apt-get --no-install-recommends install -y curl\n", 0),
            ("FROM debian\nRUN apt-get install -y -o APT::Install-Recommends=false curl\n", 0),
            ("FROM debian\nRUN apt-get install -y -o APT::Install-Recommends=0 curl\n", 0),
            ("FROM debian\nRUN apt-get install -y -o APT::Install-Recommends=true curl\n", 1),
            ("FROM debian\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norec\nRUN apt-get install -y curl\n", 0),
            ("FROM debian\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99norec && apt-get install -y curl\n", 0),
            ("FROM debian AS base\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norec\nFROM base\nRUN apt-get install -y curl\n", 0),
            ("FROM debian\nRUN apt-get install -y curl\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norec\n", 1),
            ("FROM debian\nRUN apt install -y curl\n", 1),
            ("FROM debian\nRUN apt-get update && apt-get upgrade -y\n", 0),
            ("FROM debian\nRUN apt-get remove -y curl\n", 0),
            ("FROM debian\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n", 1),
            ("FROM debian\nRUN <<EOF\napt-get install -y curl\nEOF\n", 1),
            ("FROM alpine\nRUN apk add curl\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
