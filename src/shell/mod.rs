//! RUN bodies turned into simple commands (argv words with spans) and recognisers that say
//! what a command is (pip install, npm ci, apt-get install, ...).

pub mod dialect;
pub mod exec;
pub mod prompts;
pub mod recognise;
pub mod script;
pub mod vars;
pub mod words;

pub use recognise::{recognise, CacheTarget, CommandKind, ManifestRead, Opt, Tool, ToolCommand};
pub use script::commands_of_script;
pub use words::{Param, ParamOp, PartKind, WordPart};

use crate::syntax::{Args, Heredoc, Instruction, Span};

/// One word of a command: `value` after quote removal (expansions such as `$HOME` or `$(…)`
/// are kept as written), `raw` as in the script, `span` in the Dockerfile source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    pub value: String,
    pub raw: String,
    pub span: Span,
    /// The source offset of each byte of `raw`, when they are not `span.start` onwards.
    pub offsets: Option<Box<[usize]>>,
}

impl ShellWord {
    /// True when the value holds an expansion whose result is unknown here (`$X`, `` `…` ``).
    pub fn has_expansion(&self) -> bool {
        self.value.contains('$') || self.value.contains('`')
    }
}

/// The operator joining a command to its neighbour in a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Connector {
    /// `;` or a newline.
    Seq,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `|` or `|&`
    Pipe,
    /// `&`
    Background,
}

/// A construct that encloses a command, outermost first in `SimpleCommand::nesting`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nesting {
    /// Between `if`/`elif` and `then`.
    IfCondition,
    /// A `then` or `else` branch.
    IfBranch,
    /// Between `while`/`until` and `do`.
    LoopCondition,
    /// Between `do` and `done`.
    LoopBody,
    CaseArm,
    /// `{ …; }`
    Group,
    /// `( … )`
    Subshell,
    /// A function body: runs only when called.
    Function,
    /// Inside `$(…)`, `` `…` `` or `<(…)`.
    Substitution,
    /// The script of `sh -c '…'`.
    ShellC,
    /// A heredoc body that RUN runs as its script.
    HeredocScript,
}

/// The commands of a script and the compound constructs around and between them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub commands: Vec<SimpleCommand>,
    /// In the order the splitter met them, nested scripts (`sh -c`, `$(…)`) included.
    pub constructs: Vec<Construct>,
}

/// A reserved word or operator that opens a compound command or joins commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Construct {
    pub kind: ConstructKind,
    /// The keyword or operator itself.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConstructKind {
    If,
    While,
    Until,
    /// `for name in …`
    For,
    /// `for ((i = 0; …))`: bash's arithmetic loop.
    ArithFor,
    Select,
    Case,
    /// `function name`: the ksh/bash keyword.
    FunctionKeyword,
    /// `name() …`
    FunctionDef,
    /// `{ …; }`
    Group,
    /// `( … )`
    Subshell,
    /// `[[ … ]]`
    Test,
    /// `(( … ))` as a command.
    ArithCommand,
    /// `|&`: a pipe of standard error too.
    PipeAll,
}

/// `> file`, `2>&1`, `<<EOF`: removed from argv, kept here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The operator as written, without the descriptor: `>`, `>>`, `>&`, `<<`, `<<-`, `&>`, ….
    pub op: String,
    /// The descriptor written before the operator (`2` in `2>&1`).
    pub fd: Option<u32>,
    /// File, descriptor or heredoc delimiter; `None` when missing.
    pub target: Option<ShellWord>,
    pub span: Span,
}

/// A simple command: optional `NAME=value` prefixes, argv, redirections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    pub assignments: Vec<ShellWord>,
    pub argv: Vec<ShellWord>,
    pub redirects: Vec<Redirect>,
    pub span: Span,
    /// Position among the commands returned together, in execution order (a substitution comes
    /// before the command that uses it; an `sh -c` script right after its `sh` command).
    pub index: usize,
    /// The operator before this command in its list; `None` for the first of a list or block.
    pub preceded_by: Option<Connector>,
    /// The operator after it; `None` for the last of a list or block.
    pub followed_by: Option<Connector>,
    /// Enclosing constructs, outermost first.
    pub nesting: Vec<Nesting>,
    /// Ids of the enclosing scopes that state such as `cd` does not leave (`( … )`, `sh -c`,
    /// `$(…)`), outermost first; two commands share a scope when they share its id.
    pub scopes: Vec<usize>,
    /// Written after `!`.
    pub negated: bool,
}

impl SimpleCommand {
    /// Basename of argv[0]: `pip3` for `/usr/bin/pip3`.
    pub fn program(&self) -> Option<&str> {
        let w = self.argv.first()?;
        let v = w.value.trim_end_matches('/');
        Some(v.rsplit('/').next().unwrap_or(v))
    }

    /// argv without the program.
    pub fn args(&self) -> &[ShellWord] {
        self.argv.get(1..).unwrap_or(&[])
    }

    /// The value of a `NAME=value` prefix of this command.
    pub fn assignment(&self, name: &str) -> Option<&str> {
        self.assignments.iter().rev().find_map(|a| {
            let (k, v) = a.value.split_once('=')?;
            (k == name).then_some(v)
        })
    }

    /// True when the command may not run on every execution of the script: after `||`, in an
    /// `if` branch, a `case` arm, a loop body, a function, or the condition after the first
    /// `if`/`while` command.
    pub fn is_conditional(&self) -> bool {
        self.preceded_by == Some(Connector::Or)
            || self.nesting.iter().any(|n| {
                matches!(
                    n,
                    Nesting::IfBranch | Nesting::CaseArm | Nesting::LoopBody | Nesting::Function
                )
            })
    }

    /// True when a failure of this command does not fail the script (`cmd || true`, `if cmd`).
    pub fn failure_ignored(&self) -> bool {
        self.followed_by == Some(Connector::Or)
            || self.negated
            || self
                .nesting
                .iter()
                .any(|n| matches!(n, Nesting::IfCondition | Nesting::LoopCondition))
    }

    /// `set -e`, `set -eux`, `set -o errexit`: later failures of the script stop it.
    pub fn sets_errexit(&self) -> bool {
        self.program() == Some("set") && self.args().iter().any(|w| is_errexit_option(&w.value))
    }

    pub fn in_loop(&self) -> bool {
        self.nesting
            .iter()
            .any(|n| matches!(n, Nesting::LoopBody | Nesting::LoopCondition))
    }
}

/// A shell option word that turns on `errexit`: `-e`, `-eux`, `-euo` (before `pipefail`), or the
/// `errexit` of `-o errexit`.
pub fn is_errexit_option(v: &str) -> bool {
    (v.starts_with('-') && !v.starts_with("--") && v[1..].contains('e')) || v == "errexit"
}

/// The simple commands a RUN (or CMD/ENTRYPOINT) instruction executes, with Dockerfile spans.
///
/// Shell form is split through the `ShellText` map; exec form gives its elements as argv (and a
/// `["sh", "-c", "…"]` script is split too); heredoc bodies are split when they are the script
/// (`RUN <<EOF`, `RUN bash <<EOF`), not when they are data (`RUN python3 <<EOF`). ONBUILD gives
/// nothing here: pass its nested instruction instead.
pub fn commands_of_run(instr: &Instruction) -> Vec<SimpleCommand> {
    script_of_run_impl(instr, None).commands
}

/// As [`commands_of_run`], with the Dockerfile text so that spans are exact where the parsed
/// text differs from the source: `<<-` heredoc bodies (tabs removed) and JSON escapes in exec
/// form.
pub fn commands_of_run_in(instr: &Instruction, source: &str) -> Vec<SimpleCommand> {
    script_of_run_impl(instr, Some(source)).commands
}

/// As [`commands_of_run_in`], with the compound constructs (`if`, `for ((`, `function`, `|&`,
/// ...) that enclose or join the commands.
pub fn script_of_run_in(instr: &Instruction, source: &str) -> Script {
    script_of_run_impl(instr, Some(source))
}

fn script_of_run_impl(instr: &Instruction, source: Option<&str>) -> Script {
    let mut script = Script::default();
    match &instr.args {
        Args::Shell(st) => {
            let map = |i: usize| st.to_source(i);
            script::split_into(&st.text, &map, &[], &[], 0, &mut script);
            let out = &mut script.commands;
            let line_cmds = out.len();
            let mut scripts = Vec::new();
            let mut seen = 0usize;
            let mut markers_only = Vec::new();
            for (k, cmd) in out[..line_cmds].iter().enumerate() {
                for r in &cmd.redirects {
                    if r.op != "<<" && r.op != "<<-" {
                        continue;
                    }
                    let doc = heredoc_for(instr, r, seen);
                    seen += 1;
                    if let Some(doc) = doc {
                        if cmd.nesting.is_empty() && heredoc_is_script(cmd, r) {
                            scripts.push(doc);
                            if cmd.argv.is_empty()
                                && cmd.assignments.is_empty()
                                && markers_only.last() != Some(&k)
                            {
                                markers_only.push(k);
                            }
                        }
                    }
                }
            }
            // `RUN <<EOF` alone: the marker is no command of its own, the body is.
            if !markers_only.is_empty() {
                let mut k = 0;
                let mut drop = markers_only.into_iter().peekable();
                out.retain(|_| {
                    let gone = drop.next_if_eq(&k).is_some();
                    k += 1;
                    !gone
                });
            }
            if line_cmds == 0 && seen == 0 {
                // The parser may leave the line empty when it is only the heredoc marker.
                scripts.extend(instr.heredocs.first());
            }
            for doc in scripts {
                heredoc_commands(doc, source, &mut script);
            }
        }
        Args::Exec(words) if !words.is_empty() => {
            let out = &mut script.commands;
            let argv: Vec<ShellWord> = words
                .iter()
                .map(|w| ShellWord {
                    value: w.value.clone(),
                    raw: w.value.clone(),
                    span: w.span,
                    offsets: None,
                })
                .collect();
            let span = argv
                .iter()
                .map(|w| w.span)
                .reduce(Span::cover)
                .unwrap_or_default();
            let cmd = SimpleCommand {
                assignments: Vec::new(),
                argv,
                redirects: Vec::new(),
                span,
                index: 0,
                preceded_by: None,
                followed_by: None,
                nesting: Vec::new(),
                scopes: Vec::new(),
                negated: false,
            };
            let script_arg = script::shell_c_script(&cmd);
            let is_bare_shell = script_arg.is_none()
                && cmd.argv.len() == 1
                && cmd
                    .program()
                    .is_some_and(|p| matches!(p, "sh" | "bash" | "dash" | "ash" | "zsh"));
            out.push(cmd);
            if let Some(k) = script_arg {
                if let Some(w) = words.get(k) {
                    exec_script(w, source, &mut script);
                }
            } else if is_bare_shell {
                if let Some(doc) = instr.heredocs.first() {
                    heredoc_commands(doc, source, &mut script);
                }
            }
        }
        _ => {}
    }
    for (i, c) in script.commands.iter_mut().enumerate() {
        c.index = i;
    }
    script
}

/// The directory each command runs in, relative to where the script started (`None`: there;
/// `Some("app")` after `cd app`; absolute after `cd /x`; `Some("~")` after a bare `cd`; with a
/// `$` when unknown).
/// A `cd` inside `( … )`, `sh -c` or `$(…)` does not outlive that construct.
pub fn working_dirs(cmds: &[SimpleCommand]) -> Vec<Option<String>> {
    // (scope chain at the cd, resulting directory)
    let mut stack: Vec<(&[usize], Option<String>)> = Vec::new();
    let mut out = Vec::with_capacity(cmds.len());
    for c in cmds {
        // A cd made in a scope that this command is not inside has ended with that scope.
        while stack.last().is_some_and(|(s, _)| !c.scopes.starts_with(s)) {
            stack.pop();
        }
        let here = stack.last().and_then(|(_, d)| d.clone());
        out.push(here.clone());
        if !matches!(c.program(), Some("cd" | "pushd")) {
            continue;
        }
        let target = c.args().iter().find(|w| !w.value.starts_with('-'));
        let next = match target.map(|w| w.value.as_str()) {
            None | Some("~") => Some("~".to_string()),
            Some(t) if t.starts_with('/') || t.starts_with('~') || t.starts_with('$') => {
                let t = t.trim_end_matches('/');
                Some(if t.is_empty() {
                    "/".to_string()
                } else {
                    t.to_string()
                })
            }
            Some(t) => {
                let t = t.trim_start_matches("./").trim_end_matches('/');
                match (&here, t) {
                    (_, "" | ".") => here.clone(),
                    (None, t) => Some(t.to_string()),
                    (Some(h), t) => Some(format!("{}/{t}", h.trim_end_matches('/'))),
                }
            }
        };
        // Past PATH_MAX `cd` fails, and paths that grow with every `cd` would cost quadratic
        // time and memory: the directory becomes unknown, as after `cd $DIR`.
        let next = next.map(|d| {
            if d.len() > 4096 {
                "$PWD".to_string()
            } else {
                d
            }
        });
        stack.push((&c.scopes, next));
    }
    out
}

/// The heredoc a `<<` redirection opens: the one whose marker holds it, else the n-th.
fn heredoc_for<'a>(instr: &'a Instruction, r: &Redirect, n: usize) -> Option<&'a Heredoc> {
    // Heredocs are in the order of their markers, so both searches are binary.
    let docs = &instr.heredocs;
    let holding = docs.partition_point(|h| h.marker_span.start <= r.span.start);
    let held = || docs.partition_point(|h| h.marker_span.start < r.span.start);
    holding
        .checked_sub(1)
        // The first of the markers that start there, as a linear search would find.
        .map(|k| &docs[docs.partition_point(|h| h.marker_span.start < docs[k].marker_span.start)])
        .filter(|h| r.span.start < h.marker_span.end.max(1))
        .or_else(|| {
            docs.get(held())
                .filter(|h| r.span.contains(h.marker_span.start))
        })
        .or_else(|| docs.get(n))
}

/// A heredoc on standard input is the script when it is the whole command or feeds a shell that
/// was given no script of its own.
fn heredoc_is_script(cmd: &SimpleCommand, r: &Redirect) -> bool {
    if r.fd.is_some_and(|fd| fd != 0) {
        return false;
    }
    let Some(prog) = cmd.program() else {
        return true;
    };
    if !matches!(prog, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh") {
        return false;
    }
    // `bash -s`, `sh -e -x`: only options; an operand would be a script file.
    let mut k = 1;
    while k < cmd.argv.len() {
        let v = cmd.argv[k].value.as_str();
        if matches!(v, "-o" | "+o" | "-O" | "+O") {
            k += 2;
            continue;
        }
        if v.starts_with('-') || v.starts_with('+') {
            if !v.starts_with("--") && v[1..].contains('c') {
                return false;
            }
            k += 1;
            continue;
        }
        return false;
    }
    true
}

fn heredoc_commands(doc: &Heredoc, source: Option<&str>, out: &mut Script) {
    let start = doc.body_span.start;
    let end = doc.body_span.end;
    let pieces = source
        .and_then(|s| s.get(start..end))
        .filter(|body| *body != doc.content)
        .map(|body| heredoc_pieces(&doc.content, body, start));
    // Without the source, `<<-` offsets are approximate; clamping keeps spans inside the body.
    let map = move |i: usize| {
        let at = match &pieces {
            Some(p) => piece_map(p, i),
            None => start + i,
        };
        at.min(end.saturating_sub(1)).max(start)
    };
    script::split_into(&doc.content, &map, &[Nesting::HeredocScript], &[], 0, out);
}

/// Line by line, where each content line sits in the source body: at the end of its source line
/// (leading tabs of `<<-` are what differs).
fn heredoc_pieces(content: &str, body: &str, base: usize) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let (mut c_at, mut s_at) = (0usize, 0usize);
    let mut src_lines = body.split_inclusive('\n');
    for line in content.split_inclusive('\n') {
        let src = src_lines.next().unwrap_or("");
        let delta = if src.ends_with(line) {
            src.len() - line.len()
        } else {
            src.len().saturating_sub(src.trim_start_matches('\t').len())
        };
        pieces.push((c_at, base + s_at + delta));
        c_at += line.len();
        s_at += src.len();
    }
    pieces
}

fn piece_map(pieces: &[(usize, usize)], i: usize) -> usize {
    let k = match pieces.binary_search_by(|p| p.0.cmp(&i)) {
        Ok(k) => k,
        Err(0) => return pieces.first().map(|p| p.1).unwrap_or(0) + i,
        Err(k) => k - 1,
    };
    let (c, s) = pieces[k];
    s + (i - c)
}

/// The script element of an exec-form `["sh", "-c", "…"]`. JSON escapes make the decoded text
/// differ from the source; with the source the escapes are decoded again to map exactly.
fn exec_script(w: &crate::syntax::Word, source: Option<&str>, out: &mut Script) {
    let start = w.span.start + 1;
    let end = w.span.end.saturating_sub(1).max(start);
    let offsets = source
        .and_then(|s| s.get(w.span.start..w.span.end))
        .and_then(|raw| json_offsets(raw, &w.value));
    let map = move |i: usize| match &offsets {
        Some(o) => w.span.start + o.get(i).copied().unwrap_or(end - w.span.start),
        None => (start + i).min(end.saturating_sub(1)).max(start),
    };
    script::split_into(&w.value, &map, &[Nesting::ShellC], &[], 0, out);
}

/// For a JSON string literal `raw` (with quotes) decoding to `value`: the offset in `raw` of the
/// escape or character behind each byte of `value`. `None` if it does not decode to `value`.
fn json_offsets(raw: &str, value: &str) -> Option<Vec<usize>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let b = inner.as_bytes();
    let mut out = String::with_capacity(value.len());
    let mut offs = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < b.len() {
        let (ch, len) = if b[i] == b'\\' {
            match b.get(i + 1)? {
                b'"' => ('"', 2),
                b'\\' => ('\\', 2),
                b'/' => ('/', 2),
                b'b' => ('\u{8}', 2),
                b'f' => ('\u{c}', 2),
                b'n' => ('\n', 2),
                b'r' => ('\r', 2),
                b't' => ('\t', 2),
                b'u' => {
                    let hex = inner.get(i + 2..i + 6)?;
                    let cp = u32::from_str_radix(hex, 16).ok()?;
                    if (0xD800..0xDC00).contains(&cp) {
                        let lo = inner.get(i + 8..i + 12)?;
                        let lo = u32::from_str_radix(lo, 16).ok()?;
                        let c = 0x10000 + ((cp - 0xD800) << 10) + (lo.checked_sub(0xDC00)?);
                        (char::from_u32(c)?, 12)
                    } else {
                        (char::from_u32(cp)?, 6)
                    }
                }
                _ => return None,
            }
        } else {
            let c = inner.get(i..)?.chars().next()?;
            (c, c.len_utf8())
        };
        out.push(ch);
        offs.extend(std::iter::repeat_n(i + 1, ch.len_utf8()));
        i += len;
    }
    offs.push(raw.len() - 1);
    (out == value).then_some(offs)
}

#[cfg(test)]
mod tests;

/// What to insert at byte `at` of `text`, just after an argument word, to add the argument
/// `word` after it: ` word` in shell form, `, "word"` after a JSON string of an exec-form RUN.
pub fn argument_insertion(text: &str, at: usize, word: &str) -> String {
    let after = text[at..].trim_start_matches([' ', '\t']);
    if text[..at].ends_with('"') && (after.starts_with(',') || after.starts_with(']')) {
        format!(", \"{word}\"")
    } else {
        format!(" {word}")
    }
}
