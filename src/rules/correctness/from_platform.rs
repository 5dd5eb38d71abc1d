//! from-platform: a `FROM --platform=` that says nothing (`$TARGETPLATFORM`, the default) or
//! pins a constant platform (`linux/amd64`) for a stage whose name does not say so.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "from-platform",
    group: "correctness",
    severity: Severity::Warning,
    summary: "FROM --platform set to the default, or pinned to a constant platform",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/from-platform.md"),
    aliases: &[
        "RedundantTargetPlatform",
        "FromPlatformFlagConstDisallowed",
        "DL3065",
        "DL3029",
    ],
    default: true,
    check,
};

/// Operating systems and architectures a platform string is made of.
const PLATFORM_PARTS: &[&str] = &[
    "linux", "windows", "darwin", "freebsd", "amd64", "arm64", "arm", "386", "ppc64le", "s390x",
    "riscv64", "mips64le", "wasm",
];

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, ins) in m.instructions_of(Keyword::From) {
        let Some(flag) = ins.flag("platform") else {
            continue;
        };
        let Some(value) = flag.value.as_deref() else {
            continue;
        };
        if matches!(value, "$TARGETPLATFORM" | "${TARGETPLATFORM}") {
            // The flag and the space after it go.
            let mut end = flag.span.end;
            let text = m.file.text.as_bytes();
            while end < ins.span.end && matches!(text.get(end), Some(b' ' | b'\t')) {
                end += 1;
            }
            out.push(
                Diagnostic::new(
                    RULE.name,
                    Severity::Info,
                    format!("`--platform={value}` is what FROM does without it"),
                    flag.span,
                )
                .label("redundant")
                .help("remove the flag: a stage is built for the target platform by default")
                .fix(Fix {
                    title: "remove `--platform`".into(),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: Span::new(flag.span.start, end),
                        content: String::new(),
                    }],
                })
                .answers_to(&["RedundantTargetPlatform", "DL3065", "DL3029"]),
            );
            continue;
        }
        if value.contains('$') {
            continue;
        }
        let parts: Vec<String> = value
            .split(['/', ','])
            .map(|p| p.to_ascii_lowercase())
            .collect();
        if !parts.iter().any(|p| PLATFORM_PARTS.contains(&p.as_str())) {
            continue;
        }
        // A stage named for its platform (`AS build-amd64`) is meant to be pinned.
        let stage_name = m
            .stages
            .iter()
            .find(|s| s.from_instr == i)
            .and_then(|s| s.name.as_deref())
            .unwrap_or("")
            .to_ascii_lowercase();
        if parts
            .iter()
            .any(|p| !p.is_empty() && stage_name.contains(p.as_str()))
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("`--platform={value}` pins this stage to one platform"),
                flag.value_span.unwrap_or(flag.span),
            )
            .label("a constant platform")
            .help(
                "use `$BUILDPLATFORM` for a stage that runs build tools, leave it out for the target, \
                 or name the stage after the platform it is meant for",
            )
            .answers_to(&["FromPlatformFlagConstDisallowed", "DL3029"]),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        assert_counts(
            super::check,
            &[
                ("FROM --platform=$TARGETPLATFORM scratch\n", 1),
                ("FROM --platform=${TARGETPLATFORM} scratch\n", 1),
                ("FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n", 0),
                ("FROM --platform=linux/amd64 scratch\n", 1),
                ("FROM --platform=linux/amd64 scratch AS my_amd64_stage\n", 0),
                ("FROM --platform=linux/amd64 scratch AS linux\n", 0),
                ("FROM scratch\n", 0),
            ],
        );
    }
}
