//! empty-continuation: an empty line inside an instruction continued with `\`, which BuildKit
//! accepts with a warning today and means to reject.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Span;

pub static RULE: Rule = Rule {
    name: "empty-continuation",
    group: "syntax",
    severity: Severity::Warning,
    summary: "an empty line inside a continued instruction",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/empty-continuation.md"),
    aliases: &["NoEmptyContinuation"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for w in &m.file.warnings {
        let text = m.file.text.get(w.span.start..w.span.end).unwrap_or("");
        // BuildKit reports the instruction's last line.
        let last = text
            .rfind('\n')
            .map_or(w.span.start, |i| w.span.start + i + 1);
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                "an empty line continues this instruction".to_string(),
                Span::new(last, w.span.end),
            )
            .secondary(w.span, "the continued instruction")
            .help(
                "remove the empty line, or end the instruction before it; a comment line may stay",
            )
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
            ("FROM scratch\nCOPY Dockerfile \\\n\n.\n", 1),
            ("FROM scratch\nCOPY Dockerfile \\\n# note\n.\n", 0),
            ("FROM scratch\nCOPY Dockerfile \\\n.\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
