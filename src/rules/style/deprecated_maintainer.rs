//! deprecated-maintainer: the MAINTAINER instruction is deprecated; the image's author is
//! stated with a label.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "deprecated-maintainer",
    group: "style",
    severity: Severity::Info,
    summary: "MAINTAINER is deprecated: state the author with a label",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/deprecated-maintainer.md"),
    aliases: &["DL4000", "MaintainerDeprecated"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (_, ins) in m.instructions_of(Keyword::Maintainer) {
        let text = &m.file.text;
        let value = text
            .get(ins.keyword_word.span.end..ins.span.end)
            .unwrap_or("")
            .trim();
        let mut d = Diagnostic::new(
            RULE.name,
            RULE.severity,
            "MAINTAINER is deprecated".to_string(),
            ins.keyword_word.span,
        )
        .label("deprecated instruction")
        .help("state the author with `LABEL org.opencontainers.image.authors=\"...\"`")
        .answers_to(RULE.aliases);
        // One line, no continuation: the rewrite is mechanical.
        if !value.is_empty() && !value.contains('\n') {
            let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
            d = d.fix(Fix {
                title: "replace it with an `org.opencontainers.image.authors` label".into(),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span: Span::new(ins.span.start, ins.span.end),
                    content: format!("LABEL org.opencontainers.image.authors=\"{quoted}\""),
                }],
            });
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::check_text;

    #[test]
    fn table() {
        let d = check_text(
            super::check,
            "FROM scratch\nmaintainer Jane <jane@example.org>\n",
        );
        assert_eq!(d.len(), 1);
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(
            fix.edits[0].content,
            "LABEL org.opencontainers.image.authors=\"Jane <jane@example.org>\""
        );
        assert!(check_text(super::check, "FROM scratch\nLABEL maintainer=jane\n").is_empty());
    }
}
