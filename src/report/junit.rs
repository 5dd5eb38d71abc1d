//! JUnit XML, which every CI system can display as test results: a `<testsuite>` per file, a
//! failing `<testcase>` per finding, an `<error>` for a file that could not be linted.

use super::{xml_escape, LineIndex, Run, FILE_ERROR};

pub fn render(run: &Run) -> String {
    let findings: usize = run.files.iter().map(|f| f.diagnostics.len()).sum();
    let clean = run
        .files
        .iter()
        .filter(|f| f.diagnostics.is_empty())
        .count();
    let errors = run.errors.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"layerlint\" tests=\"{}\" failures=\"{findings}\" errors=\"{errors}\">\n",
        findings + clean + errors
    ));
    for f in &run.files {
        let idx = LineIndex::new(&f.text);
        let path = xml_escape(&f.path);
        // A clean file is one passing test, so that the report shows what was checked.
        let tests = f.diagnostics.len().max(1);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{}\" errors=\"0\">\n",
            f.diagnostics.len()
        ));
        if f.diagnostics.is_empty() {
            out.push_str(&format!(
                "    <testcase name=\"no problems\" classname=\"{path}\"/>\n"
            ));
        }
        for d in &f.diagnostics {
            let p = idx.position(d.primary.span.start);
            let mut body = format!(
                "{}:{}:{}: {}[{}]: {}",
                f.path,
                p.line,
                p.column,
                d.severity.as_str(),
                d.rule,
                d.message
            );
            if let Some(help) = &d.help {
                body.push_str("\nhelp: ");
                body.push_str(help);
            }
            out.push_str(&format!(
                "    <testcase name=\"{}:{}:{}\" classname=\"{path}\" file=\"{path}\" line=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                xml_escape(d.rule),
                p.line,
                p.column,
                p.line,
                xml_escape(&d.message),
                d.severity.as_str(),
                xml_escape(&body),
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    for e in &run.errors {
        let path = xml_escape(&e.path);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"{FILE_ERROR}\" classname=\"{path}\" file=\"{path}\">\n      <error message=\"{}\" type=\"{FILE_ERROR}\"/>\n    </testcase>\n  </testsuite>\n",
            xml_escape(&e.message),
        ));
    }
    out.push_str("</testsuites>\n");
    out
}
