//! Byte offsets of the text against the line/character positions of LSP, in the encoding the
//! client and server agreed on (UTF-16 code units unless the client offers UTF-8).

use lsp_types::{Position, Range};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Where each line of one text starts.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            encoding,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of `pos`; past the end of a line is its end, past the last line the
    /// end of the text, as the protocol says.
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        start + line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_the_negotiated_units() {
        let text = "LABEL a=\"é😀\" b=1\nRUN x\n";
        let at = text.find(" b").unwrap();
        let u16 = LineIndex::new(text, Encoding::Utf16);
        let u8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(u16.position(at), Position::new(0, 13));
        assert_eq!(u8.position(at), Position::new(0, 16));
        assert_eq!(u16.offset(Position::new(0, 13)), at);
        assert_eq!(u8.offset(Position::new(0, 16)), at);
        assert_eq!(u16.offset(Position::new(0, 99)), text.find('\n').unwrap());
        assert_eq!(u16.offset(Position::new(9, 0)), text.len());
        assert_eq!(u16.position(text.len()), Position::new(2, 0));
    }
}
