//! Inline suppressions read from the Dockerfile's own comments: `# layerlint ignore=`, the
//! hadolint and BuildKit equivalents, and the `unused-suppression` findings they leave behind.

use super::{find, groups, Rule, RULES};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::syntax::{Dockerfile, Span};

/// hadolint codes whose concern one of our rules covers, as (code, rule), from the rules'
/// aliases. A `# hadolint ignore=` naming them silences the findings of our rule that answer to
/// that code (`Diagnostic::aliases`, set by the rule), so that a file already annotated for
/// hadolint needs no second comment, and a comment about pip's cache does not also hide the apt
/// lists. Codes without an equivalent are left to hadolint and never reported.
pub fn hadolint_equivalents() -> &'static [(&'static str, &'static str)] {
    static TABLE: std::sync::OnceLock<Vec<(&str, &str)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| equivalents(true))
}

/// BuildKit build checks whose concern one of our rules covers, for `# check=skip=`.
pub fn buildkit_equivalents() -> &'static [(&'static str, &'static str)] {
    static TABLE: std::sync::OnceLock<Vec<(&str, &str)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| equivalents(false))
}

/// hadolint's codes (`DL3025`, `SC2086`) or BuildKit's check names among the rules' aliases.
fn equivalents(hadolint: bool) -> Vec<(&'static str, &'static str)> {
    RULES
        .iter()
        .flat_map(|r| r.aliases.iter().map(move |a| (*a, r.name)))
        .filter(|(a, _)| is_hadolint_code(a) == hadolint)
        .collect()
}

/// `DL3025`, `SC2086`: a hadolint (or ShellCheck) code.
fn is_hadolint_code(alias: &str) -> bool {
    (alias.starts_with("DL") || alias.starts_with("SC"))
        && alias.len() > 2
        && alias[2..].bytes().all(|b| b.is_ascii_digit())
}

/// Which comment syntax a suppression was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Layerlint,
    Hadolint,
    BuildKit,
}

/// Where a suppression applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The instruction directly below the comment block.
    Instruction(Span),
    /// The whole file.
    File,
    /// A comment that is not directly above an instruction: it applies nowhere.
    Nowhere,
}

/// One name in a suppression comment and the rules it stands for.
#[derive(Clone, Debug)]
pub struct Entry {
    pub written: String,
    pub span: Span,
    /// Empty for an unknown layerlint name, or a foreign code without an equivalent.
    pub rules: Vec<&'static str>,
    /// For a foreign code, the codes (as the tables spell them) whose findings it silences;
    /// empty for a layerlint name, which silences whole rules.
    pub codes: Vec<&'static str>,
}

impl Entry {
    fn layerlint(written: String, span: Span) -> Entry {
        let rules = layerlint_names(&written);
        // Another tool's code in a layerlint comment silences what answers to it, as in that
        // tool's own comment.
        if rules.is_empty() {
            if let Some((code, covering)) = super::covering(&written) {
                return Entry {
                    written,
                    span,
                    rules: covering.iter().map(|r| r.name).collect(),
                    codes: vec![code],
                };
            }
        }
        Entry {
            written,
            span,
            rules,
            codes: Vec::new(),
        }
    }

    /// A foreign code looked up in `table`; `has_all` when the tool spells every code `all`.
    fn foreign(
        written: String,
        span: Span,
        table: &[(&'static str, &'static str)],
        has_all: bool,
    ) -> Entry {
        let all = has_all && written.eq_ignore_ascii_case("all");
        let rows: Vec<_> = table
            .iter()
            .filter(|(c, _)| all || c.eq_ignore_ascii_case(&written))
            .collect();
        let mut rules: Vec<&'static str> = rows
            .iter()
            .filter_map(|(_, r)| find(r).map(|r| r.name))
            .collect();
        rules.dedup();
        Entry {
            written,
            span,
            rules,
            codes: rows.iter().map(|(c, _)| *c).collect(),
        }
    }

    /// Whether this name silences the finding `d`.
    fn silences(&self, d: &Diagnostic) -> bool {
        if self.codes.is_empty() {
            self.rules.contains(&d.rule)
        } else {
            d.aliases.iter().any(|a| self.codes.contains(a))
        }
    }
}

#[derive(Clone, Debug)]
pub struct Suppression {
    pub origin: Origin,
    pub scope: Scope,
    /// The whole comment line.
    pub comment: Span,
    pub entries: Vec<Entry>,
    /// The free-form text after the names (`# layerlint ignore=a  the reason`), if any.
    pub note: Option<Span>,
}

/// A comment that a person meant as a layerlint suppression but that does not parse as one
/// (`# layerlint: ignore=a`, `# layerlint ignore = a`, `# Layerlint disable=a`): it silences
/// nothing, silently, unless it is reported.
#[derive(Clone, Debug)]
pub struct NearMiss {
    /// From the `#` to the end of the names; a note after them is not part of it.
    pub span: Span,
    /// The comment as it should be written, names included.
    pub corrected: String,
}

/// What the file's comments say about suppressions.
#[derive(Clone, Debug, Default)]
pub struct Found {
    pub suppressions: Vec<Suppression>,
    pub near_misses: Vec<NearMiss>,
}

/// Every suppression in the file, from its comments and its `# check=` directive, and the
/// comments that look like a layerlint suppression without being one.
pub fn collect(file: &Dockerfile) -> Found {
    let mut out = Vec::new();
    let mut near_misses = Vec::new();
    let mut below = Below::new(file);
    for &comment in &file.comments {
        let Some(line) = file.text.get(comment.start..comment.end) else {
            continue;
        };
        // Comment lines inside an instruction's continuation belong to that instruction's
        // text and are not annotations.
        if below.inside_instruction(comment) {
            continue;
        }
        // The `# check=` directive at the top is read below; the same comment above an
        // instruction skips checks for that instruction, as BuildKit reads it there.
        if file
            .directives
            .iter()
            .any(|d| d.span.start == comment.start)
        {
            continue;
        }
        if let Some(s) = parse_inline_check(comment, line, &mut below) {
            out.push(s);
        } else if let Some(s) = parse_comment(comment, line, &mut below) {
            out.push(s);
        } else if let Some(n) = near_miss(comment, line) {
            near_misses.push(n);
        }
    }
    for d in file.directives.iter().filter(|d| d.name == "check") {
        if let Some(s) = parse_check_directive(&file.text, d.value_span) {
            out.push(s);
        }
    }
    Found {
        suppressions: out,
        near_misses,
    }
}

/// Does the file's `# check=` directive say `error=true`? Then, as with `docker build --check`,
/// the findings of BuildKit's checks are errors.
pub fn check_error_directive(file: &Dockerfile) -> bool {
    file.directives
        .iter()
        .filter(|d| d.name == "check")
        .filter_map(|d| file.text.get(d.value_span.start..d.value_span.end))
        .flat_map(|v| v.split(';'))
        .filter_map(|part| part.trim().strip_prefix("error="))
        .any(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// `# layerlint ignore=a,b`, `# layerlint global ignore=a`, `# hadolint ignore=DL3025`,
/// `# hadolint global ignore=DL3025`.
fn parse_comment(comment: Span, line: &str, below: &mut Below) -> Option<Suppression> {
    let hash = line.find('#')?;
    let body = &line[hash + 1..];
    let trimmed = body.trim_start();
    let (origin, rest) = if let Some(r) = trimmed.strip_prefix("layerlint") {
        (Origin::Layerlint, r)
    } else if let Some(r) = trimmed.strip_prefix("hadolint") {
        (Origin::Hadolint, r)
    } else {
        return None;
    };
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) if r.starts_with(char::is_whitespace) => (true, r.trim_start()),
        _ => (false, rest),
    };
    let list = rest.strip_prefix("ignore=")?;
    let list_start = comment.start + (line.len() - list.len());
    let list_len = list_extent(list);
    let note = {
        let after = &list[list_len..];
        let lead = after.len() - after.trim_start().len();
        let text = after.trim();
        let start = list_start + list_len + lead;
        (!text.is_empty()).then(|| Span::new(start, start + text.len()))
    };
    let entries = split_names(&list[..list_len], list_start)
        .into_iter()
        .map(|(written, span)| match origin {
            Origin::Layerlint => Entry::layerlint(written, span),
            _ => Entry::foreign(written, span, hadolint_equivalents(), false),
        })
        .collect();
    let scope = if global {
        Scope::File
    } else {
        below
            .instruction_below(comment)
            .map(Scope::Instruction)
            .unwrap_or(Scope::Nowhere)
    };
    Some(Suppression {
        origin,
        scope,
        comment,
        entries,
        note,
    })
}

/// A comment that starts with the word `layerlint` (in any case) and then asks to ignore or
/// disable names, but not in the one spelling that is read: a colon or dash after the word, spaces
/// around `=`, a colon for `=`, `disable` for `ignore`. Prose that merely mentions layerlint is
/// left alone: after the keyword there must be `=` or `:`, or a name that layerlint knows.
fn near_miss(comment: Span, line: &str) -> Option<NearMiss> {
    let hash = line.find('#')?;
    let body = line[hash + 1..].trim_start();
    let word = body.get(..9)?;
    if !word.eq_ignore_ascii_case("layerlint") {
        return None;
    }
    let after = &body[9..];
    if after.starts_with(|c: char| c.is_alphanumeric() || c == '.' || c == '_') {
        return None;
    }
    let rest = skip(after, &[':', '-']);
    let (global, rest) = match rest.get(..6) {
        Some(g) if g.eq_ignore_ascii_case("global") => (true, skip(&rest[6..], &['-'])),
        _ => (false, rest),
    };
    let keyword = ["ignore", "disable"].into_iter().find(|k| {
        rest.get(..k.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(k))
    })?;
    let rest = &rest[keyword.len()..];
    let spaced = skip(rest, &[]);
    let assigns = spaced.starts_with(['=', ':']);
    let list = if assigns { &spaced[1..] } else { spaced };
    if !assigns && rest.len() == spaced.len() {
        // `ignored`, `ignores`: a longer word, not the keyword.
        return None;
    }
    let list_start = comment.start + (line.len() - list.len());
    let list_len = list_extent(list);
    let names = split_names(&list[..list_len], list_start);
    let first = names.first()?;
    let known = !layerlint_names(&first.0).is_empty() || closest_name(&first.0).is_some();
    if !(assigns || known) {
        return None;
    }
    let written: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    let global = if global { "global " } else { "" };
    let corrected = format!("# layerlint {global}ignore={}", written.join(","));
    let start = comment.start + hash;
    let end = names.last().map_or(start, |(_, span)| span.end);
    Some(NearMiss {
        span: Span::new(start, end),
        corrected,
    })
}

/// `s` without its leading whitespace and characters of `set`.
fn skip<'a>(s: &'a str, set: &[char]) -> &'a str {
    s.trim_start_matches(|c: char| c.is_whitespace() || set.contains(&c))
}

/// `# check=skip=A,B` directly above an instruction: BuildKit skips those checks there.
fn parse_inline_check(comment: Span, line: &str, below: &mut Below) -> Option<Suppression> {
    let hash = line.find('#')?;
    let body = line[hash + 1..].trim_start();
    let rest = body.strip_prefix("check")?.trim_start().strip_prefix('=')?;
    let value = rest.trim();
    let start = comment.start + (line.len() - rest.len()) + (rest.len() - rest.trim_start().len());
    let mut s = parse_check_directive_text(value, start)?;
    s.comment = comment;
    s.scope = below
        .instruction_below(comment)
        .map(Scope::Instruction)
        .unwrap_or(Scope::Nowhere);
    Some(s)
}

/// BuildKit's `# check=skip=A,B;error=true`: the `skip` part, where `all` means every check.
fn parse_check_directive(text: &str, value: Span) -> Option<Suppression> {
    let v = text.get(value.start..value.end)?;
    let mut s = parse_check_directive_text(v, value.start)?;
    s.comment = value;
    Some(s)
}

/// The `skip` names of a `check` value `v` that starts at byte `start` of the file, as a
/// file-wide suppression.
fn parse_check_directive_text(v: &str, start: usize) -> Option<Suppression> {
    let mut offset = start;
    let mut entries = Vec::new();
    for part in v.split(';') {
        let key_len = part.len() - part.trim_start().len();
        if let Some(list) = part.trim_start().strip_prefix("skip=") {
            let start = offset + key_len + "skip=".len();
            // What follows the list is a note: `skip=SecretsUsedInArgOrEnv // a test value`.
            let list = &list[..list_extent(list)];
            for (written, span) in split_names(list, start) {
                entries.push(Entry::foreign(written, span, buildkit_equivalents(), true));
            }
        }
        offset += part.len() + 1;
    }
    if entries.is_empty() {
        return None;
    }
    Some(Suppression {
        origin: Origin::BuildKit,
        scope: Scope::File,
        comment: Span::new(start, start + v.len()),
        entries,
        note: None,
    })
}

/// How much of `list` is the comma-separated names: spaces around a comma are allowed (hadolint
/// files have them), and anything after the list is a free-form note (`ignore=a  the reason`).
fn list_extent(list: &str) -> usize {
    let mut end = 0;
    let mut continues = true;
    let mut rest = list;
    while let Some(lead) = rest.find(|c: char| !c.is_whitespace()) {
        let token_start = list.len() - rest.len() + lead;
        let token = &list[token_start..];
        let token = &token[..token.find(char::is_whitespace).unwrap_or(token.len())];
        if !(continues || token.starts_with(',')) {
            break;
        }
        end = token_start + token.len();
        continues = token.ends_with(',');
        rest = &list[end..];
    }
    end
}

/// Comma-separated names with their spans; `start` is the offset of `list` in the file.
fn split_names(list: &str, start: usize) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut offset = start;
    for piece in list.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let name = piece.trim();
        if !name.is_empty() {
            let s = offset + lead;
            out.push((name.to_string(), Span::new(s, s + name.len())));
        }
        offset += piece.len() + 1;
    }
    out
}

/// A layerlint name: a rule, a group, or `all`.
fn layerlint_names(name: &str) -> Vec<&'static str> {
    if name == "all" {
        return RULES.iter().map(|r| r.name).collect();
    }
    if let Some(r) = find(name) {
        return vec![r.name];
    }
    if groups().contains(&name) {
        return RULES
            .iter()
            .filter(|r| r.group == name)
            .map(|r| r.name)
            .collect();
    }
    Vec::new()
}

/// The instruction that a comment annotates: the next instruction, when only comment lines
/// stand between them. A blank line breaks the block, as it does for BuildKit's descriptions.
/// Which instruction a comment annotates, answered in time independent of the file's size:
/// instructions are found by binary search, and each gap between instructions is scanned once.
struct Below<'a> {
    file: &'a Dockerfile,
    /// For the instruction at an index: where the last line before it that is neither a comment
    /// nor its own indentation starts (a blank line breaks a comment block from it).
    last_break: std::collections::HashMap<usize, Option<usize>>,
}

impl<'a> Below<'a> {
    fn new(file: &'a Dockerfile) -> Self {
        Below {
            file,
            last_break: Default::default(),
        }
    }

    /// The index of the first instruction that starts at or after `offset`.
    fn next_from(&self, offset: usize) -> usize {
        self.file
            .instructions
            .partition_point(|i| i.span.start < offset)
    }

    fn inside_instruction(&self, comment: Span) -> bool {
        self.next_from(comment.start)
            .checked_sub(1)
            .and_then(|k| self.file.instructions.get(k))
            .is_some_and(|i| comment.start < i.span.end)
    }

    /// The instruction right below a comment, with only comment lines between them.
    fn instruction_below(&mut self, comment: Span) -> Option<Span> {
        let k = self.next_from(comment.end);
        let next = self.file.instructions.get(k)?.span;
        let gap = self.file.text.get(comment.end..next.start)?;
        // The first piece ends the comment's own line; the last is the instruction's indentation.
        if !gap.contains('\n') {
            return None;
        }
        let file = self.file;
        let last_break = *self.last_break.entry(k).or_insert_with(|| {
            let from = k
                .checked_sub(1)
                .and_then(|p| file.instructions.get(p))
                .map_or(0, |p| p.span.end);
            let region = file.text.get(from..next.start).unwrap_or("");
            let mut at = from;
            let mut last = None;
            let mut pieces = region.split('\n').peekable();
            while let Some(piece) = pieces.next() {
                if pieces.peek().is_some() && !piece.trim_start().starts_with('#') {
                    last = Some(at);
                }
                at += piece.len() + 1;
            }
            last
        });
        // A break on the comment's own line (before its end) does not count.
        (!matches!(last_break, Some(b) if b > comment.start)).then_some(next)
    }
}

/// The registered rule or group nearest to a misspelt name, if one is close.
pub fn closest_name(name: &str) -> Option<&'static str> {
    let candidates = RULES.iter().map(|r| r.name).chain(groups()).chain(["all"]);
    closest_among(name, candidates)
}

/// The candidate nearest to a misspelt name, if one is close enough to be what was meant.
pub fn closest_among<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 1.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Drop the findings that a suppression covers, then report the layerlint suppressions that
/// covered nothing. hadolint and BuildKit comments are never reported: they also serve their
/// own tool, whose rules differ from ours, so "unused" would be noise.
pub fn apply(
    file: &Dockerfile,
    diagnostics: &mut Vec<Diagnostic>,
    enabled: &dyn Fn(&Rule) -> bool,
) {
    let Found {
        suppressions,
        near_misses,
    } = collect(file);
    if suppressions.is_empty() && near_misses.is_empty() {
        return;
    }
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.entries.len()])
        .collect();
    diagnostics.retain(|d| {
        let at = d.primary.span.start;
        let mut keep = true;
        for (si, s) in suppressions.iter().enumerate() {
            let covers = match s.scope {
                Scope::File => true,
                Scope::Instruction(span) => span.start <= at && at <= span.end,
                Scope::Nowhere => false,
            };
            if !covers {
                continue;
            }
            for (ei, e) in s.entries.iter().enumerate() {
                if e.silences(d) {
                    used[si][ei] = true;
                    keep = false;
                }
            }
        }
        keep
    });
    let Some(rule) = find(super::suppression::unused_suppression::RULE.name).filter(|r| enabled(r))
    else {
        return;
    };
    let mut reports = Vec::new();
    for n in &near_misses {
        let written = file.text.get(n.span.start..n.span.end).unwrap_or("");
        reports.push(
            Diagnostic::new(
                rule.name,
                rule.severity,
                format!("`{written}` is not read as a suppression, so it silences nothing"),
                n.span,
            )
            .label("not the suppression syntax")
            .help(format!("write it as `{}`", n.corrected))
            .fix(Fix {
                title: format!("rewrite as `{}`", n.corrected),
                // It starts silencing findings, which a person should agree to.
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    span: n.span,
                    content: n.corrected.clone(),
                }],
            }),
        );
    }
    for (si, s) in suppressions.iter().enumerate() {
        if s.origin != Origin::Layerlint {
            continue;
        }
        for (ei, e) in s.entries.iter().enumerate() {
            if used[si][ei] {
                continue;
            }
            let d = if e.rules.is_empty() {
                let mut d = Diagnostic::new(
                    rule.name,
                    rule.severity,
                    format!("`{}` is not a layerlint rule or group", e.written),
                    e.span,
                )
                .label("unknown rule");
                d.help = Some(match closest_name(&e.written) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "`layerlint rules` lists the rules and groups".into(),
                });
                d
            } else if !e.rules.iter().filter_map(|r| find(r)).any(enabled) {
                // The rule does not run here, so silence from it proves nothing.
                continue;
            } else {
                let why = match s.scope {
                    Scope::File => "it reports nothing in this file",
                    Scope::Instruction(_) => "it reports nothing on the instruction below",
                    Scope::Nowhere => "no instruction follows directly below the comment",
                };
                Diagnostic::new(
                    rule.name,
                    rule.severity,
                    format!("unused suppression of `{}`: {why}", e.written),
                    e.span,
                )
                .label("suppresses nothing")
                .help("remove it from the comment")
                .fix(removal(file, s, &keep_in(s, &used[si], enabled)))
            };
            reports.push(d);
        }
    }
    // `# layerlint global ignore=unused-suppression` silences the other reports of this
    // rule (a baseline written by --add-suppressions relies on it), and is itself unused
    // only when there is nothing else to silence.
    let own = suppressions.iter().find_map(|s| {
        let e = s.entries.iter().find(|e| e.rules.contains(&rule.name))?;
        (s.origin == Origin::Layerlint && s.scope == Scope::File).then_some(e.span)
    });
    if let Some(own) = own {
        if reports.iter().any(|d| d.primary.span != own) {
            reports.clear();
        }
    }
    diagnostics.extend(reports);
    diagnostics.sort_by(|a, b| {
        (a.primary.span.start, a.rule, &a.message).cmp(&(b.primary.span.start, b.rule, &b.message))
    });
}

/// Which entries of a suppression stay when the unused ones go: those that silenced something,
/// those not reported (unknown names, rules that did not run) are left for a person to judge.
fn keep_in(s: &Suppression, used: &[bool], enabled: &dyn Fn(&Rule) -> bool) -> Vec<bool> {
    s.entries
        .iter()
        .zip(used)
        .map(|(e, used)| {
            *used || e.rules.is_empty() || !e.rules.iter().filter_map(|r| find(r)).any(enabled)
        })
        .collect()
}

/// The edit that drops the unused names of a suppression: the same edit for every unused name
/// of one comment, so applying all fixes at once applies it once. A comment left with no name
/// goes as a whole line.
fn removal(file: &Dockerfile, s: &Suppression, keep: &[bool]) -> Fix {
    let text = &file.text;
    let (span, content, title) = if keep.iter().any(|k| *k) {
        let kept: Vec<&str> = s
            .entries
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(e, _)| e.written.as_str())
            .collect();
        let first = s.entries.first().map_or(s.comment.start, |e| e.span.start);
        let last = s.entries.last().map_or(s.comment.end, |e| e.span.end);
        (
            Span::new(first, last),
            kept.join(","),
            "remove the unused names from the suppression",
        )
    } else if let Some(note) = s.note {
        // The note explains something about the instruction below; it stays as a comment.
        let hash = text
            .get(s.comment.start..s.comment.end)
            .and_then(|c| c.find('#'))
            .map_or(s.comment.start, |h| s.comment.start + h);
        let note_text = text.get(note.start..note.end).unwrap_or("");
        (
            Span::new(hash, note.end),
            format!("# {note_text}"),
            "remove the unused suppression, keeping its note",
        )
    } else {
        let start = text[..s.comment.start].rfind('\n').map_or(0, |i| i + 1);
        let rest = &text[s.comment.end..];
        let eol = if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(rest.starts_with('\n'))
        };
        (
            Span::new(start, s.comment.end + eol),
            String::new(),
            "remove the unused suppression comment",
        )
    };
    Fix {
        title: title.into(),
        applicability: Applicability::Safe,
        edits: vec![Edit { span, content }],
    }
}

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::diagnostic::Severity;
    use crate::lint::lint_text;
    use std::collections::BTreeMap;

    /// The rules that fire on `text` with every rule enabled, as `(line, rule)`.
    fn fired(text: &str) -> Vec<(usize, &'static str)> {
        let linted = lint_text(text, None, &BTreeMap::new(), &|_| true).expect("parses");
        linted
            .diagnostics
            .iter()
            .map(|d| {
                (
                    text[..d.primary.span.start].matches('\n').count() + 1,
                    d.rule,
                )
            })
            .collect()
    }

    const SHELL_CMD: &str = "FROM nginx:1.27\nCMD nginx -g daemon-off\n";

    #[test]
    fn without_a_comment_the_rule_fires() {
        assert_eq!(fired(SHELL_CMD), vec![(2, "shell-form-cmd")]);
    }

    #[test]
    fn a_comment_block_directly_above_suppresses() {
        for text in [
            "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd\nCMD nginx -g daemon-off\n",
            "FROM nginx:1.27\n# layerlint ignore=runtime because reasons\nCMD nginx -g x\n",
            "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd\n# the image runs nginx in the foreground\nCMD nginx\n",
            "FROM nginx:1.27\n  # hadolint ignore=DL3059,DL3025\nCMD nginx -g daemon-off\n",
            "# layerlint global ignore=shell-form-cmd\nFROM nginx:1.27\nCMD nginx -g x\n",
            "FROM nginx:1.27\nCMD nginx -g x\n# hadolint global ignore=dl3025\n",
            "# check=skip=JSONArgsRecommended\nFROM nginx:1.27\nCMD nginx -g daemon-off\n",
            "# check=error=true;skip=all\nFROM nginx:1.27\nCMD nginx -g daemon-off\n",
        ] {
            assert_eq!(fired(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_blank_line_or_another_instruction_breaks_the_link() {
        let text = "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd\n\nCMD nginx -g x\n";
        assert_eq!(
            fired(text),
            vec![(2, "unused-suppression"), (4, "shell-form-cmd")]
        );
        let text = "# layerlint ignore=shell-form-cmd\nFROM nginx:1.27\nCMD nginx -g x\n";
        assert_eq!(
            fired(text),
            vec![(1, "unused-suppression"), (3, "shell-form-cmd")]
        );
    }

    #[test]
    fn unknown_and_foreign_names() {
        // An unknown layerlint name is reported; a hadolint code without an equivalent is not.
        let text = "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd,nope\nCMD nginx -g x\n";
        assert_eq!(fired(text), vec![(2, "unused-suppression")]);
        let text = "FROM nginx:1.27\n# hadolint ignore=DL3007,DL3025\nCMD [\"nginx\"]\n";
        assert_eq!(fired(text), vec![]);
        // A check directive for a check we have no equivalent of leaves our rule alone.
        let text = "# check=skip=StageNameCasing\nFROM nginx:1.27\nCMD nginx -g x\n";
        assert_eq!(fired(text), vec![(3, "shell-form-cmd")]);
    }

    /// One RUN that keeps pip's cache and apt's lists: two findings of one rule, answering to
    /// different hadolint codes.
    const PIP_AND_APT: &str = "FROM python:3.12\n{}\nRUN apt-get update && apt-get install -y --no-install-recommends curl && pip install flask\n";

    #[test]
    fn a_foreign_code_silences_only_the_findings_that_answer_to_it() {
        let with = |comment: &str| {
            let text = PIP_AND_APT.replace("{}", comment);
            let linted = lint_text(&text, None, &BTreeMap::new(), &|r| r.default).expect("parses");
            let mut messages: Vec<String> = linted
                .diagnostics
                .into_iter()
                .map(|d| format!("{}: {}", d.rule, d.message))
                .collect();
            messages.sort();
            messages
        };
        let pip = "package-cache-kept: `pip install` keeps downloaded packages in `/root/.cache/pip` in the image";
        let apt = "package-cache-kept: the package lists that `apt-get update` fetched stay in `/var/lib/apt/lists` in the image";
        assert_eq!(with("# no suppression"), vec![pip, apt]);
        assert_eq!(with("# hadolint ignore=DL3042"), vec![apt]);
        assert_eq!(with("# hadolint ignore=dl3009"), vec![pip]);
        assert_eq!(
            with("# hadolint ignore=DL3009,DL3042"),
            Vec::<String>::new()
        );
        // A code of the same rule that answers to neither finding silences nothing.
        assert_eq!(with("# hadolint ignore=DL3019,DL3060"), vec![pip, apt]);
        assert_eq!(
            with("# layerlint ignore=package-cache-kept"),
            Vec::<String>::new()
        );
    }

    /// Every row of the equivalence tables is answered to by a finding of its rule, and a
    /// finding answers only to codes that the tables map to its rule.
    #[test]
    fn the_tables_and_the_rules_agree() {
        let cases: &[(&str, &[&str], &str)] = &[
            ("DL3006", &[], "FROM nginx\n"),
            ("DL3007", &[], "FROM nginx:latest\n"),
            ("DL3022", &[], "FROM nginx:1.27\nCOPY --from=pruned /a /a\n"),
            (
                "DL3023",
                &[],
                "FROM nginx:1.27 AS web\nCOPY --from=web /a /a\n",
            ),
            ("DL3025", &[], "FROM nginx:1.27\nCMD nginx -g daemon-off\n"),
            (
                "DL3025",
                &[],
                "FROM nginx:1.27\nENTRYPOINT nginx -g daemon-off\n",
            ),
            (
                "JSONArgsRecommended",
                &[],
                "FROM nginx:1.27\nCMD nginx -g daemon-off\n",
            ),
            (
                "DL3009",
                &[],
                "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
            ),
            ("DL3019", &[], "FROM alpine:3.20\nRUN apk add curl\n"),
            ("DL3027", &[], "FROM debian:12\nRUN apt update\n"),
            ("DL3015", &[], "FROM debian:12\nRUN apt-get install -y curl\n"),
            ("DL3032", &[], "FROM centos:7\nRUN yum install -y httpd\n"),
            ("DL3040", &[], "FROM fedora:41\nRUN dnf install -y httpd\n"),
            (
                "DL3036",
                &[],
                "FROM opensuse/leap:15.6\nRUN zypper -n install curl\n",
            ),
            (
                "DL3014",
                &[],
                "FROM debian:12\nRUN apt-get install --no-install-recommends curl\n",
            ),
            (
                "DL3030",
                &[],
                "FROM centos:7\nRUN yum install httpd && yum clean all\n",
            ),
            (
                "DL3038",
                &[],
                "FROM fedora:41\nRUN dnf install httpd && dnf clean all\n",
            ),
            (
                "DL3034",
                &[],
                "FROM opensuse/leap:15.6\nRUN zypper install curl && zypper clean -a\n",
            ),
            ("DL3042", &[], "FROM python:3.12\nRUN pip install flask\n"),
            ("DL3060", &[], "FROM node:22\nRUN yarn install\n"),
            ("", &[], "FROM node:22\nRUN npm install\n"),
            (
                "CopyIgnoredFile",
                &[".dockerignore: *.md", "README.md"],
                "FROM alpine:3.20\nCOPY README.md /docs/\n",
            ),
            ("DL4003", &[], "FROM scratch\nCMD [\"/a\"]\nCMD [\"/b\"]\n"),
            (
                "DL4004",
                &[],
                "FROM scratch\nENTRYPOINT [\"/a\"]\nENTRYPOINT [\"/b\"]\n",
            ),
            (
                "DL3012",
                &[],
                "FROM scratch\nHEALTHCHECK NONE\nHEALTHCHECK NONE\n",
            ),
            (
                "MultipleInstructionsDisallowed",
                &[],
                "FROM scratch\nCMD [\"/a\"]\nCMD [\"/b\"]\n",
            ),
            ("DL4000", &[], "FROM scratch\nMAINTAINER me\n"),
            ("MaintainerDeprecated", &[], "FROM scratch\nMAINTAINER me\n"),
            ("FromAsCasing", &[], "FROM scratch as base\n"),
            (
                "DuplicateStageName",
                &[],
                "FROM scratch AS b\nFROM scratch AS b\n",
            ),
            ("ReservedStageName", &[], "FROM scratch AS scratch\n"),
            ("DL3024", &[], "FROM scratch AS b\nFROM scratch AS b\n"),
            ("ExposeProtoCasing", &[], "FROM scratch\nEXPOSE 80/TCP\n"),
            ("NoEmptyContinuation", &[], "FROM scratch\nCOPY a \\\n\n.\n"),
            ("StageNameCasing", &[], "FROM scratch AS Build\n"),
            ("ExposeInvalidFormat", &[], "FROM scratch\nEXPOSE 8080:80\n"),
            ("WorkdirRelativePath", &[], "FROM scratch\nWORKDIR app\n"),
            (
                "RedundantTargetPlatform",
                &[],
                "FROM --platform=$TARGETPLATFORM scratch\n",
            ),
            (
                "FromPlatformFlagConstDisallowed",
                &[],
                "FROM --platform=linux/amd64 scratch\n",
            ),
            ("DL3065", &[], "FROM --platform=$TARGETPLATFORM scratch\n"),
            ("DL3029", &[], "FROM --platform=linux/amd64 scratch\n"),
            ("DL3029", &[], "FROM --platform=$TARGETPLATFORM scratch\n"),
            (
                "ConsistentInstructionCasing",
                &[],
                "FROM scratch\ncopy a /b\nCOPY a /c\n",
            ),
            (
                "SecretsUsedInArgOrEnv",
                &[],
                "FROM scratch\nARG API_TOKEN\n",
            ),
            ("DL3064", &[], "FROM scratch\nARG API_TOKEN\n"),
            ("DL3044", &[], "FROM python:3.12\nENV A=1 B=$A\n"),
            ("DL3011", &[], "FROM scratch\nEXPOSE 80000\n"),
            ("DL3049", &[], "FROM scratch\nLABEL u=https://x t=2024-05-01T00:00:00Z l=MIT h=abcdef0 v=1.0.0 e=a@b.c\n"),
            ("DL3050", &[], "FROM scratch\nLABEL u=https://x t=2024-05-01T00:00:00Z l=MIT h=abcdef0 v=1.0.0 e=a@b.c x=y extra=1\n"),
            ("DL3051", &[], "FROM scratch\nLABEL u=https://x t=2024-05-01T00:00:00Z l=MIT h=abcdef0 v=1.0.0 e=a@b.c x=\"\"\n"),
            ("DL3052", &[], "FROM scratch\nLABEL u=x t=2024-05-01T00:00:00Z l=MIT h=abcdef0 v=1.0.0 e=a@b.c x=y\n"),
            ("DL3053", &[], "FROM scratch\nLABEL u=https://x t=today l=MIT h=abcdef0 v=1.0.0 e=a@b.c x=y\n"),
            ("DL3054", &[], "FROM scratch\nLABEL u=https://x t=2024-05-01T00:00:00Z l=MITish h=abcdef0 v=1.0.0 e=a@b.c x=y\n"),
            ("DL3055", &[], "FROM scratch\nLABEL u=https://x t=2024-05-01T00:00:00Z l=MIT h=main v=1.0.0 e=a@b.c x=y\n"),
            ("DL3056", &[], "FROM scratch\nLABEL u=https://x t=2024-05-01T00:00:00Z l=MIT h=abcdef0 v=v1 e=a@b.c x=y\n"),
            ("DL3058", &[], "FROM scratch\nLABEL u=https://x t=2024-05-01T00:00:00Z l=MIT h=abcdef0 v=1.0.0 e=ab x=y\n"),
            ("DL3026", &[], "FROM quay.io/x/y:1\n"),
            ("DL3008", &[], "FROM debian:12\nRUN apt-get install -y curl\n"),
            ("DL3018", &[], "FROM alpine:3.20\nRUN apk add curl\n"),
            ("DL3033", &[], "FROM centos:7\nRUN yum install -y httpd\n"),
            ("DL3041", &[], "FROM fedora:41\nRUN dnf install -y httpd\n"),
            ("DL3037", &[], "FROM opensuse/leap:15\nRUN zypper install -y curl\n"),
            ("DL3013", &[], "FROM python:3.12\nRUN pip install flask\n"),
            ("DL3016", &[], "FROM node:20\nRUN npm install -g typescript\n"),
            ("DL3028", &[], "FROM ruby:3.3\nRUN gem install rails\n"),
            ("DL3062", &[], "FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest\n"),
            ("DL4006", &[], "FROM debian:12\nRUN curl -fsSL https://x.sh | sh\n"),
            ("DL3046", &[], "FROM debian:12\nRUN useradd -u 123456 app\n"),
            ("DL3002", &[], "FROM debian:12\nUSER root\n"),
            ("DL3020", &["app.py"], "FROM alpine:3.20\nADD app.py /app/\n"),
            ("DL3061", &[], "LABEL a=b\nFROM scratch\n"),
            ("DL3043", &[], "FROM scratch\nONBUILD ONBUILD RUN x\n"),
            ("SC3010", &[], "FROM debian:12\nRUN [[ -f x ]]\n"),
            ("SC3014", &[], "FROM debian:12\nRUN [ a == b ]\n"),
            ("SC3046", &[], "FROM debian:12\nRUN source /x\n"),
            ("SC2113", &[], "FROM debian:12\nRUN function f { :; }\n"),
            ("SC3030", &[], "FROM debian:12\nRUN a=(1 2)\n"),
            ("SC3054", &[], "FROM debian:12\nRUN echo ${a[1]}\n"),
            ("SC3009", &[], "FROM debian:12\nRUN mkdir /a/{b,c}\n"),
            ("SC3020", &[], "FROM debian:12\nRUN make &> log\n"),
            ("SC3011", &[], "FROM debian:12\nRUN cat <<< hi\n"),
            ("SC3003", &[], "FROM debian:12\nRUN echo $'a'\n"),
            ("SC3057", &[], "FROM debian:12\nRUN echo ${v:0:3}\n"),
            ("SC3060", &[], "FROM debian:12\nRUN echo ${v/a/b}\n"),
            ("SC3059", &[], "FROM debian:12\nRUN echo ${v^^}\n"),
            ("SC3053", &[], "FROM debian:12\nRUN echo ${!v}\n"),
            ("SC3040", &[], "FROM debian:12\nRUN set -o pipefail\n"),
            ("SC3037", &[], "FROM debian:12\nRUN echo -e x\n"),
            ("SC3039", &[], "FROM debian:12\nRUN let x=1\n"),
            ("SC3006", &[], "FROM debian:12\nRUN ((n++))\n"),
            ("SC3005", &[], "FROM debian:12\nRUN for ((;;)); do :; done\n"),
            ("SC3008", &[], "FROM debian:12\nRUN select x in a; do :; done\n"),
            ("SC3024", &[], "FROM debian:12\nRUN x+=1\n"),
            ("SC3044", &[], "FROM debian:12\nRUN declare x\n"),
            ("SC3029", &[], "FROM debian:12\nRUN make |& cat\n"),
            ("SC3001", &[], "FROM debian:12\nRUN cat <(ls)\n"),
            ("SC3050", &[], "FROM debian:12\nRUN printf %q x\n"),
            ("SC3019", &[], "FROM debian:12\nRUN echo $((2**3))\n"),
            ("SC3021", &[], "FROM debian:12\nRUN echo >& /dev/null\n"),
            ("SC2155", &[], "FROM debian:12\nRUN export V=$(git describe) && make\n"),
            ("SC2154", &[], "FROM debian:12\nRUN cp app $DEST\n"),
            ("SC2016", &[], "FROM debian:12\nARG V\nRUN wget 'https://x/$V'\n"),
            ("SC2164", &[], "FROM debian:12\nRUN cd /src; make\n"),
            ("LegacyKeyValueFormat", &[], "FROM scratch\nENV a b\n"),
            ("UndefinedArgInFrom", &[], "FROM alpine:3.20${TAG}\n"),
            ("UndefinedVar", &[], "FROM scratch\nWORKDIR /$NOPE\n"),
            ("InvalidDefaultArgInFrom", &[], "ARG V\nFROM busybox:$V\n"),
            (
                "InvalidDefinitionDescription",
                &[],
                "# check=experimental=all\n# the version\nARG V=1\nFROM scratch\n",
            ),
        ];
        let tables = [super::hadolint_equivalents(), super::buildkit_equivalents()].concat();
        for (code, files, text) in cases {
            let dir = crate::rules::test_context::context_with(files);
            let ctx = crate::context::BuildContext::open(dir.path(), None).expect("context");
            // DL3026 needs a list of trusted registries, and the label codes a label schema:
            // both come from the configuration.
            let labels = matches!(
                *code,
                "DL3049"
                    | "DL3050"
                    | "DL3051"
                    | "DL3052"
                    | "DL3053"
                    | "DL3054"
                    | "DL3055"
                    | "DL3056"
                    | "DL3058"
            );
            let purpose = crate::model::Purpose {
                trusted_registries: match *code {
                    "DL3026" => vec!["docker.io".to_string()],
                    _ => Vec::new(),
                },
                label_schema: if labels {
                    [
                        ("u", "url"),
                        ("t", "rfc3339"),
                        ("l", "spdx"),
                        ("h", "hash"),
                        ("v", "semver"),
                        ("e", "email"),
                        ("x", "text"),
                    ]
                    .iter()
                    .map(|(n, k)| (n.to_string(), crate::model::LabelKind::parse(k).unwrap()))
                    .collect()
                } else {
                    Vec::new()
                },
                strict_labels: labels,
                ..Default::default()
            };
            let linted =
                crate::lint::lint_for(text, Some(&ctx), &BTreeMap::new(), &purpose, &|_| true)
                    .expect("parses");
            let mapped =
                |d: &&crate::diagnostic::Diagnostic| tables.iter().any(|(_, r)| *r == d.rule);
            let d = linted
                .diagnostics
                .iter()
                .filter(mapped)
                .find(|d| d.aliases.contains(code))
                .or_else(|| linted.diagnostics.iter().find(mapped))
                .unwrap_or_else(|| panic!("nothing fires on {text}"));
            if code.is_empty() {
                assert!(d.aliases.is_empty(), "{text}: {:?}", d.aliases);
            } else {
                assert!(d.aliases.contains(code), "{text}: {:?}", d.aliases);
            }
            for a in d.aliases {
                assert!(
                    tables.contains(&(*a, d.rule)),
                    "{a} is not mapped to {}",
                    d.rule
                );
            }
        }
        for (code, _) in &tables {
            assert!(
                cases.iter().any(|(c, _, _)| c == code),
                "no case for {code}"
            );
        }
    }

    #[test]
    fn unused_for_a_rule_that_does_not_run_is_not_reported() {
        let text = "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd\nCMD [\"nginx\"]\n";
        let linted = lint_text(text, None, &BTreeMap::new(), &|r| {
            r.name == "unused-suppression"
        })
        .expect("parses");
        assert!(linted.diagnostics.is_empty());
    }

    #[test]
    fn the_fix_drops_unused_names_then_the_line() {
        let fixed = |text: &str| {
            let linted = lint_text(text, None, &BTreeMap::new(), &|_| true).expect("parses");
            let edits: Vec<_> = linted
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .flat_map(|f| &f.edits)
                .collect();
            crate::diagnostic::apply_edits(text, &edits).0
        };
        assert_eq!(
            fixed("FROM nginx:1.27\n# layerlint ignore=missing-cmd,shell-form-cmd,runtime\nCMD nginx -g x\n"),
            "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd,runtime\nCMD nginx -g x\n"
        );
        assert_eq!(
            fixed("FROM nginx:1.27\n# layerlint ignore=missing-cmd,shell-form-cmd\r\nCMD [\"nginx\"]\r\n"),
            "FROM nginx:1.27\nCMD [\"nginx\"]\r\n"
        );
        // An unknown name stays for a person to correct.
        assert_eq!(
            fixed("FROM nginx:1.27\n# layerlint ignore=nope,missing-cmd\nCMD [\"nginx\"]\n"),
            "FROM nginx:1.27\n# layerlint ignore=nope\nCMD [\"nginx\"]\n"
        );
    }

    #[test]
    fn the_fix_for_a_dead_suppression_keeps_its_note() {
        let fixed = |text: &str| {
            let linted = lint_text(text, None, &BTreeMap::new(), &|_| true).expect("parses");
            let edits: Vec<_> = linted
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .flat_map(|f| &f.edits)
                .collect();
            crate::diagnostic::apply_edits(text, &edits).0
        };
        let cases = [
            (
                "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd  nginx must not fork\nCMD [\"nginx\"]\n",
                "FROM nginx:1.27\n# nginx must not fork\nCMD [\"nginx\"]\n",
            ),
            (
                "FROM nginx:1.27\n  # layerlint ignore=shell-form-cmd, missing-cmd -- see the wiki\r\nCMD [\"nginx\"]\r\n",
                "FROM nginx:1.27\n  # -- see the wiki\r\nCMD [\"nginx\"]\r\n",
            ),
            // Names still in use keep the comment, note included.
            (
                "FROM nginx:1.27\n# layerlint ignore=missing-cmd,shell-form-cmd why\nCMD nginx -g x\n",
                "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd why\nCMD nginx -g x\n",
            ),
            // Without a note the line goes.
            (
                "FROM nginx:1.27\n# layerlint ignore=shell-form-cmd\t\nCMD [\"nginx\"]\n",
                "FROM nginx:1.27\nCMD [\"nginx\"]\n",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(fixed(text), want, "{text}");
        }
    }

    #[test]
    fn unused_suppression_silenced_file_wide() {
        let dead = "FROM nginx:1.27\n# layerlint ignore=missing-cmd\nCMD [\"nginx\"]\n";
        assert_eq!(fired(dead), vec![(2, "unused-suppression")]);
        let silenced = format!("# layerlint global ignore=unused-suppression\n{dead}");
        assert_eq!(fired(&silenced), vec![]);
        // With nothing else to silence, it is the unused one.
        let alone =
            "# layerlint global ignore=unused-suppression\nFROM nginx:1.27\nCMD [\"nginx\"]\n";
        assert_eq!(fired(alone), vec![(1, "unused-suppression")]);
        // On one instruction, it does not reach comments.
        let local =
            "FROM nginx:1.27\n# layerlint ignore=missing-cmd,unused-suppression\nCMD [\"nginx\"]\n";
        assert_eq!(
            fired(local),
            vec![(2, "unused-suppression"), (2, "unused-suppression")]
        );
    }

    #[test]
    fn comments_that_nearly_are_suppressions() {
        let messages = |text: &str| -> Vec<(String, Option<String>)> {
            let linted = lint_text(text, None, &BTreeMap::new(), &|_| true).expect("parses");
            linted
                .diagnostics
                .into_iter()
                .map(|d| (d.message, d.help))
                .collect()
        };
        let cmd = "\nCMD nginx -g daemon-off\n";
        let near = [
            (
                "# layerlint ignore = shell-form-cmd",
                "# layerlint ignore = shell-form-cmd",
                "# layerlint ignore=shell-form-cmd",
            ),
            (
                "# layerlint: ignore=shell-form-cmd",
                "# layerlint: ignore=shell-form-cmd",
                "# layerlint ignore=shell-form-cmd",
            ),
            (
                "  # layerlint-ignore: shell-form-cmd, runtime  why",
                "# layerlint-ignore: shell-form-cmd, runtime",
                "# layerlint ignore=shell-form-cmd,runtime",
            ),
            (
                "# Layerlint ignore=shell-form-cmd",
                "# Layerlint ignore=shell-form-cmd",
                "# layerlint ignore=shell-form-cmd",
            ),
            (
                "# layerlint disable=shell-form-cmd",
                "# layerlint disable=shell-form-cmd",
                "# layerlint ignore=shell-form-cmd",
            ),
            (
                "# layerlint ignore shell-form-cmd",
                "# layerlint ignore shell-form-cmd",
                "# layerlint ignore=shell-form-cmd",
            ),
            (
                "# layerlint global ignore: runtime",
                "# layerlint global ignore: runtime",
                "# layerlint global ignore=runtime",
            ),
            (
                "#layerlint:global-ignore=runtime",
                "#layerlint:global-ignore=runtime",
                "# layerlint global ignore=runtime",
            ),
        ];
        let shell = "CMD in shell form runs `nginx` as a child of `/bin/sh` (dash), so `docker stop` cannot stop it gracefully";
        for (comment, span, corrected) in near {
            let text = format!("FROM nginx:1.27\n{comment}{cmd}");
            let got = messages(&text);
            assert_eq!(got.len(), 2, "{text}: {got:?}");
            assert_eq!(
                got[0],
                (
                    format!("`{span}` is not read as a suppression, so it silences nothing"),
                    Some(format!("write it as `{corrected}`"))
                ),
                "{text}"
            );
            assert_eq!(got[1].0, shell, "{text}");
        }
        // The spelling that is read, and prose that mentions layerlint, are not reported.
        for comment in [
            "# layerlint ignore=shell-form-cmd",
            "#   layerlint   ignore=shell-form-cmd",
        ] {
            let text = format!("FROM nginx:1.27\n{comment}{cmd}");
            assert_eq!(messages(&text), vec![], "{text}");
        }
        for comment in [
            "# layerlint ignores shell-form-cmd here",
            "# layerlint ignore these files",
            "# layerlint.toml ignore=shell-form-cmd",
            "# layerlinter ignore=shell-form-cmd",
            "# run layerlint: ignore=shell-form-cmd",
            "# layerlint",
            "# layerlint ignore",
        ] {
            let text = format!("FROM nginx:1.27\n{comment}{cmd}");
            let got = messages(&text);
            assert!(got.iter().all(|(m, _)| m == shell), "{text}: {got:?}");
        }
        // With a colon the intent is plain, whatever the names are.
        let got = messages(&format!("FROM nginx:1.27\n# layerlint ignore: é{cmd}"));
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn lists_may_space_their_commas_and_end_in_a_note() {
        assert_eq!(super::list_extent("a,b"), 3);
        assert_eq!(super::list_extent("a, b  the reason, here"), 4);
        assert_eq!(super::list_extent("a ,b note"), 4);
        assert_eq!(super::list_extent("a note"), 1);
        assert_eq!(super::list_extent(""), 0);
    }

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(
            super::closest_name("shell-from-cmd"),
            Some("shell-form-cmd")
        );
        assert_eq!(super::closest_name("runtim"), Some("runtime"));
        assert_eq!(super::closest_name("zzzzzzzzzz"), None);
    }

    /// Every alias a rule declares is read by exactly one tool's comments: a hadolint code
    /// (`DL` or `SC` and digits) or a BuildKit check name (a capitalised word).
    #[test]
    fn every_alias_belongs_to_one_tool() {
        let aliases: Vec<&str> = RULES
            .iter()
            .flat_map(|r| r.aliases.iter().copied())
            .collect();
        let (h, b) = (super::hadolint_equivalents(), super::buildkit_equivalents());
        assert_eq!(h.len() + b.len(), aliases.len());
        assert!(h
            .iter()
            .all(|(c, _)| c.starts_with("DL") || c.starts_with("SC")));
        assert!(b
            .iter()
            .all(|(c, _)| c.starts_with(|ch: char| ch.is_ascii_uppercase())
                && c.chars().all(|ch| ch.is_ascii_alphanumeric())
                && !c.starts_with("DL")
                && !c.starts_with("SC")));
    }

    #[test]
    fn aliases_in_layerlint_comments() {
        let text = "FROM nginx:1.27\n# layerlint ignore=DL3025\nCMD nginx -g daemon-off\n";
        let file = crate::syntax::parse(text).expect("parses");
        let m = crate::model::Model::build(&file, None, &Default::default());
        let mut found = Vec::new();
        (super::super::find("shell-form-cmd").expect("rule").check)(&m, &mut found);
        assert_eq!(found.len(), 1);
        let linted = crate::lint::lint_text(text, None, &Default::default(), &|r| {
            r.name == "shell-form-cmd" || r.name == "unused-suppression"
        })
        .expect("parses");
        assert!(linted.diagnostics.is_empty(), "{:?}", linted.diagnostics);
        // An alias that does not answer the finding below is unused, once its rule runs.
        let pip = text.replace("DL3025", "DL3042");
        let linted = crate::lint::lint_text(&pip, None, &Default::default(), &|r| {
            ["shell-form-cmd", "unused-suppression", "package-cache-kept"].contains(&r.name)
        })
        .expect("parses");
        let mut rules: Vec<&str> = linted.diagnostics.iter().map(|d| d.rule).collect();
        rules.sort_unstable();
        assert_eq!(rules, vec!["shell-form-cmd", "unused-suppression"]);
    }

    /// `# check=error=true` makes the findings of BuildKit's checks errors, and no others.
    #[test]
    fn check_error_true() {
        let run = |text: &str| -> Vec<(&'static str, Severity)> {
            lint_text(text, None, &BTreeMap::new(), &|_| true)
                .expect("parses")
                .diagnostics
                .iter()
                .map(|d| (d.rule, d.severity))
                .collect()
        };
        let body = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCMD mycommand\n";
        let plain = run(body);
        assert!(
            plain.contains(&("shell-form-cmd", Severity::Warning)),
            "{plain:?}"
        );
        let strict = run(&format!("# check=error=true\n{body}"));
        assert!(
            strict.contains(&("shell-form-cmd", Severity::Error)),
            "{strict:?}"
        );
        // package-cache-kept answers to hadolint only.
        assert!(
            strict.contains(&("package-cache-kept", Severity::Info)),
            "{strict:?}"
        );
        let off = run(&format!(
            "# check=skip=JSONArgsRecommended;error=true\n{body}"
        ));
        assert!(!off.iter().any(|(r, _)| *r == "shell-form-cmd"), "{off:?}");
        assert_eq!(run(&format!("# check=error=false\n{body}")), plain);
    }

    /// BuildKit reads `# check=skip=` above an instruction for that instruction alone.
    #[test]
    fn inline_check_skip() {
        let run = |text: &str| -> Vec<&'static str> {
            lint_text(text, None, &BTreeMap::new(), &|r| {
                r.name == "shell-form-cmd"
            })
            .expect("parses")
            .diagnostics
            .iter()
            .map(|d| d.rule)
            .collect()
        };
        let skipped = "FROM scratch\n# check=skip=JSONArgsRecommended\nCMD mycommand\n";
        assert!(run(skipped).is_empty());
        // A note may follow the list.
        let noted = "FROM scratch\n# check=skip=JSONArgsRecommended // a test\nCMD mycommand\n";
        assert!(run(noted).is_empty());
        // Another instruction, or another check, is not skipped.
        assert_eq!(
            run("FROM scratch\n# check=skip=JSONArgsRecommended\nLABEL a=b\nCMD mycommand\n"),
            vec!["shell-form-cmd"]
        );
        assert_eq!(
            run("FROM scratch\n# check=skip=MaintainerDeprecated\nCMD mycommand\n"),
            vec!["shell-form-cmd"]
        );
        // The directive at the top still applies to the whole file.
        assert!(run("# check=skip=JSONArgsRecommended\nFROM scratch\nCMD mycommand\n").is_empty());
    }
}
