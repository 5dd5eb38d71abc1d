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
