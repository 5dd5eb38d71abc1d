//! expose-host-port: `EXPOSE 8080:80` or `EXPOSE 127.0.0.1:80:80`: a host address or host port,
//! which an image cannot choose.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    name: "expose-host-port",
    group: "correctness",
    severity: Severity::Warning,
    summary: "an EXPOSE port with a host address or host port",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/expose-host-port.md"),
    aliases: &["ExposeInvalidFormat"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, ins) in m.instructions_of(Keyword::Expose) {
        let Args::Words(words) = &ins.args else {
            continue;
        };
        for w in words {
            let v = m.expand_at(i, &w.value);
            if !v.contains(':') {
                continue;
            }
            let container = v.rsplit(':').next().unwrap_or("");
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!("`{v}` names a host address or port; EXPOSE takes the container's"),
                    w.span,
                )
                .label("host part ignored")
                .help(format!(
                    "write `EXPOSE {container}`, and publish it with `docker run -p` or compose `ports:`"
                ))
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
            (
                "FROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
                3,
            ),
            ("FROM scratch\nEXPOSE 80 443/tcp 8000-8010\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
