//! GitHub Actions workflow commands (`::warning file=…,line=…::message`): each finding becomes an
//! annotation on the pull request's diff, with no upload step and no permissions.

use super::{display_path, LineIndex, Run, FILE_ERROR};
use crate::diagnostic::Severity;
use std::path::Path;

/// The runner splits a command at `::` and at line breaks, and decodes `%XX`, so message text
/// escapes `%`, CR and LF (the runner's own escaping rules, `escapeData` in actions/toolkit).
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values are also split at `,` and `:` (`escapeProperty` in actions/toolkit).
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Paths are made relative to `cwd` (the checkout in a workflow), because GitHub matches
/// annotations to files by repository-relative path.
pub fn render(run: &Run, cwd: &Path) -> String {
    let mut out = String::new();
    for f in &run.files {
        let idx = LineIndex::new(&f.text);
        let path = escape_property(&display_path(&f.path, cwd));
        for d in &f.diagnostics {
            let s = idx.position(d.primary.span.start);
            let e = idx.position(d.primary.span.end);
            // Columns only mean something on a single line; GitHub ignores them otherwise,
            // and leaving them out keeps the annotation honest about what it covers.
            let place = if s.line == e.line {
                format!(
                    "line={},col={},endLine={},endColumn={}",
                    s.line, s.column, e.line, e.column
                )
            } else {
                format!("line={},endLine={}", s.line, e.line)
            };
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            out.push_str(&format!(
                "::{} file={path},{place},title={}::{}\n",
                command(d.severity),
                escape_property(&format!("layerlint ({})", d.rule)),
                escape_data(&message),
            ));
        }
    }
    for e in &run.errors {
        out.push_str(&format!(
            "::error file={},title={}::{}\n",
            escape_property(&display_path(&e.path, cwd)),
            escape_property(&format!("layerlint ({FILE_ERROR})")),
            escape_data(&e.message),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("100%\r\na:b,c"), "100%25%0D%0Aa:b,c");
        assert_eq!(escape_property("100%\na:b,c"), "100%25%0Aa%3Ab%2Cc");
    }
}
