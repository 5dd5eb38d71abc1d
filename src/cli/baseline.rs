//! `check --add-suppressions`: write a suppression comment for every finding, so that a large
//! repository can turn the linter on today and pay the debt down later. A finding on an
//! instruction gets `# layerlint ignore=<rules>` directly above it (added to a layerlint
//! comment already there); one outside every instruction (on a comment) gets
//! `# layerlint global ignore=<rules>` after the parser directives. Running it again adds
//! nothing: what it wrote silences what it found.

use crate::diagnostic::{apply_edits, Diagnostic, Edit, TextStyle};
use crate::rules::suppress::{self, Origin, Scope};
use crate::syntax::{Dockerfile, Span};
use std::collections::{BTreeMap, BTreeSet};

/// The text with a suppression for each of `diagnostics` (found in `text`), and how many
/// comments were written or extended; `None` when there is nothing to add.
pub fn add(text: &str, diagnostics: &[Diagnostic]) -> Option<(String, usize)> {
    if diagnostics.is_empty() {
        return None;
    }
    let file = crate::syntax::parse(text).ok()?;
    let mut on: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    let mut global: BTreeSet<&str> = BTreeSet::new();
    for d in diagnostics {
        let at = d.primary.span.start;
        match file
            .instructions
            .iter()
            .position(|i| i.span.start <= at && at <= i.span.end)
        {
            Some(i) => on.entry(i).or_default().insert(d.rule),
            None => global.insert(d.rule),
        };
    }
    let found = suppress::collect(&file);
    let style = TextStyle::of(text);
    let eol = if style.crlf { "\r\n" } else { "\n" };
    let mut edits = Vec::new();
    for (i, rules) in &on {
        let ins = &file.instructions[*i];
        let existing = found
            .suppressions
            .iter()
            .rev()
            .find(|s| s.origin == Origin::Layerlint && s.scope == Scope::Instruction(ins.span));
        edits.push(match existing {
            Some(s) => extend(s.entries.last().map(|e| e.span), s.comment, rules),
            None => {
                let start = line_start(text, ins.span.start).max(style.bom);
                let indent = &text[start..ins.span.start];
                let indent: String = indent.chars().take_while(|c| c.is_whitespace()).collect();
                Edit {
                    span: Span::new(start, start),
                    content: format!("{indent}# layerlint ignore={}{eol}", join(rules)),
                }
            }
        });
    }
    if !global.is_empty() {
        let existing = found
            .suppressions
            .iter()
            .find(|s| s.origin == Origin::Layerlint && s.scope == Scope::File);
        edits.push(match existing {
            Some(s) => extend(s.entries.last().map(|e| e.span), s.comment, &global),
            None => {
                let at = after_directives(&file, text).max(style.bom);
                Edit {
                    span: Span::new(at, at),
                    content: format!("# layerlint global ignore={}{eol}", join(&global)),
                }
            }
        });
    }
    let count = edits.len();
    let refs: Vec<&Edit> = edits.iter().collect();
    let (out, applied) = apply_edits(text, &refs);
    (applied == count).then_some((out, count))
}

fn join(rules: &BTreeSet<&str>) -> String {
    rules.iter().copied().collect::<Vec<_>>().join(",")
}

/// Add `rules` after the last name of an existing comment (`last`), or at its end when it
/// names none.
fn extend(last: Option<Span>, comment: Span, rules: &BTreeSet<&str>) -> Edit {
    let at = last.map(|s| s.end).unwrap_or(comment.end);
    Edit {
        span: Span::new(at, at),
        content: format!(",{}", join(rules)),
    }
}

/// The offset where the line holding `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0)
}

/// Just after the parser directives (`# syntax=`, `# escape=`, `# check=`), which must stay
/// the first lines: a comment before them would make them plain comments.
fn after_directives(file: &Dockerfile, text: &str) -> usize {
    match file.directives.iter().map(|d| d.span.end).max() {
        None => 0,
        Some(end) => match text[end.min(text.len())..].find('\n') {
            Some(n) => end + n + 1,
            None => text.len(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn lint(text: &str) -> Vec<Diagnostic> {
        crate::lint::lint_text(text, None, &BTreeMap::new(), &|r| r.default)
            .expect("parses")
            .diagnostics
    }

    /// `text` after adding suppressions, which must leave nothing to report.
    fn baseline(text: &str) -> String {
        let d = lint(text);
        let (out, _) = add(text, &d).expect("something to add");
        let after = lint(&out);
        assert!(after.is_empty(), "{out}\n{after:?}");
        assert!(add(&out, &after).is_none(), "adds nothing the second time");
        out
    }

    #[test]
    fn comments_above_instructions() {
        assert_eq!(
            baseline("FROM python:3.12\nRUN pip install flask\nCMD python -m http.server\n"),
            "FROM python:3.12\n# layerlint ignore=package-cache-kept\nRUN pip install flask\n\
             # layerlint ignore=missing-expose,shell-form-cmd\nCMD python -m http.server\n"
        );
    }

    #[test]
    fn existing_comments_are_extended_and_indentation_kept() {
        assert_eq!(
            baseline(
                "FROM python:3.12\n# layerlint ignore=shell-form-cmd  the reason\n  CMD python -m http.server\n"
            ),
            "FROM python:3.12\n# layerlint ignore=shell-form-cmd,missing-expose  the reason\n  CMD python -m http.server\n"
        );
        // A hadolint comment stays as it is; ours goes below it, still in the block.
        assert_eq!(
            baseline("FROM python:3.12\n# hadolint ignore=DL3013\nRUN pip install flask\nCMD [\"python\"]\n"),
            "FROM python:3.12\n# hadolint ignore=DL3013\n# layerlint ignore=package-cache-kept\nRUN pip install flask\nCMD [\"python\"]\n"
        );
    }

    #[test]
    fn findings_outside_instructions_are_silenced_file_wide_after_the_directives() {
        let out = baseline(
            "# syntax=docker/dockerfile:1\nFROM python:3.12\n# layerlint ignore=missing-cmd\nRUN echo\nCMD [\"python\"]\n",
        );
        assert_eq!(
            out,
            "# syntax=docker/dockerfile:1\n# layerlint global ignore=unused-suppression\nFROM python:3.12\n# layerlint ignore=missing-cmd\nRUN echo\nCMD [\"python\"]\n"
        );
    }

    #[test]
    fn line_endings_and_the_byte_order_mark_are_kept() {
        let out =
            baseline("\u{feff}FROM python:3.12\r\nRUN pip install flask\r\nCMD [\"python\"]\r\n");
        assert_eq!(
            out,
            "\u{feff}FROM python:3.12\r\n# layerlint ignore=package-cache-kept\r\nRUN pip install flask\r\nCMD [\"python\"]\r\n"
        );
        let first = baseline("\u{feff}FROM python:3.12-slim\r\nCOPY app.py .\r\n");
        assert_eq!(
            first,
            "\u{feff}# layerlint ignore=missing-cmd\r\nFROM python:3.12-slim\r\nCOPY app.py .\r\n"
        );
    }

    #[test]
    fn nothing_to_add() {
        let text = "FROM python:3.12\nCMD [\"python\"]\n";
        assert!(lint(text).is_empty());
        assert!(add(text, &[]).is_none());
    }
}
