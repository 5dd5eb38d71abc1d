//! The rule registry: one line per rule. Each rule file holds its metadata and a `check`
//! function over the model; its documentation page in `rules/` doubles as its main test.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;

mod cache;
mod context;
mod correctness;
mod pinning;
mod runtime;
mod security;
mod style;
mod suppression;
mod syntax;

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
    /// `cache`, `context`, `correctness`, `runtime`, `security`, `style`, `syntax`, `suppression`:
    /// the folder its file is in.
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
    &syntax::syntax_error::RULE,
    &cache::copy_before_install::RULE,
    &cache::build_fetches_deps::RULE,
    &cache::apt_update_separate::RULE,
    &cache::broad_copy_unfiltered::RULE,
    &cache::package_cache_kept::RULE,
    &cache::no_install_recommends::RULE,
    &cache::useradd_high_uid::RULE,
    &context::copy_source_missing::RULE,
    &context::copy_source_ignored::RULE,
    &context::context_secret_copied::RULE,
    &correctness::install_manifest_missing::RULE,
    &correctness::cmd_file_missing::RULE,
    &runtime::missing_cmd::RULE,
    &runtime::missing_expose::RULE,
    &runtime::expose_port_mismatch::RULE,
    &runtime::shell_form_cmd::RULE,
    &correctness::overridden_instruction::RULE,
    &correctness::stage_name_conflict::RULE,
    &correctness::workdir_relative::RULE,
    &correctness::undefined_variable::RULE,
    &correctness::undefined_run_variable::RULE,
    &correctness::single_quoted_variable::RULE,
    &correctness::from_arg_default_invalid::RULE,
    &security::secret_in_arg_or_env::RULE,
    &security::final_user_root::RULE,
    &security::untrusted_registry::RULE,
    &correctness::expose_host_port::RULE,
    &correctness::expose_invalid_port::RULE,
    &correctness::from_platform::RULE,
    &correctness::untagged_base_image::RULE,
    &correctness::copy_from_unknown_stage::RULE,
    &correctness::install_without_yes::RULE,
    &correctness::pipe_masks_download_failure::RULE,
    &correctness::bashism::RULE,
    &correctness::export_masks_failure::RULE,
    &correctness::install_failure_masked::RULE,
    &correctness::cd_failure_ignored::RULE,
    &syntax::empty_continuation::RULE,
    &style::deprecated_maintainer::RULE,
    &style::from_as_casing::RULE,
    &style::instruction_casing::RULE,
    &style::stage_name_case::RULE,
    &style::expose_protocol_case::RULE,
    &style::legacy_key_value::RULE,
    &style::label_schema::RULE,
    &style::description_comment::RULE,
    &pinning::unpinned_package::RULE,
    &style::apt_in_script::RULE,
    &style::add_instead_of_copy::RULE,
    &suppression::unused_suppression::RULE,
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
