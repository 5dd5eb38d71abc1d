//! The structure of one shell word: its quoted, literal and expanded parts, each with the range
//! it covers in the word and the span it covers in the Dockerfile, for checks on quoting and
//! on syntax that only some shells have.

use super::script::{skip_ansi_c, skip_backtick, skip_parens, skip_single};
use super::ShellWord;
use crate::syntax::Span;

/// A piece of a word. Joining the `raw` text of every part in order gives back the word as
/// written; parts inside double quotes have `quoted` set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordPart {
    pub kind: PartKind,
    /// Byte range in [`ShellWord::raw`].
    pub start: usize,
    pub end: usize,
    /// Inside `"…"` (or `$"…"`).
    pub quoted: bool,
    /// Where the part is in the Dockerfile.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// Text with no meaning to the shell beyond itself.
    Literal,
    /// `\x`, or a `\` line continuation.
    Escape,
    /// `'…'`, quotes included.
    SingleQuoted,
    /// `$'…'`: bash's ANSI-C quoting.
    AnsiC,
    /// A `"` that opens or closes a double-quoted run; `$"` opens bash's locale quoting.
    QuoteMark,
    /// `$name`, `${name…}`, `$1`, `$@`.
    Param(Param),
    /// `$(…)`.
    CommandSub,
    /// `` `…` ``.
    Backtick,
    /// `$((…))`, or the old `$[…]`.
    Arith,
    /// `*`, `?` or a `[…]` bracket expression, unquoted.
    Glob,
    /// `{a,b}` or `{1..3}`, unquoted: expanded by bash, kept as written by POSIX shells.
    Brace,
    /// `~` or `~user` at the start of a word.
    Tilde,
    /// `<(…)` or `>(…)`.
    ProcessSub,
    /// The `(…)` of an array assignment `name=(…)`.
    ArrayLiteral,
    /// Text this reading does not take apart (an unterminated quote, say): checks stay quiet.
    Opaque,
}

/// A parameter expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// `HOME`, `1`, `@`, `?`; empty when the name is missing or malformed.
    pub name: String,
    pub braced: bool,
    pub op: ParamOp,
    /// `${name[…]…}`: an array element or slice.
    pub subscript: bool,
}

/// What a `${…}` does with the value, by its operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamOp {
    /// `$x`, `${x}`
    Plain,
    /// `${#x}`
    Length,
    /// `${!x}`, `${!prefix*}`: bash's indirection.
    Indirect,
    /// `${x-d}`, `${x:-d}`
    Default,
    /// `${x=d}`, `${x:=d}`
    Assign,
    /// `${x?m}`, `${x:?m}`
    Error,
    /// `${x+a}`, `${x:+a}`
    Alternative,
    /// `${x#p}`, `${x##p}`
    RemovePrefix,
    /// `${x%p}`, `${x%%p}`
    RemoveSuffix,
    /// `${x:1}`, `${x:0:3}`: bash's substrings.
    Substring,
    /// `${x/a/b}`, `${x//a/b}`: bash's replacement.
    Replace,
    /// `${x^}`, `${x^^}`, `${x,}`, `${x,,}`: bash's case modification.
    CaseMod,
    /// `${x@Q}`: bash's transformations.
    Transform,
    /// Anything else inside `${…}`.
    Unknown,
}

impl ParamOp {
    /// Only bash (and shells copying it) has this operator.
    pub fn is_bash_only(self) -> bool {
        matches!(
            self,
            ParamOp::Indirect
                | ParamOp::Substring
                | ParamOp::Replace
                | ParamOp::CaseMod
                | ParamOp::Transform
        )
    }
}

impl ShellWord {
    /// The parts of the word as written. Computed on demand: most checks never need them.
    pub fn parts(&self) -> Vec<WordPart> {
        let mut out = Vec::new();
        Reader {
            s: self.raw.as_bytes(),
            raw: &self.raw,
            word: self,
            out: &mut out,
        }
        .read();
        out
    }

    /// Where byte range `start..end` of `raw` is in the Dockerfile.
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        let len = self.raw.len();
        let (start, end) = (start.min(len), end.min(len).max(start.min(len)));
        match &self.offsets {
            Some(o) => {
                let s = o.get(start).copied().unwrap_or(self.span.end);
                let e = if end > start {
                    o.get(end - 1).map_or(self.span.end, |e| e + 1)
                } else {
                    s
                };
                Span::new(s.min(self.span.end), e.clamp(s, self.span.end.max(s)))
            }
            None => {
                let s = (self.span.start + start).min(self.span.end);
                Span::new(s, (self.span.start + end).clamp(s, self.span.end))
            }
        }
    }

    /// The unquoted parameter expansions and command substitutions of the word: what the shell
    /// splits into several words and expands as globs.
    pub fn unquoted_expansions(&self) -> impl Iterator<Item = WordPart> {
        self.parts().into_iter().filter(|p| {
            !p.quoted
                && matches!(
                    p.kind,
                    PartKind::Param(_) | PartKind::CommandSub | PartKind::Backtick
                )
        })
    }
}

struct Reader<'a> {
    s: &'a [u8],
    raw: &'a str,
    word: &'a ShellWord,
    out: &'a mut Vec<WordPart>,
}

impl Reader<'_> {
    fn push(&mut self, kind: PartKind, start: usize, end: usize, quoted: bool) {
        let end = end.min(self.s.len()).max(start);
        if start == end {
            return;
        }
        // Adjacent literal text is one part.
        if kind == PartKind::Literal {
            if let Some(last) = self.out.last_mut() {
                if last.kind == PartKind::Literal && last.end == start && last.quoted == quoted {
                    last.end = end;
                    last.span = self.word.span_of(last.start, end);
                    return;
                }
            }
        }
        let span = self.word.span_of(start, end);
        self.out.push(WordPart {
            kind,
            start,
            end,
            quoted,
            span,
        });
    }

    fn read(&mut self) {
        let s = self.s;
        let mut i = 0;
        // `name=(…)`: an array assignment.
        if let Some(eq) = self.raw.find("=(") {
            let name = self.raw[..eq].strip_suffix('+').unwrap_or(&self.raw[..eq]);
            if is_name(name) {
                self.push(PartKind::Literal, 0, eq + 1, false);
                let end = skip_parens(s, eq + 1);
                self.push(PartKind::ArrayLiteral, eq + 1, end, false);
                i = end;
            }
        }
        if i == 0 && s.first() == Some(&b'~') {
            let mut j = 1;
            while j < s.len()
                && (s[j].is_ascii_alphanumeric() || matches!(s[j], b'_' | b'-' | b'.'))
            {
                j += 1;
            }
            if j == s.len() || s[j] == b'/' {
                self.push(PartKind::Tilde, 0, j, false);
                i = j;
            }
        }
        while i < s.len() {
            i = match s[i] {
                b'\\' => {
                    let end = char_end(self.raw, i + 1);
                    self.push(PartKind::Escape, i, end, false);
                    end
                }
                b'\'' => {
                    let end = skip_single(s, i);
                    let closed = end > i + 1 && s.get(end - 1) == Some(&b'\'');
                    let kind = if closed {
                        PartKind::SingleQuoted
                    } else {
                        PartKind::Opaque
                    };
                    self.push(kind, i, end, false);
                    end
                }
                b'"' => self.double(i, 1),
                b'$' if s.get(i + 1) == Some(&b'"') => self.double(i, 2),
                b'$' if s.get(i + 1) == Some(&b'\'') => {
                    let end = skip_ansi_c(s, i + 1);
                    let closed = end > i + 2 && s.get(end - 1) == Some(&b'\'');
                    let kind = if closed {
                        PartKind::AnsiC
                    } else {
                        PartKind::Opaque
                    };
                    self.push(kind, i, end, false);
                    end
                }
                b'$' | b'`' => self.expansion(i, false),
                b'<' | b'>' if s.get(i + 1) == Some(&b'(') => {
                    let end = skip_parens(s, i + 1);
                    let kind = if s.get(end.wrapping_sub(1)) == Some(&b')') {
                        PartKind::ProcessSub
                    } else {
                        PartKind::Opaque
                    };
                    self.push(kind, i, end, false);
                    end
                }
                b'*' | b'?' => {
                    self.push(PartKind::Glob, i, i + 1, false);
                    i + 1
                }
                b'[' | b'{' => {
                    let (end, kind) = if s[i] == b'[' {
                        (bracket_end(s, i), PartKind::Glob)
                    } else {
                        (brace_end(s, i), PartKind::Brace)
                    };
                    // Without its closer, the bracket or brace is text.
                    let (end, kind) = end.map_or((i + 1, PartKind::Literal), |e| (e, kind));
                    self.push(kind, i, end, false);
                    end
                }
                _ => {
                    let mut j = i + 1;
                    while j < s.len() && !is_special(s[j]) {
                        j += 1;
                    }
                    self.push(PartKind::Literal, i, j, false);
                    j
                }
            };
        }
    }

    /// A double-quoted run from its opening mark (`"`, or `$"` of length 2).
    fn double(&mut self, at: usize, mark: usize) -> usize {
        let s = self.s;
        self.push(PartKind::QuoteMark, at, at + mark, false);
        let mut j = at + mark;
        while j < s.len() {
            j = match s[j] {
                b'"' => {
                    self.push(PartKind::QuoteMark, j, j + 1, true);
                    return j + 1;
                }
                b'\\' => {
                    let end = char_end(self.raw, j + 1);
                    if matches!(s.get(j + 1), Some(b'"' | b'\\' | b'$' | b'`' | b'\n')) {
                        self.push(PartKind::Escape, j, end, true);
                    } else {
                        self.push(PartKind::Literal, j, end, true);
                    }
                    end
                }
                b'$' | b'`' => self.expansion(j, true),
                _ => {
                    let mut k = j + 1;
                    while k < s.len() && !matches!(s[k], b'"' | b'\\' | b'$' | b'`') {
                        k += 1;
                    }
                    self.push(PartKind::Literal, j, k, true);
                    k
                }
            };
        }
        // No closing quote: what follows the mark cannot be read with confidence.
        if let Some(last) = self.out.iter().rposition(|p| p.start == at) {
            self.out.truncate(last);
        }
        self.push(PartKind::Opaque, at, s.len(), false);
        s.len()
    }

    /// `$…` or `` `…` `` at `i`.
    fn expansion(&mut self, i: usize, quoted: bool) -> usize {
        let s = self.s;
        if s[i] == b'`' {
            let end = skip_backtick(s, i, &mut Vec::new());
            let kind = if end > i + 1 && s.get(end - 1) == Some(&b'`') {
                PartKind::Backtick
            } else {
                PartKind::Opaque
            };
            self.push(kind, i, end, quoted);
            return end;
        }
        match s.get(i + 1) {
            Some(b'(') if s.get(i + 2) == Some(&b'(') => {
                let end = skip_parens(s, i + 1);
                let kind = if s.get(end.wrapping_sub(1)) == Some(&b')') {
                    PartKind::Arith
                } else {
                    PartKind::Opaque
                };
                self.push(kind, i, end, quoted);
                end
            }
            Some(b'(') => {
                let end = skip_parens(s, i + 1);
                let kind = if s.get(end.wrapping_sub(1)) == Some(&b')') {
                    PartKind::CommandSub
                } else {
                    PartKind::Opaque
                };
                self.push(kind, i, end, quoted);
                end
            }
            Some(b'[') => {
                let end = s[i..]
                    .iter()
                    .position(|&b| b == b']')
                    .map_or(s.len(), |k| i + k + 1);
                self.push(PartKind::Arith, i, end, quoted);
                end
            }
            Some(b'{') => {
                let end = super::script::brace_param_end(s, i);
                let Some(end) = end else {
                    self.push(PartKind::Opaque, i, s.len(), quoted);
                    return s.len();
                };
                let body = &self.raw[i + 2..end - 1];
                let param = braced_param(body);
                self.push(PartKind::Param(param), i, end, quoted);
                end
            }
            Some(&b) if b.is_ascii_alphabetic() || b == b'_' => {
                let mut j = i + 1;
                while j < s.len() && (s[j].is_ascii_alphanumeric() || s[j] == b'_') {
                    j += 1;
                }
                let param = Param {
                    name: self.raw[i + 1..j].to_string(),
                    braced: false,
                    op: ParamOp::Plain,
                    subscript: false,
                };
                self.push(PartKind::Param(param), i, j, quoted);
                j
            }
            Some(&b) if b.is_ascii_digit() || b"@*#?-$!".contains(&b) => {
                let param = Param {
                    name: (b as char).to_string(),
                    braced: false,
                    op: ParamOp::Plain,
                    subscript: false,
                };
                self.push(PartKind::Param(param), i, i + 2, quoted);
                i + 2
            }
            // A lone `$` is itself.
            _ => {
                self.push(PartKind::Literal, i, i + 1, quoted);
                i + 1
            }
        }
    }
}

/// The end of the character starting at byte `i` (`i` itself at the end of the text).
fn char_end(text: &str, i: usize) -> usize {
    text.get(i..)
        .and_then(|t| t.chars().next())
        .map_or(i.min(text.len()), |c| i + c.len_utf8())
}

fn is_special(b: u8) -> bool {
    matches!(
        b,
        b'\\' | b'\'' | b'"' | b'$' | b'`' | b'*' | b'?' | b'[' | b'{' | b'<' | b'>'
    )
}

pub(crate) fn is_name(s: &str) -> bool {
    let mut it = s.bytes();
    matches!(it.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && it.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Read the inside of `${…}`.
fn braced_param(body: &str) -> Param {
    let b = body.as_bytes();
    let mut param = Param {
        name: String::new(),
        braced: true,
        op: ParamOp::Plain,
        subscript: false,
    };
    let mut k = 0;
    let mut prefix = None;
    match b.first() {
        // `${#}` is the count of arguments; `${#x}` the length of x.
        Some(b'#') if b.len() > 1 => {
            prefix = Some(ParamOp::Length);
            k = 1;
        }
        Some(b'!') if b.len() > 1 => {
            prefix = Some(ParamOp::Indirect);
            k = 1;
        }
        _ => {}
    }
    let name_start = k;
    match b.get(k) {
        Some(&c) if c.is_ascii_alphabetic() || c == b'_' => {
            while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'_') {
                k += 1;
            }
        }
        Some(&c) if c.is_ascii_digit() => {
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
        }
        Some(&c) if b"@*#?-$!".contains(&c) => k += 1,
        _ => {
            param.op = ParamOp::Unknown;
            return param;
        }
    }
    param.name = body[name_start..k].to_string();
    if b.get(k) == Some(&b'[') {
        param.subscript = true;
        match b[k..].iter().position(|&c| c == b']') {
            Some(p) => k += p + 1,
            None => {
                param.op = ParamOp::Unknown;
                return param;
            }
        }
    }
    let rest = &b[k..];
    let op = match rest {
        [] => ParamOp::Plain,
        [b':', b'-' | b'=' | b'?' | b'+', ..] => match rest[1] {
            b'-' => ParamOp::Default,
            b'=' => ParamOp::Assign,
            b'?' => ParamOp::Error,
            _ => ParamOp::Alternative,
        },
        [b':', ..] => ParamOp::Substring,
        [b'-', ..] => ParamOp::Default,
        [b'=', ..] => ParamOp::Assign,
        [b'?', ..] => ParamOp::Error,
        [b'+', ..] => ParamOp::Alternative,
        [b'#', ..] => ParamOp::RemovePrefix,
        [b'%', ..] => ParamOp::RemoveSuffix,
        [b'/', ..] => ParamOp::Replace,
        [b'^' | b',', ..] => ParamOp::CaseMod,
        [b'@', ..] => ParamOp::Transform,
        // `${!prefix*}`, `${!prefix@}`
        [b'*'] if prefix == Some(ParamOp::Indirect) => ParamOp::Plain,
        _ => ParamOp::Unknown,
    };
    param.op = match (prefix, op) {
        (Some(p), ParamOp::Plain) => p,
        (Some(ParamOp::Indirect), _) => ParamOp::Indirect,
        (Some(_), _) => ParamOp::Unknown,
        (None, op) => op,
    };
    param
}

/// The end (past `]`) of a glob bracket expression at `i`, if it closes before a `/`.
fn bracket_end(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if matches!(s.get(j), Some(b'!' | b'^')) {
        j += 1;
    }
    // A `]` first in the expression is a member.
    if s.get(j) == Some(&b']') {
        j += 1;
    }
    while j < s.len() {
        match s[j] {
            b']' => return Some(j + 1),
            b'/' | b'\'' | b'"' | b'$' | b'`' | b'\\' => return None,
            _ => j += 1,
        }
    }
    None
}

/// The end (past `}`) of a brace expansion at `i`: `{a,b}` with an unquoted comma at its own
/// level, or a sequence `{1..3}`, `{a..z}`, `{1..9..2}`. `{}` and `{x}` are text.
fn brace_end(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    let mut depth = 1usize;
    let mut comma = false;
    while j < s.len() {
        match s[j] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    let inner = &s[i + 1..j];
                    return (comma || is_sequence(inner)).then_some(j + 1);
                }
            }
            b',' if depth == 1 => comma = true,
            b'\\' => j += 1,
            b'\'' => {
                j = skip_single(s, j);
                continue;
            }
            b'"' => {
                j = super::script::skip_double(s, j, &mut Vec::new());
                continue;
            }
            b'$' => {
                // `${…}` inside is an expansion, not a brace level.
                let mut subs = Vec::new();
                j = super::script::skip_dollar(s, j, &mut subs);
                continue;
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// `1..3`, `a..z`, `01..10..2`.
fn is_sequence(inner: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(inner) else {
        return false;
    };
    let mut parts = text.split("..");
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return false;
    };
    let step = parts.next();
    if parts.next().is_some() {
        return false;
    }
    let int = |t: &str| {
        let t = t.strip_prefix('-').unwrap_or(t);
        !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit())
    };
    let letter = |t: &str| t.len() == 1 && t.as_bytes()[0].is_ascii_alphabetic();
    ((int(a) && int(b)) || (letter(a) && letter(b))) && step.is_none_or(int)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(raw: &str) -> ShellWord {
        ShellWord {
            value: super::super::script::unquote(raw),
            raw: raw.to_string(),
            span: Span::new(10, 10 + raw.len()),
            offsets: None,
        }
    }

    fn kinds(raw: &str) -> Vec<(String, &'static str, bool)> {
        let w = word(raw);
        w.parts()
            .iter()
            .map(|p| {
                let k = match &p.kind {
                    PartKind::Literal => "lit",
                    PartKind::Escape => "esc",
                    PartKind::SingleQuoted => "sq",
                    PartKind::AnsiC => "ansi",
                    PartKind::QuoteMark => "qm",
                    PartKind::Param(_) => "param",
                    PartKind::CommandSub => "cmdsub",
                    PartKind::Backtick => "bt",
                    PartKind::Arith => "arith",
                    PartKind::Glob => "glob",
                    PartKind::Brace => "brace",
                    PartKind::Tilde => "tilde",
                    PartKind::ProcessSub => "procsub",
                    PartKind::ArrayLiteral => "array",
                    PartKind::Opaque => "opaque",
                };
                (raw[p.start..p.end].to_string(), k, p.quoted)
            })
            .collect()
    }

    #[test]
    fn parts_table() {
        type Part<'a> = (&'a str, &'a str, bool);
        let cases: &[(&str, &[Part])] = &[
            ("plain", &[("plain", "lit", false)]),
            (
                "a\"$B c\"'d'",
                &[
                    ("a", "lit", false),
                    ("\"", "qm", false),
                    ("$B", "param", true),
                    (" c", "lit", true),
                    ("\"", "qm", true),
                    ("'d'", "sq", false),
                ],
            ),
            ("~/x", &[("~", "tilde", false), ("/x", "lit", false)]),
            (
                "/app/{bin,lib}",
                &[("/app/", "lit", false), ("{bin,lib}", "brace", false)],
            ),
            ("{1..3}", &[("{1..3}", "brace", false)]),
            ("{}", &[("{}", "lit", false)]),
            ("{x}", &[("{x}", "lit", false)]),
            ("*.txt", &[("*", "glob", false), (".txt", "lit", false)]),
            ("[ab]c", &[("[ab]", "glob", false), ("c", "lit", false)]),
            ("[", &[("[", "lit", false)]),
            ("$'a\\tb'", &[("$'a\\tb'", "ansi", false)]),
            ("$(ls \"x\")", &[("$(ls \"x\")", "cmdsub", false)]),
            ("$((1+2))", &[("$((1+2))", "arith", false)]),
            ("`date`", &[("`date`", "bt", false)]),
            ("<(ls)", &[("<(ls)", "procsub", false)]),
            (
                "a=(1 2)",
                &[("a=", "lit", false), ("(1 2)", "array", false)],
            ),
            ("\"open", &[("\"open", "opaque", false)]),
            ("'open", &[("'open", "opaque", false)]),
            (
                "a\\ b",
                &[
                    ("a", "lit", false),
                    ("\\ ", "esc", false),
                    ("b", "lit", false),
                ],
            ),
            ("$", &[("$", "lit", false)]),
            ("${x:-{a,b}}", &[("${x:-{a,b}}", "param", false)]),
        ];
        for (raw, want) in cases {
            let got = kinds(raw);
            let want: Vec<_> = want
                .iter()
                .map(|(t, k, q)| (t.to_string(), *k, *q))
                .collect();
            assert_eq!(got, want, "{raw}");
        }
    }

    fn param(raw: &str) -> Param {
        match word(raw).parts().into_iter().next().map(|p| p.kind) {
            Some(PartKind::Param(p)) => p,
            other => panic!("{raw}: {other:?}"),
        }
    }

    #[test]
    fn parameter_operators() {
        let cases: &[(&str, &str, ParamOp, bool)] = &[
            ("$HOME", "HOME", ParamOp::Plain, false),
            ("$1", "1", ParamOp::Plain, false),
            ("$@", "@", ParamOp::Plain, false),
            ("${HOME}", "HOME", ParamOp::Plain, false),
            ("${#x}", "x", ParamOp::Length, false),
            ("${#}", "#", ParamOp::Plain, false),
            ("${!x}", "x", ParamOp::Indirect, false),
            ("${x:-d}", "x", ParamOp::Default, false),
            ("${x-d}", "x", ParamOp::Default, false),
            ("${x:=d}", "x", ParamOp::Assign, false),
            ("${x:?m}", "x", ParamOp::Error, false),
            ("${x:+a}", "x", ParamOp::Alternative, false),
            ("${x##*/}", "x", ParamOp::RemovePrefix, false),
            ("${x%.*}", "x", ParamOp::RemoveSuffix, false),
            ("${x:0:3}", "x", ParamOp::Substring, false),
            ("${x: -1}", "x", ParamOp::Substring, false),
            ("${x//a/b}", "x", ParamOp::Replace, false),
            ("${x^^}", "x", ParamOp::CaseMod, false),
            ("${x,}", "x", ParamOp::CaseMod, false),
            ("${x@Q}", "x", ParamOp::Transform, false),
            ("${a[1]}", "a", ParamOp::Plain, true),
            ("${a[@]:1}", "a", ParamOp::Substring, true),
            ("${#a[@]}", "a", ParamOp::Length, true),
        ];
        for (raw, name, op, sub) in cases {
            let p = param(raw);
            assert_eq!(
                (p.name.as_str(), p.op, p.subscript),
                (*name, *op, *sub),
                "{raw}"
            );
        }
    }

    #[test]
    fn parts_give_back_the_word() {
        for raw in [
            "a\"b$(c \"d\")e\"'f'`g`$h${i:-j}\\k*[l]{m,n}~",
            "\"unterminated $x",
            "$'x",
            "${open",
            "x=(1 2",
            "{a,\"b c\"}",
        ] {
            let w = word(raw);
            let joined: String = w.parts().iter().map(|p| &raw[p.start..p.end]).collect();
            assert_eq!(joined, raw);
        }
    }

    #[test]
    fn spans_follow_offsets() {
        // `a\<newline>$B`: the word as the splitter saw it after a continuation was removed.
        let w = ShellWord {
            value: "a$B".into(),
            raw: "a$B".into(),
            span: Span::new(0, 5),
            offsets: Some(vec![0, 3, 4, 5].into_boxed_slice()),
        };
        let p = w.parts();
        assert_eq!(p[1].span, Span::new(3, 5));
    }
}
