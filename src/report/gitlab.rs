//! GitLab Code Quality report: a JSON array of issues that merge requests show inline. GitLab
//! tells new findings from old by `fingerprint`, so it must survive edits elsewhere in the file.

use super::{display_path, fnv1a64, LineIndex, Run, FILE_ERROR};
use crate::diagnostic::Severity;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// Hash of rule, path, the trimmed text of the finding's first line and how many identical
/// (rule, path, text) triples came before it. The line number is left out on purpose: adding
/// a line above a finding must not make GitLab report it as fixed and found again.
fn fingerprint(seen: &mut HashMap<u64, u32>, rule: &str, path: &str, line: &str) -> String {
    let key = fnv1a64(&[rule.as_bytes(), path.as_bytes(), line.trim().as_bytes()]);
    let n = seen.entry(key).or_insert(0);
    *n += 1;
    let h = fnv1a64(&[&key.to_le_bytes(), &n.to_le_bytes()]);
    format!("{h:016x}")
}

/// Paths are relative to `cwd`, the project directory in a CI job, because GitLab resolves
/// them against the repository.
pub fn render(run: &Run, cwd: &Path) -> String {
    let mut issues = Vec::new();
    let mut seen = HashMap::new();
    for f in &run.files {
        let idx = LineIndex::new(&f.text);
        let path = display_path(&f.path, cwd);
        for d in &f.diagnostics {
            let s = idx.position(d.primary.span.start);
            let e = idx.position(d.primary.span.end);
            issues.push(json!({
                "description": d.message,
                "check_name": d.rule,
                "fingerprint": fingerprint(&mut seen, d.rule, &path, idx.line_text(s.line)),
                "severity": severity(d.severity),
                "location": {"path": path, "lines": {"begin": s.line, "end": e.line}},
            }));
        }
    }
    // A file that could not be linted at all is the worst news in the report: nothing in it
    // was checked.
    for e in &run.errors {
        let path = display_path(&e.path, cwd);
        issues.push(json!({
            "description": e.message,
            "check_name": FILE_ERROR,
            "fingerprint": fingerprint(&mut seen, FILE_ERROR, &path, &e.message),
            "severity": "blocker",
            "location": {"path": path, "lines": {"begin": 1}},
        }));
    }
    let mut s = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_findings_get_distinct_fingerprints() {
        let mut seen = HashMap::new();
        let a = fingerprint(&mut seen, "r", "p", "  RUN x");
        let b = fingerprint(&mut seen, "r", "p", "RUN x");
        assert_ne!(a, b);
        let mut again = HashMap::new();
        assert_eq!(a, fingerprint(&mut again, "r", "p", "RUN x"));
    }
}
