//! The default human format: annotated source snippets (codespan-reporting), then a summary.
//! Colour is the caller's choice; the same function renders the docs' expected outputs.

use super::Run;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor, Config, Styles, StylesWriter};

/// `shift`: bytes cut from the front of the text shown (a byte order mark).
fn to_codespan(d: &Diagnostic, shift: usize) -> cs::Diagnostic<()> {
    let range = |s: crate::syntax::Span| s.start.saturating_sub(shift)..s.end.saturating_sub(shift);
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
    };
    let mut labels =
        vec![cs::Label::primary((), range(d.primary.span)).with_message(d.primary.message.clone())];
    for l in &d.secondary {
        labels.push(cs::Label::secondary((), range(l.span)).with_message(l.message.clone()));
    }
    let mut notes = Vec::new();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    if let Some(f) = &d.fix {
        let kind = match f.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "unsafe fix",
        };
        notes.push(format!("{kind}: {}", f.title));
    }
    cs::Diagnostic::new(severity)
        .with_code(d.rule)
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// Render one file's diagnostics; `color` adds ANSI escapes.
pub fn render_file(path: &str, text: &str, diagnostics: &[Diagnostic], color: bool) -> String {
    // A byte order mark is shown neither in the snippet nor as a column.
    let shown = text.strip_prefix('\u{feff}').unwrap_or(text);
    let shift = text.len() - shown.len();
    let file = SimpleFile::new(path, shown);
    let config = Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let diag = to_codespan(d, shift);
        let start = out.len();
        if color {
            let styles = Styles::default();
            let mut buf = termcolor::Buffer::ansi();
            let ok = term::emit_to_write_style(
                &mut StylesWriter::new(&mut buf, &styles),
                &config,
                &file,
                &diag,
            )
            .is_ok();
            if ok {
                out.push_str(&String::from_utf8_lossy(buf.as_slice()));
            }
        } else if let Ok(s) = term::emit_into_string(&config, &file, &diag) {
            out.push_str(&s);
        }
        // codespan calls this severity `note`; every other output, the summary line and the
        // configuration call it `info`. The header starts with it, so its first occurrence is
        // the one to rename (same length: nothing else moves).
        if d.severity == Severity::Info {
            if let Some(i) = out[start..].find("note") {
                out.replace_range(start + i..start + i + 4, "info");
            }
        }
    }
    out
}

/// The whole run: every file's snippets, then the files that could not be linted, then (unless
/// `quiet`) the summary line.
pub fn render(run: &Run, color: bool, quiet: bool) -> String {
    let mut out = String::new();
    for f in &run.files {
        out.push_str(&render_file(&f.path, &f.text, &f.diagnostics, color));
    }
    for e in &run.errors {
        out.push_str(&format!("error: {}: {}\n\n", e.path, e.message));
    }
    if !quiet {
        out.push_str(&run.summary_line());
    }
    out
}
