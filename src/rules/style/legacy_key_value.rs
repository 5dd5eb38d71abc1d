//! legacy-key-value: `ENV KEY value` and `LABEL key value`, the whitespace form that Docker
//! deprecates in favour of `KEY=value`.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, KeyValue, Keyword};

pub static RULE: Rule = Rule {
    name: "legacy-key-value",
    group: "style",
    severity: Severity::Info,
    summary: "ENV or LABEL in the legacy `key value` form",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/legacy-key-value.md"),
    aliases: &["LegacyKeyValueFormat"],
    default: false,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for ins in &m.file.instructions {
        let kw = match ins.keyword {
            Keyword::Env => "ENV",
            Keyword::Label => "LABEL",
            _ => continue,
        };
        if ins.error.is_some() {
            continue;
        }
        let Args::KeyValues(pairs) = &ins.args else {
            continue;
        };
        for kv in pairs.iter().filter(|kv| !kv.equals) {
            let key = &kv.key.value;
            let mut d = Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("`{kw} {key} ...` uses the legacy form without `=`"),
                kv.span,
            )
            .label("legacy `key value` form")
            .answers_to(RULE.aliases);
            match rewritten(m, kv) {
                Some(text) => {
                    let title = if text.len() <= 60 {
                        format!("write `{text}`")
                    } else {
                        "use the `key=value` form".to_string()
                    };
                    d = d.help(format!("write `{kw} {text}`")).fix(Fix {
                        title,
                        applicability: Applicability::Safe,
                        edits: vec![Edit {
                            span: kv.span,
                            content: text,
                        }],
                    });
                }
                None => d = d.help(format!("write `{kw} {key}=\"...\"`, quoting the value")),
            }
            out.push(d);
        }
    }
}

/// The pair in the `key=value` form, when that means the same: the legacy value is the rest of
/// the line taken as one word, so a value with spaces is quoted, unless it already holds quotes
/// or escapes that quoting would change.
fn rewritten(m: &Model, kv: &KeyValue) -> Option<String> {
    let value = kv.value.as_ref()?;
    let raw = m.file.text.get(value.span.start..value.span.end)?;
    let key = m.file.text.get(kv.key.span.start..kv.key.span.end)?;
    if !raw.contains(char::is_whitespace) {
        return Some(format!("{key}={raw}"));
    }
    let esc = m.file.escape;
    // The value's text without its line continuations (and the comment lines BuildKit drops
    // inside them), which quoting leaves as they are; `None` if a line break is anything else.
    let mut joined = String::new();
    let lines: Vec<&str> = raw.split('\n').collect();
    for (n, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if n + 1 == lines.len() {
            joined.push_str(line);
        } else if n > 0 && line.trim_start().starts_with('#') {
            continue;
        } else {
            joined.push_str(line.trim_end().strip_suffix(esc)?);
        }
    }
    // One quoted string: `ENV A "b c"` is `A="b c"`.
    for q in ['"', '\''] {
        if let Some(inner) = joined.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            if !inner.contains(q) && !inner.contains(['\\', esc]) {
                return Some(format!("{key}={raw}"));
            }
        }
    }
    if joined.contains(['"', '\'', '\\', esc]) {
        return None;
    }
    Some(format!("{key}=\"{raw}\""))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::{assert_counts, check_text};

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM scratch\nENV testkey value\nLABEL key value\n", 2),
            (
                "FROM scratch\nENV testkey=value\nLABEL key=value a=\"b c\"\n",
                0,
            ),
            ("FROM scratch\nARG a\n", 0),
        ];
        assert_counts(super::check, cases);
    }

    #[test]
    fn fixes() {
        let fix = |text: &str| -> Option<String> {
            let d = check_text(super::check, text);
            let f = d.first()?.fix.as_ref()?;
            Some(f.edits[0].content.clone())
        };
        assert_eq!(fix("FROM scratch\nENV A b\n").as_deref(), Some("A=b"));
        assert_eq!(
            fix("FROM scratch\nENV A b  c\n").as_deref(),
            Some("A=\"b  c\"")
        );
        assert_eq!(
            fix("FROM scratch\nENV A $B c\n").as_deref(),
            Some("A=\"$B c\"")
        );
        assert_eq!(fix("FROM scratch\nENV A \"b c\" d\n"), None);
        assert_eq!(
            fix("FROM scratch\nENV A b \\\n# note\n  c\n").as_deref(),
            Some("A=\"b \\\n# note\n  c\"")
        );
        assert_eq!(
            fix("FROM scratch\nENV A \"b c\"\n").as_deref(),
            Some("A=\"b c\"")
        );
    }
}
