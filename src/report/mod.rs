//! Output formats: each file renders the findings of a run in one format. Byte spans become
//! lines and columns here, once, so rules never think about either.

pub mod json;
pub mod text;

use crate::diagnostic::Diagnostic;

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
    pub files: Vec<FileReport>,
    pub errors: Vec<FileError>,
    /// How many files were looked at (linted or failed).
    pub file_count: usize,
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
        let column = self.text[self.starts[line]..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }
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
}
