//! SonarQube's generic issue import format (`sonar.externalIssuesReportPaths`): an object with
//! an `issues` array. This is the format every SonarQube and SonarCloud version reads; each
//! issue names its engine, rule, severity and type, and a text range whose columns count from 0.

use super::{display_path, LineIndex, Run, FILE_ERROR};
use crate::diagnostic::Severity;
use serde_json::{json, Map, Value};
use std::path::Path;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "CRITICAL",
        Severity::Warning => "MAJOR",
        Severity::Info => "INFO",
    }
}

/// An error is a build or runtime defect; the rest make the image worse to build or run.
fn kind(s: Severity) -> &'static str {
    match s {
        Severity::Error => "BUG",
        Severity::Warning | Severity::Info => "CODE_SMELL",
    }
}

/// Paths are relative to `cwd`, the project base directory of a scanner run.
pub fn render(run: &Run, cwd: &Path) -> String {
    let mut issues = Vec::new();
    for f in &run.files {
        let idx = LineIndex::new(&f.text);
        let path = display_path(&f.path, cwd);
        for d in &f.diagnostics {
            let s = idx.position(d.primary.span.start);
            let e = idx.position(d.primary.span.end);
            let mut range = Map::new();
            range.insert("startLine".into(), json!(s.line));
            range.insert("endLine".into(), json!(e.line));
            // SonarQube refuses a range that ends where it starts; the line alone is kept.
            if (e.line, e.column) > (s.line, s.column) {
                range.insert("startColumn".into(), json!(s.column - 1));
                range.insert("endColumn".into(), json!(e.column - 1));
            }
            issues.push(json!({
                "engineId": "layerlint",
                "ruleId": d.rule,
                "severity": severity(d.severity),
                "type": kind(d.severity),
                "primaryLocation": {
                    "message": d.message,
                    "filePath": path,
                    "textRange": Value::Object(range),
                },
            }));
        }
    }
    for e in &run.errors {
        issues.push(json!({
            "engineId": "layerlint",
            "ruleId": FILE_ERROR,
            "severity": "BLOCKER",
            "type": "BUG",
            "primaryLocation": {
                "message": e.message,
                "filePath": display_path(&e.path, cwd),
                "textRange": {"startLine": 1},
            },
        }));
    }
    let mut s = serde_json::to_string_pretty(&json!({ "issues": issues })).unwrap_or_default();
    s.push('\n');
    s
}
