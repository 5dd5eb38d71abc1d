//! expose-protocol-case: `EXPOSE 80/TCP`: the protocol is written in upper case.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword, Span};

pub static RULE: Rule = Rule {
    name: "expose-protocol-case",
    group: "style",
    severity: Severity::Info,
    summary: "the protocol of an EXPOSE port is not lower case",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/expose-protocol-case.md"),
    aliases: &["ExposeProtoCasing"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (_, ins) in m.instructions_of(Keyword::Expose) {
        let Args::Words(words) = &ins.args else {
            continue;
        };
        for w in words {
            let raw = &m.file.text[w.span.start..w.span.end];
            let Some(slash) = raw.find('/') else { continue };
            let proto = &raw[slash + 1..];
            if proto.contains('$') || proto == proto.to_ascii_lowercase() {
                continue;
            }
            let span = Span::new(w.span.start + slash + 1, w.span.end);
            let lower = proto.to_ascii_lowercase();
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!("the protocol of `{raw}` should be lower case"),
                    span,
                )
                .label(format!("write `{lower}`"))
                .help(format!(
                    "write `{}`",
                    format_args!("{}/{lower}", &raw[..slash])
                ))
                .fix(Fix {
                    title: format!("write `{lower}`"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span,
                        content: lower.clone(),
                    }],
                })
                .answers_to(RULE.aliases),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n", 2),
            ("FROM scratch\nEXPOSE 80 443/tcp\n", 0),
            ("FROM scratch\nEXPOSE 80/${PROTO}\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
