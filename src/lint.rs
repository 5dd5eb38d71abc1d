//! One Dockerfile from text to findings: parse, build the model, run the enabled rules, honour
//! the file's suppression comments. The command line, the docs tests and editors come here.

use crate::context::BuildContext;
use crate::diagnostic::{Diagnostic, TextStyle};
use crate::model::{Model, Purpose};
use crate::rules::{self, Rule};
use crate::syntax::{self, Dockerfile, ParseError};
use std::collections::BTreeMap;

pub struct Linted {
    pub file: Dockerfile,
    pub diagnostics: Vec<Diagnostic>,
    /// The build target names no stage: the stage names there are (the image stage was then
    /// taken to be the last).
    pub unknown_target: Option<Vec<String>>,
}

pub fn lint_text(
    text: &str,
    context: Option<&BuildContext>,
    build_args: &BTreeMap<String, String>,
    enabled: &dyn Fn(&Rule) -> bool,
) -> Result<Linted, ParseError> {
    lint_for(text, context, build_args, &Purpose::default(), enabled)
}

/// As `lint_text`, for a build of `purpose.target` whose image `purpose.runner` runs.
pub fn lint_for(
    text: &str,
    context: Option<&BuildContext>,
    build_args: &BTreeMap<String, String>,
    purpose: &Purpose,
    enabled: &dyn Fn(&Rule) -> bool,
) -> Result<Linted, ParseError> {
    let file = syntax::parse(text)?;
    let (mut diagnostics, unknown_target) = {
        let model = Model::build_for(&file, context, build_args, purpose);
        let unknown = model.target_missing.then(|| {
            model
                .named_stages()
                .into_iter()
                .map(str::to_string)
                .collect()
        });
        (rules::check(&model, enabled), unknown)
    };
    // Here rather than in the command line, so that editors and the docs tests see the same.
    rules::suppress::apply(&file, &mut diagnostics, enabled);
    if rules::suppress::check_error_directive(&file) {
        let buildkit = rules::suppress::buildkit_equivalents();
        for d in diagnostics.iter_mut().filter(|d| {
            d.aliases
                .iter()
                .any(|a| buildkit.iter().any(|(c, _)| c == a))
        }) {
            d.severity = crate::diagnostic::Severity::Error;
        }
    }
    // Rules write fixes with `\n` and from offset 0; the file may use `\r\n` and a BOM.
    let style = TextStyle::of(text);
    for fix in diagnostics.iter_mut().filter_map(|d| d.fix.as_mut()) {
        fix.fit_to(style);
    }
    Ok(Linted {
        file,
        diagnostics,
        unknown_target,
    })
}
