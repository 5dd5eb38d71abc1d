//! untagged-base-image: a FROM image with no tag and no digest, or tagged `latest`, so that
//! each build may start from a different image.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::images::{pin_of, Pin};
use crate::model::{Base, Model, VarKind};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "untagged-base-image",
    group: "correctness",
    severity: Severity::Info,
    summary: "a FROM image without a tag or digest, or tagged `latest`",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/untagged-base-image.md"),
    aliases: &["DL3006", "DL3007"],
    // A quarter of the corpus names an untagged image, mostly examples and test fixtures: on,
    // at info, so that it is seen without failing a build gate (see the page).
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for stage in &m.stages {
        let (Base::Image(image), Some(word)) = (&stage.base, &stage.base_word) else {
            continue;
        };
        // A variable the build passes (`FROM $BASE`) may hold any tag; one in the registry or
        // namespace (`FROM $REGISTRY/busybox:latest`) leaves the tag as written.
        let image = if m.unset_vars_at(stage.from_instr, &word.value).is_empty() {
            image
        } else if word
            .value
            .rsplit('/')
            .next()
            .is_some_and(|last| !last.contains('$'))
            && word.value.contains('/')
        {
            &word.value
        } else {
            continue;
        };
        if image.is_empty() {
            continue;
        }
        let tag = match pin_of(image) {
            Pin::Digest => continue,
            Pin::Tag("latest", at) => Some(at),
            Pin::Tag(..) => continue,
            Pin::Untagged => None,
        };
        let literal = m.file.text.get(word.span.start..word.span.end) == Some(image.as_str());
        let written = literal || *image == word.value;
        let subject = if written {
            format!("`{image}`")
        } else {
            format!("`{}` is `{image}`, which", word.value)
        };
        // `FROM build` before the stage `build`: FROM sees only earlier stages.
        let later_stage = m.stages[stage.index + 1..].iter().find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(image))
        });
        let (message, label, span, alias): (String, &str, Span, &'static [&'static str]) =
            match tag {
                Some(at) => (
                    format!("{subject} is tagged `latest`: each build takes whatever image that is then"),
                    "a tag that moves",
                    if literal {
                        Span::new(word.span.start + at, word.span.end)
                    } else {
                        word.span
                    },
                    &["DL3007"],
                ),
                None if later_stage.is_some() => (
                    format!(
                        "`{image}` is a stage defined later, so FROM pulls an image of that name, untagged"
                    ),
                    "not an earlier stage",
                    word.span,
                    &["DL3006"],
                ),
                None => (
                    format!("{subject} has no tag: each build takes whatever `latest` is then"),
                    "no tag",
                    word.span,
                    &["DL3006"],
                ),
            };
        let repo = image.split('@').next().unwrap_or(image);
        let repo = match tag {
            Some(at) => &repo[..at - 1],
            None => repo,
        };
        let help = if later_stage.is_some() {
            "move the stage above this FROM, or name an image with a version tag".to_string()
        } else {
            format!("name a version tag (`{repo}:<version>`), or pin a digest (`{repo}@sha256:…`)")
        };
        let mut d = Diagnostic::new(RULE.name, RULE.severity, message, span)
            .label(label)
            .help(help)
            .answers_to(alias);
        if let Some(s) = later_stage.and_then(|s| s.name_span) {
            d = d.secondary(s, "the stage of this name");
        }
        if !written {
            for def in defaults_in(m, &word.value) {
                d = d.secondary(
                    m.instruction(def.0).span,
                    format!("`{}` defaults to `{}` here", def.1, def.2),
                );
            }
        }
        out.push(d);
    }
}

/// The global ARGs with a written default that `word` names, and no `--build-arg` replaces:
/// (instruction, name, value).
fn defaults_in<'m>(m: &'m Model, word: &str) -> Vec<(usize, &'m str, &'m str)> {
    let mut found: Vec<(usize, &str, &str)> = Vec::new();
    for def in m.global_vars.iter().rev() {
        let named = word.contains(&format!("${{{}", def.name))
            || word.split('$').skip(1).any(|rest| {
                rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .next()
                    == Some(def.name.as_str())
            });
        if !named
            || def.kind != VarKind::Arg
            || m.build_args.contains_key(&def.name)
            || found.iter().any(|f| f.1 == def.name)
        {
            continue;
        }
        let Some(value) = def.value.as_deref() else {
            continue;
        };
        if m.instruction(def.instr).keyword == Keyword::Arg {
            found.push((def.instr, &def.name, value));
        }
    }
    found.reverse();
    found
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::{assert_counts, lint_with_args};

    #[test]
    fn table() {
        assert_counts(
            super::check,
            &[
                ("FROM ubuntu\n", 1),
                ("FROM ubuntu:latest\n", 1),
                ("FROM ubuntu:24.04\n", 0),
                ("FROM ubuntu:LATEST\n", 0),
                ("FROM ubuntu@sha256:abcd\n", 0),
                ("FROM ubuntu:latest@sha256:abcd\n", 0),
                ("FROM scratch\n", 0),
                ("FROM SCRATCH\n", 0),
                ("FROM localhost:5000/app\n", 1),
                ("FROM localhost:5000/app:1.2\n", 0),
                ("FROM ghcr.io/org/app:latest\n", 1),
                ("ARG PY=3.12\nFROM python:${PY}\n", 0),
                ("ARG PY=latest\nFROM python:${PY}\n", 1),
                ("FROM $BASE\n", 0),
                ("ARG BASE\nFROM $BASE\n", 0),
                ("ARG BASE\nFROM ${BASE}:latest\n", 0),
                ("ARG REGISTRY\nFROM $REGISTRY/team/app:latest\n", 1),
                ("ARG REGISTRY\nFROM $REGISTRY/busybox\n", 1),
                ("ARG REGISTRY\nFROM $REGISTRY/busybox:1.36\n", 0),
                ("ARG V\nFROM team/app:$V\n", 0),
                (
                    "FROM quay.io/libpod/busybox${TARGETARCH:+@sha256:abcd}\n",
                    0,
                ),
                (
                    "ARG TARGETARCH\nFROM scratch AS base-amd64\nFROM base-${TARGETARCH}\n",
                    0,
                ),
                ("ARG IMAGE=ubuntu\nFROM ${IMAGE}\n", 1),
                ("ARG IMAGE=ubuntu:22.04\nFROM ${IMAGE}\n", 0),
                ("FROM golang:1.23 AS build\nFROM build\n", 0),
                (
                    "FROM golang:1.23 AS Build\nFROM build AS test\nFROM test\n",
                    0,
                ),
                ("FROM build\nFROM golang:1.23 AS build\n", 1),
                ("FROM --platform=$BUILDPLATFORM alpine:3.20\n", 0),
                ("FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx\n", 1),
            ],
        );
    }

    #[test]
    fn build_args_decide() {
        let ctx = tempfile::tempdir().expect("dir");
        let text = "ARG BASE=ubuntu\nFROM $BASE\n";
        let rule = "untagged-base-image";
        assert_eq!(lint_with_args(&ctx, text, &[], rule).len(), 1);
        assert!(lint_with_args(&ctx, text, &[("BASE", "ubuntu:24.04")], rule).is_empty());
        let text = "ARG BASE\nFROM $BASE\n";
        assert!(lint_with_args(&ctx, text, &[], rule).is_empty());
        assert_eq!(
            lint_with_args(&ctx, text, &[("BASE", "debian")], rule),
            ["`$BASE` is `debian`, which has no tag: each build takes whatever `latest` is then"]
        );
    }
}
