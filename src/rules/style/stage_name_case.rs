//! stage-name-case: a stage name with upper-case letters (`FROM x AS Build`).

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::{Base, CopyFrom, Model};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Span;

pub static RULE: Rule = Rule {
    name: "stage-name-case",
    group: "style",
    severity: Severity::Info,
    summary: "a stage name with upper-case letters",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/stage-name-case.md"),
    aliases: &["StageNameCasing"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for stage in &m.stages {
        let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
            continue;
        };
        if name.contains('$') || *name == name.to_ascii_lowercase() {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let mut d = Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!("the stage name `{name}` has upper-case letters"),
            span,
        )
        .label(format!("write `{lower}`"))
        .help(format!(
            "name it `{lower}`: stage names are compared without case, and written in lower case"
        ))
        .answers_to(RULE.aliases);
        // Another stage already called `lower` is stage-name-conflict's finding: no rename.
        let taken = m
            .stages
            .iter()
            .any(|s| s.index != stage.index && s.name.as_deref() == Some(lower.as_str()));
        if !taken {
            let edits = std::iter::once(span)
                .chain(references(m, stage.index, name))
                .map(|span| Edit {
                    span,
                    content: lower.clone(),
                })
                .collect();
            d = d.fix(Fix {
                title: format!("rename the stage `{lower}`, with the references to it"),
                applicability: Applicability::Safe,
                edits,
            });
        }
        out.push(d);
    }
}

/// Where the file names stage `index` as written (`FROM Build`, `COPY --from=Build`,
/// `RUN --mount=from=Build`): the spans of the name. A reference through a variable is left as
/// it is; BuildKit finds the stage whatever its case.
fn references(m: &Model, index: usize, name: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let text = &m.file.text;
    let names_it = |sp: Span| text.get(sp.start..sp.end) == Some(name);
    for s in &m.stages {
        if s.base == Base::Stage(index) {
            if let Some(w) = s.base_word.as_ref().filter(|w| names_it(w.span)) {
                spans.push(w.span);
            }
        }
    }
    for copy in m.copies.values() {
        if copy.from != CopyFrom::Stage(index) {
            continue;
        }
        let flag = m.instruction(copy.instr).flag("from");
        if let Some(sp) = flag.and_then(|f| f.value_span).filter(|sp| names_it(*sp)) {
            spans.push(sp);
        }
    }
    for (&i, mounts) in &m.mounts {
        if !mounts.iter().any(|mt| mt.from == CopyFrom::Stage(index)) {
            continue;
        }
        for f in m.instruction(i).flags.iter().filter(|f| f.name == "mount") {
            let Some(vs) = f.value_span else { continue };
            let Some(value) = text.get(vs.start..vs.end) else {
                continue;
            };
            let mut at = 0;
            for field in value.split(',') {
                if let Some(v) = field.strip_prefix("from=") {
                    if v == name {
                        let start = vs.start + at + "from=".len();
                        spans.push(Span::new(start, start + v.len()));
                    }
                }
                at += field.len() + 1;
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::apply_edits;
    use crate::rules::test_context::{assert_counts, check_text};

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM scratch AS BadStageName\n", 1),
            ("FROM scratch AS good-name_2\n", 0),
            ("FROM scratch\n", 0),
        ];
        assert_counts(super::check, cases);
    }

    #[test]
    fn the_fix_renames_every_reference() {
        let text = "FROM golang:1.23 AS Build\nRUN go version\nFROM Build AS Test\nRUN --mount=type=cache,target=/c,from=Build true\nFROM scratch\nCOPY --from=Build /a /a\nCOPY --from=Test /b /b\n";
        let d = check_text(super::check, text);
        assert_eq!(d.len(), 2);
        let edits: Vec<_> = d[0].fix.as_ref().unwrap().edits.iter().collect();
        let (fixed, _) = apply_edits(text, &edits);
        assert_eq!(
            fixed,
            "FROM golang:1.23 AS build\nRUN go version\nFROM build AS Test\nRUN --mount=type=cache,target=/c,from=build true\nFROM scratch\nCOPY --from=build /a /a\nCOPY --from=Test /b /b\n"
        );
        // A name another stage already has in lower case: no rename.
        let d = check_text(
            super::check,
            "FROM scratch AS build\nFROM scratch AS Build\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
    }
}
