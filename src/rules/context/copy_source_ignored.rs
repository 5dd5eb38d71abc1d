//! copy-source-ignored: a COPY/ADD source exists on disk but `.dockerignore` leaves it out of
//! the build context, so the build fails (a plain path) or silently copies nothing (a wildcard).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "copy-source-ignored",
    group: "context",
    severity: Severity::Error,
    summary: "a COPY/ADD source is excluded by .dockerignore",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/copy-source-ignored.md"),
    aliases: &["CopyIgnoredFile"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(ctx) = m.context else { return };
    let Some(ignore) = ctx.ignore_file() else {
        return;
    };
    for copy in m.copies.values() {
        for s in copy.context_paths() {
            if s.escapes_context || s.matches.is_empty() || !s.unset_vars.is_empty() {
                continue;
            }
            // The whole context, with every entry excluded: the copy brings nothing.
            if s.cleaned == "." {
                if let Some(d) = root_all_ignored(ctx, ignore, s) {
                    out.push(d);
                }
                continue;
            }
            // Some matches survive: excluding the rest is what the ignore file is for.
            if s.matches.iter().any(|mt| !mt.ignored) {
                continue;
            }
            // A directory that a `!` exception re-enters is still in the context, partly filled.
            if s.matches
                .iter()
                .any(|mt| mt.is_dir && ctx.reenters(&mt.path))
            {
                continue;
            }
            let first = &s.matches[0];
            let Some(pattern) = ctx.is_ignored(&first.path) else {
                continue;
            };
            let reason = ignore.describe(pattern);
            let what = if s.matches.len() == 1 && first.path == s.cleaned {
                format!("`{}`", first.path)
            } else {
                let names: Vec<String> = s
                    .matches
                    .iter()
                    .take(3)
                    .map(|mt| format!("`{}`", mt.path))
                    .collect();
                let more = s.matches.len().saturating_sub(3);
                let list = if more > 0 {
                    format!("{} and {more} more", names.join(", "))
                } else {
                    names.join(", ")
                };
                format!("everything `{}` matches ({list})", s.expanded)
            };
            let consequence = if first.path == s.cleaned {
                "so the build cannot find it"
            } else {
                "so this source copies nothing"
            };
            let line = pattern.line;
            let name = ignore.name();
            out.push(finding(
                s,
                format!("{what} is excluded by {reason}, {consequence}"),
                format!("left out of the build context by {name}"),
                format!(
                    "remove or narrow the pattern on line {line} of {name}, or re-include the path with `!{}` after it",
                    first.path
                ),
            ));
        }
    }
}

/// `COPY . .` when the ignore file excludes every entry of the context (`*` alone): nothing is
/// copied. A `!` exception that re-enters the context leaves it partly filled, and quiet.
fn root_all_ignored(
    ctx: &crate::context::BuildContext,
    ignore: &crate::context::IgnoreFile,
    s: &crate::model::CopySource,
) -> Option<Diagnostic> {
    let entries = ctx.list_dir(".");
    let first = entries.first()?;
    if entries
        .iter()
        .any(|e| e.ignored_by.is_none() || (e.kind.is_dir() && ctx.reenters(&e.path)))
    {
        return None;
    }
    let pattern = first.ignored_by.as_ref()?;
    let name = ignore.name();
    Some(finding(
        s,
        format!(
            "the whole build context is excluded by {}, so this source copies nothing",
            ignore.describe(pattern)
        ),
        format!("every entry is left out of the build context by {name}"),
        format!(
            "remove or narrow the pattern on line {} of {name}, or re-include what the image needs with `!path` lines after it",
            pattern.line
        ),
    ))
}

/// A finding on the source word `s`; it answers to BuildKit's CopyIgnoredFile.
fn finding(
    s: &crate::model::CopySource,
    message: String,
    label: String,
    help: String,
) -> Diagnostic {
    Diagnostic::new(RULE.name, RULE.severity, message, s.word.span)
        .label(label)
        .help(help)
        .answers_to(&["CopyIgnoredFile"])
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::{context_with, lint_with_args, messages};

    fn fires(files: &[&str], dockerfile: &str) -> Vec<String> {
        messages("copy-source-ignored", files, dockerfile)
    }

    #[test]
    fn table() {
        let cases: &[(&[&str], &str, &[&str])] = &[
            (
                &[".dockerignore: *.md", "README.md"],
                "FROM alpine\nCOPY README.md /docs/\n",
                &["`README.md` is excluded by `*.md` (line 1 of .dockerignore), so the build cannot find it"],
            ),
            // A parent directory excluded: the file goes with it.
            (
                &[".dockerignore: # cache\\nconfig/", "config/app.yml"],
                "FROM alpine\ncopy config/app.yml /etc/app.yml\n",
                &["`config/app.yml` is excluded by `config/` (line 2 of .dockerignore), so the build cannot find it"],
            ),
            // The whole context excluded: `COPY . .` copies nothing; re-included parts keep it.
            (
                &[".dockerignore: *", "app.py"],
                "FROM python\nCOPY . /app/\n",
                &["the whole build context is excluded by `*` (line 1 of .dockerignore), so this source copies nothing"],
            ),
            (&[".dockerignore: *\\n!app.py", "app.py"], "FROM python\nCOPY . /app/\n", &[]),
            (&[".dockerignore: *\\n!src", "src/app.py"], "FROM python\nCOPY . /app/\n", &[]),
            (&[".dockerignore: *.pyc", "app.py"], "FROM python\nCOPY . /app/\n", &[]),
            // Last match wins: re-included by `!`.
            (
                &[".dockerignore: *.md\\n!README.md", "README.md"],
                "FROM alpine\nCOPY README.md /docs/\n",
                &[],
            ),
            // A directory of which only some files are ignored: that is what the file is for.
            (
                &[".dockerignore: src/*.pyc", "src/app.py", "src/app.pyc"],
                "FROM python\nCOPY src/ /app/\n",
                &[],
            ),
            // `COPY . .` with ignores is fine.
            (
                &[".dockerignore: .git\\nnode_modules", ".git/HEAD", "index.js"],
                "FROM node\nCOPY . .\n",
                &[],
            ),
            // An excluded directory that an exception re-enters still exists.
            (
                &[".dockerignore: docs\\n!docs/keep.md", "docs/keep.md", "docs/other.md"],
                "FROM alpine\nCOPY docs /docs\n",
                &[],
            ),
            // Wildcard whose every match is ignored.
            (
                &[".dockerignore: *.whl", "a.whl", "b.whl"],
                "FROM python\nCOPY *.whl /tmp/\n",
                &["everything `*.whl` matches (`a.whl`, `b.whl`) is excluded by `*.whl` (line 1 of .dockerignore), so this source copies nothing"],
            ),
            // Wildcard with some matches left: quiet.
            (
                &[".dockerignore: b.whl", "a.whl", "b.whl"],
                "FROM python\nCOPY *.whl /tmp/\n",
                &[],
            ),
            // Missing altogether: copy-source-missing's business.
            (&[".dockerignore: x"], "FROM alpine\nCOPY nothing /\n", &[]),
            // Not from the context.
            (
                &[".dockerignore: out"],
                "FROM alpine AS b\nRUN mkdir /out\nFROM alpine\nCOPY --from=b /out /out\n",
                &[],
            ),
            // Exec form and an ARG-expanded path.
            (
                &[".dockerignore: secrets/", "secrets/token"],
                "FROM alpine\nARG DIR=secrets\nCOPY [\"${DIR}/token\", \"/run/token\"]\n",
                &["`secrets/token` is excluded by `secrets/` (line 1 of .dockerignore), so the build cannot find it"],
            ),
        ];
        for (files, df, want) in cases {
            assert_eq!(&fires(files, df), want, "{df}");
        }
    }

    #[test]
    fn dockerfile_specific_ignore_file_takes_precedence() {
        let ctx = context_with(&[
            ".dockerignore: README.md",
            "Dockerfile.dockerignore: notes.txt",
            "README.md",
            "notes.txt",
        ]);
        let got = lint_with_args(
            &ctx,
            "FROM alpine\nCOPY README.md notes.txt /docs/\n",
            &[],
            "copy-source-ignored",
        );
        assert_eq!(
            got,
            ["`notes.txt` is excluded by `notes.txt` (line 1 of Dockerfile.dockerignore), so the build cannot find it"]
        );
    }
}
