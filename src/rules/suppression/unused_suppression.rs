//! unused-suppression: a `# layerlint ignore=` comment that silences nothing, names a rule that
//! does not exist, or is not written in the form that is read. The work happens in `suppress`,
//! after every other rule has run.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "unused-suppression",
    group: "suppression",
    severity: Severity::Info,
    summary:
        "a suppression comment that suppresses nothing, names an unknown rule, or does not parse",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/unused-suppression.md"),
    aliases: &[],
    default: true,
    check,
};

/// Nothing to do over the model alone: whether a suppression was used is only known once the
/// other rules' findings exist, so `suppress::apply` reports on this rule's behalf.
fn check(_: &Model, _: &mut Vec<Diagnostic>) {}
