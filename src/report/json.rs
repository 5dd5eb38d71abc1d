//! The JSON contract of `spec/cli.md`: one object with diagnostics, errors and a summary.
//! Field names are an interface other tools build on: change them only with a version bump.

use super::{LineIndex, Run};
use crate::diagnostic::{Applicability, Severity};
use crate::syntax::Span;
use serde_json::{json, Map, Value};

fn range(idx: &LineIndex, span: Span, obj: &mut Map<String, Value>) {
    let s = idx.position(span.start);
    let e = idx.position(span.end);
    obj.insert("line".into(), s.line.into());
    obj.insert("column".into(), s.column.into());
    obj.insert("end_line".into(), e.line.into());
    obj.insert("end_column".into(), e.column.into());
}

pub fn render(run: &Run, group_of: &dyn Fn(&str) -> &'static str) -> String {
    let mut diagnostics = Vec::new();
    let mut counts = [0usize; 3];
    for f in &run.files {
        let idx = LineIndex::new(&f.text);
        for d in &f.diagnostics {
            counts[d.severity as usize] += 1;
            let mut o = Map::new();
            o.insert("rule".into(), d.rule.into());
            o.insert("group".into(), group_of(d.rule).into());
            o.insert("severity".into(), d.severity.as_str().into());
            o.insert("message".into(), d.message.clone().into());
            o.insert("file".into(), f.path.clone().into());
            range(&idx, d.primary.span, &mut o);
            if !d.primary.message.is_empty() {
                o.insert("label".into(), d.primary.message.clone().into());
            }
            if !d.secondary.is_empty() {
                let labels: Vec<Value> = d
                    .secondary
                    .iter()
                    .map(|l| {
                        let mut lo = Map::new();
                        range(&idx, l.span, &mut lo);
                        lo.insert("message".into(), l.message.clone().into());
                        Value::Object(lo)
                    })
                    .collect();
                o.insert("labels".into(), labels.into());
            }
            if let Some(h) = &d.help {
                o.insert("help".into(), h.clone().into());
            }
            if let Some(fix) = &d.fix {
                let edits: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        let mut eo = Map::new();
                        range(&idx, e.span, &mut eo);
                        eo.insert("content".into(), e.content.clone().into());
                        Value::Object(eo)
                    })
                    .collect();
                let applicability = match fix.applicability {
                    Applicability::Safe => "safe",
                    Applicability::Unsafe => "unsafe",
                };
                o.insert(
                    "fix".into(),
                    json!({"applicability": applicability, "title": fix.title, "edits": edits}),
                );
            }
            diagnostics.push(Value::Object(o));
        }
    }
    let errors: Vec<Value> = run
        .errors
        .iter()
        .map(|e| json!({"file": e.path, "message": e.message}))
        .collect();
    let out = json!({
        "version": 1,
        "tool": {"name": "layerlint", "version": env!("CARGO_PKG_VERSION")},
        "diagnostics": diagnostics,
        "errors": errors,
        "summary": {
            "files": run.files.len(),
            "failed": run.failed(),
            "error": counts[Severity::Error as usize],
            "warning": counts[Severity::Warning as usize],
            "info": counts[Severity::Info as usize],
        },
    });
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}
