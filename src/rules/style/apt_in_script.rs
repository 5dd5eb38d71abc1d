//! apt-in-script: `apt` in a RUN, where `apt-get` is the interface meant for scripts.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::shell::{recognise, Tool};
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "apt-in-script",
    group: "style",
    severity: Severity::Info,
    summary: "apt, the interactive front end, used in a RUN instead of apt-get",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/apt-in-script.md"),
    aliases: &["DL3027"],
    default: true,
    check,
};

/// Subcommands that apt-get has with the same meaning. `apt upgrade` is not among them: it
/// installs new dependencies, which `apt-get upgrade` holds back.
const SAME_IN_APT_GET: &[&str] = &[
    "install",
    "reinstall",
    "remove",
    "purge",
    "autoremove",
    "update",
    "clean",
    "autoclean",
    "build-dep",
    "source",
    "download",
    "changelog",
    "satisfy",
];

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let text = &m.file.text;
    for (i, _) in m.instructions_of(Keyword::Run) {
        for c in m.commands(i) {
            let Some(tc) = recognise(c) else { continue };
            let Some(word) = c.argv.get(tc.argv_start) else {
                continue;
            };
            if tc.tool != Tool::AptGet || word.value != "apt" {
                continue;
            }
            // The bytes of `apt` itself, inside quotes when it is written quoted.
            let span = match text.get(word.span.start..word.span.end) {
                Some("apt") => word.span,
                Some("\"apt\"") | Some("'apt'") => {
                    Span::new(word.span.start + 1, word.span.end - 1)
                }
                _ => continue,
            };
            let sub = tc.subcommand.as_deref().unwrap_or("");
            let same = SAME_IN_APT_GET.contains(&sub);
            let mut d = Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("`apt {sub}` uses the interactive front end, whose output and behaviour may change between releases").replace("`apt ` ", "`apt` "),
                span,
            )
            .label("not meant for scripts")
            .help(if same {
                format!("write `apt-get {sub}`, which apt keeps stable for scripts")
            } else {
                "use `apt-get` (or `apt-cache` for queries), which apt keeps stable for scripts".to_string()
            })
            .answers_to(&["DL3027"]);
            if same {
                d = d.fix(Fix {
                    title: "use `apt-get`".into(),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span,
                        content: "apt-get".into(),
                    }],
                });
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::{assert_counts, check_text};

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM debian\nRUN apt update && apt install -y curl\n", 2),
            (
                "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
                0,
            ),
            ("FROM debian\nRUN sudo apt install -y curl\n", 1),
            ("FROM debian\nRUN apt upgrade -y\n", 1),
            (
                "FROM debian\nRUN [\"apt\", \"install\", \"-y\", \"curl\"]\n",
                1,
            ),
            ("FROM debian\nRUN echo apt install\n", 0),
            ("FROM debian\nRUN apt-cache policy curl\n", 0),
        ];
        assert_counts(super::check, cases);
    }

    #[test]
    fn fixes_only_where_apt_get_means_the_same() {
        let ds = check_text(
            super::check,
            "FROM debian\nRUN apt upgrade -y && apt install -y curl\n",
        );
        assert!(ds[0].fix.is_none());
        assert!(ds[1].fix.is_some());
        let ds = check_text(
            super::check,
            "FROM debian\nRUN [\"apt\", \"install\", \"-y\", \"curl\"]\n",
        );
        let edits: Vec<_> = ds
            .iter()
            .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.iter()))
            .collect();
        assert_eq!(
            crate::diagnostic::apply_edits(
                "FROM debian\nRUN [\"apt\", \"install\", \"-y\", \"curl\"]\n",
                &edits
            )
            .0,
            "FROM debian\nRUN [\"apt-get\", \"install\", \"-y\", \"curl\"]\n"
        );
    }
}
