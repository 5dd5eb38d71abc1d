//! One Dockerfile from text to findings: parse, build the model, run the enabled rules, honour
//! the file's suppression comments. The command line, the docs tests and editors come here.

use crate::context::BuildContext;
use crate::diagnostic::{Diagnostic, TextStyle};
use crate::model::Model;
use crate::rules::{self, Rule};
use crate::syntax::{self, Dockerfile, ParseError};
use std::collections::BTreeMap;

pub struct Linted {
    pub file: Dockerfile,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn lint_text(
    text: &str,
    context: Option<&BuildContext>,
    build_args: &BTreeMap<String, String>,
    enabled: &dyn Fn(&Rule) -> bool,
) -> Result<Linted, ParseError> {
    let file = syntax::parse(text)?;
    let mut diagnostics = {
        let model = Model::build(&file, context, build_args);
        rules::check(&model, enabled)
    };
    // Here rather than in the command line, so that editors and the docs tests see the same.
    rules::suppress::apply(&file, &mut diagnostics, enabled);
    // Rules write fixes with `\n` and from offset 0; the file may use `\r\n` and a BOM.
    let style = TextStyle::of(text);
    for fix in diagnostics.iter_mut().filter_map(|d| d.fix.as_mut()) {
        fix.fit_to(style);
    }
    Ok(Linted { file, diagnostics })
}
