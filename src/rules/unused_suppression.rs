//! unused-suppression: a `# layerlint ignore=` comment that silences nothing, or names a rule
//! that does not exist. The work happens in `suppress`, after every other rule has run.

use super::{FixAvailability, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;

pub static RULE: Rule = Rule {
    name: "unused-suppression",
    group: "suppression",
    severity: Severity::Info,
    summary: "a suppression comment that suppresses nothing or names an unknown rule",
    fix: FixAvailability::Safe,
    doc: include_str!("../../rules/unused-suppression.md"),
    check,
};

/// Nothing to do over the model alone: whether a suppression was used is only known once the
/// other rules' findings exist, so `suppress::apply` reports on this rule's behalf.
fn check(_: &Model, _: &mut Vec<Diagnostic>) {}
