//! install-without-yes: a package install that asks "do you want to continue?" and has nobody
//! to answer, since a build gives RUN no terminal: apt-get, yum and dnf without `-y`, zypper
//! without `-n`.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::shell::prompts::{configures_assume_yes, file_writes, missing_assume_yes};
use crate::shell::{argument_insertion, recognise, Tool};
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "install-without-yes",
    group: "correctness",
    severity: Severity::Warning,
    summary: "a package install would stop at its confirmation prompt",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/install-without-yes.md"),
    aliases: &["DL3014", "DL3030", "DL3034", "DL3038"],
    default: true,
    check,
};

/// The tools an earlier RUN told to assume yes through their configuration files.
fn configured(m: &Model, instr: usize) -> Vec<Tool> {
    m.runs_before(instr)
        .into_iter()
        .flat_map(|i| file_writes(m.commands(i)))
        .filter_map(|(path, text)| configures_assume_yes(&path, &text))
        .collect()
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let text = &m.file.text;
    for (i, _) in m.instructions_of(Keyword::Run) {
        let cmds = m.commands(i);
        let mut told: Option<Vec<Tool>> = None;
        for (k, c) in cmds.iter().enumerate() {
            let Some(tc) = recognise(c) else { continue };
            let Some(yes) = missing_assume_yes(&tc) else {
                continue;
            };
            let Some(sub_span) = tc.subcommand_span else {
                continue;
            };
            // dnf reads `assumeyes` from its own file; yum on dnf-based systems is dnf.
            let told = told.get_or_insert_with(|| configured(m, i));
            let earlier = file_writes(&cmds[..k]);
            let here = earlier
                .iter()
                .filter_map(|(p, t)| configures_assume_yes(p, t));
            if told
                .iter()
                .copied()
                .chain(here)
                .any(|t| t == tc.tool || (matches!(t, Tool::Dnf) && matches!(tc.tool, Tool::Yum)))
            {
                continue;
            }
            let Some(prog_word) = c.argv.get(tc.argv_start) else {
                continue;
            };
            let prog = prog_word.value.rsplit('/').next().unwrap_or("");
            let sub = tc.subcommand.as_deref().unwrap_or("");
            let written = format!("{prog} {sub}");
            let (at, label, suggestion) = if yes.before_subcommand {
                (
                    prog_word.span.end,
                    format!("`{prog}` without `-n` asks before installing"),
                    format!("{prog} -n {sub}"),
                )
            } else {
                (
                    sub_span.end,
                    format!("asks before installing; `{}` is missing", yes.flag),
                    format!("{prog} {sub} {}", yes.flag),
                )
            };
            let content = argument_insertion(text, at, yes.flag);
            let answers: &'static [&'static str] = match (tc.tool, prog) {
                (Tool::AptGet, "apt-get") => &["DL3014"],
                (Tool::Yum, _) => &["DL3030"],
                (Tool::Zypper, _) => &["DL3034"],
                (Tool::Dnf, _) => &["DL3038"],
                _ => &[],
            };
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!("`{written}` waits for a yes that the build cannot give"),
                    Span::new(prog_word.span.start, sub_span.end),
                )
                .label(label)
                .help(format!(
                    "write `{suggestion}`: RUN has no terminal, so the prompt reads end of input and the install aborts"
                ))
                .fix(Fix {
                    title: format!("add `{}`", yes.flag),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: Span::new(at, at),
                        content,
                    }],
                })
                .answers_to(answers),
            );
        }
    }
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
            ("FROM debian\nRUN apt-get update && apt-get install curl\n", 1),
            ("FROM debian\nRUN apt-get install -y curl\n", 0),
            ("FROM debian\nRUN apt-get -y install curl\n", 0),
            ("FROM debian\nRUN apt-get install --yes curl\n", 0),
            ("FROM debian\nRUN apt-get install --assume-yes curl\n", 0),
            ("FROM debian\nRUN apt-get install -yq curl\n", 0),
            ("FROM debian\nRUN apt-get install -qq curl\n", 0),
            ("FROM debian\nRUN apt-get -q -q install curl\n", 0),
            ("FROM debian\nRUN apt-get install -q=2 curl\n", 0),
            ("FROM debian\nRUN apt-get install --quiet=2 curl\n", 0),
            // One `-q` only quiets the output.
            ("FROM debian\nRUN apt-get install -q curl\n", 1),
            ("FROM debian\nRUN apt-get install -q=1 curl\n", 1),
            ("FROM debian\nRUN apt-get -o APT::Get::Assume-Yes=true install curl\n", 0),
            ("FROM debian\nRUN apt-get install -s curl\n", 0),
            // DEBIAN_FRONTEND silences debconf, not apt-get's own question.
            ("FROM debian\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install curl\n", 1),
            ("FROM debian\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install curl\n", 0),
            ("FROM debian\nRUN echo 'APT::Get::Assume-Yes \"true\";' | tee /etc/apt/apt.conf.d/90yes && apt-get install curl\n", 0),
            ("FROM debian AS base\nRUN echo 'APT::Get::Assume-Yes \"1\";' >> /etc/apt/apt.conf\nFROM base\nRUN apt-get install curl\n", 0),
            ("FROM debian\nRUN apt-get install curl\nRUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\n", 1),
            ("FROM debian\nRUN echo 'APT::Get::Assume-Yes \"false\";' > /etc/apt/apt.conf.d/90yes\nRUN apt-get install curl\n", 1),
            ("FROM debian\nRUN apt install curl\n", 1),
            ("FROM debian\nRUN apt-get remove curl\n", 0),
            ("FROM debian\nRUN apt-get update\n", 0),
            ("FROM debian\nRUN [\"apt-get\", \"install\", \"curl\"]\n", 1),
            ("FROM debian\nRUN <<EOF\napt-get update\napt-get install curl\nEOF\n", 1),
            ("FROM debian\nRUN sudo apt-get install curl\n", 1),
            // yum and dnf
            ("FROM centos:7\nRUN yum install httpd\n", 1),
            ("FROM centos:7\nRUN yum install -y httpd\n", 0),
            ("FROM centos:7\nRUN yum -y install httpd\n", 0),
            ("FROM centos:7\nRUN yum --assumeyes install httpd\n", 0),
            ("FROM centos:7\nRUN yum --setopt=assumeyes=1 install httpd\n", 0),
            ("FROM centos:7\nRUN echo assumeyes=1 >> /etc/yum.conf && yum install httpd\n", 0),
            ("FROM fedora\nRUN dnf install httpd\n", 1),
            ("FROM fedora\nRUN dnf install -y httpd\n", 0),
            ("FROM fedora\nRUN echo 'assumeyes=True' >> /etc/dnf/dnf.conf\nRUN dnf install httpd\n", 0),
            ("FROM fedora\nRUN dnf makecache\n", 0),
            // microdnf never asks.
            ("FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install httpd\n", 0),
            // zypper
            ("FROM opensuse/leap\nRUN zypper install curl\n", 1),
            ("FROM opensuse/leap\nRUN zypper in curl\n", 1),
            ("FROM opensuse/leap\nRUN zypper -n install curl\n", 0),
            ("FROM opensuse/leap\nRUN zypper --non-interactive in curl\n", 0),
            ("FROM opensuse/leap\nRUN zypper install -y curl\n", 0),
            ("FROM opensuse/leap\nRUN zypper install --no-confirm curl\n", 0),
            // After the subcommand `-n` is `--name`.
            ("FROM opensuse/leap\nRUN zypper install -n curl\n", 1),
            ("FROM opensuse/leap\nRUN zypper refresh\n", 0),
        ];
        assert_counts(super::check, cases);
    }

    /// hadolint's DL3014 looks at apt-get only.
    #[test]
    fn apt_answers_to_no_code() {
        let ds = check_text(super::check, "FROM debian\nRUN apt install curl\n");
        assert!(ds[0].aliases.is_empty(), "{:?}", ds[0].aliases);
    }

    #[test]
    fn fixes_are_clean() {
        use crate::diagnostic::apply_edits;
        for (text, fixed) in [
            (
                "FROM debian\nRUN apt-get install curl\n",
                "FROM debian\nRUN apt-get install -y curl\n",
            ),
            (
                "FROM debian\nRUN [\"apt-get\", \"install\", \"curl\"]\n",
                "FROM debian\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n",
            ),
            (
                "FROM opensuse/leap\nRUN zypper in curl\n",
                "FROM opensuse/leap\nRUN zypper -n in curl\n",
            ),
        ] {
            let ds = check_text(super::check, text);
            let edits: Vec<_> = ds
                .iter()
                .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.iter()))
                .collect();
            assert_eq!(apply_edits(text, &edits).0, fixed);
            assert!(found(fixed).is_empty(), "{fixed}");
        }
    }
}
