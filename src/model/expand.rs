//! BuildKit word expansion (`$V`, `${V:-x}`, ...), ported from the behaviour of its shell lexer.
//! Quirks are kept on purpose: the linter must predict what BuildKit does, not what a shell does.

mod unicode_class;

use crate::syntax::lex::go_quote;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

/// Where names come from. `get` is an exact lookup; `get_ignore_case` serves Windows builds.
pub trait Vars {
    fn get(&self, name: &str) -> Option<&str>;

    /// Lookup with BuildKit's Windows rule (keys compared after upper-casing). The default can
    /// only try the spelling given and its upper-case form, because the trait cannot list
    /// keys; the collections below override it with a full scan.
    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.get(name).or_else(|| {
            let upper: String = name.chars().map(simple_upper).collect();
            self.get(&upper)
        })
    }
}

impl<T: Vars + ?Sized> Vars for &T {
    fn get(&self, name: &str) -> Option<&str> {
        (**self).get(name)
    }
    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        (**self).get_ignore_case(name)
    }
}

impl<K, V, S> Vars for HashMap<K, V, S>
where
    K: std::borrow::Borrow<str> + Hash + Eq,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(AsRef::as_ref)
    }
    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        if let Some(v) = HashMap::get(self, name) {
            return Some(v.as_ref());
        }
        // Iteration order is random, so pick the smallest matching key to stay deterministic.
        self.iter()
            .filter(|(k, _)| eq_ignore_case(k.borrow(), name))
            .min_by(|a, b| a.0.borrow().cmp(b.0.borrow()))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K, V> Vars for BTreeMap<K, V>
where
    K: std::borrow::Borrow<str> + Ord,
    V: AsRef<str>,
{
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(AsRef::as_ref)
    }
    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        if let Some(v) = BTreeMap::get(self, name) {
            return Some(v.as_ref());
        }
        self.iter()
            .find(|(k, _)| eq_ignore_case((*k).borrow(), name))
            .map(|(_, v)| v.as_ref())
    }
}

/// An ordered list behaves like BuildKit's `KEY=value` slice: a later entry overrides an
/// earlier one with the same key.
impl<K: AsRef<str>, V: AsRef<str>> Vars for [(K, V)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v.as_ref())
    }
    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(k, _)| eq_ignore_case(k.as_ref(), name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Vars for Vec<(K, V)> {
    fn get(&self, name: &str) -> Option<&str> {
        Vars::get(self.as_slice(), name)
    }
    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.as_slice().get_ignore_case(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Vars for [(K, V); N] {
    fn get(&self, name: &str) -> Option<&str> {
        Vars::get(self.as_slice(), name)
    }
    fn get_ignore_case(&self, name: &str) -> Option<&str> {
        self.as_slice().get_ignore_case(name)
    }
}

/// Go's `unicode.ToUpper` is a 1:1 mapping; where Rust's full mapping would expand a char
/// (`ß` → `SS`) Go leaves it alone, and so do we.
fn simple_upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars().map(simple_upper).eq(b.chars().map(simple_upper))
}

/// BuildKit's `Lex` options. `case_insensitive` stands in for BuildKit's Windows build, where
/// variable names match regardless of case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lexer {
    pub escape: char,
    pub raw_quotes: bool,
    pub raw_escapes: bool,
    pub skip_unset: bool,
    pub skip_process_quotes: bool,
    pub case_insensitive: bool,
}

impl Default for Lexer {
    fn default() -> Self {
        Lexer::new('\\')
    }
}

/// Result of [`Lexer::process_word`]. Names keep the spelling used in the word and appear
/// once, in the order they were first looked up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expanded {
    pub value: String,
    pub matched: Vec<String>,
    pub unmatched: Vec<String>,
}

/// Errors carry BuildKit's wording so messages can be shown to users unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExpandError {
    /// Every error leaving `process_word`/`process_words` is wrapped like this, as BuildKit
    /// wraps it; `cause` is the specific problem.
    #[error("failed to process {}: {}", go_quote(.word), .cause)]
    InWord {
        word: String,
        cause: Box<ExpandError>,
    },
    #[error("syntax error: missing '}}'")]
    MissingBrace,
    #[error("syntax error: missing '/' in ${{}}")]
    MissingSlash,
    #[error("syntax error: bad substitution")]
    BadSubstitution,
    /// The text between the braces after the name; `\u{FFFD}` marks the end of input, which is
    /// what BuildKit prints there.
    #[error("unsupported modifier ({0}) in substitution")]
    UnsupportedModifier(String),
    #[error("unexpected end of statement while looking for matching {0}")]
    Unterminated(char),
    #[error("unexpected end of statement while looking for matching single-quote")]
    UnterminatedSingleQuote,
    #[error("unexpected end of statement while looking for matching double-quote")]
    UnterminatedDoubleQuote,
    /// `${V?msg}` / `${V:?msg}` on an unset (or empty) variable.
    #[error("{name}: {message}")]
    Required { name: String, message: String },
    /// A `\` in a `#`, `%` or `/` pattern not followed by `*`, `?` or `\`.
    #[error("invalid pattern ({pattern}) in substitution: invalid escape '\\{escaped}'")]
    InvalidPattern { pattern: String, escaped: char },
    /// Our own limit (BuildKit has none): nesting deeper than [`MAX_NESTING`] would risk the
    /// stack, and no real Dockerfile comes close.
    #[error("substitutions nested deeper than {0} levels")]
    TooDeep(usize),
}

impl ExpandError {
    /// The specific problem, without the `failed to process` wrapper.
    pub fn cause(&self) -> &ExpandError {
        match self {
            ExpandError::InWord { cause, .. } => cause.cause(),
            other => other,
        }
    }
}

/// Deepest `${...}` nesting accepted; see [`ExpandError::TooDeep`].
pub const MAX_NESTING: usize = 100;

/// Stand-in for Go's `string(rune(-1))`, which BuildKit prints when input ends early.
const EOF_MARK: char = '\u{FFFD}';

impl Lexer {
    pub fn new(escape: char) -> Self {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset: false,
            skip_process_quotes: false,
            case_insensitive: false,
        }
    }

    /// BuildKit `ProcessWord`: expand `word`, also reporting which names were found or not.
    pub fn process_word(&self, word: &str, vars: &dyn Vars) -> Result<Expanded, ExpandError> {
        match self.process_word_partial(word, vars) {
            (expanded, None) => Ok(expanded),
            (_, Some(err)) => Err(err),
        }
    }

    /// Like [`Lexer::process_word`], but on failure still returns the names looked up before
    /// the error (with an empty `value`), as BuildKit's `ProcessWordWithMatches` does; its
    /// undefined-variable check reports those even for words that fail to expand.
    pub fn process_word_partial(
        &self,
        word: &str,
        vars: &dyn Vars,
    ) -> (Expanded, Option<ExpandError>) {
        let mut run = Run::new(self, vars, word, true);
        let outcome = run.top(word);
        let (value, err) = match outcome {
            Ok((value, _)) => (value, None),
            Err(e) => (String::new(), Some(e)),
        };
        let expanded = Expanded {
            value,
            matched: run.matched,
            unmatched: run.unmatched,
        };
        (expanded, err)
    }

    /// BuildKit `ProcessWords`: expand, then split on unquoted whitespace (splitting happens
    /// after expansion, so spaces inside a variable's value split too).
    pub fn process_words(&self, word: &str, vars: &dyn Vars) -> Result<Vec<String>, ExpandError> {
        let mut run = Run::new(self, vars, word, false);
        let (_, words) = run.top(word)?;
        Ok(words)
    }
}

/// Char cursor with the peek/next behaviour of Go's `text/scanner` as BuildKit uses it.
struct Scanner {
    chars: Vec<char>,
    pos: usize,
}

impl Scanner {
    fn new(word: &str) -> Self {
        // text/scanner drops a byte-order mark at the very start of its input.
        let word = word.strip_prefix('\u{FEFF}').unwrap_or(word);
        Scanner {
            chars: word.chars().collect(),
            pos: 0,
        }
    }
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }
}

/// Per-level word-splitting state. The buffer of the word being built lives in [`Run`]
/// because BuildKit shares it between nesting levels (see [`Run::stop_on`]).
#[derive(Default)]
struct Words {
    done: Vec<String>,
    in_word: bool,
}

struct Run<'a> {
    lex: &'a Lexer,
    vars: &'a dyn Vars,
    sc: Scanner,
    raw_escapes: bool,
    word_buf: String,
    capture: bool,
    recorded: HashSet<String>,
    matched: Vec<String>,
    unmatched: Vec<String>,
    depth: usize,
}

impl<'a> Run<'a> {
    fn new(lex: &'a Lexer, vars: &'a dyn Vars, word: &str, capture: bool) -> Self {
        Run {
            lex,
            vars,
            sc: Scanner::new(word),
            raw_escapes: lex.raw_escapes,
            word_buf: String::new(),
            capture,
            recorded: HashSet::new(),
            matched: Vec::new(),
            unmatched: Vec::new(),
            depth: 0,
        }
    }

    fn top(&mut self, source: &str) -> Result<(String, Vec<String>), ExpandError> {
        let raw = self.raw_escapes;
        self.stop_on(None, raw)
            .map_err(|cause| ExpandError::InWord {
                word: source.to_string(),
                cause: Box::new(cause),
            })
    }

    fn add_char(&mut self, w: &mut Words, ch: char) {
        if ch.is_whitespace() {
            // Only a non-empty buffer ends a word, so `""` alone never yields an empty word.
            if w.in_word && !self.word_buf.is_empty() {
                w.done.push(std::mem::take(&mut self.word_buf));
                w.in_word = false;
            }
        } else {
            self.add_raw_char(w, ch);
        }
    }

    fn add_raw_char(&mut self, w: &mut Words, ch: char) {
        self.word_buf.push(ch);
        w.in_word = true;
    }

    fn finish_words(&mut self, mut w: Words) -> Vec<String> {
        if !self.word_buf.is_empty() {
            w.done.push(std::mem::take(&mut self.word_buf));
        }
        w.done
    }

    /// Process until `stop` (consumed) or, with `None`, the end of input. Returns the
    /// expanded text and its split words.
    fn stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), ExpandError> {
        if self.depth >= MAX_NESTING {
            return Err(ExpandError::TooDeep(MAX_NESTING));
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let out = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        out
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), ExpandError> {
        let mut result = String::new();
        // BuildKit resets one shared word buffer on entry to every level, so a nested
        // `${V:-x}` discards the part of the enclosing word collected so far. Kept as is.
        self.word_buf.clear();
        let mut words = Words::default();
        let quotes = !self.lex.skip_process_quotes;

        while let Some(ch) = self.sc.peek() {
            if Some(ch) == stop {
                self.sc.next();
                return Ok((result, self.finish_words(words)));
            }
            let special = match ch {
                '$' => Some(self.dollar()?),
                '\'' if quotes => Some(self.single_quote()?),
                '"' if quotes => Some(self.double_quote()?),
                _ => None,
            };
            if let Some(tmp) = special {
                result.push_str(&tmp);
                if ch == '$' {
                    for c in tmp.chars() {
                        self.add_char(&mut words, c);
                    }
                } else {
                    self.word_buf.push_str(&tmp);
                    words.in_word = true;
                }
                continue;
            }

            self.sc.next();
            let mut ch = ch;
            if ch == self.lex.escape {
                if self.raw_escapes {
                    self.add_raw_char(&mut words, ch);
                    result.push(ch);
                }
                // An escape at the very end is dropped.
                match self.sc.next() {
                    Some(c) => ch = c,
                    None => break,
                }
                self.add_raw_char(&mut words, ch);
            } else {
                self.add_char(&mut words, ch);
            }
            result.push(ch);
        }
        if let Some(stop) = stop {
            return Err(ExpandError::Unterminated(stop));
        }
        Ok((result, self.finish_words(words)))
    }

    fn single_quote(&mut self) -> Result<String, ExpandError> {
        let mut result = String::new();
        let open = self.sc.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        // Nothing escapes inside single quotes, not even a single quote.
        loop {
            match self.sc.next() {
                None => return Err(ExpandError::UnterminatedSingleQuote),
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, ExpandError> {
        let mut result = String::new();
        let open = self.sc.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.sc.peek() {
                None => return Err(ExpandError::UnterminatedDoubleQuote),
                Some('"') => {
                    self.sc.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let v = self.dollar()?;
                    result.push_str(&v);
                }
                Some(mut ch) => {
                    self.sc.next();
                    if ch == self.lex.escape {
                        // With raw escapes BuildKit writes the escape here and again below
                        // when it escapes nothing, so `"\t"` becomes `\\t`. Kept as is.
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.sc.peek() {
                            // The missing closing quote is reported on the next turn.
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.lex.escape => {
                                self.sc.next();
                                ch = c;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn lookup(&mut self, name: &str) -> Option<&'a str> {
        let vars: &'a dyn Vars = self.vars;
        let found = if self.lex.case_insensitive {
            vars.get_ignore_case(name)
        } else {
            vars.get(name)
        };
        if self.capture && !self.recorded.contains(name) {
            self.recorded.insert(name.to_string());
            let list = if found.is_some() {
                &mut self.matched
            } else {
                &mut self.unmatched
            };
            list.push(name.to_string());
        }
        found
    }

    /// A name: letters, digits and `_`; or a run of digits (positional); or one special
    /// parameter char. May be empty.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.sc.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(d) = self.sc.peek().filter(|c| is_digit(*c)) {
                    self.sc.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.sc.next();
                name.push(ch);
                return name;
            }
            if !is_letter(ch) && !is_digit(ch) && ch != '_' {
                break;
            }
            self.sc.next();
            name.push(ch);
        }
        name
    }

    /// Nested word up to `stop`. Running out of input is reported as the missing delimiter
    /// of the substitution rather than as the inner problem, as BuildKit does.
    fn nested(
        &mut self,
        stop: char,
        raw: bool,
        at_eof: ExpandError,
    ) -> Result<String, ExpandError> {
        match self.stop_on(Some(stop), raw) {
            Ok((word, _)) => Ok(word),
            Err(e @ ExpandError::TooDeep(_)) => Err(e),
            Err(_) if self.sc.peek().is_none() => Err(at_eof),
            Err(e) => Err(e),
        }
    }

    fn dollar(&mut self) -> Result<String, ExpandError> {
        self.sc.next();
        if self.sc.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".to_string());
            }
            return Ok(match self.lookup(&name) {
                Some(v) => v.to_string(),
                None if self.lex.skip_unset => format!("${name}"),
                None => String::new(),
            });
        }

        self.sc.next();
        match self.sc.peek() {
            None => return Err(ExpandError::MissingBrace),
            Some('{' | '}' | ':') => return Err(ExpandError::BadSubstitution),
            Some(_) => {}
        }
        let name = self.name();
        let first = self.sc.next();
        let mut modifier = String::from(first.unwrap_or(EOF_MARK));

        match first {
            Some('}') => Ok(match self.lookup(&name) {
                Some(v) => v.to_string(),
                None if self.lex.skip_unset => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let null_is_unset = first == Some(':');
                let op = if null_is_unset {
                    let c = self.sc.next();
                    modifier.push(c.unwrap_or(EOF_MARK));
                    c
                } else {
                    first
                };
                let pattern = matches!(op, Some('#' | '%'));
                if null_is_unset && pattern {
                    return Err(ExpandError::UnsupportedModifier(modifier));
                }
                let word = self.nested('}', pattern, ExpandError::MissingBrace)?;
                let value = self.lookup(&name);
                if self.lex.skip_unset && value.is_none() {
                    return Ok(format!("${{{name}{modifier}{word}}}"));
                }
                let set = value.is_some();
                let value = value.unwrap_or("");
                let unset = !set || (null_is_unset && value.is_empty());
                match op {
                    Some('-') => Ok(if unset { word } else { value.to_string() }),
                    Some('+') => Ok(if unset { String::new() } else { word }),
                    Some('?') => {
                        if unset {
                            let default = if set {
                                "is not allowed to be empty"
                            } else {
                                "is not allowed to be unset"
                            };
                            let message = if word.is_empty() {
                                default.to_string()
                            } else {
                                word
                            };
                            return Err(ExpandError::Required { name, message });
                        }
                        Ok(value.to_string())
                    }
                    Some(c @ ('#' | '%')) => {
                        // A doubled operator (`##`, `%%`) asks for the longest match; the check
                        // is on the expanded word, as in BuildKit.
                        let (pat, greedy) = match word.strip_prefix(c) {
                            Some(rest) => (rest, true),
                            None => (word.as_str(), false),
                        };
                        if c == '%' {
                            trim_suffix(pat, value, greedy)
                        } else {
                            trim_prefix(pat, value, greedy)
                        }
                    }
                    _ => Err(ExpandError::UnsupportedModifier(modifier)),
                }
            }
            Some('/') => {
                let all = self.sc.peek() == Some('/');
                if all {
                    self.sc.next();
                }
                let pattern = self.nested('/', true, ExpandError::MissingSlash)?;
                let replacement = self.nested('}', true, ExpandError::MissingBrace)?;
                let value = self.lookup(&name);
                if self.lex.skip_unset && value.is_none() {
                    // BuildKit writes a single `/` here even for `//`. Kept as is.
                    return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                }
                let value = value.unwrap_or("");
                let re = Pattern::compile(&pattern, true).map_err(|escaped| {
                    ExpandError::InvalidPattern {
                        pattern: pattern.clone(),
                        escaped,
                    }
                })?;
                if all {
                    Ok(re.replace_all(value, &replacement))
                } else {
                    Ok(match re.find(value, 0, false) {
                        Some((a, b)) => {
                            let mut out = String::with_capacity(value.len() + replacement.len());
                            out.push_str(value.get(..a).unwrap_or(""));
                            out.push_str(&replacement);
                            out.push_str(value.get(b..).unwrap_or(""));
                            out
                        }
                        None => value.to_string(),
                    })
                }
            }
            _ => Err(ExpandError::UnsupportedModifier(modifier)),
        }
    }
}

fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && unicode_class::contains(unicode_class::LETTER, c))
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || (!c.is_ascii() && unicode_class::contains(unicode_class::DECIMAL_DIGIT, c))
}

/// POSIX special parameters; never set in a Dockerfile, but they end a name after one char.
fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, ExpandError> {
    let re = Pattern::compile(pattern, greedy).map_err(|escaped| ExpandError::InvalidPattern {
        pattern: pattern.to_string(),
        escaped,
    })?;
    Ok(match re.find(value, 0, true) {
        Some((_, end)) => value.get(end..).unwrap_or("").to_string(),
        None => value.to_string(),
    })
}

/// The shortest match at the end cannot be found scanning forwards, so BuildKit reverses both
/// the value and the pattern (keeping each `\x` pair in order) and trims a prefix instead.
/// Errors therefore quote the reversed pattern, as BuildKit's do.
fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, ExpandError> {
    let rev_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &rev_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut units: Vec<&[char]> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let len = if chars[i] == '\\' && i + 1 < chars.len() {
            2
        } else {
            1
        };
        units.push(&chars[i..i + len]);
        i += len;
    }
    units.iter().rev().flat_map(|u| u.iter()).collect()
}

/// A compiled `#`/`%`/`/` pattern: literals, `?` (one char) and `*` (any run). BuildKit turns
/// these into a Go regexp, so the same matching rules apply here: neither wildcard crosses a
/// newline, and among several matches the one preferred by the wildcards' greediness (first
/// wildcard first) wins, not simply the longest or shortest.
struct Pattern {
    prog: Vec<Inst>,
}

#[derive(Clone, Copy)]
enum Inst {
    Char(char),
    Any,
    /// Try the first branch before the second.
    Split(usize, usize),
    Jmp(usize),
    Match,
}

impl Pattern {
    /// `Err` carries the char after a bad `\` (`\u{FFFD}` for a trailing one).
    fn compile(pattern: &str, greedy: bool) -> Result<Pattern, char> {
        let pattern = pattern.strip_prefix('\u{FEFF}').unwrap_or(pattern);
        let mut prog = Vec::new();
        let mut it = pattern.chars().peekable();
        while let Some(tok) = it.next() {
            match tok {
                '*' => {
                    let at = prog.len();
                    let (body, after) = (at + 1, at + 3);
                    prog.push(if greedy {
                        Inst::Split(body, after)
                    } else {
                        Inst::Split(after, body)
                    });
                    prog.push(Inst::Any);
                    prog.push(Inst::Jmp(at));
                }
                '?' => prog.push(Inst::Any),
                '\\' => {
                    // `\}` and `\/` only protect the delimiters of `${...}`; the char itself
                    // is then read as a literal.
                    if matches!(it.peek(), Some('}' | '/')) {
                        continue;
                    }
                    match it.next() {
                        Some(c @ ('*' | '?' | '\\')) => prog.push(Inst::Char(c)),
                        other => return Err(other.unwrap_or(EOF_MARK)),
                    }
                }
                c => prog.push(Inst::Char(c)),
            }
        }
        prog.push(Inst::Match);
        Ok(Pattern { prog })
    }

    /// First match at or after byte `start` (or only at `start` when anchored), as byte
    /// offsets. A Pike VM: threads are kept in priority order and a match cuts off the
    /// lower-priority ones, which reproduces backtracking preference in O(len × pattern).
    fn find(&self, text: &str, start: usize, anchored: bool) -> Option<(usize, usize)> {
        let n = self.prog.len();
        let mut marks = vec![0usize; n];
        let mut generation = 1;
        let mut clist: Vec<(usize, usize)> = Vec::with_capacity(n);
        let mut nlist: Vec<(usize, usize)> = Vec::with_capacity(n);
        let mut stack = Vec::new();
        self.add(&mut clist, &mut marks, generation, &mut stack, 0, start);
        let mut pos = start;
        let mut found = None;
        loop {
            let ch = text.get(pos..).and_then(|t| t.chars().next());
            generation += 1;
            nlist.clear();
            for &(pc, from) in &clist {
                match self.prog[pc] {
                    Inst::Char(c) if Some(c) == ch => {
                        self.add(&mut nlist, &mut marks, generation, &mut stack, pc + 1, from)
                    }
                    Inst::Any if ch.is_some_and(|c| c != '\n') => {
                        self.add(&mut nlist, &mut marks, generation, &mut stack, pc + 1, from)
                    }
                    Inst::Match => {
                        found = Some((from, pos));
                        break;
                    }
                    _ => {}
                }
            }
            let Some(c) = ch else { break };
            pos += c.len_utf8();
            if found.is_none() && !anchored {
                self.add(&mut nlist, &mut marks, generation, &mut stack, 0, pos);
            }
            std::mem::swap(&mut clist, &mut nlist);
            if clist.is_empty() {
                break;
            }
        }
        found
    }

    /// Follow jumps and splits from `pc` depth-first in priority order, queueing the
    /// char-consuming and match instructions reached.
    fn add(
        &self,
        list: &mut Vec<(usize, usize)>,
        marks: &mut [usize],
        generation: usize,
        stack: &mut Vec<usize>,
        pc: usize,
        from: usize,
    ) {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if marks[pc] == generation {
                continue;
            }
            marks[pc] = generation;
            match self.prog[pc] {
                Inst::Jmp(to) => stack.push(to),
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                _ => list.push((pc, from)),
            }
        }
    }

    /// Go's `ReplaceAllString`: an empty match right after a previous match is skipped, and
    /// `$0`/`${0}` in the replacement stand for the matched text (see [`expand_template`]).
    fn replace_all(&self, text: &str, replacement: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last_end = 0;
        let mut search = 0;
        while search <= text.len() {
            let Some((a, b)) = self.find(text, search, false) else {
                break;
            };
            out.push_str(text.get(last_end..a).unwrap_or(""));
            if b > last_end || a == 0 {
                expand_template(&mut out, replacement, text.get(a..b).unwrap_or(""));
            }
            last_end = b;
            let width = text
                .get(search..)
                .and_then(|t| t.chars().next())
                .map_or(0, char::len_utf8);
            if search + width > b {
                search += width;
            } else if search + 1 > b {
                search += 1;
            } else {
                search = b;
            }
        }
        out.push_str(text.get(last_end..).unwrap_or(""));
        out
    }
}

/// Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0` or `${0}` the match,
/// any other well-formed `$name`/`${name}` nothing, and a malformed `$` stays literal.
fn expand_template(out: &mut String, template: &str, matched: &str) {
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        let (body, brace) = match rest.strip_prefix('{') {
            Some(b) => (b, true),
            None => (rest, false),
        };
        let len: usize = body
            .chars()
            .take_while(|&c| is_letter(c) || is_digit(c) || c == '_')
            .map(char::len_utf8)
            .sum();
        let name = &body[..len];
        let after = &body[len..];
        let after = if brace {
            after.strip_prefix('}')
        } else {
            Some(after)
        };
        match after {
            Some(after) if !name.is_empty() => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            _ => out.push('$'),
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Vec<(String, String)> {
        [("PWD", "/home"), ("SHELL", "bash"), ("NULL", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn word(input: &str, vars: &dyn Vars) -> Result<String, ExpandError> {
        Lexer::new('\\').process_word(input, vars).map(|e| e.value)
    }

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn basic_forms() {
        let e = env();
        assert_eq!(word("he${PWD}xx", &e).unwrap(), "he/homexx");
        assert_eq!(word("${X:-a b}", &e).unwrap(), "a b");
        assert_eq!(word("${NULL-x}|${NULL:-x}", &e).unwrap(), "|x");
        assert_eq!(word("${NULL+x}|${NULL:+x}", &e).unwrap(), "x|");
        assert_eq!(word("$", &e).unwrap(), "$");
        assert!(word("${", &e).is_err());
    }

    #[test]
    fn error_messages_match_buildkit() {
        let e = env();
        let err = word("he${PWD", &e).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to process \"he${PWD\": unsupported modifier (\u{FFFD}) in substitution"
        );
        assert_eq!(
            word("${X?}", &e).unwrap_err().cause().to_string(),
            "X: is not allowed to be unset"
        );
        assert_eq!(
            word("${NULL:?}", &e).unwrap_err().cause().to_string(),
            "NULL: is not allowed to be empty"
        );
        assert_eq!(
            word("${:}", &e).unwrap_err().cause(),
            &ExpandError::BadSubstitution
        );
        assert_eq!(
            word("${X//ww}", &e).unwrap_err().cause(),
            &ExpandError::MissingSlash
        );
        assert_eq!(
            word("${X:#a}", &e).unwrap_err().cause(),
            &ExpandError::UnsupportedModifier(":#".into())
        );
    }

    #[test]
    fn mandatory_vars() {
        let set = map(&[("VAR", "plain"), ("ARG", "x")]);
        let empty = map(&[("VAR", ""), ("ARG", "x")]);
        let unset = map(&[("ARG", "x")]);
        let no_empty = "${VAR:?message here$ARG}";
        let no_unset = "${VAR?message here$ARG}";
        assert_eq!(word(no_empty, &set).unwrap(), "plain");
        assert!(word(no_empty, &empty)
            .unwrap_err()
            .to_string()
            .contains("message herex"));
        assert!(word(no_empty, &unset)
            .unwrap_err()
            .to_string()
            .contains("message herex"));
        assert_eq!(word(no_unset, &set).unwrap(), "plain");
        assert_eq!(word(no_unset, &empty).unwrap(), "");
        assert!(word(no_unset, &unset)
            .unwrap_err()
            .to_string()
            .contains("message herex"));
    }

    /// (input, env, expected or None for error, matched, unmatched), from BuildKit's
    /// matches test table.
    #[test]
    fn matches_table() {
        type Case<'a> = (
            &'a str,
            &'a [(&'a str, &'a str)],
            Option<&'a str>,
            &'a [&'a str],
            &'a [&'a str],
        );
        let fb: &[(&str, &str)] = &[("FOO", "xxx"), ("BAR", "")];
        let cases: &[Case] = &[
            ("x", &[("DUMMY", "dummy")], Some("x"), &[], &[]),
            (
                "x ${UNUSED}",
                &[("DUMMY", "dummy")],
                Some("x "),
                &[],
                &["UNUSED"],
            ),
            ("x ${FOO}", &[("FOO", "y")], Some("x y"), &["FOO"], &[]),
            (
                "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}",
                fb,
                Some("xxx  ccc"),
                &["FOO", "BAR"],
                &["BAZ"],
            ),
            (
                "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}",
                fb,
                Some("xxx bbb ccc"),
                &["FOO", "BAR"],
                &["BAZ"],
            ),
            ("${FOO:-}", fb, Some("xxx"), &["FOO"], &[]),
            ("${FOO:-}", &[], Some(""), &[], &["FOO"]),
            (
                "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}",
                fb,
                Some("aaa bbb "),
                &["FOO", "BAR"],
                &["BAZ"],
            ),
            (
                "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}",
                fb,
                Some("aaa  "),
                &["FOO", "BAR"],
                &["BAZ"],
            ),
            ("${FOO?aaa}", fb, Some("xxx"), &["FOO"], &[]),
            ("${BAR?bbb}", fb, Some(""), &["BAR"], &[]),
            ("${BAZ?ccc}", fb, None, &[], &[]),
            ("${FOO:?aaa}", fb, Some("xxx"), &["FOO"], &[]),
            ("${BAR:?bbb}", fb, None, &[], &[]),
            ("${BAZ:?ccc}", fb, None, &[], &[]),
            ("${BAZ:?}", fb, None, &[], &[]),
            ("${FOO=aaa}", fb, None, &[], &[]),
            ("${FOO=:aaa}", fb, None, &[], &[]),
            ("${FOO=}", &[], None, &[], &[]),
            (
                "${FOO#()[]{\\}^$.\\*\\?|\\\\}",
                &[("FOO", "()[]{}^$.*?|\\x")],
                Some("x"),
                &["FOO"],
                &[],
            ),
            (
                "${FOO%%\\**}",
                &[("FOO", "xx**")],
                Some("xx"),
                &["FOO"],
                &[],
            ),
            ("${FOO#*x*y}", &[("FOO", "xxyy")], Some("y"), &["FOO"], &[]),
            ("${FOO#*}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            (
                "${FOO#$BAR}",
                &[("FOO", "xxyy"), ("BAR", "x")],
                Some("xyy"),
                &["BAR", "FOO"],
                &[],
            ),
            (
                "${FOO#$BAR}",
                &[("FOO", "xxyy"), ("BAR", "")],
                Some("xxyy"),
                &["BAR", "FOO"],
                &[],
            ),
            ("${FOO#}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO##*x}", &[("FOO", "xxyy")], Some("yy"), &["FOO"], &[]),
            ("${FOO##}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO#?\\?}", &[("FOO", "???y")], Some("?y"), &["FOO"], &[]),
            (
                "${ABC:-.}${FOO%x}${ABC:-.}",
                &[("FOO", "xxyy")],
                Some(".xxyy."),
                &["FOO"],
                &["ABC"],
            ),
            (
                "${FOO%%\\**\\*}",
                &[("FOO", "a***yy*")],
                Some("a"),
                &["FOO"],
                &[],
            ),
            ("${FOO%}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            (
                "${FOO%%$BAR}",
                &[("FOO", "xxyy"), ("BAR", "")],
                Some("xxyy"),
                &["BAR", "FOO"],
                &[],
            ),
            (
                "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
                &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")],
                Some("/foo.*/*.txt - /foo..*.txt"),
                &["NEEDLE", "FOO"],
                &[],
            ),
            (
                "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
                &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")],
                Some("/tmp/bar.txt - /bar.txt"),
                &["NEEDLE", "FOO"],
                &[],
            ),
            (
                "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
                &[
                    ("FOO", "/a/foo/b/c.txt"),
                    ("NEEDLE", "/?/"),
                    ("REPLACEMENT", "/"),
                ],
                Some("/foo/b/c.txt - /foo/c.txt"),
                &["NEEDLE", "REPLACEMENT", "FOO"],
                &[],
            ),
            (
                "${FOO/$NEEDLE/$REPLACEMENT}",
                &[
                    ("FOO", "http://google.de"),
                    ("NEEDLE", "http://"),
                    ("REPLACEMENT", "https://"),
                ],
                Some("https://google.de"),
                &["NEEDLE", "REPLACEMENT", "FOO"],
                &[],
            ),
            (
                "${FOO//\\//\\/}",
                &[("FOO", "/tmp/foo.txt")],
                Some("\\/tmp\\/foo.txt"),
                &["FOO"],
                &[],
            ),
            (
                "${FOO/$BAR/ww}",
                &[("FOO", "xxyy"), ("BAR", "")],
                Some("wwxxyy"),
                &["BAR", "FOO"],
                &[],
            ),
            ("${FOO//ww}", &[("FOO", "xxyy")], None, &[], &[]),
            ("${FOO//}", &[("FOO", "xxyy")], None, &[], &[]),
            ("${FOO///}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
            ("${FOO///}", &[], Some(""), &[], &["FOO"]),
        ];
        for (input, vars, expected, matched, unmatched) in cases {
            let vars = map(vars);
            let got = Lexer::new('\\').process_word(input, &vars);
            match expected {
                None => assert!(got.is_err(), "{input}: expected error, got {got:?}"),
                Some(expected) => {
                    let got = got.unwrap_or_else(|e| panic!("{input}: {e}"));
                    assert_eq!(&got.value, expected, "{input}");
                    assert_eq!(got.matched, *matched, "{input} matched");
                    assert_eq!(got.unmatched, *unmatched, "{input} unmatched");
                }
            }
        }
    }

    #[test]
    fn platform_release_name() {
        let release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        let base = [("VERSION", "v1.2.3"), ("TARGETOS", "linux")];
        let mut v7 = map(&base);
        v7.insert("TARGETARCH".into(), "arm".into());
        v7.insert("TARGETVARIANT".into(), "v7".into());
        assert_eq!(
            word(release, &v7).unwrap(),
            "something-v1.2.3.linux-arm-v7.tar.gz"
        );
        let mut empty = map(&base);
        empty.insert("TARGETARCH".into(), "arm64".into());
        empty.insert("TARGETVARIANT".into(), String::new());
        assert_eq!(
            word(release, &empty).unwrap(),
            "something-v1.2.3.linux-arm64.tar.gz"
        );
        empty.remove("TARGETVARIANT");
        assert_eq!(
            word(release, &empty).unwrap(),
            "something-v1.2.3.linux-arm64.tar.gz"
        );
    }

    #[test]
    fn pattern_helpers() {
        for (pattern, expected) in [
            ("a\\*c", "c\\*a"),
            ("\\\\\\ab", "b\\a\\\\"),
            ("ab\\", "\\ba"),
            ("👽\\🚀🖖", "🖖\\🚀👽"),
            ("\\\\b", "b\\\\"),
        ] {
            assert_eq!(reverse_pattern(pattern), expected);
        }
        for bad in ["\\", "\\x", "\\\\\\"] {
            assert!(Pattern::compile(bad, true).is_err(), "{bad}");
        }
        // Go's `.` stops at a newline, and so do the wildcards.
        let v = map(&[("V", "ab\ncd")]);
        assert_eq!(word("${V#*}", &v).unwrap(), "ab\ncd");
        assert_eq!(word("${V##*}", &v).unwrap(), "\ncd");
        assert_eq!(word("${V%%*}", &v).unwrap(), "ab\n");
        assert_eq!(word("${V//?/x}", &v).unwrap(), "xx\nxx");
    }

    #[test]
    fn replace_all_follows_go() {
        let v = map(&[("V", "xy"), ("E", "")]);
        assert_eq!(word("${V//$E/-}", &v).unwrap(), "-x-y-");
        // `$0` in the replacement is the match itself; other references vanish.
        let r = map(&[("V", "abc"), ("R", "<$0|${0}|$1|$$|$>")]);
        assert_eq!(word("${V//b/$R}", &r).unwrap(), "a<b|b||$|$>c");
        // Only `//` expands the template; a single replacement is literal.
        assert_eq!(word("${V/b/$R}", &r).unwrap(), "a<$0|${0}|$1|$$|$>c");
    }

    #[test]
    fn case_insensitive_lookup() {
        let e = env();
        let mut lex = Lexer::new('\\');
        assert_eq!(lex.process_word("$pwd", &e).unwrap().value, "");
        lex.case_insensitive = true;
        let got = lex.process_word("$pwd", &e).unwrap();
        assert_eq!(got.value, "/home");
        assert_eq!(got.matched, ["pwd"]);
        let m = map(&[("Path", "x")]);
        assert_eq!(lex.process_word("$PATH", &m).unwrap().value, "x");
        let dup = vec![
            ("a".to_string(), "1".to_string()),
            ("A".to_string(), "2".to_string()),
        ];
        assert_eq!(lex.process_word("$a", &dup).unwrap().value, "2");
    }

    #[test]
    fn options() {
        let e = env();
        let mut lex = Lexer::new('\\');
        lex.skip_unset = true;
        let got = lex
            .process_word("$X ${X} ${X:-a} ${X//a/b} $PWD", &e)
            .unwrap();
        assert_eq!(got.value, "$X ${X} ${X:-a} ${X/a/b} /home");
        let mut lex = Lexer::new('\\');
        lex.raw_quotes = true;
        assert_eq!(
            lex.process_word("'a'\"$PWD\"", &e).unwrap().value,
            "'a'\"/home\""
        );
        let mut lex = Lexer::new('\\');
        lex.skip_process_quotes = true;
        assert_eq!(lex.process_word("'$PWD'", &e).unwrap().value, "'/home'");
        let mut lex = Lexer::new('\\');
        lex.raw_escapes = true;
        assert_eq!(
            lex.process_word("a\\$b\"\\t\"", &e).unwrap().value,
            "a\\$b\\\\t"
        );
        let lex = Lexer::new('`');
        assert_eq!(lex.process_word("a`$PWD\\x", &e).unwrap().value, "a$PWD\\x");
    }

    #[test]
    fn nested_word_drops_enclosing_partial_word() {
        // BuildKit's shared word buffer: the `hello` collected before `${X:-a}` is lost.
        let e = env();
        let lex = Lexer::new('\\');
        assert_eq!(
            lex.process_words("x hello${X:-a}b", &e).unwrap(),
            ["x", "ab"]
        );
        assert_eq!(
            lex.process_words("hello ${X:-a}b", &e).unwrap(),
            ["hello", "ab"]
        );
    }

    #[test]
    fn leading_bom_is_dropped() {
        assert_eq!(word("\u{FEFF}a\u{FEFF}", &env()).unwrap(), "a\u{FEFF}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "${a:-".repeat(10_000);
        let err = word(&deep, &env()).unwrap_err();
        assert_eq!(err.cause(), &ExpandError::TooDeep(MAX_NESTING));
        let ok = format!(
            "{}x{}",
            "${a:-".repeat(MAX_NESTING - 1),
            "}".repeat(MAX_NESTING - 1)
        );
        assert_eq!(word(&ok, &env()).unwrap(), "x");
    }

    #[test]
    fn invalid_pattern_messages() {
        let v = map(&[("V", "abc")]);
        assert_eq!(
            word("${V#\\x}", &v).unwrap_err().cause().to_string(),
            "invalid pattern (\\x) in substitution: invalid escape '\\x'"
        );
        // `%` works on the reversed pattern, and the message shows it reversed.
        assert_eq!(
            word("${V%a\\x}", &v).unwrap_err().cause().to_string(),
            "invalid pattern (\\xa) in substitution: invalid escape '\\x'"
        );
        let trailing = map(&[("V", "abc"), ("P", "a\\")]);
        assert_eq!(
            word("${V#$P}", &trailing).unwrap_err().cause().to_string(),
            "invalid pattern (a\\) in substitution: invalid escape '\\\u{FFFD}'"
        );
    }

    #[test]
    fn large_inputs_stay_fast() {
        let long = "x".repeat(100_000);
        let v = map(&[("V", long.as_str()), ("PWD", "/home")]);
        assert_eq!(word("${V//?/y}", &v).unwrap().len(), 100_000);
        assert_eq!(word("${V%%*x}", &v).unwrap(), "");
        assert_eq!(word("${V#*x}", &v).unwrap().len(), 99_999);
        assert_eq!(word(&"$PWD".repeat(50_000), &v).unwrap().len(), 250_000);
    }

    /// Plain backtracking over the same pattern language: the preference order a Go regexp
    /// follows, without the cleverness. Char offsets; used on ASCII only.
    fn backtrack(p: &[char], pi: usize, t: &[char], ti: usize, greedy: bool) -> Option<usize> {
        let Some(&tok) = p.get(pi) else {
            return Some(ti);
        };
        match tok {
            '*' => {
                let mut k = ti;
                while k < t.len() && t[k] != '\n' {
                    k += 1;
                }
                let ends: Vec<usize> = if greedy {
                    (ti..=k).rev().collect()
                } else {
                    (ti..=k).collect()
                };
                ends.into_iter()
                    .find_map(|e| backtrack(p, pi + 1, t, e, greedy))
            }
            '?' => (ti < t.len() && t[ti] != '\n')
                .then(|| backtrack(p, pi + 1, t, ti + 1, greedy))
                .flatten(),
            c => (t.get(ti) == Some(&c))
                .then(|| backtrack(p, pi + 1, t, ti + 1, greedy))
                .flatten(),
        }
    }

    proptest::proptest! {
        #[test]
        fn pattern_vm_agrees_with_backtracking(
            pattern in "[ab*?]{0,6}",
            text in "[ab\n*]{0,12}",
            greedy in proptest::bool::ANY,
        ) {
            let re = Pattern::compile(&pattern, greedy).unwrap();
            let p: Vec<char> = pattern.chars().collect();
            let t: Vec<char> = text.chars().collect();
            let anchored = backtrack(&p, 0, &t, 0, greedy).map(|e| (0, e));
            proptest::prop_assert_eq!(re.find(&text, 0, true), anchored);
            let first = (0..=t.len()).find_map(|s| backtrack(&p, 0, &t, s, greedy).map(|e| (s, e)));
            proptest::prop_assert_eq!(re.find(&text, 0, false), first);
        }
    }

    #[test]
    fn partial_keeps_names_seen_before_an_error() {
        let (got, err) = Lexer::new('\\').process_word_partial("$PWD ${X:?} $Y", &env());
        assert!(err.is_some());
        assert_eq!(got.value, "");
        assert_eq!(got.matched, ["PWD"]);
        assert_eq!(got.unmatched, ["X"]);
    }

    #[test]
    fn unicode_names() {
        let v = map(&[("é1", "x"), ("٣", "d")]);
        assert_eq!(word("$é1.", &v).unwrap(), "x.");
        // Non-ASCII decimal digits are positional parameters, as in Go's unicode.IsDigit.
        assert_eq!(word("$٣a", &v).unwrap(), "da");
    }
}
