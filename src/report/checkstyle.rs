//! Checkstyle XML, the lingua franca of CI dashboards (Jenkins warnings-ng, reviewdog, Sonar):
//! one `<file>` per linted file, one `<error>` per finding.

use super::{xml_escape, LineIndex, Run, FILE_ERROR};
use crate::diagnostic::Severity;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

pub fn render(run: &Run) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<checkstyle version=\"4.3\">\n");
    for f in &run.files {
        let idx = LineIndex::new(&f.text);
        // Clean files are listed too: a dashboard then knows they were checked.
        if f.diagnostics.is_empty() {
            out.push_str(&format!("  <file name=\"{}\"/>\n", xml_escape(&f.path)));
            continue;
        }
        out.push_str(&format!("  <file name=\"{}\">\n", xml_escape(&f.path)));
        for d in &f.diagnostics {
            let p = idx.position(d.primary.span.start);
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"layerlint.{}\"/>\n",
                p.line,
                p.column,
                severity(d.severity),
                xml_escape(&d.message),
                xml_escape(d.rule),
            ));
        }
        out.push_str("  </file>\n");
    }
    for e in &run.errors {
        out.push_str(&format!(
            "  <file name=\"{}\">\n    <error line=\"1\" severity=\"error\" message=\"{}\" source=\"layerlint.{FILE_ERROR}\"/>\n  </file>\n",
            xml_escape(&e.path),
            xml_escape(&e.message),
        ));
    }
    out.push_str("</checkstyle>\n");
    out
}
