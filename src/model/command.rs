//! The command a container from a stage runs: ENTRYPOINT and CMD combined into simple commands
//! (argv words with their places), split at shell operators, with wrappers like `tini --` removed.

use super::{path, Model, Stage, VarKind};
use crate::syntax::{Args, Span};

/// One word of the command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// The word with quotes removed (shell form) or as decoded (exec form).
    pub value: String,
    pub span: Span,
    /// The word holds an expansion, a glob or a substitution the model cannot resolve.
    pub opaque: bool,
}

/// One simple command of the container's command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    pub words: Vec<Arg>,
    /// The directory it runs in: the final WORKDIR, or where an earlier `cd` went.
    pub workdir: String,
    /// It runs as the arguments of an entrypoint script, which usually `exec "$@"` but may do
    /// anything first, or as (part of) a `package.json` script.
    pub via_script: bool,
    /// The package-manager command whose `package.json` script this comes from, as written
    /// (`npm run start`), or the entrypoint script that `exec`s it (`/app/entrypoint.sh`).
    pub via: Option<String>,
}

impl Invocation {
    pub fn program(&self) -> Option<&str> {
        self.words.first().map(|w| path::base_name(&w.value))
    }
}

/// The simple commands a container from `stage` runs, in order. Empty without CMD/ENTRYPOINT.
pub fn invocations(m: &Model, stage: &Stage) -> Vec<Invocation> {
    let mut argv: Vec<Arg> = Vec::new();
    let mut shell_text: Option<(String, Vec<Span>)> = None;
    let workdir = stage.end_state.workdir.to_string();
    let instr_args = |i: usize| &m.instruction(i).args;
    match (stage.entrypoint, stage.cmd) {
        (Some(ep), cmd) => match instr_args(ep) {
            Args::Exec(words) => {
                argv.extend(words.iter().map(exec_arg));
                match cmd.map(instr_args) {
                    Some(Args::Exec(cw)) => argv.extend(cw.iter().map(exec_arg)),
                    Some(Args::Shell(s)) => {
                        let sp = s.span(0, s.text.len());
                        for v in ["/bin/sh", "-c", s.text.as_str()] {
                            argv.push(Arg {
                                value: v.to_string(),
                                span: sp,
                                opaque: false,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Args::Shell(s) => shell_text = Some(shell_words(s)),
            _ => return Vec::new(),
        },
        (None, Some(c)) => match instr_args(c) {
            Args::Exec(words) => argv.extend(words.iter().map(exec_arg)),
            Args::Shell(s) => shell_text = Some(shell_words(s)),
            _ => return Vec::new(),
        },
        (None, None) => return Vec::new(),
    }
    let mut out = Vec::new();
    let words = match shell_text {
        Some((text, spans)) => tokenize(&text, &|a, b| spans_cover(&spans, a, b)),
        None => argv.into_iter().map(Token::Word).collect(),
    };
    let scripts = |workdir: &str, words: &[&str]| {
        let call = super::wrappers::script_call(words, workdir)?;
        let text = super::wrappers::script_text(m, stage, &call)?;
        Some((text, call.dir))
    };
    // An entrypoint script the image holds: from the build context or a heredoc.
    let entry_script = |workdir: &str, word: &str| {
        let abs = path::resolve(workdir, word);
        let found = m.lookup(stage.index, &abs, stage.instrs.end).found?;
        match found.origin? {
            super::Origin::Context(rel) => m.context?.read_to_string(&rel, MAX_ENTRY_SCRIPT),
            super::Origin::Heredoc(name) => m
                .instruction(found.instr)
                .heredocs
                .iter()
                .find(|h| h.name == name)
                .map(|h| h.content.clone()),
            _ => None,
        }
    };
    let ctx = Split {
        scripts: &scripts,
        entry_script: &entry_script,
        via: None,
    };
    split(words, workdir, false, &ctx, &mut out, 0);
    out
}

/// Given the working directory and a simple command, the text and directory of the
/// `package.json` script it runs, if it is a package-manager command running one.
type ScriptLookup<'a> = &'a dyn Fn(&str, &[&str]) -> Option<(String, String)>;

/// Given the working directory and the script word, the text of an entrypoint script.
type EntryScriptLookup<'a> = &'a dyn Fn(&str, &str) -> Option<String>;

/// Entrypoint scripts are read up to this size.
const MAX_ENTRY_SCRIPT: usize = 64 * 1024;

/// What the splitting of one command line needs beyond its words.
struct Split<'a> {
    scripts: ScriptLookup<'a>,
    entry_script: EntryScriptLookup<'a>,
    /// The package-manager command these words come from.
    via: Option<String>,
}

fn exec_arg(w: &crate::syntax::Word) -> Arg {
    Arg {
        value: w.value.clone(),
        span: w.span,
        // Exec form does no expansion: a `$` reaches the program as written.
        opaque: w.value.contains('$'),
    }
}

/// The shell-form text and, per byte, its source span (continuations make the mapping uneven).
fn shell_words(s: &crate::syntax::ShellText) -> (String, Vec<Span>) {
    let spans = (0..s.text.len()).map(|i| s.span(i, i + 1)).collect();
    (s.text.clone(), spans)
}

fn spans_cover(spans: &[Span], a: usize, b: usize) -> Span {
    match (spans.get(a), spans.get(b.saturating_sub(1))) {
        (Some(x), Some(y)) => x.cover(*y),
        (Some(x), None) => *x,
        _ => Span::default(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(Arg),
    /// `&&`, `||`, `;`, `|`, `&`, a newline.
    Op,
}

/// Split shell text into words and operators, as far as a linter can without running a shell.
fn tokenize(text: &str, span: &dyn Fn(usize, usize) -> Span) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b' ' || c == b'\t' {
            i += 1;
            continue;
        }
        if matches!(c, b';' | b'&' | b'|' | b'\n') {
            i += if i + 1 < b.len() && (b[i + 1] == c) {
                2
            } else {
                1
            };
            out.push(Token::Op);
            continue;
        }
        let start = i;
        let mut value = String::new();
        let mut opaque = false;
        let mut quote: Option<u8> = None;
        while i < b.len() {
            let c = b[i];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {
                    if c == b'$' || c == b'`' {
                        opaque = true;
                    }
                    value.push(c as char);
                }
                None => {
                    // `2>&1`: the `&` belongs to the redirection, not an operator.
                    if c == b'>' && b.get(i + 1) == Some(&b'&') {
                        value.push_str(">&");
                        i += 2;
                        continue;
                    }
                    if matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|') {
                        break;
                    }
                    if c == b'\'' || c == b'"' {
                        quote = Some(c);
                    } else {
                        if matches!(c, b'$' | b'`' | b'*' | b'?' | b'[' | b'~' | b'(' | b')') {
                            opaque = true;
                        }
                        if c == b'\\' && i + 1 < b.len() {
                            i += 1;
                        }
                        value.push(b[i] as char);
                    }
                }
            }
            i += 1;
        }
        // Non-ASCII bytes were pushed one by one; rebuild from the source slice in that case.
        if !text.is_char_boundary(start) || !text.is_char_boundary(i) || !value.is_ascii() {
            value = text
                .get(start..i)
                .unwrap_or_default()
                .replace(['"', '\''], "");
        }
        let redirect = value.starts_with(['>', '<'])
            || value
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with('>');
        if redirect {
            // `> file` takes the next word as its target; `>file` and `2>&1` stand alone.
            if value.trim_end_matches(['>', '<', '&']).is_empty()
                || value.ends_with('>') && !value.ends_with(">&")
            {
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\n' | b';' | b'&' | b'|') {
                    i += 1;
                }
            }
            continue;
        }
        out.push(Token::Word(Arg {
            value,
            span: span(start, i),
            opaque,
        }));
    }
    out
}

const WRAPPERS: &[&str] = &["exec", "nohup", "time", "nice", "setsid", "stdbuf"];
const INITS: &[&str] = &["tini", "tini-static", "dumb-init", "catatonit"];
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh"];

fn split(
    tokens: Vec<Token>,
    mut workdir: String,
    via_script: bool,
    ctx: &Split,
    out: &mut Vec<Invocation>,
    depth: usize,
) {
    let mut segment: Vec<Arg> = Vec::new();
    let mut segments = Vec::new();
    for t in tokens {
        match t {
            Token::Word(a) => segment.push(a),
            Token::Op => segments.push(std::mem::take(&mut segment)),
        }
    }
    segments.push(segment);
    for seg in segments {
        let words = strip_wrappers(seg);
        let Some(first) = words.first() else { continue };
        let prog = path::base_name(&first.value).to_string();
        if prog == "cd" {
            match words.get(1) {
                Some(d) if !d.opaque => workdir = path::resolve(&workdir, &d.value),
                _ => workdir = String::new(),
            }
            continue;
        }
        if SHELLS.contains(&prog.as_str()) && depth < 4 {
            // `sh -c "…"`: the string is a command line of its own.
            if let Some(pos) = words.iter().position(|w| {
                w.value.starts_with('-') && !w.value.starts_with("--") && w.value.ends_with('c')
            }) {
                if let Some(script) = words.get(pos + 1) {
                    let sp = script.span;
                    let inner = tokenize(&script.value, &|_, _| sp);
                    split(inner, workdir.clone(), via_script, ctx, out, depth + 1);
                }
                continue;
            }
        }
        // `npm start`, `yarn serve`: the container runs the package.json script.
        let values: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
        let script = match depth < 4 && !words.iter().any(|w| w.opaque) {
            true => (ctx.scripts)(&workdir, &values),
            false => None,
        };
        if let Some((text, dir)) = script {
            let sp = first.span.cover(words[words.len() - 1].span);
            let inner = tokenize(&text, &|_, _| sp);
            let label = values.join(" ");
            out.push(Invocation {
                words: words.clone(),
                workdir: workdir.clone(),
                via_script,
                via: ctx.via.clone(),
            });
            let nested = Split {
                scripts: ctx.scripts,
                entry_script: ctx.entry_script,
                via: Some(ctx.via.clone().unwrap_or(label)),
            };
            split(inner, dir, true, &nested, out, depth + 1);
            continue;
        }
        let script_entry = first.value.contains('/')
            && (first.value.ends_with(".sh") || prog.contains("entrypoint"));
        let script = match script_entry && depth < 4 && !first.opaque {
            true => (ctx.entry_script)(&workdir, &first.value),
            false => None,
        };
        let span = first.span;
        let script_word = first.value.clone();
        let rest: Vec<Arg> = words[1..].to_vec();
        out.push(Invocation {
            words,
            workdir: workdir.clone(),
            via_script,
            via: ctx.via.clone(),
        });
        if !script_entry || depth >= 4 {
            continue;
        }
        // The script runs its arguments (`exec "$@"`) unless it is read and never uses them.
        let passes_args = script
            .as_deref()
            .is_none_or(|t| t.contains("$@") || t.contains("${@}"));
        if passes_args && !rest.is_empty() {
            let toks = rest.into_iter().map(Token::Word).collect();
            split(toks, workdir.clone(), true, ctx, out, depth + 1);
        }
        // And what it `exec`s of its own (`exec gunicorn -b :8000 app:app`), said to come
        // from the script.
        let nested = Split {
            scripts: ctx.scripts,
            entry_script: ctx.entry_script,
            via: Some(ctx.via.clone().unwrap_or(script_word)),
        };
        for line in script.as_deref().map(exec_lines).unwrap_or_default() {
            let inner = tokenize(&line, &|_, _| span);
            split(inner, workdir.clone(), true, &nested, out, depth + 1);
        }
    }
}

/// The commands an entrypoint script hands the process to, `exec "$@"` aside: the text after
/// each `exec` that starts a command (at most 16), continuation lines joined.
fn exec_lines(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut logical = String::new();
    for raw in script.lines() {
        let line = raw.trim_end();
        if let Some(part) = line.strip_suffix('\\') {
            logical.push_str(part);
            logical.push(' ');
            continue;
        }
        logical.push_str(line);
        let l = std::mem::take(&mut logical);
        let mut t = l.trim();
        if t.starts_with('#') {
            continue;
        }
        for kw in ["then ", "else ", "do "] {
            t = t.strip_prefix(kw).map_or(t, str::trim_start);
        }
        let Some(cmd) = t.strip_prefix("exec ").map(str::trim) else {
            continue;
        };
        // `exec "$@"`, `exec >log 2>&1`, `exec $CMD`: the arguments, a redirection, unknown.
        if cmd.starts_with(['"', '$', '>', '<', '1', '2']) || cmd.is_empty() {
            continue;
        }
        out.push(cmd.to_string());
        if out.len() == 16 {
            break;
        }
    }
    out
}

/// Drop what only prepares the real command: `exec`, `env A=b`, `tini --`, `gosu user`.
fn strip_wrappers(mut w: Vec<Arg>) -> Vec<Arg> {
    loop {
        let Some(first) = w.first() else { return w };
        let prog = path::base_name(&first.value).to_string();
        if is_assignment(&first.value) || WRAPPERS.contains(&prog.as_str()) {
            w.remove(0);
        } else if prog == "env" || prog == "cross-env" {
            w.remove(0);
            while w
                .first()
                .is_some_and(|a| a.value.starts_with('-') || is_assignment(&a.value))
            {
                w.remove(0);
            }
        } else if INITS.contains(&prog.as_str()) {
            w.remove(0);
            while let Some(a) = w.first() {
                if a.value == "--" {
                    w.remove(0);
                    break;
                }
                if !a.value.starts_with('-') {
                    break;
                }
                w.remove(0);
            }
        } else if matches!(prog.as_str(), "gosu" | "su-exec" | "s6-setuidgid") && w.len() > 1 {
            w.drain(..2);
        } else {
            return w;
        }
    }
}

fn is_assignment(s: &str) -> bool {
    s.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty()
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !k.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The value of an ENV variable in force at the end of `stage` (ARGs do not reach the container).
pub fn env_at_end<'a>(m: &'a Model, stage: &'a Stage, name: &str) -> Option<&'a str> {
    env_def(m, stage, name)?.value.as_deref()
}

/// The ENV definition of `name` in force at the end of `stage`.
pub fn env_def<'a>(_m: &'a Model, stage: &'a Stage, name: &str) -> Option<&'a super::VarDef> {
    stage
        .vars
        .iter()
        .rev()
        .find(|d| d.kind == VarKind::Env && d.name == name)
}

/// Resolve `$NAME`, `${NAME}` and `${NAME:-default}` in a word against the container's ENV.
pub fn expand_env(m: &Model, stage: &Stage, word: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = word;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos + 1..];
        let (name, default, len) = if let Some(r) = rest.strip_prefix('{') {
            let end = r.find('}')?;
            let inner = &r[..end];
            match inner.split_once(":-").or_else(|| inner.split_once('-')) {
                Some((n, d)) => (n, Some(d), end + 2),
                None => (inner, None, end + 2),
            }
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (&rest[..end], None, end)
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        match (env_at_end(m, stage, name), default) {
            (Some(v), _) if !v.is_empty() => out.push_str(v),
            (_, Some(d)) if !d.contains('$') => out.push_str(d),
            _ => return None,
        }
        rest = &rest[len..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text, &|_, _| Span::default())
            .into_iter()
            .map(|t| match t {
                Token::Word(a) => a.value,
                Token::Op => "<op>".into(),
            })
            .collect()
    }

    #[test]
    fn tokenizes_shell_text() {
        assert_eq!(
            words("cd /app && exec python 'server.py' --port=80 > /dev/null 2>&1"),
            [
                "cd",
                "/app",
                "<op>",
                "exec",
                "python",
                "server.py",
                "--port=80"
            ]
        );
        assert_eq!(words("a;b|c"), ["a", "<op>", "b", "<op>", "c"]);
    }

    #[test]
    fn strips_wrappers() {
        let arg = |v: &str| Arg {
            value: v.into(),
            span: Span::default(),
            opaque: false,
        };
        let w: Vec<Arg> = [
            "/usr/bin/tini",
            "--",
            "env",
            "A=1",
            "gosu",
            "app",
            "node",
            "x.js",
        ]
        .into_iter()
        .map(arg)
        .collect();
        let s: Vec<String> = strip_wrappers(w).into_iter().map(|a| a.value).collect();
        assert_eq!(s, ["node", "x.js"]);
    }
}
