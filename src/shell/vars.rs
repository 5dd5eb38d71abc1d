//! The shell variables a script sets for itself and the ones it reads, for checks of names that
//! nothing defines.

use std::collections::HashSet;

use super::words::{is_name, ParamOp, PartKind};
use super::{Connector, Construct, ConstructKind, Nesting, ShellWord, SimpleCommand};
use crate::syntax::Span;

/// Variables that the shell itself, or the container runtime, sets for every RUN: a script may
/// read them without defining them.
pub const SET_BY_SHELL: &[&str] = &[
    "HOME",
    "PATH",
    "PWD",
    "OLDPWD",
    "IFS",
    "PPID",
    "LINENO",
    "OPTARG",
    "OPTIND",
    "RANDOM",
    "SECONDS",
    "HOSTNAME",
    "SHELL",
    "SHLVL",
    "UID",
    "EUID",
    "GROUPS",
    "HOSTTYPE",
    "OSTYPE",
    "MACHTYPE",
    "PS1",
    "PS2",
    "PS4",
    "PIPESTATUS",
    "FUNCNAME",
    "REPLY",
    "MAPFILE",
    "COLUMNS",
    "LINES",
    "TERM",
    "USER",
    "LOGNAME",
    "EPOCHSECONDS",
    "EPOCHREALTIME",
    "SRANDOM",
];

/// What a script assigns.
#[derive(Debug, Default)]
pub struct Assigned {
    pub names: HashSet<String>,
    /// The script may set names this reading cannot see: `eval`, `source`, `export "$x"`.
    pub dynamic: bool,
}

/// The names the commands of a script assign: `NAME=value`, `export`/`local`/`readonly`/
/// `declare`, `read`, `for NAME in`, `getopts`, `printf -v`, `${NAME:=default}`. `text` is the
/// Dockerfile source that the spans point into.
pub fn assigned(cmds: &[SimpleCommand], constructs: &[Construct], text: &str) -> Assigned {
    let mut out = Assigned::default();
    let add = |out: &mut Assigned, w: &str| {
        let name = w
            .split(['=', '['])
            .next()
            .unwrap_or("")
            .trim_end_matches('+');
        if is_name(name) {
            out.names.insert(name.to_string());
        } else if w.contains(['$', '`']) {
            out.dynamic = true;
        }
    };
    for c in cmds {
        for a in &c.assignments {
            add(&mut out, &a.value);
        }
        for w in c
            .argv
            .iter()
            .chain(c.redirects.iter().filter_map(|r| r.target.as_ref()))
        {
            assigns_by_default(w, &mut out.names);
        }
        let args = c.args();
        match c.program().unwrap_or("") {
            "export" | "readonly" | "local" | "declare" | "typeset" | "let" | "read" => {
                for a in args.iter().filter(|a| !a.value.starts_with('-')) {
                    add(&mut out, &a.value);
                }
            }
            "getopts" => {
                if let Some(a) = args.get(1) {
                    add(&mut out, &a.value);
                }
            }
            "mapfile" | "readarray" => {
                if let Some(a) = args.last().filter(|a| !a.value.starts_with('-')) {
                    add(&mut out, &a.value);
                }
            }
            "printf" => {
                if let Some(k) = args.iter().position(|a| a.value == "-v") {
                    if let Some(a) = args.get(k + 1) {
                        add(&mut out, &a.value);
                    }
                }
            }
            "eval" | "source" | "." => out.dynamic = true,
            _ => {}
        }
    }
    for k in constructs {
        if matches!(k.kind, ConstructKind::For | ConstructKind::Select) {
            let rest = text.get(k.span.end..).unwrap_or("");
            let rest = rest.trim_start_matches([' ', '\t', '\\', '\n', '\r']);
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if is_name(&rest[..end]) {
                out.names.insert(rest[..end].to_string());
            }
        }
    }
    out
}

/// `${NAME:=default}` and `${NAME=default}` assign the name.
fn assigns_by_default(w: &ShellWord, names: &mut HashSet<String>) {
    if !w.raw.contains("=") || !w.raw.contains("${") {
        return;
    }
    for p in w.parts() {
        if let PartKind::Param(param) = p.kind {
            if param.op == ParamOp::Assign && is_name(&param.name) {
                names.insert(param.name);
            }
        }
    }
}

/// A read of a named variable whose value the script uses as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRead {
    pub name: String,
    /// The whole expansion, `$NAME` or `${NAME…}`.
    pub span: Span,
}

/// The reads of named variables in the words the shell expands: `$NAME`, `${NAME}`,
/// `${NAME%.tar}`. Not `${NAME:-default}` and the like, which say what happens when the name is
/// unset, nor the operands of `[`, `test` and `[[`, where the script asks whether it is set.
/// With `shell_only`, just the commands of nested shell scripts (`sh -c '…'`): the rest of an
/// exec-form RUN reaches no shell.
pub fn reads(cmds: &[SimpleCommand], shell_only: bool) -> Vec<VarRead> {
    let mut out = Vec::new();
    for c in cmds {
        if shell_only && !c.nesting.contains(&Nesting::ShellC) {
            continue;
        }
        if matches!(c.program(), Some("[" | "test" | "[[")) {
            continue;
        }
        let targets = c
            .redirects
            .iter()
            .filter(|r| !r.op.starts_with("<<") || r.op == "<<<")
            .filter_map(|r| r.target.as_ref());
        for w in c.assignments.iter().chain(&c.argv).chain(targets) {
            if !w.raw.contains('$') {
                continue;
            }
            for p in w.parts() {
                let PartKind::Param(param) = p.kind else {
                    continue;
                };
                let as_is = matches!(
                    param.op,
                    ParamOp::Plain
                        | ParamOp::RemovePrefix
                        | ParamOp::RemoveSuffix
                        | ParamOp::Substring
                        | ParamOp::Replace
                        | ParamOp::CaseMod
                );
                if as_is && is_name(&param.name) {
                    out.push(VarRead {
                        name: param.name,
                        span: p.span,
                    });
                }
            }
        }
    }
    out
}

/// Programs that take `$` in an argument as text of their own: interpreters and their
/// wrappers (`sh -c`, `su -c`, `find -exec`), text tools and languages with a `$` syntax (`sed`,
/// `awk`, `perl`, `jq`), templating (`envsubst`), and writers of literal text (`echo`,
/// `printf`), whose single-quoted `$NAME` is usually a line of a script or config being written.
pub const TAKE_LITERAL_DOLLAR: &[&str] = &[
    "sh",
    "bash",
    "dash",
    "ash",
    "zsh",
    "ksh",
    "busybox",
    "su",
    "runuser",
    "sudo",
    "eval",
    "exec",
    "trap",
    "alias",
    "env",
    "xargs",
    "find",
    "parallel",
    "watch",
    "script",
    "sed",
    "gsed",
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "perl",
    "python",
    "python2",
    "python3",
    "ruby",
    "node",
    "php",
    "lua",
    "tclsh",
    "jq",
    "yq",
    "gojq",
    "envsubst",
    "m4",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "echo",
    "printf",
    "cat",
    "tee",
    "expr",
    "test",
    "[",
    "psql",
    "mysql",
    "sqlite3",
    "make",
    "cmake",
    "docker-php-source",
    "crontab",
    "ssh",
    "expect",
    "powershell",
    "pwsh",
    "cmd",
    "msbuild",
    "mvn",
    "gradle",
    "ant",
    "patchelf",
    "chrpath",
    "ld",
    "gcc",
    "cc",
    "clang",
    "configure",
];

/// Programs whose configuration values may hold a `${NAME}` that they expand themselves when
/// they read it (`npm config set //registry/:_authToken '${NPM_TOKEN}'`), or a shell snippet
/// (`git config alias.x '!f() { …; }; f'`).
const CONFIG_EXPANDS: &[&str] = &["git", "npm", "yarn", "pnpm"];

/// Programs that write their arguments as text, to a file or a pipe.
pub const TEXT_WRITERS: &[&str] = &["echo", "printf"];

/// The command that reads what `c` writes, when `c` writes into a pipe (`echo … | pecl install`).
pub fn piped_into<'a>(cmds: &'a [SimpleCommand], c: &SimpleCommand) -> Option<&'a SimpleCommand> {
    if c.followed_by != Some(Connector::Pipe) {
        return None;
    }
    cmds[c.index + 1..]
        .iter()
        .find(|n| n.scopes == c.scopes && n.nesting == c.nesting)
        .filter(|n| n.preceded_by == Some(Connector::Pipe))
}

/// Does word `k` of `c` go to a program that takes a `$` as its own text: the program itself, a
/// program that a wrapper before the word runs (`sudo -u app sh -c '…'`, `find . -exec sh -c`),
/// or a `config` subcommand of a tool that expands `${NAME}` in its configuration?
pub fn word_takes_literal_dollar(c: &SimpleCommand, k: usize) -> bool {
    let base = |w: &ShellWord| {
        let v = w.value.trim_end_matches('/');
        v.rsplit('/').next().unwrap_or(v).to_string()
    };
    let before = &c.argv[..k.min(c.argv.len())];
    before.iter().any(|w| takes_literal_dollar(&base(w)))
        || before
            .first()
            .is_some_and(|w| CONFIG_EXPANDS.contains(&base(w).as_str()))
            && before[1..]
                .iter()
                .any(|w| w.value == "config" || w.value == "-c")
}

/// Does `program` (a basename; `python3.12` counts as `python3`) take a literal `$`?
pub fn takes_literal_dollar(program: &str) -> bool {
    let base = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    TAKE_LITERAL_DOLLAR.contains(&program) || TAKE_LITERAL_DOLLAR.contains(&base)
}

/// The names that single-quoted text would expand if it were double-quoted: `$NAME` and
/// `${NAME…}`, with their byte ranges in `text`.
pub fn dollar_names(text: &str) -> Vec<(&str, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let braced = b.get(i + 1) == Some(&b'{');
        let start = i + 1 + usize::from(braced);
        let mut end = start;
        while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
            end += 1;
        }
        let name = &text[start..end];
        if is_name(name)
            && (!braced || matches!(b.get(end), Some(b'}' | b':' | b'-' | b'%' | b'#')))
        {
            let close = if braced {
                text[end..].find('}').map_or(end, |k| end + k + 1)
            } else {
                end
            };
            out.push((name, i, close));
        }
        i = end.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::shell::script::script_of_text;

    fn assigned(s: &str) -> (Vec<String>, bool) {
        let script = script_of_text(s, |i| i);
        let a = super::assigned(&script.commands, &script.constructs, s);
        let mut names: Vec<String> = a.names.into_iter().collect();
        names.sort();
        (names, a.dynamic)
    }

    fn reads(s: &str) -> Vec<String> {
        let script = script_of_text(s, |i| i);
        super::reads(&script.commands, false)
            .into_iter()
            .map(|r| format!("{}@{}", r.name, &s[r.span.start..r.span.end]))
            .collect()
    }

    #[test]
    fn what_a_script_assigns() {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(assigned("A=1 B+=2 make"), (n(&["A", "B"]), false));
        assert_eq!(
            assigned("export X=1 Y; local -r Z; readonly W=2"),
            (n(&["W", "X", "Y", "Z"]), false)
        );
        assert_eq!(
            assigned("while IFS= read -r line; do :; done"),
            (n(&["IFS", "line"]), false)
        );
        assert_eq!(
            assigned("for f in *.tar; do tar xf \"$f\"; done"),
            (n(&["f"]), false)
        );
        assert_eq!(assigned("for \\\n  f in a; do :; done"), (n(&["f"]), false));
        assert_eq!(
            assigned(": \"${V:=1}\" ${W=2} ${X:-3}"),
            (n(&["V", "W"]), false)
        );
        assert_eq!(
            assigned("getopts ab opt; printf -v out %s x; mapfile lines"),
            (n(&["lines", "opt", "out"]), false)
        );
        assert!(assigned(". /etc/os-release").1);
        assert!(assigned("eval \"$(ssh-agent)\"").1);
        assert!(assigned("export $(cat .env | xargs)").1);
        assert!(!assigned("export A").1);
    }

    #[test]
    fn names_in_single_quotes() {
        let n = |s| {
            super::dollar_names(s)
                .into_iter()
                .map(|(n, a, b)| (n, &s[a..b]))
                .collect::<Vec<_>>()
        };
        assert_eq!(n("Bearer $TOKEN"), vec![("TOKEN", "$TOKEN")]);
        assert_eq!(
            n("${A}/x-${B:-1}.tgz"),
            vec![("A", "${A}"), ("B", "${B:-1}")]
        );
        assert!(n("$1 $@ $(cmd) ${!x} 5$ $").is_empty());
        assert!(super::takes_literal_dollar("python3.12"));
        assert!(!super::takes_literal_dollar("curl"));
    }

    #[test]
    fn what_a_script_reads() {
        assert_eq!(
            reads("cp $SRC \"${DEST}/x\" && tar xf ${F%.gz} > $OUT"),
            vec!["SRC@$SRC", "DEST@${DEST}", "F@${F%.gz}", "OUT@$OUT"]
        );
        // A default, an alternative, a test of the name: the script handles it being unset.
        assert!(reads("echo ${A:-x} ${B+y} ${C:?} ${#D}").is_empty());
        assert!(reads("[ -n \"$A\" ] && test -z $B && [[ $C ]]").is_empty());
        // Not expanded: single quotes, special and positional parameters.
        assert!(reads("echo '$A' $1 $? $@ $$").is_empty());
        assert_eq!(reads("echo \"$(basename $P)\""), vec!["P@$P"]);
        assert_eq!(reads("cat <<<$S"), vec!["S@$S"]);
    }
}
