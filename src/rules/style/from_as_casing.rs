//! from-as-casing: `FROM x as y` (or `from x AS y`): the `AS` keyword cased unlike `FROM`.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    name: "from-as-casing",
    group: "style",
    severity: Severity::Info,
    summary: "the AS of a FROM is cased unlike the FROM keyword",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/from-as-casing.md"),
    aliases: &["FromAsCasing"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (_, ins) in m.instructions_of(Keyword::From) {
        let Args::Words(words) = &ins.args else {
            continue;
        };
        let [_, as_word, _] = words.as_slice() else {
            continue;
        };
        let from = ins.keyword_word.value.as_str();
        let as_text = &m.file.text[as_word.span.start..as_word.span.end];
        // A FROM in mixed case (`From`) is a matter of instruction casing, not of this rule.
        let want = if from.chars().all(|c| c.is_ascii_lowercase()) {
            "as"
        } else if from.chars().all(|c| c.is_ascii_uppercase()) {
            "AS"
        } else {
            continue;
        };
        if as_text == want || !as_text.eq_ignore_ascii_case("as") {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("`{as_text}` is cased unlike `{from}`"),
                as_word.span,
            )
            .label(format!("write `{want}`"))
            .help(format!("write `{want}`, in the case of `{from}`"))
            .fix(Fix {
                title: format!("write `{want}`"),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: as_word.span,
                    content: want.to_string(),
                }],
            })
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
            ("FROM scratch as base\n", 1),
            ("from scratch AS base\n", 1),
            ("FROM scratch AS base\n", 0),
            ("from scratch as base\n", 0),
            ("From scratch as base\n", 0),
            ("FROM scratch\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
