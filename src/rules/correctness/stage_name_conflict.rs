//! stage-name-conflict: a stage named like an earlier stage, or like a name BuildKit reserves
//! (`scratch`, `context`), so that references to it do not mean what they seem to.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "stage-name-conflict",
    group: "correctness",
    severity: Severity::Warning,
    summary: "a stage name that an earlier stage or BuildKit already uses",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/stage-name-conflict.md"),
    aliases: &["DuplicateStageName", "ReservedStageName", "DL3024"],
    default: true,
    check,
};

/// Names BuildKit gives a meaning of its own.
const RESERVED: &[&str] = &["scratch", "context"];

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, stage) in m.stages.iter().enumerate() {
        let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if let Some(r) = RESERVED.iter().find(|r| **r == lower) {
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!("the stage name `{name}` is reserved by BuildKit"),
                    span,
                )
                .label(format!("`{r}` already means something to BuildKit"))
                .help("choose another name, and rename the references to it")
                .answers_to(&["ReservedStageName"]),
            );
            continue;
        }
        let earlier = m.stages[..i].iter().find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        });
        if let Some(first) = earlier {
            let mut d = Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("a stage named `{name}` already exists"),
                span,
            )
            .label("second stage of this name")
            .help("give each stage its own name: `--from` and `FROM` would refer to one of them")
            .answers_to(&["DuplicateStageName", "DL3024"]);
            if let Some(s) = first.name_span {
                d = d.secondary(s, "first named here");
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM scratch AS b\nFROM scratch AS b\n", 1),
            ("FROM scratch AS b\nFROM scratch AS B\n", 1),
            ("FROM scratch AS b1\nFROM scratch AS b2\n", 0),
            ("FROM scratch AS scratch\nFROM scratch AS context\n", 2),
            ("FROM scratch\nFROM scratch AS a\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
