//! One line per finding, `file:line:col: severity[rule]: message`, for editors' error parsers
//! and grep. A file that could not be linted reads `file:1:1: error[file-error]: message`.

use super::{LineIndex, Run, FILE_ERROR};

/// Line breaks would split one finding over several lines and break every line-based
/// consumer, so they are written as the two characters `\n` (and `\r` likewise).
fn one_line(s: &str) -> String {
    s.replace('\r', "\\r").replace('\n', "\\n")
}

pub fn render(run: &Run, quiet: bool) -> String {
    let mut out = String::new();
    for f in &run.files {
        let idx = LineIndex::new(&f.text);
        let path = one_line(&f.path);
        for d in &f.diagnostics {
            let p = idx.position(d.primary.span.start);
            out.push_str(&format!(
                "{path}:{}:{}: {}[{}]: {}\n",
                p.line,
                p.column,
                d.severity.as_str(),
                d.rule,
                one_line(&d.message),
            ));
        }
    }
    for e in &run.errors {
        out.push_str(&format!(
            "{}:1:1: error[{FILE_ERROR}]: {}\n",
            one_line(&e.path),
            one_line(&e.message),
        ));
    }
    if !quiet {
        out.push_str(&run.summary_line());
    }
    out
}
