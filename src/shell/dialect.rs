//! Syntax and builtins that bash has and POSIX `/bin/sh` lacks, with what dash (Debian's and
//! Ubuntu's `/bin/sh`) and busybox ash (Alpine's) do with each, and a finder for them in a script.
//!
//! The table was checked by running each construct under dash 0.5.12 and busybox 1.35 ash, and
//! against ShellCheck's dash and busybox dialects: where those two disagree on busybox, the
//! construct counts as working there, so that no error is claimed on a doubt.

use super::words::{ParamOp, PartKind};
use super::{Construct, ConstructKind, ShellWord, SimpleCommand};
use crate::syntax::Span;

/// A construct POSIX sh does not define.
#[derive(Debug, PartialEq, Eq)]
pub struct Bashism {
    /// What it is, as a message names it: "`[[ ]]`", "brace expansion".
    pub what: &'static str,
    /// ShellCheck's code for it, as a finding's aliases.
    pub codes: &'static [&'static str],
    /// What dash does with it; `None` when dash runs it as bash does.
    pub dash: Option<&'static str>,
    /// What busybox ash does with it; `None` when it runs it as bash does.
    pub ash: Option<&'static str>,
    /// The POSIX way, for the help.
    pub instead: &'static str,
}

macro_rules! bashisms {
    ($($id:ident: $what:literal, $code:literal, $dash:expr, $ash:expr, $instead:literal;)*) => {
        $(pub static $id: Bashism = Bashism {
            what: $what, codes: &[$code], dash: $dash, ash: $ash, instead: $instead,
        };)*
        /// Every entry, for documentation and alias tables.
        pub static ALL: &[&Bashism] = &[$(&$id),*];
    };
}

const NOT_FOUND: Option<&str> = Some("fails with \"not found\"");
const SYNTAX: Option<&str> = Some("stops with a syntax error");
const BAD_SUBST: Option<&str> = Some("stops with \"Bad substitution\"");

bashisms! {
    TEST_BRACKETS: "`[[ ]]`", "SC3010", NOT_FOUND, None, "use `[ ]`, with `=` and quoted operands";
    TEST_EQ_EQ: "`==` in `[ ]`", "SC3014", Some("fails with \"unexpected operator\""), None, "use `=`";
    SOURCE: "`source`", "SC3046", NOT_FOUND, None, "use `.` (a dot) instead of `source`";
    FUNCTION_KEYWORD: "the `function` keyword", "SC2113", SYNTAX, None, "write `name() { …; }`";
    ARRAY: "arrays", "SC3030", SYNTAX, SYNTAX, "use a space-separated string, or `set --` and `\"$@\"`";
    ARRAY_REF: "array references", "SC3054", BAD_SUBST, BAD_SUBST, "use a space-separated string, or `set --` and `\"$@\"`";
    BRACE_EXPANSION: "brace expansion", "SC3009", Some("keeps the braces as text"), Some("keeps the braces as text"), "write each word out";
    AMP_REDIRECT: "`&>`", "SC3020", Some("runs the command in the background and truncates the file"), None, "use `>file 2>&1`";
    HERE_STRING: "here-strings (`<<<`)", "SC3011", SYNTAX, SYNTAX, "pipe from `printf '%s\\n' \"…\"`, or use a heredoc";
    ANSI_C_QUOTE: "`$'…'` quoting", "SC3003", Some("keeps the `$` and the backslashes as text"), None, "use `printf` to make the characters";
    SUBSTRING: "substring expansion (`${var:0:3}`)", "SC3057", BAD_SUBST, None, "use `cut`, or `${var#…}` and `${var%…}`";
    REPLACE: "replacement expansion (`${var/a/b}`)", "SC3060", BAD_SUBST, None, "use `sed`, or `${var#…}` and `${var%…}`";
    CASE_MOD: "case modification (`${var^^}`)", "SC3059", BAD_SUBST, BAD_SUBST, "use `tr '[:lower:]' '[:upper:]'`";
    INDIRECT: "indirect expansion (`${!var}`)", "SC3053", BAD_SUBST, BAD_SUBST, "use `eval`, with care";
    PIPEFAIL: "`set -o pipefail`", "SC3040", Some("stops with \"Illegal option -o pipefail\""), None, "drop it and check each command of the pipe";
    ECHO_FLAGS: "`echo -e`", "SC3037", Some("prints the `-e` as text"), None, "use `printf`";
    LET: "`let`", "SC3039", NOT_FOUND, None, "use `x=$((…))`";
    ARITH_COMMAND: "standalone `(( ))`", "SC3006", Some("runs it as nested subshells, which does nothing"), Some("runs it as nested subshells, which does nothing"), "use `x=$((…))`, or `[ \"$((…))\" -ne 0 ]`";
    ARITH_FOR: "`for (( ))` loops", "SC3005", SYNTAX, SYNTAX, "use `i=0; while [ \"$i\" -lt N ]; do …; i=$((i + 1)); done`";
    SELECT: "`select` loops", "SC3008", SYNTAX, SYNTAX, "use a `for` loop";
    PLUS_EQUALS: "`+=` assignment", "SC3024", NOT_FOUND, NOT_FOUND, "use `x=\"${x}more\"`";
    BASH_BUILTIN: "a bash builtin", "SC3044", NOT_FOUND, NOT_FOUND, "use plain assignments and `cd`";
    PIPE_ALL: "`|&`", "SC3029", SYNTAX, SYNTAX, "use `2>&1 |`";
    PROCESS_SUB: "process substitution (`<( )`)", "SC3001", SYNTAX, None, "use a temporary file or a pipe";
    PRINTF_Q: "`printf %q`", "SC3050", Some("fails with \"invalid directive\""), Some("fails with \"invalid format\""), "use `printf '%s'` with quoting of your own";
    EXPONENT: "`**` in `$(( ))`", "SC3019", Some("stops with \"expecting primary\""), None, "use repeated multiplication";
    REDIRECT_FILE_AMP: "`>& file`", "SC3021", Some("stops with \"Bad fd number\""), None, "use `>file 2>&1`";
}

/// Builtins of bash that dash and busybox ash do not have.
const BASH_BUILTINS: &[&str] = &[
    "declare",
    "typeset",
    "shopt",
    "pushd",
    "popd",
    "mapfile",
    "readarray",
    "disown",
];

/// A bashism found in a script.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    pub bashism: &'static Bashism,
    pub span: Span,
    /// The command or construct it is in, for a name in the message: `source`, `declare`.
    pub detail: Option<&'static str>,
    /// The command or construct it belongs to: which shell runs that decides.
    pub at: Span,
}

/// The bashisms in `cmds` and `constructs` that `runs_here` accepts (by span: commands that
/// another shell runs, such as the script of `bash -c`, are left out by the caller).
pub fn find(
    cmds: &[SimpleCommand],
    constructs: &[Construct],
    runs_here: impl Fn(Span) -> bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    let at = std::cell::Cell::new(Span::default());
    let mut push = |b: &'static Bashism, span: Span, detail: Option<&'static str>| {
        out.push(Found {
            bashism: b,
            span,
            detail,
            at: at.get(),
        });
    };
    for c in constructs {
        if !runs_here(c.span) {
            continue;
        }
        let b = match c.kind {
            ConstructKind::Test => &TEST_BRACKETS,
            ConstructKind::FunctionKeyword => &FUNCTION_KEYWORD,
            ConstructKind::ArithCommand => &ARITH_COMMAND,
            ConstructKind::ArithFor => &ARITH_FOR,
            ConstructKind::Select => &SELECT,
            ConstructKind::PipeAll => &PIPE_ALL,
            _ => continue,
        };
        at.set(c.span);
        push(b, c.span, None);
    }
    for c in cmds {
        // The command's own span: an `sh -c "…"` word is expanded by the shell running `sh`.
        if !runs_here(c.span) {
            continue;
        }
        at.set(c.span);
        let args = c.args();
        let arg = |k: usize| args.get(k).map(|w| w.value.as_str());
        match c.program() {
            Some("[" | "test") => {
                if let Some(w) = args.iter().find(|w| w.value == "==" && w.raw == "==") {
                    push(&TEST_EQ_EQ, w.span, None);
                }
            }
            Some("source") => push(&SOURCE, c.argv[0].span, None),
            Some("let") => push(&LET, c.argv[0].span, None),
            Some("echo") => {
                if let Some(w) = args.first().filter(|w| is_echo_e(&w.value)) {
                    push(&ECHO_FLAGS, w.span, None);
                }
            }
            Some("set") => {
                let pipefail = args.iter().enumerate().find(|(k, w)| {
                    w.value == "pipefail"
                        && k.checked_sub(1).and_then(arg).is_some_and(|o| {
                            o.len() > 1
                                && o.starts_with(['-', '+'])
                                && o.ends_with('o')
                                && o[1..].bytes().all(|b| b.is_ascii_alphabetic())
                        })
                });
                if let Some((_, w)) = pipefail {
                    push(&PIPEFAIL, w.span, None);
                }
            }
            Some("printf") => {
                let format = args.iter().find(|w| !w.value.starts_with('-'));
                if let Some(w) = format.filter(|w| w.value.contains("%q")) {
                    push(&PRINTF_Q, w.span, None);
                }
            }
            Some(p) if c.argv[0].raw == p => {
                if let Some(b) = BASH_BUILTINS.iter().find(|b| **b == p) {
                    push(&BASH_BUILTIN, c.argv[0].span, Some(b));
                }
            }
            _ => {}
        }
        for a in &c.assignments {
            if let Some((name, _)) = a.raw.split_once('=') {
                if name.ends_with('+') && super::words::is_name(&name[..name.len() - 1]) {
                    push(&PLUS_EQUALS, a.span, None);
                }
            }
        }
        let in_test = c.program() == Some("[[");
        let words = c.assignments.iter().map(|w| (w, true));
        let words = words.chain(c.argv.iter().map(|w| (w, false)));
        let targets = c.redirects.iter().filter_map(|r| r.target.as_ref());
        for (w, assignment) in words.chain(targets.map(|w| (w, false))) {
            word_bashisms(w, assignment || in_test, &mut push);
        }
        for r in &c.redirects {
            match r.op.as_str() {
                "&>" | "&>>" => push(&AMP_REDIRECT, r.span, None),
                "<<<" => push(&HERE_STRING, r.span, None),
                ">&" if r.fd.is_none() => {
                    let to_file = r.target.as_ref().is_some_and(|t| {
                        !t.value.is_empty()
                            && t.value != "-"
                            && !t.value.bytes().all(|b| b.is_ascii_digit())
                            && !t.has_expansion()
                    });
                    if to_file {
                        push(&REDIRECT_FILE_AMP, r.span, None);
                    }
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|f| (f.span.start, f.span.end));
    // A word of `sh -c "…"` is read twice: as the outer shell expands it, and as the script.
    out.dedup_by(|a, b| a.span == b.span && std::ptr::eq(a.bashism, b.bashism));
    out
}

/// `-e`, `-ne`, `-en`, `-E`: flags dash's echo prints instead of taking (`-n` alone it takes).
fn is_echo_e(v: &str) -> bool {
    v.len() > 1
        && v.starts_with('-')
        && v[1..].bytes().all(|b| matches!(b, b'n' | b'e' | b'E'))
        && v[1..].bytes().any(|b| matches!(b, b'e' | b'E'))
}

fn word_bashisms(
    w: &ShellWord,
    no_brace_expansion: bool,
    push: &mut impl FnMut(&'static Bashism, Span, Option<&'static str>),
) {
    // Most words are plain: only words with a character that can start a bashism are read.
    if !w
        .raw
        .bytes()
        .any(|b| matches!(b, b'$' | b'{' | b'(' | b'<' | b'>'))
    {
        return;
    }
    for p in w.parts() {
        let b = match &p.kind {
            PartKind::ArrayLiteral => &ARRAY,
            PartKind::Brace if !no_brace_expansion => &BRACE_EXPANSION,
            PartKind::AnsiC => &ANSI_C_QUOTE,
            PartKind::ProcessSub => &PROCESS_SUB,
            PartKind::Arith if w.raw[p.start..p.end].contains("**") => &EXPONENT,
            PartKind::Param(param) => match param.op {
                _ if param.subscript => &ARRAY_REF,
                ParamOp::Substring => &SUBSTRING,
                ParamOp::Replace => &REPLACE,
                ParamOp::CaseMod => &CASE_MOD,
                ParamOp::Indirect => &INDIRECT,
                _ => continue,
            },
            _ => continue,
        };
        push(b, p.span, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&'static str, String)> {
        let script = super::super::script::script_of_text(text, |i| i);
        find(&script.commands, &script.constructs, |_| true)
            .iter()
            .map(|f| {
                (
                    f.bashism.codes[0],
                    text[f.span.start..f.span.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn each_bashism_and_its_posix_counterpart() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("[[ -f x ]] && echo", &[("SC3010", "[[")]),
            ("[ -f x ] && echo", &[]),
            ("[ \"$a\" == b ]", &[("SC3014", "==")]),
            ("[ \"$a\" = b ]", &[]),
            ("test a == b", &[("SC3014", "==")]),
            ("source venv/bin/activate", &[("SC3046", "source")]),
            (". venv/bin/activate", &[]),
            ("echo source", &[]),
            ("function f { :; }", &[("SC2113", "function")]),
            ("f() { :; }", &[]),
            ("a=(1 2)", &[("SC3030", "(1 2)")]),
            ("echo \"${a[1]}\"", &[("SC3054", "${a[1]}")]),
            ("mkdir -p /a/{b,c}", &[("SC3009", "{b,c}")]),
            ("mkdir -p /a/b /a/c", &[]),
            ("find . -exec rm {} +", &[]),
            ("echo '{a,b}' \"{a,b}\"", &[]),
            ("x={a,b}", &[]),
            ("make &> log", &[("SC3020", "&> log")]),
            ("make > log 2>&1", &[]),
            ("cat <<< hi", &[("SC3011", "<<< hi")]),
            ("echo $'a\\tb'", &[("SC3003", "$'a\\tb'")]),
            ("echo \"$'x'\"", &[]),
            ("echo \"${v:0:3}\"", &[("SC3057", "${v:0:3}")]),
            ("echo \"${v:-x}\"", &[]),
            ("echo ${v//a/b}", &[("SC3060", "${v//a/b}")]),
            ("echo ${v##*/}", &[]),
            ("echo ${v^^}", &[("SC3059", "${v^^}")]),
            ("echo ${!v}", &[("SC3053", "${!v}")]),
            ("echo $!", &[]),
            ("set -o pipefail && x", &[("SC3040", "pipefail")]),
            ("set -euxo pipefail", &[("SC3040", "pipefail")]),
            ("set -eux", &[]),
            ("echo pipefail", &[]),
            ("echo -e 'a\\nb'", &[("SC3037", "-e")]),
            ("echo -n x", &[]),
            ("echo x -e", &[]),
            ("let x=1", &[("SC3039", "let")]),
            ("((n++))", &[("SC3006", "((")]),
            ("n=$((n + 1))", &[]),
            ("for ((i=0;i<3;i++)); do :; done", &[("SC3005", "for")]),
            ("for i in 1 2; do :; done", &[]),
            ("x+=1", &[("SC3024", "x+=1")]),
            ("declare -x A=1", &[("SC3044", "declare")]),
            ("export A=1", &[]),
            ("make |& tee log", &[("SC3029", "|&")]),
            ("make 2>&1 | tee log", &[]),
            (
                "diff <(ls a) <(ls b)",
                &[("SC3001", "<(ls a)"), ("SC3001", "<(ls b)")],
            ),
            ("printf '%q' x", &[("SC3050", "'%q'")]),
            ("printf '%s' x", &[]),
            ("echo $((2**3))", &[("SC3019", "$((2**3))")]),
            ("echo hi >& /dev/null", &[("SC3021", ">& /dev/null")]),
            ("echo hi >&2", &[]),
            ("[[ $a == {x,y} ]]", &[("SC3010", "[[")]),
        ];
        for (text, want) in cases {
            let want: Vec<_> = want.iter().map(|(c, t)| (*c, t.to_string())).collect();
            assert_eq!(found(text), want, "{text}");
        }
    }
}
