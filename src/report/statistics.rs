//! `--statistics`: how often each rule fired, most frequent first, instead of the findings;
//! the quick view of what a new codebase needs before its findings are worth reading.

use super::{Run, FILE_ERROR};
use crate::rules::Rule;
use serde_json::json;
use std::collections::BTreeMap;

/// (rule, count), by count descending then name; files that could not be linted count under
/// `file-error` so that they are not silently missing from the tally.
fn tally(run: &Run) -> Vec<(&str, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in run.files.iter().flat_map(|f| &f.diagnostics) {
        *counts.entry(d.rule).or_default() += 1;
    }
    if !run.errors.is_empty() {
        *counts.entry(FILE_ERROR).or_default() += run.errors.len();
    }
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows
}

fn summary<'a>(rules: &[&'a Rule], name: &str) -> &'a str {
    if name == FILE_ERROR {
        return "files that could not be linted";
    }
    rules
        .iter()
        .find(|r| r.name == name)
        .map(|r| r.summary)
        .unwrap_or("")
}

pub fn render_text(run: &Run, rules: &[&Rule]) -> String {
    let rows = tally(run);
    let count_width = rows
        .iter()
        .map(|r| r.1.to_string().len())
        .max()
        .unwrap_or(1);
    let name_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, count) in rows {
        let line = format!(
            "{count:>count_width$}  {name:<name_width$}  {}",
            summary(rules, name)
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn render_json(run: &Run, rules: &[&Rule]) -> String {
    let rows: Vec<_> = tally(run)
        .into_iter()
        .map(|(name, count)| json!({"rule": name, "count": count, "summary": summary(rules, name)}))
        .collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_default();
    s.push('\n');
    s
}
