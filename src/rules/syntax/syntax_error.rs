//! Syntax errors as findings: a malformed or unknown instruction is reported at its place
//! while every other rule still runs on the rest of the file.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "syntax-error",
    group: "syntax",
    severity: Severity::Error,
    summary: "an instruction that BuildKit cannot parse",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/syntax-error.md"),
    aliases: &[],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for e in &m.file.errors {
        out.push(
            Diagnostic::new(RULE.name, RULE.severity, e.message.clone(), e.span)
                .label("BuildKit stops the build here"),
        );
    }
}
