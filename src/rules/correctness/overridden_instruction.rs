//! overridden-instruction: a CMD, ENTRYPOINT or HEALTHCHECK that a later one of the same stage
//! replaces; only the last takes effect, so the earlier one is dead text that misleads.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "overridden-instruction",
    group: "correctness",
    severity: Severity::Warning,
    summary: "a CMD, ENTRYPOINT or HEALTHCHECK that a later one in the same stage replaces",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/overridden-instruction.md"),
    aliases: &[
        "DL3012",
        "DL4003",
        "DL4004",
        "MultipleInstructionsDisallowed",
    ],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for stage in &m.stages {
        for (kw, aliases) in [
            (
                Keyword::Entrypoint,
                &["DL4004", "MultipleInstructionsDisallowed"],
            ),
            (Keyword::Cmd, &["DL4003", "MultipleInstructionsDisallowed"]),
            (
                Keyword::Healthcheck,
                &["DL3012", "MultipleInstructionsDisallowed"],
            ),
        ] {
            let of_kind: Vec<usize> = stage
                .instrs
                .clone()
                .filter(|&i| m.instruction(i).keyword == kw && m.instruction(i).error.is_none())
                .collect();
            let Some((&last, earlier)) = of_kind.split_last() else {
                continue;
            };
            let name = kw.as_str().to_ascii_uppercase();
            for &i in earlier {
                out.push(
                    Diagnostic::new(
                        RULE.name,
                        RULE.severity,
                        format!(
                            "this {name} has no effect: a later {name} in the same stage replaces it"
                        ),
                        m.instruction(i).span,
                    )
                    .label(format!("replaced by line {}", m.instruction(last).start_line))
                    .secondary(m.instruction(last).span, format!("the {name} that takes effect"))
                    .help(format!(
                        "remove this {name}, or merge what it meant into the last one"
                    ))
                    .answers_to(aliases),
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
        let cases: &[(&str, usize)] = &[
            ("FROM scratch\nCMD [\"/a\"]\nCMD [\"/b\"]\n", 1),
            (
                "FROM scratch\nCMD [\"/a\"]\nCMD [\"/b\"]\nCMD [\"/c\"]\n",
                2,
            ),
            ("FROM scratch\nENTRYPOINT [\"/a\"]\nCMD [\"--x\"]\n", 0),
            (
                "FROM scratch\nHEALTHCHECK CMD [\"/a\"]\nHEALTHCHECK NONE\n",
                1,
            ),
            // One per stage is fine, and a CMD inside ONBUILD belongs to the child.
            ("FROM scratch AS a\nCMD [\"/a\"]\nFROM a\nCMD [\"/b\"]\n", 0),
            ("FROM scratch\nONBUILD CMD [\"/a\"]\nCMD [\"/b\"]\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
