//! from-arg-default-invalid: `ARG VERSION` + `FROM busybox:$VERSION`: with the ARG defaults
//! alone, the base image name is empty or invalid, so the build fails unless every build passes
//! the value.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::images::is_valid_reference;
use crate::model::vars::PLATFORM_ARGS;
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    name: "from-arg-default-invalid",
    group: "correctness",
    // Build systems that always pass the value (skaffold's artifact dependencies, Cloud Build
    // substitutions) write such FROM lines on purpose: most of the corpus's 39 files.
    severity: Severity::Info,
    summary: "with the ARG defaults alone, a FROM image name is empty or invalid",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/from-arg-default-invalid.md"),
    aliases: &["InvalidDefaultArgInFrom"],
    default: true,
    check,
};

/// Values longer than this stop the check: defaults that feed on each other could otherwise
/// grow without bound.
const MAX_VALUE: usize = 4096;

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    // The ARGs before the first FROM, with their defaults only, as `docker build` without
    // `--build-arg` sees them.
    let mut defaults: HashMap<String, String> = PLATFORM_ARGS
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let first_from = m.stages.first().map_or(usize::MAX, |s| s.from_instr);
    for ins in m.file.instructions.iter().take(first_from) {
        let (Keyword::Arg, Args::KeyValues(pairs)) = (ins.keyword, &ins.args) else {
            continue;
        };
        for kv in pairs {
            match &kv.value {
                Some(v) => {
                    let raw = &m.file.text[v.span.start..v.span.end];
                    let Ok(e) = m.lexer.process_word(raw, &defaults) else {
                        return;
                    };
                    if e.value.len() > MAX_VALUE {
                        return;
                    }
                    defaults.insert(kv.key.value.clone(), e.value);
                }
                None => {
                    defaults.remove(&kv.key.value);
                }
            }
        }
    }
    for stage in &m.stages {
        let Some(word) = &stage.base_word else {
            continue;
        };
        let raw = &m.file.text[word.span.start..word.span.end];
        if !raw.contains('$') {
            continue;
        }
        let (e, err) = m.lexer.process_word_partial(raw, &defaults);
        if err.is_some() || is_valid_reference(&e.value) {
            continue;
        }
        let args: Vec<String> = e.unmatched.iter().map(|n| format!("`{n}`")).collect();
        let shown = if e.value.is_empty() {
            "an empty name".to_string()
        } else {
            format!("`{}`", e.value)
        };
        let help = if args.is_empty() {
            "give the ARG a default that makes a valid image name".to_string()
        } else {
            format!(
                "give {} a default before the first FROM (`ARG {}=<value>`), so that a build without `--build-arg` works",
                args.join(", "),
                e.unmatched[0]
            )
        };
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!(
                    "with the ARG defaults alone, `{raw}` is {shown}, which is no valid image name"
                ),
                word.span,
            )
            .label("invalid without --build-arg")
            .help(help)
            .answers_to(RULE.aliases),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("ARG VERSION\nFROM busybox:$VERSION\n", 1),
            ("ARG IMAGE\nFROM $IMAGE\n", 1),
            ("ARG SFX=\"box:\"\nFROM busy${SFX}\n", 1),
            ("ARG VERSION=\"latest\"\nFROM busybox:${VERSION}\n", 0),
            (
                "ARG BUSYBOX_VARIANT=\"\"\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
                0,
            ),
            (
                "ARG BUSYBOX_VARIANT\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
                0,
            ),
            ("ARG BASE=alpine\nARG IMG=${BASE}:3.20\nFROM $IMG\n", 0),
            ("FROM ${BASE:-alpine}\n", 0),
            ("FROM --platform=$BUILDPLATFORM golang:1.23\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
