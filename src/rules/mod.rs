//! The rule registry: one line per rule. Each rule file holds its metadata and a `check`
//! function over the model; its documentation page in `rules/` doubles as its main test.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;

mod apt_update_separate;
mod broad_copy_unfiltered;
mod build_fetches_deps;
pub(crate) mod cmd_file_missing;
mod context_secret_copied;
mod copy_before_install;
mod copy_source_ignored;
mod copy_source_missing;
mod deprecated_maintainer;
mod empty_continuation;
mod expose_host_port;
mod expose_port_mismatch;
mod expose_protocol_case;
mod from_as_casing;
mod from_platform;
mod install_manifest_missing;
mod instruction_casing;
mod missing_cmd;
mod missing_expose;
mod overridden_instruction;
mod package_cache_kept;
mod secret_content;
mod shell_form_cmd;
mod stage_name_case;
mod stage_name_conflict;
mod syntax_error;
mod unused_suppression;
mod workdir_relative;

pub mod suppress;
#[cfg(test)]
mod test_context;

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
    /// The other tools' names for what this rule covers: hadolint codes (`DL3025`) and BuildKit
    /// build checks (`JSONArgsRecommended`). Accepted wherever a rule name is; a finding says
    /// which of them it answers to (`Diagnostic::aliases`), since one rule can cover several
    /// checks of another tool, each for part of its findings.
    pub aliases: &'static [&'static str],
    /// On unless a configuration or the command line turns it off. A rule that is off by
    /// default runs when named, by itself, by its group or by `all`.
    pub default: bool,
    pub check: fn(&Model, &mut Vec<Diagnostic>),
}

/// Every rule, in the order `layerlint rules` lists them.
pub static RULES: &[&Rule] = &[
    &syntax_error::RULE,
    &copy_before_install::RULE,
    &build_fetches_deps::RULE,
    &apt_update_separate::RULE,
    &broad_copy_unfiltered::RULE,
    &package_cache_kept::RULE,
    &copy_source_missing::RULE,
    &copy_source_ignored::RULE,
    &context_secret_copied::RULE,
    &install_manifest_missing::RULE,
    &cmd_file_missing::RULE,
    &missing_cmd::RULE,
    &missing_expose::RULE,
    &expose_port_mismatch::RULE,
    &shell_form_cmd::RULE,
    &overridden_instruction::RULE,
    &stage_name_conflict::RULE,
    &workdir_relative::RULE,
    &expose_host_port::RULE,
    &from_platform::RULE,
    &empty_continuation::RULE,
    &deprecated_maintainer::RULE,
    &from_as_casing::RULE,
    &instruction_casing::RULE,
    &stage_name_case::RULE,
    &expose_protocol_case::RULE,
    &unused_suppression::RULE,
];

pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

/// The rules covering another tool's check, and the alias as the rules spell it (hadolint's
/// codes and BuildKit's names match without regard to case, as those tools match them).
pub fn covering(alias: &str) -> Option<(&'static str, Vec<&'static Rule>)> {
    let spelled = RULES
        .iter()
        .flat_map(|r| r.aliases.iter().copied())
        .find(|a| a.eq_ignore_ascii_case(alias))?;
    let rules = RULES
        .iter()
        .copied()
        .filter(|r| r.aliases.contains(&spelled))
        .collect();
    Some((spelled, rules))
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
