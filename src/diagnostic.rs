//! What a rule reports: a finding with its places, help and an optional fix. Spans are byte
//! ranges into the Dockerfile text; turning them into lines and columns happens in `report`.

use crate::syntax::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// One step less severe (`info` stays `info`): for a finding that something in the file
    /// shows to be on purpose, or that stays out of the image the build produces.
    pub fn lowered(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            Severity::Warning | Severity::Info => Severity::Info,
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning of the file; applied by `--fix`.
    Safe,
    /// May change what the build does; applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace the bytes of `span` with `content` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// A place in the file with a short text saying what it has to do with the finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The other tools' codes this finding answers to (hadolint's `DL3042`, BuildKit's
    /// `JSONArgsRecommended`): a suppression comment written for that tool silences it. Set by
    /// the rule per finding, since one rule can cover several of another tool's checks.
    pub aliases: &'static [&'static str],
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            fix: None,
            aliases: &[],
        }
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.message = text.into();
        self
    }

    pub fn secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: text.into(),
        });
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn answers_to(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }
}

/// What inserted text has to match in the file it goes into: its line ending, and whether a
/// byte order mark comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextStyle {
    /// Most lines end in `\r\n`.
    pub crlf: bool,
    /// The length of the byte order mark at the start (0 without one).
    pub bom: usize,
}

impl TextStyle {
    pub fn of(text: &str) -> TextStyle {
        let lines = text.matches('\n').count();
        let crlf = text.matches("\r\n").count();
        TextStyle {
            crlf: crlf > 0 && crlf * 2 >= lines,
            bom: if text.starts_with('\u{FEFF}') {
                '\u{FEFF}'.len_utf8()
            } else {
                0
            },
        }
    }
}

impl Fix {
    /// Make the edits fit the file they apply to: rules write `\n`, so in a file whose lines
    /// end in `\r\n` every inserted line break becomes `\r\n` (a mixed file confuses editors
    /// and `git diff`), and an edit at the very start goes after a byte order mark, which must
    /// stay first.
    pub fn fit_to(&mut self, style: TextStyle) {
        for e in &mut self.edits {
            if style.crlf && e.content.contains('\n') {
                let mut out = String::with_capacity(e.content.len() + 8);
                let mut prev = '\0';
                for c in e.content.chars() {
                    if c == '\n' && prev != '\r' {
                        out.push('\r');
                    }
                    out.push(c);
                    prev = c;
                }
                e.content = out;
            }
            if e.span.start < style.bom {
                e.span.start = style.bom;
                e.span.end = e.span.end.max(style.bom);
            }
        }
    }
}

/// Apply non-overlapping edits to `text`. Edits that overlap an earlier one are skipped, so that
/// no byte outside an edit is ever lost; returns the new text and how many edits were applied.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut applied = 0;
    for e in sorted {
        if e.span.start < pos
            || e.span.end > text.len()
            || !text.is_char_boundary(e.span.start)
            || !text.is_char_boundary(e.span.end)
        {
            continue;
        }
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.content);
        pos = e.span.end;
        applied += 1;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_take_the_file_line_ending_and_keep_the_bom() {
        let fix = |start, end, content: &str| Fix {
            title: "t".into(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span: Span::new(start, end),
                content: content.into(),
            }],
        };
        let fitted = |mut f: Fix, text: &str| {
            f.fit_to(TextStyle::of(text));
            (f.edits[0].span, f.edits[0].content.clone())
        };
        let crlf = "FROM a\r\nRUN b\r\n";
        assert_eq!(fitted(fix(0, 0, "A\nB\r\n"), crlf).1, "A\r\nB\r\n");
        // Mostly `\n`: inserted text keeps `\n`.
        let lf = "# c\r\nFROM a\nRUN b\nCMD c\n";
        assert_eq!(fitted(fix(0, 0, "A\n"), lf).1, "A\n");
        let bom = "\u{FEFF}FROM a\n";
        assert_eq!(
            fitted(fix(0, 0, "A\n"), bom),
            (Span::new(3, 3), "A\n".into())
        );
        assert_eq!(fitted(fix(1, 5, "x"), bom).0, Span::new(3, 5));
        assert_eq!(fitted(fix(4, 6, "x"), bom).0, Span::new(4, 6));
        assert_eq!(fitted(fix(0, 0, "A\n"), "FROM a\n").0, Span::new(0, 0));
    }

    #[test]
    fn edits_apply_in_order_and_skip_overlaps() {
        let a = Edit {
            span: Span::new(0, 3),
            content: "xyz".into(),
        };
        let b = Edit {
            span: Span::new(2, 4),
            content: "!".into(),
        };
        let c = Edit {
            span: Span::new(6, 6),
            content: "+".into(),
        };
        let (out, n) = apply_edits("abcdefgh", &[&c, &b, &a]);
        assert_eq!(out, "xyzdef+gh");
        assert_eq!(n, 2);
    }
}
