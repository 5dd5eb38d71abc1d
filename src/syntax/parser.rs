//! The Dockerfile parser: line-oriented like BuildKit's, lossless (every byte is accounted for
//! by an instruction span or a comment/blank gap) and forgiving (errors are recorded, not fatal).

use super::ast::*;
use super::lex::{self, is_space};

/// BuildKit's message for arrays with non-string elements.
pub const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// BuildKit's line buffer size (`bufio.MaxScanTokenSize`), line break included.
const MAX_LINE: usize = 64 * 1024;

/// One physical line: `start..content_end` is the text without its line break, `end` is past it.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    while start < bytes.len() {
        let end = match bytes[start..].iter().position(|b| *b == b'\n') {
            Some(i) => start + i + 1,
            None => bytes.len(),
        };
        // BuildKit trims every trailing '\r' and '\n' of a line.
        let mut content_end = end;
        while content_end > start && matches!(bytes[content_end - 1], b'\r' | b'\n') {
            content_end -= 1;
        }
        lines.push(Line {
            start,
            content_end,
            end,
        });
        start = end;
    }
    lines
}

/// Builds a logical line out of source pieces.
#[derive(Default)]
struct Logical {
    text: String,
    pieces: Vec<(usize, usize)>,
}

impl Logical {
    /// Empty pieces are kept only as long as nothing else starts at the same text offset, so
    /// that even an empty logical line maps to where it was written.
    fn push(&mut self, source_start: usize, s: &str) {
        let at = self.text.len();
        match self.pieces.last_mut() {
            Some(last) if last.0 == at => *last = (at, source_start),
            Some(_) if s.is_empty() => {}
            _ => self.pieces.push((at, source_start)),
        }
        self.text.push_str(s);
    }
}

/// A view on part of a logical line: `text[base..]` with source mapping through `map`.
struct View<'a> {
    map: &'a ShellText,
}

impl View<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        self.map.span(start, end)
    }
    fn word(&self, value: String, start: usize, end: usize) -> Word {
        Word {
            value,
            span: self.span(start, end),
        }
    }
    /// The piece map of `text[start..end]` on its own.
    fn sub(&self, start: usize, end: usize) -> ShellText {
        let mut pieces = vec![(0, self.map.to_source(start))];
        for &(t, s) in &self.map.pieces {
            if t > start && t < end {
                pieces.push((t - start, s));
            }
        }
        ShellText {
            text: self.map.text[start..end].to_string(),
            pieces,
        }
    }
}

/// Directive scanning state, as BuildKit's `DirectiveParser`.
struct Directives {
    done: bool,
    seen: Vec<String>,
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line>,
    escape: char,
    df: Dockerfile,
    /// ONBUILD nesting depth: capped so that `ONBUILD ONBUILD ...` cannot exhaust the stack.
    depth: usize,
    /// A FROM has been seen: later instructions belong to a stage.
    in_stage: bool,
}

/// Parse a Dockerfile. Only a file without any instruction is an error; everything else is
/// reported in `Dockerfile::errors` and `Instruction::error`.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let mut p = Parser {
        text,
        lines: split_lines(text),
        escape: '\\',
        df: Dockerfile {
            text: text.to_string(),
            escape: '\\',
            ..Default::default()
        },
        depth: 0,
        in_stage: false,
    };
    p.run();
    // BuildKit reads lines with a 64 KiB buffer and gives up on longer ones.
    if let Some(ln) = p.lines.iter().find(|l| l.end - l.start > MAX_LINE) {
        let span = Span::new(ln.start, ln.content_end);
        let message = format!(
            "dockerfile line greater than max allowed size of {}",
            MAX_LINE - 1
        );
        p.fatal(span, message);
    }
    if p.df.instructions.is_empty() {
        return Err(ParseError::NoInstructions);
    }
    p.df.escape = p.escape;
    Ok(p.df)
}

impl Parser<'_> {
    fn fatal(&mut self, span: Span, message: String) {
        self.df.fatal_errors.push(self.df.errors.len());
        self.df.errors.push(SyntaxError {
            span,
            message,
            kind: ErrorKind::Other,
        });
    }

    fn directive(&mut self, d: &mut Directives, start: usize, end: usize) {
        if d.done {
            return;
        }
        let line = &self.text[start..end];
        let Some(after) = line.strip_prefix('#') else {
            d.done = true;
            return;
        };
        let lead = lex::leading_space(after);
        let body = &after[lead..];
        let body_start = start + 1 + lead;
        // ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$
        let name_len = body
            .bytes()
            .enumerate()
            .take_while(|(i, b)| {
                if *i == 0 {
                    b.is_ascii_alphabetic()
                } else {
                    b.is_ascii_alphanumeric()
                }
            })
            .count();
        let re_space = |c: char| matches!(c, '\t' | '\n' | '\u{0C}' | '\r' | ' ');
        let after_name = &body[name_len..];
        let after_name = after_name.trim_start_matches(re_space);
        let value = after_name
            .strip_prefix('=')
            .map(|v| v.trim_start_matches(re_space));
        let value = value.map(|v| (v, v.trim_end_matches(re_space)));
        let (Some((value_from, value)), true) = (value, name_len > 0) else {
            d.done = true;
            return;
        };
        if value.is_empty() {
            d.done = true;
            return;
        }
        let name = body[..name_len].to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            d.done = true;
            return;
        }
        let value_start = body_start + (body.len() - value_from.len());
        let value_span = Span::new(value_start, value_start + value.len());
        let span = Span::new(start, end);
        if d.seen.contains(&name) {
            self.fatal(
                span,
                format!("only one {name} parser directive can be used"),
            );
            return;
        }
        d.seen.push(name.clone());
        if name == "escape" {
            match value {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                _ => {
                    self.fatal(
                        span,
                        format!("invalid escape token '{value}' does not match ` or \\"),
                    );
                }
            }
        }
        self.df.directives.push(Directive {
            name,
            value: value.to_string(),
            span,
            value_span,
        });
    }

    fn run(&mut self) {
        let mut dirs = Directives {
            done: false,
            seen: Vec::new(),
        };
        let mut i = 0;
        let mut current_line = 0;
        while i < self.lines.len() {
            let ln = self.lines[i];
            i += 1;
            let mut cs = ln.start;
            if ln.start == 0 && self.text.starts_with('\u{FEFF}') {
                cs = 3.min(ln.content_end);
            }
            let ce = ln.content_end;
            let tok_start = cs + lex::leading_space(&self.text[cs..ce]);
            self.directive(&mut dirs, tok_start, ce);
            current_line += 1;
            let start_line = current_line;
            let token = &self.text[tok_start..ce];
            if token.starts_with('#') {
                self.df.comments.push(Span::new(tok_start, ce));
                continue;
            }
            let (kept, mut eol) = lex::trim_continuation(token, self.escape);
            if eol && kept == 0 {
                continue;
            }
            let mut logical = Logical::default();
            logical.push(tok_start, &token[..kept]);
            let mut last_end = ce;
            let mut has_empty = false;
            while !eol && i < self.lines.len() {
                let ln = self.lines[i];
                i += 1;
                current_line += 1;
                last_end = ln.content_end;
                let raw = &self.text[ln.start..ln.content_end];
                let lead = lex::leading_space(raw);
                if raw[lead..].starts_with('#') {
                    self.df
                        .comments
                        .push(Span::new(ln.start + lead, ln.content_end));
                    continue;
                }
                if lead == raw.len() {
                    has_empty = true;
                    continue;
                }
                let (kept, e) = lex::trim_continuation(raw, self.escape);
                eol = e;
                logical.push(ln.start, &raw[..kept]);
            }
            let map = ShellText {
                text: logical.text,
                pieces: logical.pieces,
            };
            let span = Span::new(tok_start, last_end);
            if has_empty {
                self.df.warnings.push(SyntaxError {
                    span,
                    message: format!("Empty continuation line found in: {}", map.text),
                    kind: ErrorKind::Other,
                });
            }
            let mut ins = self.instruction(&map, 0, map.text.len(), span, false);
            ins.start_line = start_line;
            ins.end_line = current_line;
            if let Args::Onbuild(child) = &mut ins.args {
                child.start_line = start_line;
                child.end_line = current_line;
            }
            // Heredocs, for RUN/COPY/ADD (also under ONBUILD) in shell form only.
            let target = match &ins.args {
                Args::Onbuild(child) => child,
                _ => &ins,
            };
            let can_heredoc = matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
                && !target.is_exec_form()
                && !matches!(target.args, Args::Invalid);
            if can_heredoc && map.text.contains("<<") {
                match lex::heredocs_from_line(&map.text) {
                    Err(msg) => {
                        self.fatal(span, msg.clone());
                        ins.error.get_or_insert(msg);
                    }
                    Ok(markers) => {
                        for (m, ms, me) in markers {
                            let body_start = self.lines.get(i).map_or(self.text.len(), |l| l.start);
                            let mut content = String::new();
                            let mut terminated = None;
                            while i < self.lines.len() {
                                let ln = self.lines[i];
                                i += 1;
                                current_line += 1;
                                let mut cand = &self.text[ln.start..ln.content_end];
                                if m.chomp {
                                    cand = cand.trim_start_matches('\t');
                                }
                                if cand == m.name {
                                    terminated = Some(ln);
                                    break;
                                }
                                content.push_str(&self.text[ln.start..ln.end]);
                            }
                            let marker_span = map.span(ms, me);
                            let (body_span, end_span) = match terminated {
                                Some(ln) => {
                                    ins.span.end = ln.content_end;
                                    (
                                        Span::new(body_start, ln.start),
                                        Span::new(ln.start, ln.content_end),
                                    )
                                }
                                None => {
                                    let end = self.text.len();
                                    ins.span.end = end;
                                    let msg = "unterminated heredoc".to_string();
                                    self.fatal(Span::new(marker_span.start, end), msg.clone());
                                    ins.error.get_or_insert(msg);
                                    (Span::new(body_start, end), Span::new(end, end))
                                }
                            };
                            if m.chomp {
                                content = lex::chomp_heredoc(&content);
                            }
                            ins.heredocs.push(Heredoc {
                                name: m.name,
                                content,
                                expand: m.expand,
                                chomp: m.chomp,
                                file_descriptor: m.has_descriptor.then_some(m.file_descriptor),
                                marker_span,
                                body_span,
                                end_span,
                            });
                            if terminated.is_none() {
                                break;
                            }
                        }
                        ins.end_line = current_line;
                        if let Args::Onbuild(child) = &mut ins.args {
                            child.span.end = ins.span.end;
                            child.end_line = ins.end_line;
                        }
                    }
                }
                // The heredoc decides COPY/ADD destination errors.
                self.check_destination(&mut ins);
            }
            self.check_stage(&ins);
            self.df.instructions.push(ins);
        }
    }

    /// BuildKit's `instructions.Parse` puts every instruction into the stage the last FROM
    /// opened; before the first FROM only ARG has a place. An instruction that is malformed in
    /// itself fails there first, with its own message, so it gets no second one.
    fn check_stage(&mut self, ins: &Instruction) {
        if self.in_stage {
            return;
        }
        match ins.keyword {
            Keyword::From => self.in_stage = true,
            Keyword::Arg => {}
            _ if ins.error.is_some() => {}
            _ => self.df.errors.push(SyntaxError {
                span: ins.span,
                message: "no build stage in current context".to_string(),
                kind: ErrorKind::NoStage,
            }),
        }
    }

    /// `COPY <<EOF <<EOF2 /dest` is fine; `COPY /foo <<EOF` has no real destination.
    fn check_destination(&mut self, ins: &mut Instruction) {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.error.is_some() {
            return;
        }
        if let Args::Words(w) = &ins.args {
            if let Some(last) = w.last() {
                if matches!(lex::parse_heredoc_word(&last.value), Ok(Some(_))) {
                    let msg = format!(
                        "{} cannot accept a heredoc as a destination",
                        ins.keyword.as_str().to_ascii_uppercase()
                    );
                    self.df.errors.push(SyntaxError {
                        span: last.span,
                        message: msg.clone(),
                        kind: ErrorKind::Other,
                    });
                    ins.error = Some(msg);
                }
            }
        }
    }

    /// BuildKit's `newNodeFromLine` on `map.text[from..to]`, plus the checks of its
    /// instruction layer that only need the syntax.
    fn instruction(
        &mut self,
        map: &ShellText,
        from: usize,
        to: usize,
        span: Span,
        nested: bool,
    ) -> Instruction {
        let view = View { map };
        let line = &map.text[from..to];
        let (ts, te) = lex::trim_range(line, 0, line.len());
        let trimmed = &line[ts..te];
        let (kw_len, rest_at) = lex::split_first(trimmed);
        let kw_start = from + ts;
        let kw_text = &trimmed[..kw_len];
        let keyword = Keyword::parse(kw_text);
        let keyword_word = view.word(kw_text.to_string(), kw_start, kw_start + kw_len);
        let mut flags = Vec::new();
        let (mut a0, mut a1) = (from + te, from + te);
        if let Some(r) = rest_at {
            let rest_abs = kw_start + r;
            let rest = &map.text[rest_abs..from + te];
            let (fw, args_at) = lex::extract_flags(rest);
            for f in fw {
                flags.push(make_flag(&view, rest, rest_abs, f));
            }
            let (s, e) = lex::trim_range(rest, args_at, rest.len());
            a0 = rest_abs + s;
            a1 = rest_abs + e;
        }
        let span = if nested {
            Span::new(view.span(kw_start, kw_start).start, span.end)
        } else {
            span
        };
        let mut ins = Instruction {
            keyword,
            keyword_word,
            span,
            start_line: 0,
            end_line: 0,
            flags,
            args: Args::Words(Vec::new()),
            heredocs: Vec::new(),
            error: None,
        };
        let rest = &map.text[a0..a1];
        let result = self.arguments(&view, &mut ins, a0, a1, span);
        match result {
            Ok(args) => ins.args = args,
            Err(msg) => {
                ins.args = Args::Invalid;
                self.fatal(span, msg.clone());
                ins.error = Some(msg);
            }
        }
        if ins.error.is_none() {
            if let Some(msg) = semantic_error(&ins, kw_text, rest) {
                let espan = if keyword == Keyword::Unknown {
                    ins.keyword_word.span
                } else {
                    span
                };
                let kind = if forbidden_trigger(&ins).is_some() {
                    ErrorKind::OnbuildTrigger
                } else {
                    ErrorKind::Other
                };
                self.df.errors.push(SyntaxError {
                    span: espan,
                    message: msg.clone(),
                    kind,
                });
                ins.error = Some(msg);
            }
        }
        ins
    }

    /// The argument shapes of BuildKit's line parsers. `Err` is an error BuildKit's parser
    /// itself returns (the file does not parse).
    fn arguments(
        &mut self,
        view: &View,
        ins: &mut Instruction,
        a0: usize,
        a1: usize,
        span: Span,
    ) -> Result<Args, String> {
        let rest = &view.map.text[a0..a1];
        let words_of = |ws: lex::Ranged| -> Vec<Word> {
            ws.into_iter()
                .map(|(w, s, e)| view.word(w, a0 + s, a0 + e))
                .collect()
        };
        Ok(match ins.keyword {
            Keyword::Unknown => Args::Invalid,
            Keyword::Add | Keyword::Copy | Keyword::Volume => match parse_json(view, a0, a1)? {
                Some(ws) => Args::Exec(ws),
                None => Args::Words(words_of(lex::split_whitespace(rest))),
            },
            Keyword::Cmd | Keyword::Run | Keyword::Entrypoint | Keyword::Shell => {
                maybe_json(view, a0, a1)?
            }
            Keyword::Expose | Keyword::From => Args::Words(words_of(lex::split_whitespace(rest))),
            Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
                if rest.is_empty() {
                    Args::Words(Vec::new())
                } else {
                    Args::Words(vec![view.word(rest.to_string(), a0, a1)])
                }
            }
            Keyword::Arg => {
                let ws = lex::parse_words(rest, self.escape);
                Args::KeyValues(
                    ws.into_iter()
                        .map(|(w, s, e)| key_value(view, &w, a0 + s, a0 + e, true))
                        .collect(),
                )
            }
            Keyword::Env | Keyword::Label => {
                let ws = lex::parse_words(rest, self.escape);
                if ws.is_empty() {
                    return Ok(Args::KeyValues(Vec::new()));
                }
                if !ws[0].0.contains('=') {
                    let (k_len, v_at) = lex::split_first(rest);
                    let Some(v_at) = v_at else {
                        let name = ins.keyword.as_str().to_ascii_uppercase();
                        return Err(format!("{name} must have two arguments"));
                    };
                    let key = view.word(rest[..k_len].to_string(), a0, a0 + k_len);
                    let value = view.word(rest[v_at..].to_string(), a0 + v_at, a1);
                    return Ok(Args::KeyValues(vec![KeyValue {
                        span: key.span.cover(value.span),
                        key,
                        value: Some(value),
                        equals: false,
                    }]));
                }
                let mut kvs = Vec::new();
                for (w, s, e) in ws {
                    if !w.contains('=') {
                        return Err(format!(
                            "Syntax error - can't find = in {}. Must be of the form: name=value",
                            lex::go_quote(&w)
                        ));
                    }
                    kvs.push(key_value(view, &w, a0 + s, a0 + e, false));
                }
                Args::KeyValues(kvs)
            }
            Keyword::Healthcheck => {
                let b = rest.as_bytes();
                let sep = b
                    .iter()
                    .position(|c| lex::is_space_byte(*c))
                    .unwrap_or(b.len());
                if sep == 0 {
                    return Ok(Args::Healthcheck(None));
                }
                let mut next = sep;
                while next < b.len() && lex::is_space_byte(b[next]) {
                    next += 1;
                }
                let fix = |mut p: usize| {
                    while !rest.is_char_boundary(p) {
                        p += 1;
                    }
                    p
                };
                let (sep, next) = (fix(sep), fix(next));
                let typ = view.word(rest[..sep].to_string(), a0, a0 + sep);
                let cmd = maybe_json(view, a0 + next, a1)?;
                Args::Healthcheck(Some((typ, Box::new(cmd))))
            }
            Keyword::Onbuild => {
                if rest.is_empty() {
                    return Ok(Args::Invalid);
                }
                if self.depth >= 4 {
                    // Chained ONBUILD is an error anyway; there is no point in going deeper.
                    return Ok(Args::Invalid);
                }
                let fatal_before = self.df.fatal_errors.len();
                self.depth += 1;
                let child = self.instruction(view.map, a0, a1, span, true);
                self.depth -= 1;
                // A trigger BuildKit's parser rejects makes the ONBUILD line fail too.
                if self.df.fatal_errors.len() > fatal_before {
                    ins.error.clone_from(&child.error);
                }
                Args::Onbuild(Box::new(child))
            }
        })
    }
}

fn make_flag(view: &View, rest: &str, rest_abs: usize, f: lex::FlagWord) -> Flag {
    let name_full = f.text.strip_prefix("--").unwrap_or(&f.text);
    let (name, value) = match name_full.split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (name_full.to_string(), None),
    };
    let raw = &rest[f.start..f.end];
    let name_start = f.start + 2.min(raw.len());
    let eq = raw.find('=').map(|i| f.start + i);
    let name_end = eq.unwrap_or(f.end);
    let value_span = value
        .as_ref()
        .map(|_| view.span(rest_abs + eq.map_or(f.end, |e| e + 1), rest_abs + f.end));
    Flag {
        name,
        value,
        span: view.span(rest_abs + f.start, rest_abs + f.end),
        name_span: view.span(rest_abs + name_start, rest_abs + name_end.max(name_start)),
        value_span,
    }
}

fn key_value(view: &View, w: &str, s: usize, e: usize, optional: bool) -> KeyValue {
    let span = view.span(s, e);
    match w.split_once('=') {
        Some((k, v)) => {
            let key = view.word(k.to_string(), s, s + k.len());
            let vs = s + k.len() + 1;
            let value = view.word(v.to_string(), vs, vs + v.len());
            KeyValue {
                key,
                value: Some(value),
                equals: true,
                span,
            }
        }
        None => KeyValue {
            key: view.word(w.to_string(), s, e),
            value: if optional {
                None
            } else {
                Some(view.word(String::new(), e, e))
            },
            equals: false,
            span,
        },
    }
}

/// BuildKit's `parseMaybeJSON`: exec form when the text is a JSON array of strings.
fn maybe_json(view: &View, a0: usize, a1: usize) -> Result<Args, String> {
    if a0 >= a1 {
        return Ok(Args::Words(Vec::new()));
    }
    Ok(match parse_json(view, a0, a1)? {
        Some(ws) => Args::Exec(ws),
        None => Args::Shell(view.sub(a0, a1)),
    })
}

/// BuildKit's `parseJSON`: `Ok(None)` when it is not a JSON array, `Err` when it is one but
/// holds something other than strings.
fn parse_json(view: &View, a0: usize, a1: usize) -> Result<Option<Vec<Word>>, String> {
    let rest = &view.map.text[a0..a1];
    let lead = lex::leading_space(rest);
    let body = &rest[lead..];
    if !body.starts_with('[') {
        return Ok(None);
    }
    let Ok(values) = serde_json::from_str::<Vec<serde_json::Value>>(body) else {
        return Ok(None);
    };
    let mut strings = Vec::with_capacity(values.len());
    for v in values {
        match v {
            serde_json::Value::String(s) => strings.push(s),
            _ => return Err(NOT_STRING_ARRAY.to_string()),
        }
    }
    // Locate each string element; the text is valid JSON, so a quote scan is enough.
    let base = a0 + lead;
    let b = body.as_bytes();
    let mut words = Vec::with_capacity(strings.len());
    let mut pos = 0;
    for s in strings {
        while pos < b.len() && b[pos] != b'"' {
            pos += 1;
        }
        let start = pos;
        pos += 1;
        while pos < b.len() && b[pos] != b'"' {
            pos += if b[pos] == b'\\' { 2 } else { 1 };
        }
        pos += 1;
        let end = pos.min(b.len());
        words.push(view.word(s, base + start, base + end));
    }
    Ok(Some(words))
}

/// Errors BuildKit finds when it turns the parsed line into an instruction (not parser errors:
/// BuildKit's own `Parse` accepts these lines). Messages are BuildKit's.
fn semantic_error(ins: &Instruction, kw_text: &str, rest: &str) -> Option<String> {
    let name = kw_text.to_ascii_uppercase();
    let words: &[Word] = match &ins.args {
        Args::Words(w) | Args::Exec(w) => w,
        _ => &[],
    };
    let count = match &ins.args {
        Args::Words(w) | Args::Exec(w) => w.len(),
        Args::KeyValues(k) => k.len(),
        _ => usize::MAX,
    };
    let msg = match ins.keyword {
        Keyword::Unknown => return Some(format!("unknown instruction: {kw_text}")),
        Keyword::Maintainer | Keyword::Workdir | Keyword::User | Keyword::Stopsignal
            if rest.is_empty() =>
        {
            Some(format!("{name} requires exactly one argument"))
        }
        Keyword::Env
        | Keyword::Label
        | Keyword::Expose
        | Keyword::Volume
        | Keyword::Arg
        | Keyword::Shell
            if count == 0 =>
        {
            Some(format!("{name} requires at least one argument"))
        }
        Keyword::Onbuild | Keyword::Healthcheck if rest.is_empty() => {
            Some(format!("{name} requires at least one argument"))
        }
        Keyword::Env | Keyword::Label | Keyword::Arg => match &ins.args {
            Args::KeyValues(kvs) if kvs.iter().any(|kv| kv.key.value.is_empty()) => {
                Some(format!("{name} names can not be blank"))
            }
            _ => None,
        },
        Keyword::From => {
            let as_ok = count == 3 && words[1].value.eq_ignore_ascii_case("as");
            if count == 1 {
                None
            } else if !as_ok {
                Some("FROM requires either one or three arguments".to_string())
            } else {
                let stage = words[2].value.to_ascii_lowercase();
                let mut chars = stage.chars();
                let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                    && chars.all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)
                    });
                (!valid).then(|| {
                    format!(
                        "invalid name for build stage: {}, name can't start with a number or contain symbols",
                        lex::go_quote(&words[2].value)
                    )
                })
            }
        }
        Keyword::Add | Keyword::Copy if count < 2 => Some(format!(
            "{name} requires at least two arguments, but only one was provided. Destination could not be determined"
        )),
        Keyword::Volume if words.iter().any(|w| w.value.trim().is_empty()) => {
            Some("VOLUME specified can not be an empty string".to_string())
        }
        Keyword::Shell if !ins.is_exec_form() => {
            Some("SHELL requires the arguments to be in JSON form".to_string())
        }
        Keyword::Healthcheck => match &ins.args {
            Args::Healthcheck(Some((typ, cmd))) => {
                let empty = matches!(&**cmd, Args::Words(w) | Args::Exec(w) if w.is_empty());
                match typ.value.to_ascii_uppercase().as_str() {
                    "NONE" if !empty => Some("HEALTHCHECK NONE takes no arguments".to_string()),
                    "NONE" => None,
                    "CMD" if empty => Some("Missing command after HEALTHCHECK CMD".to_string()),
                    "CMD" => None,
                    _ => Some(format!(
                        "Unknown type {} in HEALTHCHECK (try CMD)",
                        lex::go_quote(&typ.value)
                    )),
                }
            }
            _ => None,
        },
        Keyword::Onbuild => match forbidden_trigger(ins) {
            Some(Keyword::Onbuild) => {
                Some("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string())
            }
            Some(k) => {
                let c = k.as_str().to_ascii_uppercase();
                Some(format!("{c} isn't allowed as an ONBUILD trigger"))
            }
            None => None,
        },
        _ => None,
    };
    if msg.is_some() {
        return msg;
    }
    flag_error(ins)
}

/// The trigger of an `ONBUILD` that BuildKit refuses: `ONBUILD`, `FROM` or `MAINTAINER`.
fn forbidden_trigger(ins: &Instruction) -> Option<Keyword> {
    match (&ins.keyword, &ins.args) {
        (Keyword::Onbuild, Args::Onbuild(child))
            if matches!(
                child.keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            ) =>
        {
            Some(child.keyword)
        }
        _ => None,
    }
}

/// How BuildKit's flag parser (`BFlags`) reads a flag.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    /// `--link`, `--link=true`, `--link=false`; an empty `--link=` is refused.
    Bool,
    /// `--from=value`: the `=` is required, and the flag may appear once.
    Value,
    /// Like `Value`, but it may repeat (`--mount`, `--exclude`).
    Values,
}

/// The flags each instruction's parser declares before it calls `BFlags.Parse`. `None` for
/// the instructions whose parser never calls it, so that BuildKit ignores whatever flags they
/// carry: ARG, STOPSIGNAL, and HEALTHCHECK NONE (only the other HEALTHCHECK branch declares
/// its flags).
fn flag_table(ins: &Instruction) -> Option<&'static [(&'static str, FlagKind)]> {
    use FlagKind::{Bool, Value, Values};
    Some(match ins.keyword {
        Keyword::Arg | Keyword::Stopsignal => return None,
        Keyword::Healthcheck => match &ins.args {
            Args::Healthcheck(Some((typ, _))) if typ.value.eq_ignore_ascii_case("none") => {
                return None
            }
            _ => &[
                ("interval", Value),
                ("timeout", Value),
                ("start-period", Value),
                ("start-interval", Value),
                ("retries", Value),
            ],
        },
        Keyword::From => &[("platform", Value)],
        Keyword::Add => &[
            ("chown", Value),
            ("chmod", Value),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", Value),
            ("exclude", Values),
            ("unpack", Bool),
        ],
        Keyword::Copy => &[
            ("from", Value),
            ("chown", Value),
            ("chmod", Value),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Values),
        ],
        Keyword::Run => &[
            ("mount", Values),
            ("network", Value),
            ("security", Value),
            ("device", Values),
        ],
        _ => &[],
    })
}

/// BuildKit's `BFlags.Parse`, flag by flag in the order written, then the values that RUN's
/// flag hooks check right after it. Messages are BuildKit's.
fn flag_error(ins: &Instruction) -> Option<String> {
    let table = flag_table(ins)?;
    let mut seen: Vec<&str> = Vec::new();
    for f in &ins.flags {
        let flag = format!("--{}", f.name);
        let Some(&(_, kind)) = table.iter().find(|(n, _)| *n == f.name) else {
            return Some(format!("unknown flag: {flag}"));
        };
        if kind != FlagKind::Values && seen.contains(&f.name.as_str()) {
            return Some(format!("duplicate flag specified: {flag}"));
        }
        seen.push(&f.name);
        match (kind, f.value.as_deref()) {
            (FlagKind::Bool, Some("")) | (FlagKind::Value | FlagKind::Values, None) => {
                return Some(format!("missing a value on flag: {flag}"));
            }
            (FlagKind::Bool, Some(v))
                if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") =>
            {
                return Some(format!("expecting boolean value for flag {flag}, not: {v}"));
            }
            _ => {}
        }
    }
    if ins.keyword != Keyword::Run {
        return None;
    }
    // `--network` and `--security` are checked as written, before any expansion. A value
    // with `$` in it is still left alone: should a BuildKit version expand it first, the
    // finding would be a false alarm that stops a build that works.
    let literal = |name: &str| {
        ins.flag(name)
            .and_then(|f| f.value.as_deref())
            .filter(|v| !v.contains('$'))
    };
    if let Some(v) = literal("network").filter(|v| !matches!(*v, "default" | "none" | "host")) {
        return Some(format!("invalid network mode {}", lex::go_quote(v)));
    }
    if let Some(v) = literal("security").filter(|v| !matches!(*v, "insecure" | "sandbox")) {
        return Some(format!("security {} is not valid", lex::go_quote(v)));
    }
    None
}

/// Rebuild the text from the instruction spans and the gaps between them.
pub fn print(df: &Dockerfile) -> String {
    let mut out = String::with_capacity(df.text.len());
    let mut at = 0;
    for ins in &df.instructions {
        let (s, e) = (
            ins.span.start.max(at),
            ins.span.end.max(ins.span.start.max(at)),
        );
        out.push_str(df.text.get(at..s).unwrap_or(""));
        out.push_str(df.text.get(s..e).unwrap_or(""));
        at = e;
    }
    out.push_str(df.text.get(at..).unwrap_or(""));
    out
}

/// Check the losslessness promise: spans are ordered, non-overlapping, on character
/// boundaries, and every gap is only blank space, line breaks, a BOM and comment lines.
pub fn check_lossless(df: &Dockerfile) -> Result<(), String> {
    let text = &df.text;
    let mut at = 0;
    let check_gap = |from: usize, to: usize| -> Result<(), String> {
        let gap = text
            .get(from..to)
            .ok_or("gap not on a character boundary")?;
        for line in gap.split('\n') {
            let l = line.trim_start_matches('\u{FEFF}');
            let l = l.trim_start_matches(is_space);
            if !l.is_empty() && !l.starts_with('#') {
                return Err(format!(
                    "text outside instructions at {from}..{to}: {line:?}"
                ));
            }
        }
        Ok(())
    };
    for ins in &df.instructions {
        if ins.span.start < at || ins.span.end < ins.span.start || ins.span.end > text.len() {
            return Err(format!("bad span {:?} after {at}", ins.span));
        }
        check_gap(at, ins.span.start)?;
        at = ins.span.end;
    }
    check_gap(at, text.len())?;
    if print(df) != *text {
        return Err("print does not reproduce the text".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(df: &Dockerfile, span: Span) -> &str {
        &df.text[span.start..span.end]
    }

    #[test]
    fn spans_of_pieces() {
        let text =
            "\u{FEFF}# syntax=docker/dockerfile:1\n# escape=\\\n\nFROM --platform=$P img AS b\r\n\
            COPY --from=b --link [\"a b\", \"/d\"]\nENV k=\"v 1\" \\\n  k2=v2\nLABEL a b c\n\
            ARG x y=1\nonbuild run echo hi\n";
        let df = parse(text).expect("parses");
        check_lossless(&df).expect("lossless");
        assert_eq!(df.directives.len(), 2);
        assert_eq!(at(&df, df.directives[0].value_span), "docker/dockerfile:1");
        assert_eq!(
            at(&df, df.directives[0].span),
            "# syntax=docker/dockerfile:1"
        );
        let from = &df.instructions[0];
        assert_eq!(at(&df, from.keyword_word.span), "FROM");
        assert_eq!(at(&df, from.span), "FROM --platform=$P img AS b");
        let f = &from.flags[0];
        assert_eq!(
            (at(&df, f.span), at(&df, f.name_span)),
            ("--platform=$P", "platform")
        );
        assert_eq!(f.value_span.map(|s| at(&df, s)), Some("$P"));
        let Args::Words(w) = &from.args else { panic!() };
        let words: Vec<_> = w.iter().map(|w| at(&df, w.span)).collect();
        assert_eq!(words, ["img", "AS", "b"]);
        let copy = &df.instructions[1];
        assert_eq!(copy.flags.len(), 2);
        assert_eq!(copy.flags[1].value, None);
        let Args::Exec(w) = &copy.args else { panic!() };
        assert_eq!(at(&df, w[0].span), "\"a b\"");
        assert_eq!(w[0].value, "a b");
        let env = &df.instructions[2];
        let Args::KeyValues(kv) = &env.args else {
            panic!()
        };
        assert_eq!(at(&df, kv[0].key.span), "k");
        assert_eq!(
            kv[0].value.as_ref().map(|v| at(&df, v.span)),
            Some("\"v 1\"")
        );
        assert_eq!(at(&df, kv[1].span), "k2=v2");
        assert_eq!((env.start_line, env.end_line), (6, 7));
        let label = &df.instructions[3];
        let Args::KeyValues(kv) = &label.args else {
            panic!()
        };
        assert!(!kv[0].equals);
        assert_eq!(kv[0].value.as_ref().map(|v| at(&df, v.span)), Some("b c"));
        let Args::KeyValues(kv) = &df.instructions[4].args else {
            panic!()
        };
        assert_eq!(kv[0].value, None);
        assert_eq!(kv[1].value.as_ref().map(|v| v.value.as_str()), Some("1"));
        let Args::Onbuild(child) = &df.instructions[5].args else {
            panic!()
        };
        assert_eq!(child.keyword, Keyword::Run);
        assert_eq!(at(&df, child.span), "run echo hi");
    }

    #[test]
    fn shell_text_crossing_lines() {
        let text = "FROM a\nRUN ec\\\n# c\nho  x \\\r\n\ty\n";
        let df = parse(text).expect("parses");
        let Args::Shell(sh) = &df.instructions[1].args else {
            panic!()
        };
        assert_eq!(sh.text, "echo  x \ty");
        assert_eq!(at(&df, sh.span(0, 4)), "ec\\\n# c\nho");
        assert_eq!(at(&df, sh.span(6, 10)), "x \\\r\n\ty");
        assert_eq!(sh.to_source(sh.text.len()), text.len() - 1);
        assert_eq!(at(&df, df.instructions[1].keyword_word.span), "RUN");
    }

    #[test]
    fn heredoc_spans() {
        let text = "FROM a\nRUN <<-EOF cat\n\tline\n\tEOF\nCOPY <<A /x\nA\n";
        let df = parse(text).expect("parses");
        check_lossless(&df).expect("lossless");
        let run = &df.instructions[1];
        let h = &run.heredocs[0];
        assert_eq!(at(&df, h.marker_span), "<<-EOF");
        assert_eq!(at(&df, h.body_span), "\tline\n");
        assert_eq!(at(&df, h.end_span), "\tEOF");
        assert_eq!(h.content, "line\n");
        assert_eq!((run.start_line, run.end_line), (2, 4));
        assert_eq!(at(&df, run.span), "RUN <<-EOF cat\n\tline\n\tEOF");
        assert!(df.instructions[2].error.is_none());
    }

    #[test]
    fn forgiving() {
        let df =
            parse("FROM a\nFOO bar\nENV X\nRUN [\"a\", 1]\nRUN <<EOF\nnever ends").expect("parses");
        check_lossless(&df).expect("lossless");
        let messages: Vec<_> = df.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown instruction: FOO",
                "ENV must have two arguments",
                NOT_STRING_ARRAY,
                "unterminated heredoc"
            ]
        );
        assert_eq!(df.parse_errors().count(), 3);
        assert_eq!(df.instructions[1].keyword, Keyword::Unknown);
        assert_eq!(
            parse("# only\n\n  \n").err(),
            Some(ParseError::NoInstructions)
        );
        assert_eq!(parse("").err(), Some(ParseError::NoInstructions));
    }

    #[test]
    fn escape_directive_and_crlf() {
        let df = parse("# escape=`\r\nFROM a\r\nRUN echo \\ `\r\n  b\r\n").expect("parses");
        assert_eq!(df.escape, '`');
        let Args::Shell(sh) = &df.instructions[1].args else {
            panic!()
        };
        assert_eq!(sh.text, "echo \\   b");
        assert_eq!(df.instructions[1].end_line, 4);
        let df = parse("# escape=x\n# syntax=a\n# syntax=b\nFROM a\n  \\\n").expect("parses");
        let messages: Vec<_> = df.parse_errors().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "invalid escape token 'x' does not match ` or \\",
                "only one syntax parser directive can be used"
            ]
        );
        let empty = &df.instructions[1];
        assert_eq!(empty.keyword_word.span, Span::new(42, 42));
        assert_eq!(empty.span, Span::new(42, 43));
        let long = format!("FROM a\nRUN {}\n", "x".repeat(MAX_LINE));
        let df = parse(&long).expect("parses");
        assert_eq!(df.parse_errors().count(), 1);
        let deep = "ONBUILD ".repeat(10_000) + "RUN x";
        let df = parse(&deep).expect("parses");
        assert!(df.instructions[0].error.is_some());
    }
}

#[cfg(test)]
mod edge_tests {
    #[test]
    fn latin1_space_bytes_inside_flags() {
        for text in [
            "RUN --x=\u{A0} y",
            "RUN --x=à y",
            "RUN --\u{85}",
            "HEALTHCHECK à CMD x",
            "RUN --a\u{800}b c",
        ] {
            let df = super::parse(text).expect("parses");
            super::check_lossless(&df).expect("lossless");
        }
    }
}
