//! The rule registry: one line per rule. Each rule file holds its metadata and a `check`
//! function over the model; its documentation page in `rules/` doubles as its main test.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;

mod missing_cmd;
mod shell_form_cmd;
mod syntax_error;
mod unused_suppression;

pub mod suppress;

/// Whether a rule can offer a fix, and of what kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    /// Some findings get a safe fix.
    Safe,
    /// Fixes exist but need review.
    Unsafe,
}

impl FixAvailability {
    pub fn as_str(&self) -> &'static str {
        match self {
            FixAvailability::None => "no",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
        }
    }
}

pub struct Rule {
    /// The public ID, kebab-case.
    pub name: &'static str,
    /// `cache`, `context`, `correctness`, `runtime`, `syntax`, `suppression`.
    pub group: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub fix: FixAvailability,
    /// The text of `rules/<name>.md`.
    pub doc: &'static str,
    pub check: fn(&Model, &mut Vec<Diagnostic>),
}

/// Every rule, in the order `layerlint rules` lists them.
pub static RULES: &[&Rule] = &[
    &syntax_error::RULE,
    &missing_cmd::RULE,
    &shell_form_cmd::RULE,
    &unused_suppression::RULE,
];

pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

pub fn group_of(name: &str) -> &'static str {
    find(name).map(|r| r.group).unwrap_or("")
}

/// Every distinct group name.
pub fn groups() -> Vec<&'static str> {
    let mut g: Vec<&'static str> = RULES.iter().map(|r| r.group).collect();
    g.sort_unstable();
    g.dedup();
    g
}

/// Run the rules for which `enabled` says yes, and sort the findings by place and rule.
pub fn check(model: &Model, enabled: &dyn Fn(&Rule) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| enabled(r)) {
        (rule.check)(model, &mut out);
    }
    out.sort_by(|a, b| {
        (a.primary.span.start, a.rule, &a.message).cmp(&(b.primary.span.start, b.rule, &b.message))
    });
    out
}
