//! label-schema: the labels of the image against the label schema of the configuration
//! (`[label-schema]`, or hadolint's `label-schema`): a required label missing, one left empty,
//! a value that is not of its kind, and with `strict-labels` a label the schema does not name.
//! Quiet without a schema.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{LabelKind, Model};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword, Span};

pub static RULE: Rule = Rule {
    name: "label-schema",
    group: "style",
    severity: Severity::Warning,
    summary: "a label missing, empty or of the wrong kind for the configured label schema",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/label-schema.md"),
    aliases: &[
        "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058",
    ],
    default: true,
    check,
};

/// One LABEL key of the image, expanded, with where its key is written.
struct Label {
    key: String,
    value: String,
    span: Span,
    /// The key or value depends on a variable the build passes.
    unknown: bool,
}

/// The labels the image stage gets from the LABEL lines of its stage chain, earliest first,
/// and the FROM line of the image stage.
fn labels(m: &Model) -> Option<(Vec<Label>, usize)> {
    let stage = m.image_stage()?;
    let chain = m.stage_chain(stage);
    let mut out = Vec::new();
    for s in chain.iter().rev() {
        for i in s.instrs.clone() {
            let ins = m.instruction(i);
            if ins.keyword != Keyword::Label || ins.error.is_some() {
                continue;
            }
            let Args::KeyValues(pairs) = &ins.args else {
                continue;
            };
            for kv in pairs {
                let raw_value = kv.value.as_ref().map_or("", |v| v.value.as_str());
                out.push(Label {
                    key: m.expand_at(i, &kv.key.value),
                    value: m.expand_at(i, raw_value),
                    span: kv.key.span,
                    unknown: !m.unset_vars_at(i, &kv.key.value).is_empty()
                        || !m.unset_vars_at(i, raw_value).is_empty(),
                });
            }
        }
    }
    Some((out, stage.from_instr))
}

fn is_url(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !host.is_empty()
        && !v.contains(char::is_whitespace)
}

fn is_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// `2024-05-01T12:30:00Z`, `2024-05-01T12:30:00.5+02:00` (RFC 3339's date-time).
fn is_rfc3339(v: &str) -> bool {
    let Some((date, time)) = v.split_once(['T', 't', ' ']) else {
        return false;
    };
    let d: Vec<&str> = date.split('-').collect();
    if !(d.len() == 3 && digits(d[0], 4) && digits(d[1], 2) && digits(d[2], 2)) {
        return false;
    }
    let (clock, zone) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, None)
    } else {
        match time.rfind(['+', '-']) {
            Some(at) => (&time[..at], Some(&time[at + 1..])),
            None => return false,
        }
    };
    let clock = clock.split_once('.').map_or(clock, |(c, frac)| {
        if digits(frac, frac.len()) && !frac.is_empty() {
            c
        } else {
            ""
        }
    });
    let t: Vec<&str> = clock.split(':').collect();
    let zone_ok = zone.is_none_or(|z| {
        let p: Vec<&str> = z.split(':').collect();
        p.len() == 2 && digits(p[0], 2) && digits(p[1], 2)
    });
    t.len() == 3 && t.iter().all(|p| digits(p, 2)) && zone_ok
}

/// A git commit id: 7 to 40 hex digits (SHA-1), or 64 (SHA-256 repositories).
fn is_hash(v: &str) -> bool {
    ((7..=40).contains(&v.len()) || v.len() == 64) && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Semantic Versioning 2.0: `1.2.3`, `1.2.3-rc.1+build.5`.
fn is_semver(v: &str) -> bool {
    let (core, build) = v.split_once('+').unwrap_or((v, ""));
    let (core, pre) = core.split_once('-').unwrap_or((core, ""));
    let number = |p: &str| {
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && (p == "0" || !p.starts_with('0'))
    };
    let ident =
        |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| number(p))
        && (pre.is_empty() && !v.contains('-') || pre.split('.').all(ident))
        && (build.is_empty() && !v.contains('+') || build.split('.').all(ident))
}

fn is_spdx(v: &str) -> bool {
    spdx::Expression::parse(v).is_ok()
}

/// The hadolint code and the words for a value that is not of its kind.
fn kind_problem(kind: LabelKind, v: &str) -> Option<(&'static [&'static str], &'static str)> {
    let (ok, code, what): (bool, &'static [&'static str], &'static str) = match kind {
        LabelKind::Text => return None,
        LabelKind::Url => (is_url(v), &["DL3052"], "a URL"),
        LabelKind::Email => (is_email(v), &["DL3058"], "an email address"),
        LabelKind::Rfc3339 => (is_rfc3339(v), &["DL3053"], "an RFC 3339 date and time"),
        LabelKind::Spdx => (is_spdx(v), &["DL3054"], "an SPDX license expression"),
        LabelKind::Hash => (is_hash(v), &["DL3055"], "a git commit hash"),
        LabelKind::Semver => (is_semver(v), &["DL3056"], "a semantic version"),
    };
    (!ok).then_some((code, what))
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let schema = &m.purpose.label_schema;
    if schema.is_empty() {
        return;
    }
    let Some((labels, from)) = labels(m) else {
        return;
    };
    let diag = |message: String, span: Span, code: &'static [&'static str]| {
        Diagnostic::new(RULE.name, RULE.severity, message, span).answers_to(code)
    };
    // Required labels: any the schema names and no LABEL of the image sets.
    let any_unknown_key = labels.iter().any(|l| l.unknown);
    if !any_unknown_key {
        for (name, _) in schema {
            if !labels.iter().any(|l| &l.key == name) {
                let from_span = m.instruction(from).span;
                out.push(
                    diag(
                        format!("the label `{name}` that the label schema requires is missing from {}", m.image_stage_phrase()),
                        Span::new(from_span.start, m.instruction(from).keyword_word.span.end),
                        &["DL3049"],
                    )
                    .label("no LABEL sets it")
                    .help(format!("add `LABEL {name}=...`, or take it out of the configuration's label schema")),
                );
            }
        }
    }
    for l in &labels {
        if l.unknown {
            continue;
        }
        let Some((_, kind)) = schema.iter().find(|(n, _)| *n == l.key) else {
            if m.purpose.strict_labels {
                out.push(
                    diag(
                        format!("the label `{}` is not in the label schema, and `strict-labels` allows no other", l.key),
                        l.span,
                        &["DL3050"],
                    )
                    .label("not in the schema")
                    .help("remove the label, or add it to the configuration's label schema"),
                );
            }
            continue;
        };
        if l.value.trim().is_empty() {
            out.push(
                diag(
                    format!("the label `{}` is empty", l.key),
                    l.span,
                    &["DL3051"],
                )
                .label("no value")
                .help("give it a value, or remove it"),
            );
            continue;
        }
        if let Some((code, what)) = kind_problem(*kind, &l.value) {
            out.push(
                diag(
                    format!(
                        "the label `{}` should hold {what}, not `{}`",
                        l.key, l.value
                    ),
                    l.span,
                    code,
                )
                .label(format!("not {what}"))
                .help(format!("write {what} here, as the label schema asks")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{LabelKind, Model, Purpose};
    use std::collections::BTreeMap;

    fn messages(text: &str, strict: bool) -> Vec<String> {
        let file = crate::syntax::parse(text).expect("parses");
        let k = LabelKind::parse;
        let purpose = Purpose {
            label_schema: [
                ("maintainer", "email"),
                ("org.opencontainers.image.source", "url"),
                ("org.opencontainers.image.created", "rfc3339"),
                ("org.opencontainers.image.licenses", "spdx"),
                ("org.opencontainers.image.revision", "hash"),
                ("org.opencontainers.image.version", "semver"),
                ("description", "text"),
            ]
            .iter()
            .map(|(n, t)| (n.to_string(), k(t).unwrap()))
            .collect(),
            strict_labels: strict,
            ..Purpose::default()
        };
        let m = Model::build_for(&file, None, &BTreeMap::new(), &purpose);
        let mut out = Vec::new();
        super::check(&m, &mut out);
        out.into_iter()
            .map(|d| format!("{}: {}", d.aliases[0], d.message))
            .collect()
    }

    const GOOD: &str = "FROM scratch\nARG REV=0123abc\nLABEL maintainer=\"ops@example.com\" \\\n  org.opencontainers.image.source=https://github.com/o/r \\\n  org.opencontainers.image.created=2024-05-01T12:30:00Z \\\n  org.opencontainers.image.licenses=\"MIT OR Apache-2.0\" \\\n  org.opencontainers.image.revision=$REV \\\n  org.opencontainers.image.version=1.2.3-rc.1 \\\n  description=\"a web app\"\n";

    #[test]
    fn a_conforming_image_is_quiet() {
        assert_eq!(messages(GOOD, true), Vec::<String>::new());
    }

    #[test]
    fn each_kind_is_checked() {
        let bad = GOOD
            .replace("ops@example.com", "ops")
            .replace("https://github.com/o/r", "github.com/o/r")
            .replace("2024-05-01T12:30:00Z", "May-1st")
            .replace("MIT OR Apache-2.0", "MIT-ish")
            .replace("REV=0123abc", "REV=main")
            .replace("1.2.3-rc.1", "v1.2")
            .replace("description=\"a web app\"", "description=\"\" extra=1");
        let got = messages(&bad, true);
        for code in [
            "DL3058", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3051", "DL3050",
        ] {
            assert!(got.iter().any(|m| m.starts_with(code)), "{code}: {got:#?}");
        }
        assert_eq!(got.len(), 8, "{got:#?}");
        // Not strict: a label outside the schema is fine.
        assert!(!messages(&bad, false)
            .iter()
            .any(|m| m.starts_with("DL3050")));
    }

    #[test]
    fn missing_labels_and_inherited_ones() {
        let got = messages("FROM scratch\nLABEL description=x\n", false);
        assert_eq!(
            got.iter().filter(|m| m.starts_with("DL3049")).count(),
            6,
            "{got:#?}"
        );
        // Labels set by a parent stage of the file count; a builder stage's do not.
        let inherited = GOOD.replace("FROM scratch\n", "FROM scratch AS base\n") + "FROM base\n";
        assert_eq!(messages(&inherited, true), Vec::<String>::new());
        let builder = GOOD.replace("FROM scratch\n", "FROM scratch AS build\n") + "FROM scratch\n";
        assert_eq!(messages(&builder, true).len(), 7);
        // A label whose name the build fills in may be any of them: no "missing".
        assert!(messages("FROM scratch\nARG K\nLABEL $K=x\n", false).is_empty());
    }
}
