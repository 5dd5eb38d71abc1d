//! Small character-level helpers shared by the parser: whitespace classes as BuildKit's Go code
//! sees them, continuation detection, word splitting, heredoc words and Go string quoting.

/// `unicode.IsSpace` for a whole character.
pub(crate) fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (c > '\u{FF}' && c.is_whitespace())
}

/// `unicode.IsSpace(rune(b))` for a single byte, as BuildKit applies it byte by byte in a few
/// places (so the UTF-8 continuation bytes 0x85 and 0xA0 count as space there).
pub(crate) fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

/// The `[\t\v\f\r ]` class BuildKit splits arguments on.
pub(crate) fn is_split_space(c: char) -> bool {
    matches!(c, '\t' | '\u{0B}' | '\u{0C}' | '\r' | ' ')
}

/// Length of the leading `unicode.IsSpace` run.
pub(crate) fn leading_space(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| !is_space(*c))
        .map_or(s.len(), |(i, _)| i)
}

/// `strings.TrimSpace` as a range.
pub(crate) fn trim_range(s: &str, start: usize, end: usize) -> (usize, usize) {
    let part = &s[start..end];
    let lead = leading_space(part);
    let rest = &part[lead..];
    let kept = rest.trim_end_matches(is_space);
    (start + lead, start + lead + kept.len())
}

/// Whether a line ends with the continuation character, and how much of the line is kept.
/// The escape character followed only by spaces and tabs continues the line, unless the escape
/// character is itself escaped (then it is literal and the line ends).
pub(crate) fn trim_continuation(line: &str, escape: char) -> (usize, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    match body.strip_suffix(escape) {
        Some(before) if !before.ends_with(escape) => (before.len(), false),
        _ => (line.len(), true),
    }
}

/// Words with their byte ranges in the string they came from.
pub type Ranged = Vec<(String, usize, usize)>;

/// BuildKit's `parseWords`: split on whitespace, keep quotes and escapes in the words.
pub fn parse_words(rest: &str, escape: char) -> Ranged {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut cur = String::new();
    let mut start = 0;
    let mut end = 0;
    let mut it = rest.char_indices().peekable();
    loop {
        let next = it.next();
        let (pos, ch) = match next {
            Some(x) => x,
            None => {
                if phase != Phase::Spaces && (blank_ok || !cur.is_empty()) {
                    words.push((cur, start, end));
                }
                break;
            }
        };
        let after = pos + ch.len_utf8();
        if phase == Phase::Spaces {
            if is_space(ch) {
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || !cur.is_empty() {
                    words.push((std::mem::take(&mut cur), start, end));
                }
                cur.clear();
                blank_ok = false;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                match it.next() {
                    None => continue,
                    Some((p2, c2)) => {
                        cur.push(ch);
                        cur.push(c2);
                        end = p2 + c2.len_utf8();
                        continue;
                    }
                }
            }
            cur.push(ch);
            end = after;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == escape && quote != '\'' {
            match it.next() {
                None => {
                    phase = Phase::Word;
                    continue;
                }
                Some((p2, c2)) => {
                    cur.push(ch);
                    cur.push(c2);
                    end = p2 + c2.len_utf8();
                    continue;
                }
            }
        }
        cur.push(ch);
        end = after;
    }
    words
}

/// Split on runs of `[\t\v\f\r ]`, dropping empty pieces at the ends as BuildKit's trimmed
/// input never produces them.
pub(crate) fn split_whitespace(rest: &str) -> Ranged {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in rest.char_indices() {
        if is_split_space(c) {
            if let Some(s) = start.take() {
                out.push((rest[s..i].to_string(), s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((rest[s..].to_string(), s, rest.len()));
    }
    out
}

/// Split off the first run of `[\t\v\f\r ]`: `(first, Some(start of the rest))`.
pub(crate) fn split_first(s: &str) -> (usize, Option<usize>) {
    match s.char_indices().find(|(_, c)| is_split_space(*c)) {
        None => (s.len(), None),
        Some((i, _)) => {
            let rest = s[i..]
                .char_indices()
                .find(|(_, c)| !is_split_space(*c))
                .map_or(s.len(), |(j, _)| i + j);
            (i, Some(rest))
        }
    }
}

/// A flag word as BuildKit's `extractBuilderFlags` reads it.
pub(crate) struct FlagWord {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// BuildKit's `extractBuilderFlags`: leading `--` words, with quotes removed and backslash
/// escapes applied; a bare `--` ends them. Returns the flags and where the rest begins.
/// It walks bytes (as BuildKit does), so the rest is moved to a character boundary.
pub(crate) fn extract_flags(line: &str) -> (Vec<FlagWord>, usize) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let b = line.as_bytes();
    let mut words: Vec<FlagWord> = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word: Vec<u8> = Vec::new();
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut start = 0;
    let mut pos = 0;
    let boundary = |mut p: usize| {
        while p < line.len() && !line.is_char_boundary(p) {
            p += 1;
        }
        p
    };
    let finish = |w: &[u8], start: usize, end: usize| FlagWord {
        text: String::from_utf8_lossy(w).into_owned(),
        start,
        end,
    };
    while pos <= b.len() {
        let at_end = pos == b.len();
        let ch = if at_end { 0 } else { b[pos] };
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == b.len() || b[pos + 1] != b'-' {
                return (words, boundary(pos));
            }
            phase = Phase::Word;
            start = pos;
        }
        if at_end {
            if word != b"--" && (blank_ok || !word.is_empty()) {
                words.push(finish(&word, start, boundary(pos)));
            }
            return (words, line.len());
        }
        if phase == Phase::Word {
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if word == b"--" {
                    return (words, boundary(pos));
                }
                if blank_ok || !word.is_empty() {
                    words.push(finish(&word, start, boundary(pos)));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            let mut c = ch;
            if ch == b'\\' {
                if pos + 1 == b.len() {
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = b[pos];
            }
            word.push(c);
            pos += 1;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        let mut c = ch;
        if ch == b'\\' {
            if pos + 1 == b.len() {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            c = b[pos];
        }
        word.push(c);
        pos += 1;
    }
    (words, line.len())
}

/// Split a line into shell words the way BuildKit looks for heredocs: quotes and escapes are
/// kept raw, `$` is literal, and `<<` takes a following `-` and whitespace into its word.
/// `None` when a quote is left open.
pub(crate) fn heredoc_line_words(line: &str) -> Option<Ranged> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut start: Option<usize> = None;
    let mut it = line.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        match c {
            c if is_space(c) => {
                if let Some(s) = start.take() {
                    words.push((std::mem::take(&mut cur), s, i));
                }
            }
            '\\' => {
                start.get_or_insert(i);
                cur.push(c);
                if let Some((_, n)) = it.next() {
                    cur.push(n);
                }
            }
            '\'' | '"' => {
                start.get_or_insert(i);
                cur.push(c);
                let mut closed = false;
                while let Some((_, n)) = it.next() {
                    cur.push(n);
                    if n == c {
                        closed = true;
                        break;
                    }
                    if c == '"' && n == '\\' {
                        if let Some((_, m)) = it.next() {
                            cur.push(m);
                        }
                    }
                }
                if !closed {
                    return None;
                }
            }
            '<' if matches!(it.peek(), Some((_, '<'))) => {
                start.get_or_insert(i);
                it.next();
                cur.push_str("<<");
                if let Some(&(_, '-')) = it.peek() {
                    cur.push('-');
                    it.next();
                }
                while let Some(&(_, n)) = it.peek() {
                    if n == ' ' || n == '\t' {
                        cur.push(n);
                        it.next();
                    } else {
                        break;
                    }
                }
            }
            _ => {
                start.get_or_insert(i);
                cur.push(c);
            }
        }
    }
    if let Some(s) = start {
        words.push((cur, s, line.len()));
    }
    Some(words)
}

/// Shell words of a heredoc delimiter with quotes removed (`raw` keeps them): escapes apply,
/// `$` is literal. `Err` on an open quote.
fn delimiter_words(s: &str, raw: bool) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match c {
            c if is_space(c) => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = it.next() {
                    cur.push(n);
                }
            }
            '\'' => {
                in_word = true;
                if raw {
                    cur.push(c);
                }
                let mut closed = false;
                for n in it.by_ref() {
                    if n == '\'' {
                        closed = true;
                        break;
                    }
                    cur.push(n);
                }
                if !closed {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                if raw {
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                if raw {
                    cur.push(c);
                }
                let mut closed = false;
                while let Some(n) = it.next() {
                    if n == '"' {
                        closed = true;
                        break;
                    }
                    if n == '\\' {
                        match it.next() {
                            Some(m @ ('"' | '$' | '\\')) => cur.push(m),
                            Some(m) => {
                                cur.push('\\');
                                cur.push(m);
                            }
                            None => {}
                        }
                        continue;
                    }
                    cur.push(n);
                }
                if !closed {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    );
                }
                if raw {
                    cur.push(c);
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// A heredoc marker word as BuildKit's `ParseHeredoc` reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeredocMarker {
    pub name: String,
    pub expand: bool,
    pub chomp: bool,
    /// 0 when no descriptor is written, as in BuildKit.
    pub file_descriptor: u32,
    pub has_descriptor: bool,
}

/// BuildKit's `ParseHeredoc` on one word (`^(\d*)<<(-?)([^<]*)$`, then the delimiter must be
/// a single shell word). `Ok(None)` when the word is not a heredoc.
pub fn parse_heredoc_word(word: &str) -> Result<Option<HeredocMarker>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, after),
    };
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let words = delimiter_words(rest, false)?;
    if words.len() != 1 {
        return Ok(None);
    }
    let raw = delimiter_words(rest, true)?;
    if raw.len() != 1 {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |s: &str| s.chars().filter(|c| *c == '\'' || *c == '"').count();
    let expand = quotes(&words[0]) == quotes(&raw[0]);
    Ok(Some(HeredocMarker {
        name: words.into_iter().next().unwrap_or_default(),
        expand,
        chomp,
        file_descriptor: word[..digits].parse().unwrap_or(0),
        has_descriptor: digits > 0,
    }))
}

/// BuildKit's `heredocsFromLine`: the heredoc markers of a logical line, with their ranges.
pub fn heredocs_from_line(line: &str) -> Result<Vec<(HeredocMarker, usize, usize)>, String> {
    let mut out = Vec::new();
    for (w, s, e) in heredoc_line_words(line).unwrap_or_default() {
        if let Some(h) = parse_heredoc_word(&w)? {
            out.push((h, s, e));
        }
    }
    Ok(out)
}

/// Remove leading tabs from every line, as `<<-` asks.
pub fn chomp_heredoc(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    for line in content.split_inclusive('\n') {
        out.push_str(line.trim_start_matches('\t'));
    }
    out
}

/// Whether Go's `unicode.IsPrint` holds, close enough for the characters found in Dockerfiles:
/// controls, non-ASCII spaces, format characters and private use are not printable.
fn is_go_printable(c: char) -> bool {
    if c.is_control() {
        return false;
    }
    let u = c as u32;
    !matches!(u,
        0xA0 | 0xAD | 0x1680 | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F
        | 0x3000 | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xF0000..
        | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x110BD | 0xE0001..=0xE007F
        | 0xFDD0..=0xFDEF | 0xFFFE | 0xFFFF)
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7F}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation() {
        assert_eq!(trim_continuation("foo \\", '\\'), (4, false));
        assert_eq!(trim_continuation("foo \\\\", '\\'), (6, true));
        assert_eq!(trim_continuation("\\  ", '\\'), (0, false));
        assert_eq!(trim_continuation("foo `", '`'), (4, false));
    }

    #[test]
    fn flags() {
        let (f, rest) = extract_flags("--from=a --link -- foo");
        let names: Vec<_> = f.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(names, ["--from=a", "--link"]);
        assert_eq!(&"--from=a --link -- foo"[rest..], " foo");
    }

    #[test]
    fn quote() {
        assert_eq!(go_quote("a\"b\\\u{0}é"), "\"a\\\"b\\\\\\x00é\"");
    }
}
