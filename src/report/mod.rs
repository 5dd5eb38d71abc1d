//! Output formats: each file renders the findings of a run in one format. Byte spans become
//! lines and columns here, once, so rules never think about either.

pub mod cache;
pub mod checkstyle;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod sonarqube;
pub mod statistics;
pub mod text;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use std::path::{Component, Path};

/// The pseudo rule name under which formats without a place for tool errors report a file
/// that could not be linted (unreadable, not UTF-8, no Dockerfile in a directory).
pub const FILE_ERROR: &str = "file-error";

/// The findings of one linted file, with the text they point into.
pub struct FileReport {
    /// The path as given on the command line (or `--stdin-filename`).
    pub path: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// A file that could not be linted at all.
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// Everything one `check` run produced, in a fixed order.
pub struct Run {
    /// The files that were linted.
    pub files: Vec<FileReport>,
    /// What went wrong: a path that could not be linted, or a fixed file that could not be
    /// written back (that file is in `files` too, with its findings).
    pub errors: Vec<FileError>,
}

impl Run {
    /// How many findings of each severity, indexed by `Severity as usize`.
    pub fn counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for d in self.files.iter().flat_map(|f| &f.diagnostics) {
            counts[d.severity as usize] += 1;
        }
        counts
    }

    /// How many paths could not be linted at all (an error about a file that was linted, such
    /// as a failed write of its fixes, does not count).
    pub fn failed(&self) -> usize {
        let linted: std::collections::HashSet<&str> =
            self.files.iter().map(|f| f.path.as_str()).collect();
        self.errors
            .iter()
            .filter(|e| !linted.contains(e.path.as_str()))
            .count()
    }

    /// The one-line summary the human formats end with.
    pub fn summary_line(&self) -> String {
        self.summary_with(None)
    }

    /// The summary line; after `--fix`, `fixed` findings were fixed and are no longer in the
    /// report, so the count says how many there were and how many remain.
    pub fn summary_with(&self, fixed: Option<usize>) -> String {
        let counts = self.counts();
        let (errors, warnings, infos) = (
            counts[Severity::Error as usize],
            counts[Severity::Warning as usize],
            counts[Severity::Info as usize],
        );
        let remaining = errors + warnings + infos;
        let total = remaining + fixed.unwrap_or(0);
        let plural = |n: usize| match n {
            1 => "1 file".to_string(),
            n => format!("{n} files"),
        };
        // Files that could not be read or parsed are not counted as linted, and are named so.
        let failed = self.failed();
        let tail = match failed {
            0 => String::new(),
            n => format!("; {} could not be linted", plural(n)),
        };
        let s = |n: usize| if n == 1 { "" } else { "s" };
        if self.files.is_empty() {
            // "no problems found" would claim a clean bill of health for nothing.
            return match failed {
                0 => "no Dockerfile to lint\n".into(),
                n => format!("nothing linted: {} could not be linted\n", plural(n)),
            };
        }
        let files = plural(self.files.len());
        match fixed {
            Some(fixed) if remaining == 0 && total > 0 => format!(
                "found {total} problem{} in {files} ({fixed} fixed, 0 remaining){tail}\n",
                s(total),
            ),
            Some(fixed) if total > 0 => format!(
                "found {total} problem{} in {files} ({fixed} fixed, {remaining} remaining: {errors} error{}, {warnings} warning{}, {infos} info){tail}\n",
                s(total),
                s(errors),
                s(warnings),
            ),
            _ if total == 0 => format!("no problems found in {files}{tail}\n"),
            _ => {
                format!(
                    "found {total} problem{} in {files}: {errors} error{}, {warnings} warning{}, {infos} info{tail}\n",
                    s(total),
                    s(errors),
                    s(warnings),
                )
            }
        }
    }
}

impl Run {
    /// ruff's closing hint: how many of the findings reported carry a fix `--fix` would apply,
    /// and how many more `--unsafe-fixes` would add (`unsafe_fixes`: counted with the others,
    /// as the user asked to see them). Empty when nothing is fixable.
    ///
    /// After `--fix` (`after_fix`), only the unsafe fixes it left are worth a hint.
    pub fn fixable_line(&self, unsafe_fixes: bool, after_fix: bool) -> String {
        let (mut safe, mut risky) = (0, 0);
        for fix in self
            .files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter_map(|d| d.fix.as_ref())
        {
            match fix.applicability {
                Applicability::Safe => safe += 1,
                Applicability::Unsafe => risky += 1,
            }
        }
        if after_fix {
            return match risky {
                0 => String::new(),
                _ if unsafe_fixes => String::new(),
                m => format!("[*] {m} fixable with --fix --unsafe-fixes\n"),
            };
        }
        match (safe, risky) {
            (0, 0) => String::new(),
            (n, m) if unsafe_fixes => format!("[*] {} fixable with --fix --unsafe-fixes\n", n + m),
            (0, m) => format!("[*] {m} fixable with --fix --unsafe-fixes\n"),
            (n, 0) => format!("[*] {n} fixable with --fix\n"),
            (n, m) => format!("[*] {n} fixable with --fix ({m} more with --unsafe-fixes)\n"),
        }
    }
}

/// 1-based line and column (columns count Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets of one text to positions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        // A byte order mark is not a column of the first line.
        let before = before.strip_prefix('\u{feff}').unwrap_or(before);
        let column = before.chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }
}

impl LineIndex<'_> {
    /// The text of 1-based `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// `path` relative to `cwd`, with `/` separators and without `.` segments; `None` when the
/// path is absolute and outside `cwd`. CI systems resolve report paths against the checkout,
/// so `./app/Dockerfile` and `/checkout/app/Dockerfile` must both become `app/Dockerfile`.
pub fn relative_path(path: &str, cwd: &Path) -> Option<String> {
    let p = Path::new(path);
    let rel = if p.is_absolute() {
        p.strip_prefix(cwd).ok()?
    } else {
        p
    };
    let mut parts: Vec<String> = Vec::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    if parts.is_empty() {
        return Some(".".into());
    }
    Some(parts.join("/"))
}

/// `path` relative to `cwd` where possible, else as given with `/` separators: for formats
/// that hold a plain path rather than a URI.
pub fn display_path(path: &str, cwd: &Path) -> String {
    relative_path(path, cwd).unwrap_or_else(|| path.replace('\\', "/"))
}

/// FNV-1a, 64 bits: a few lines, no dependency, and stable across versions and platforms,
/// which is all a fingerprint needs (it identifies findings, it protects nothing).
pub fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        // A separator between parts keeps ("ab", "c") and ("a", "bc") apart.
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for b in part.iter() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Text for an XML 1.0 attribute or element. Tab, LF and CR become character references so
/// that attribute normalisation keeps them; the other C0 controls, U+FFFE and U+FFFF cannot
/// appear in XML 1.0 at all, not even as references, so they are written as `\u{..}`.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_chars() {
        let idx = LineIndex::new("ab\nçd\n");
        assert_eq!(idx.position(0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(3), Position { line: 2, column: 1 });
        assert_eq!(idx.position(5), Position { line: 2, column: 2 });
        assert_eq!(idx.position(7), Position { line: 3, column: 1 });
    }

    #[test]
    fn line_text_drops_line_breaks() {
        let idx = LineIndex::new("a\r\nbc\nd");
        assert_eq!(idx.line_text(1), "a");
        assert_eq!(idx.line_text(2), "bc");
        assert_eq!(idx.line_text(3), "d");
        assert_eq!(idx.line_text(4), "");
        assert_eq!(idx.line_text(0), "");
    }

    #[test]
    fn relative_paths() {
        let cwd = Path::new("/w/repo");
        assert_eq!(
            relative_path("./app/Dockerfile", cwd).as_deref(),
            Some("app/Dockerfile")
        );
        assert_eq!(
            relative_path("/w/repo/a/Dockerfile", cwd).as_deref(),
            Some("a/Dockerfile")
        );
        assert_eq!(
            relative_path("../x/Dockerfile", cwd).as_deref(),
            Some("../x/Dockerfile")
        );
        assert_eq!(relative_path("/elsewhere/Dockerfile", cwd), None);
        assert_eq!(
            display_path("/elsewhere/Dockerfile", cwd),
            "/elsewhere/Dockerfile"
        );
    }

    #[test]
    fn xml_escapes_markup_and_controls() {
        assert_eq!(
            xml_escape("a<b>&\"c'\n\u{1b}\u{7f}é"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;\\u{1b}\u{7f}é"
        );
    }

    #[test]
    fn fnv_known_values() {
        // Reference values of FNV-1a 64 for "" and "a".
        assert_eq!(fnv1a64(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a64(&[b"ab", b"c"]), fnv1a64(&[b"a", b"bc"]));
    }
}
