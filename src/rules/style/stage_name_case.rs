//! stage-name-case: a stage name with upper-case letters (`FROM x AS Build`).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "stage-name-case",
    group: "style",
    severity: Severity::Info,
    summary: "a stage name with upper-case letters",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/stage-name-case.md"),
    aliases: &["StageNameCasing"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for stage in &m.stages {
        let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
            continue;
        };
        if name.contains('$') || *name == name.to_ascii_lowercase() {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("the stage name `{name}` has upper-case letters"),
                span,
            )
            .label(format!("write `{lower}`"))
            .help(format!(
                "name it `{lower}`: stage names are compared without case, and written in lower case"
            ))
            .answers_to(RULE.aliases),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM scratch AS BadStageName\n", 1),
            ("FROM scratch AS good-name_2\n", 0),
            ("FROM scratch\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
