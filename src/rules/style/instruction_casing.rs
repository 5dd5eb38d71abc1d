//! instruction-casing: an instruction keyword cased unlike most of the file's (`copy` among
//! `COPY`s), or in mixed case (`From`).

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "instruction-casing",
    group: "style",
    severity: Severity::Info,
    summary: "an instruction keyword cased unlike the file's majority",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/instruction-casing.md"),
    aliases: &["ConsistentInstructionCasing"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    // Instructions before the first FROM (global ARGs) are not counted, as in BuildKit.
    let Some(first) = m.stages.first().map(|s| s.from_instr) else {
        return;
    };
    // An instruction BuildKit cannot parse (an unknown keyword) is syntax-error's.
    let instrs: Vec<_> = m.file.instructions[first..]
        .iter()
        .filter(|i| i.error.is_none())
        .collect();
    let upper = |k: &str| k.chars().all(|c| !c.is_ascii_lowercase());
    let lower = |k: &str| k.chars().all(|c| !c.is_ascii_uppercase());
    let (mut ups, mut lows) = (0usize, 0usize);
    for ins in &instrs {
        let k = ins.keyword_word.value.as_str();
        if upper(k) {
            ups += 1;
        } else if lower(k) {
            lows += 1;
        }
    }
    // Ties go to upper case, the documented style.
    let want_lower = lows > ups;
    let majority = if want_lower { "lowercase" } else { "uppercase" };
    for ins in &instrs {
        let k = ins.keyword_word.value.as_str();
        let fits = if want_lower { lower(k) } else { upper(k) };
        if fits {
            continue;
        }
        let cased = if want_lower {
            k.to_ascii_lowercase()
        } else {
            k.to_ascii_uppercase()
        };
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("`{k}` is cased unlike the file's instructions ({majority})"),
                ins.keyword_word.span,
            )
            .label(format!("write `{cased}`"))
            .help(format!(
                "write `{cased}`, as most instructions of this file are written"
            ))
            .fix(Fix {
                title: format!("write `{cased}`"),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: ins.keyword_word.span,
                    content: cased.clone(),
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
        assert_counts(
            super::check,
            &[
                ("From scratch as base\nFROM scratch AS base2\n", 1),
                ("FROM scratch\ncopy a /foo\nCOPY a /bar\n", 1),
                ("from scratch\nCOPY a /foo\ncopy a /bar\n", 1),
                ("from scratch\nCOPY a /foo\nCOPY a /bar\nCOPY a /baz\n", 1),
                ("from scratch\ncopy a /foo\n", 0),
                ("FROM scratch\nCOPY a /foo\n", 0),
                ("arg X=1\nFROM scratch\nCOPY a /foo\n", 0),
                ("FROM scratch\nthis is not an instruction\n", 0),
            ],
        );
    }
}
