//! shell-form-cmd: CMD or ENTRYPOINT in shell form, judged by the shell that runs it: where the
//! shell stays between the container and the program, `docker stop` cannot stop it gracefully.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::{Model, ShellInForce, Stage};
use crate::rules::{FixAvailability, Rule};
use crate::shell::exec::{
    command_shape, init_of, runs_in_shell, CommandShape, InitSignals, ShellKind, BUILTINS,
};
use crate::shell::{commands_of_run, SimpleCommand};
use crate::syntax::{Args, Keyword, Span};
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    name: "shell-form-cmd",
    group: "runtime",
    severity: Severity::Warning,
    summary: "CMD or ENTRYPOINT in shell form does not receive stop signals",
    fix: FixAvailability::Safe,
    doc: include_str!("../../../rules/shell-form-cmd.md"),
    aliases: &["DL3025", "JSONArgsRecommended"],
    default: true,
    check,
};

/// A command that means the same as a word list in exec form: no quoting, expansion,
/// redirection, operators, env-assignment prefix or shell builtin for the shell to interpret.
fn plain_words(text: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:,@%+=".contains(c);
    let first = words.first()?;
    if first.contains('=')
        || BUILTINS.contains(first)
        || !words.iter().all(|w| w.chars().all(plain))
    {
        return None;
    }
    Some(words)
}

/// `["a", "b"]`, as the fixes write it.
fn json_array<S: AsRef<str>>(words: &[S]) -> String {
    let items: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w.as_ref()).unwrap_or_default())
        .collect();
    format!("[{}]", items.join(", "))
}

/// Text that was meant as the exec form but is not JSON (`['python', 'app.py']`, a trailing
/// comma, typographic quotes): the words it meant, if they can be read, and what is wrong.
fn loose_json(text: &str) -> Option<(Option<Vec<String>>, Vec<&'static str>)> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    let mut reasons = Vec::new();
    let mut words = Vec::new();
    let mut chars = inner.char_indices().peekable();
    let skip_ws = |chars: &mut std::iter::Peekable<std::str::CharIndices>| {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
    };
    let note = |reasons: &mut Vec<&'static str>, r: &'static str| {
        if !reasons.contains(&r) {
            reasons.push(r);
        }
    };
    loop {
        skip_ws(&mut chars);
        let Some((start, open)) = chars.next() else {
            break;
        };
        let close = match open {
            '"' => '"',
            '\'' => '\'',
            '“' | '”' => '”',
            '‘' | '’' => '’',
            _ => return Some((None, vec!["not an array of quoted strings"])),
        };
        match open {
            '\'' => note(&mut reasons, "single quotes"),
            '"' => {}
            _ => note(&mut reasons, "typographic quotes"),
        }
        let body_start = start + open.len_utf8();
        let mut end = None;
        let mut escaped = false;
        for (i, c) in chars.by_ref() {
            if open == '"' && !escaped && c == '\\' {
                escaped = true;
                continue;
            }
            if c == close && !escaped {
                end = Some(i);
                break;
            }
            escaped = false;
        }
        let Some(end) = end else {
            return Some((None, vec!["an unterminated string"]));
        };
        let body = &inner[body_start..end];
        let word = if open != '"' {
            body.to_string()
        } else if let Ok(w) = serde_json::from_str::<String>(&format!("\"{body}\"")) {
            w
        } else {
            // `"C:\app\app.exe"`: a backslash that starts no JSON escape meant itself.
            note(&mut reasons, "backslashes that are not doubled");
            literal_backslashes(body)
        };
        words.push(word);
        skip_ws(&mut chars);
        match chars.next() {
            None => break,
            Some((_, ',')) => {
                skip_ws(&mut chars);
                if chars.peek().is_none() {
                    note(&mut reasons, "a trailing comma");
                    break;
                }
            }
            Some(_) => return Some((None, vec!["a missing comma"])),
        }
    }
    if words.is_empty() {
        return Some((None, vec!["no strings"]));
    }
    Some((Some(words), reasons))
}

/// A double-quoted string read as meant when it is not valid JSON: `\\` and `\"` are escapes,
/// every other backslash is itself.
fn literal_backslashes(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next_if(|n| *n == '\\' || *n == '"') {
                out.push(n);
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// `["app"] # note`: the array and whether a comment follows it on the line (Docker has no
/// comments there, so the `#` makes the whole text a shell command).
fn split_trailing_comment(text: &str) -> (&str, bool) {
    if !text.starts_with('[') {
        return (text, false);
    }
    match text.rfind(']') {
        Some(end) if text[end + 1..].trim_start().starts_with('#') => (&text[..=end], true),
        _ => (text, false),
    }
}

fn keyword(k: Keyword) -> &'static str {
    if k == Keyword::Cmd {
        "CMD"
    } else {
        "ENTRYPOINT"
    }
}

/// `dash`, `bash`, or the program of the SHELL instruction when it is not measured (`zsh`).
fn shell_name(sh: &ShellInForce) -> String {
    match sh.kind {
        ShellKind::Other | ShellKind::Unknown | ShellKind::Missing => {
            let p = sh.argv.first().map_or("sh", |p| p.as_str());
            p.rsplit(['/', '\\']).next().unwrap_or(p).to_string()
        }
        k => k.name().to_string(),
    }
}

/// `` `/bin/sh` (dash) ``, or just `` `/bin/bash` `` when the path already says it.
fn shell_called(sh: &ShellInForce) -> String {
    let program = sh.argv.first().map_or("/bin/sh", |p| p.as_str());
    let name = shell_name(sh);
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    if base.eq_ignore_ascii_case(&name) || !sh.kind.is_posix() {
        format!("`{program}`")
    } else {
        format!("`{program}` ({name})")
    }
}

/// The program the command line is there to run: the first one that the shell does not run
/// itself (`cd`, `export`, `echo`), at the top level if there is one (not the `true` of
/// `while true`).
fn main_program(cmds: &[SimpleCommand], text: &str) -> String {
    let started = |c: &&SimpleCommand| c.program().is_some_and(|p| !runs_in_shell(p));
    cmds.iter()
        .filter(|c| c.nesting.is_empty())
        .find(started)
        .or_else(|| cmds.iter().find(started))
        .and_then(|c| c.argv.first())
        .map(|w| w.value.as_str())
        .or_else(|| text.split_whitespace().next())
        .unwrap_or(text)
        .to_string()
}

/// What to write instead of a PowerShell or `cmd` command line: the exec form starts a program
/// directly, but a script (`.ps1`) or a PowerShell command (`Get-Content`, `.`) needs PowerShell.
fn windows_help(kw: &str, program: &str) -> String {
    let json = serde_json::to_string(program).unwrap_or_default();
    let lower = program.to_ascii_lowercase();
    let cmdlet = program.split_once('-').is_some_and(|(verb, noun)| {
        verb.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && verb.chars().all(|c| c.is_ascii_alphabetic())
            && noun.chars().next().is_some_and(|c| c.is_ascii_uppercase())
    });
    if lower.ends_with(".ps1") {
        format!("start the script with PowerShell in exec form: `{kw} [\"powershell\", \"-File\", {json}, ...]`")
    } else if cmdlet || program == "." || program == "&" {
        format!("`{program}` is a PowerShell command, not a program: put the command line in a script and start it in exec form (`{kw} [\"powershell\", \"-File\", \"C:\\\\start.ps1\"]`)")
    } else {
        format!("use the exec form: `{kw} [{json}, ...]`")
    }
}

/// The ENTRYPOINT in force with a shell-form CMD, when it is an init: its name, how it passes
/// signals on, and its span.
fn init_before(m: &Model, stage: &Stage) -> Option<(&'static str, InitSignals, Span)> {
    let ep = m.instruction(stage.entrypoint?);
    let Args::Exec(words) = &ep.args else {
        return None;
    };
    let argv: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
    let (name, signals) = init_of(&argv)?;
    Some((name, signals, ep.span))
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    // Every stage can be a build target, so every CMD/ENTRYPOINT in force at a stage's end counts.
    let mut seen = BTreeSet::new();
    for stage in &m.stages {
        let shell_entrypoint = stage
            .entrypoint
            .filter(|&e| matches!(m.instruction(e).args, Args::Shell(_)));
        for i in [stage.entrypoint, stage.cmd].into_iter().flatten() {
            let ins = m.instruction(i);
            // A shell-form ENTRYPOINT never runs CMD: that is said on the ENTRYPOINT.
            if ins.keyword == Keyword::Cmd && shell_entrypoint.is_some() {
                continue;
            }
            if !seen.insert(i) {
                continue;
            }
            if let Some(d) = check_one(m, stage, i) {
                // hadolint reports every CMD or ENTRYPOINT that is not a JSON array; BuildKit
                // only while no SHELL instruction has set the image's shell.
                let aliases: &'static [&'static str] = match shell_set_before(m, i) {
                    true => &["DL3025"],
                    false => &["DL3025", "JSONArgsRecommended"],
                };
                out.push(d.answers_to(aliases));
            }
        }
    }
}

/// A SHELL instruction is in force at instruction `i`: earlier in its stage, or in a stage it
/// is built on.
fn shell_set_before(m: &Model, i: usize) -> bool {
    let Some(owner) = m.stages.iter().find(|s| s.contains(i)) else {
        return false;
    };
    m.stage_chain(owner).iter().any(|st| {
        st.instrs
            .clone()
            .filter(|&j| st.index != owner.index || j < i)
            .any(|j| m.instruction(j).keyword == Keyword::Shell)
    })
}

fn check_one(m: &Model, stage: &Stage, i: usize) -> Option<Diagnostic> {
    let ins = m.instruction(i);
    let Args::Shell(shell) = &ins.args else {
        return None;
    };
    let text = shell.text.trim();
    if text.is_empty() {
        return None;
    }
    let kw = keyword(ins.keyword);
    let lead = shell.text.len() - shell.text.trim_start().len();
    let args_span = shell.span(lead, lead + text.len());
    let sh = m.shell_at(stage, i);
    // A PowerShell SHELL often carries a whole script of settings: name the program only.
    let runner = if sh.kind.is_posix() {
        sh.argv.join(" ")
    } else {
        sh.argv.first().cloned().unwrap_or_default()
    };

    let (array, comment) = split_trailing_comment(text);
    let not_json = loose_json(array).map(|(words, mut reasons)| {
        if comment {
            reasons.insert(0, "a comment after it");
        }
        (words, reasons)
    });
    if let Some((words, reasons)) = not_json.filter(|(_, r)| !r.is_empty()) {
        let mut d = Diagnostic::new(
            RULE.name,
            Severity::Error,
            format!(
                "{kw} is not valid JSON ({}), so Docker runs `{}` as a shell command",
                reasons.join(", "),
                m.snippet(args_span, 40)
            ),
            args_span,
        )
        .label(format!(
            "passed to `{runner}` as one command line, which fails"
        ));
        if comment {
            let json = words.as_deref().map_or(array.to_string(), json_array);
            d = d.help(format!(
                "move the comment to a line of its own and write `{kw} {json}`: a `#` after an instruction is not a comment"
            ));
        } else if let Some(words) = words {
            let json = json_array(&words);
            d = d
                .help(format!(
                    "write the exec form as JSON, with double quotes and no trailing comma: `{kw} {json}`"
                ))
                .fix(Fix {
                    title: format!("rewrite as `{kw} {json}`"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: args_span,
                        content: json,
                    }],
                });
        } else {
            d = d.help(format!(
                "write the exec form as a JSON array of double-quoted strings: `{kw} [\"program\", \"argument\"]`"
            ));
        }
        return Some(d);
    }

    let cmds = commands_of_run(ins);
    let shape = command_shape(&cmds);
    let last = cmds.last();
    if sh.kind.is_posix() && last.and_then(|c| c.program()) == Some("exec") {
        return None;
    }
    // `CMD echo ready`: the shell runs it itself and exits; there is no program to stop.
    if sh.kind.is_posix() && cmds.iter().all(|c| c.program().is_none_or(runs_in_shell)) {
        return None;
    }
    let exec_shape = matches!(
        shape,
        CommandShape::Simple | CommandShape::LastOfList | CommandShape::LastRedirected
    );
    let program = if sh.kind.is_posix() && exec_shape {
        // The command exec would replace the shell with: the service, after any setup.
        last.and_then(|c| c.argv.first())
            .map_or_else(|| main_program(&cmds, text), |w| w.value.clone())
    } else if sh.kind.is_posix() {
        main_program(&cmds, text)
    } else {
        // Not a POSIX command line: the POSIX reading of quotes and backslashes does not apply.
        text.split_whitespace().next().unwrap_or(text).to_string()
    };
    let exec_form = plain_words(text).filter(|_| sh.kind.is_posix());
    let exec_form_help = |d: Diagnostic, lead: &str| -> Diagnostic {
        match &exec_form {
            Some(words) => {
                let json = json_array(words);
                d.help(format!("{lead}: `{kw} {json}`")).fix(Fix {
                    title: format!("rewrite as `{kw} {json}`"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: args_span,
                        content: json,
                    }],
                })
            }
            None => d,
        }
    };

    if sh.kind == ShellKind::Missing {
        let shell0 = sh.argv.first().map_or("/bin/sh", |p| p.as_str());
        let image = match &sh.image {
            Some(img) => format!("`{img}`"),
            None => "an image built FROM scratch".to_string(),
        };
        let d = Diagnostic::new(
            RULE.name,
            Severity::Error,
            format!("{kw} in shell form needs `{shell0}`, which {image} does not have, so the container cannot start"),
            args_span,
        )
        .label(format!("Docker runs this as `{runner} …`"));
        return Some(if exec_form.is_some() {
            exec_form_help(d, "use the exec form, which needs no shell")
        } else {
            d.help(format!(
                "use the exec form (`{kw} [\"{program}\", ...]`): shell syntax needs a shell, which this image does not have"
            ))
        });
    }

    if shape == CommandShape::Background {
        return Some(
            Diagnostic::new(
                RULE.name,
                Severity::Error,
                format!("{kw} in shell form starts `{program}` in the background, so the shell exits at once and the container stops with it"),
                args_span,
            )
            .label("the trailing `&` puts it in the background")
            .help(format!("remove the trailing `&` so that `{program}` runs in the foreground")),
        );
    }

    let ignored_cmd = (ins.keyword == Keyword::Entrypoint)
        .then_some(stage.cmd)
        .flatten()
        .map(|c| m.instruction(c));
    let execs = sh.kind.execs(shape);
    if execs == Some(true) {
        // The program replaces the shell and gets the signals; what is left is that a
        // shell-form ENTRYPOINT takes no arguments (CMD's or `docker run`'s).
        if ins.keyword == Keyword::Cmd {
            return None;
        }
        let name = shell_name(&sh);
        let mut d = match ignored_cmd {
            Some(c) => Diagnostic::new(
                RULE.name,
                Severity::Warning,
                format!("ENTRYPOINT in shell form ignores CMD, so `{}` is never passed to `{program}`", m.snippet(c.span, 40)),
                args_span,
            )
            .secondary(c.span, "never used"),
            None => Diagnostic::new(
                RULE.name,
                Severity::Info,
                format!("ENTRYPOINT in shell form ignores `docker run` arguments, so none can be passed to `{program}`"),
                args_span,
            ),
        };
        d = d.label(format!(
            "{name} execs `{program}`, so it gets stop signals, but the shell form passes it no arguments"
        ));
        if exec_form.is_none() {
            d = d.help(format!(
                "to take arguments, use the exec form, or a script run in exec form that ends with `exec {program} … \"$@\"`"
            ));
        }
        return Some(exec_form_help(d, "use the exec form"));
    }

    let called = shell_called(&sh);
    let name = shell_name(&sh);
    let init = (ins.keyword == Keyword::Cmd)
        .then(|| init_before(m, stage))
        .flatten();
    let mut d = if !sh.kind.is_posix() {
        Diagnostic::new(
            RULE.name,
            Severity::Warning,
            format!("{kw} in shell form runs `{program}` as a child of `{runner}`, so it is not the container's main process"),
            args_span,
        )
        .label(format!("{name} starts `{program}` as its child and stays in between"))
    } else if let Some((init_name, signals, ep_span)) = init {
        let label = match signals {
            InitSignals::Child => format!(
                "{init_name} passes SIGTERM to {name}, which exits without passing it on, and `{program}` is killed with it"
            ),
            InitSignals::Group => format!(
                "{init_name} signals {name} and `{program}` together; {name} exits at once and `{program}` is killed before it can shut down"
            ),
        };
        Diagnostic::new(
            RULE.name,
            Severity::Warning,
            format!("CMD in shell form runs `{program}` as a child of {called} under {init_name}, so `docker stop` cannot stop it gracefully"),
            args_span,
        )
        .label(label)
        .secondary(ep_span, format!("{init_name} starts `{runner} …`"))
    } else if execs == Some(false) {
        let why = match (sh.kind, shape) {
            (ShellKind::Dash, _) => "dash does not exec the command",
            (ShellKind::Bash, CommandShape::LastRedirected) => {
                "bash does not exec a command with a redirection"
            }
            _ => "",
        };
        let label = if why.is_empty() {
            format!("{name} stays PID 1 to run the rest of the command line, and does not pass SIGTERM on")
        } else {
            format!("{why}: it stays PID 1 and does not pass SIGTERM on")
        };
        Diagnostic::new(
            RULE.name,
            Severity::Warning,
            format!("{kw} in shell form runs `{program}` as a child of {called}, so `docker stop` cannot stop it gracefully"),
            args_span,
        )
        .label(label)
    } else {
        let label = match (&sh.image, sh.kind) {
            (_, ShellKind::Bash) => "bash execs the last command of a list only from version 5.1 on; an older one stays PID 1 and does not pass SIGTERM on".to_string(),
            (_, ShellKind::Other) => format!("{name} is not known to exec the command; if it stays PID 1, it does not pass SIGTERM on"),
            (Some(img), _) => format!("`{img}` is not a known image: if its /bin/sh is dash, it stays PID 1 and does not pass SIGTERM on"),
            (None, _) => "if /bin/sh is dash, it stays PID 1 and does not pass SIGTERM on".to_string(),
        };
        Diagnostic::new(
            RULE.name,
            Severity::Warning,
            format!("{kw} in shell form runs `{program}` under `{runner}`, which may keep it as a child that `docker stop` cannot stop gracefully"),
            args_span,
        )
        .label(label)
    };
    if let Some(c) = ignored_cmd {
        d = d.secondary(c.span, "never used: a shell-form ENTRYPOINT ignores CMD");
    }
    if exec_form.is_some() {
        return Some(exec_form_help(d, "use the exec form"));
    }
    if !sh.kind.is_posix() {
        return Some(d.help(windows_help(kw, &program)));
    }
    // `exec` in front of the last command makes the shell replace itself with it.
    let target = last
        .filter(|_| exec_shape)
        .and_then(|c| c.argv.first())
        .filter(|w| !BUILTINS.contains(&w.value.as_str()) && !w.value.contains('='));
    Some(match target {
        Some(w) => {
            let what = if shape == CommandShape::Simple {
                "the command"
            } else {
                "the last command"
            };
            d.help(format!(
                "start {what} with `exec` (`exec {} …`) so that `{}` replaces the shell",
                w.value, w.value
            ))
            .fix(Fix {
                title: format!("insert `exec` before `{}`", w.value),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    span: Span::new(w.span.start, w.span.start),
                    content: "exec ".into(),
                }],
            })
        }
        None => d.help(format!(
            "put the command line in a script that ends with `exec {program} …`, and run the script in exec form (`{kw} [\"/path/to/script\"]`)"
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_context::check_text;

    /// (Dockerfile, findings as `severity: message`; empty when quiet).
    fn findings(text: &str) -> Vec<String> {
        check_text(check, text)
            .into_iter()
            .map(|d| format!("{}: {}", d.severity.as_str(), d.message))
            .collect()
    }

    #[test]
    fn loose_json_reads_what_was_meant() {
        let words = |t: &str| loose_json(t).and_then(|(w, _)| w);
        let s = |v: &[&str]| Some(v.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        assert_eq!(words("['python','app.py']"), s(&["python", "app.py"]));
        assert_eq!(words("[\"python\", \"app.py\",]"), s(&["python", "app.py"]));
        assert_eq!(words("[“python”, “app.py”]"), s(&["python", "app.py"]));
        assert_eq!(words("['say \"hi\"']"), s(&["say \"hi\""]));
        assert_eq!(words("[\"a\" \"b\"]"), None);
        assert_eq!(words("[python]"), None);
        assert_eq!(words("['unterminated]"), None);
        assert_eq!(loose_json("python app.py"), None);
        assert_eq!(
            loose_json("['a',]").map(|(_, r)| r),
            Some(vec!["single quotes", "a trailing comma"])
        );
    }

    #[test]
    fn table() {
        // (Dockerfile, how many findings, their severity when there is one).
        let cases: &[(&str, usize, &str)] = &[
            // Which shell is /bin/sh, by base image.
            ("FROM debian:12\nCMD /bin/app --serve\n", 1, "warning"),
            ("FROM python:3.12-slim\nCMD python app.py\n", 1, "warning"),
            ("FROM alpine:3.22\nCMD /bin/app --serve\n", 0, ""),
            ("FROM python:3.12-alpine\nCMD python app.py\n", 0, ""),
            ("FROM rockylinux:9\nCMD /bin/app\n", 0, ""),
            ("FROM myorg/base\nCMD /bin/app\n", 1, "warning"),
            ("ARG BASE=alpine:3.22\nFROM $BASE\nCMD /bin/app\n", 0, ""),
            ("FROM alpine:3.22 AS base\nFROM base\nCMD /bin/app\n", 0, ""),
            // The SHELL instruction decides over the image.
            ("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nCMD /bin/app\n", 0, ""),
            ("FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nCMD /bin/app\n", 0, ""),
            ("FROM alpine:3.22\nSHELL [\"/bin/zsh\", \"-c\"]\nCMD /bin/app\n", 1, "warning"),
            ("FROM debian:12\nCMD /bin/app\nSHELL [\"/bin/bash\", \"-c\"]\n", 1, "warning"),
            // Shapes: busybox and bash exec the last simple command of a list, not a pipeline.
            ("FROM alpine:3.22\nCMD cd /srv && ./app\n", 0, ""),
            ("FROM alpine:3.22\nCMD migrate; ./app\n", 0, ""),
            ("FROM alpine:3.22\nCMD ./app || ./fallback\n", 0, ""),
            ("FROM alpine:3.22\nCMD ./app > /var/log/app 2>&1\n", 0, ""),
            ("FROM rockylinux:9\nCMD ./app > /var/log/app 2>&1\n", 1, "warning"),
            ("FROM rockylinux:9\nCMD cd /srv && ./app\n", 1, "warning"),
            ("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nCMD cd /srv && exec ./app\n", 0, ""),
            ("FROM alpine:3.22\nCMD ./app | tee /var/log/app\n", 1, "warning"),
            ("FROM alpine:3.22\nCMD ./app; echo stopped\n", 1, "warning"),
            ("FROM alpine:3.22\nCMD if true; then ./app; fi\n", 1, "warning"),
            ("FROM myorg/base\nCMD ./app | tee /var/log/app\n", 1, "warning"),
            ("FROM alpine:3.22\nCMD ./app &\n", 1, "error"),
            ("FROM debian:12\nCMD ./app &\n", 1, "error"),
            ("FROM debian:12\nCMD exec ./app\n", 0, ""),
            ("FROM debian:12\nCMD cd /srv && exec ./app\n", 0, ""),
            ("FROM debian:12\nCMD FOO=bar exec ./app\n", 0, ""),
            // ENTRYPOINT in shell form: CMD and `docker run` arguments are ignored.
            ("FROM alpine:3.22\nENTRYPOINT /bin/app\n", 1, "info"),
            ("FROM alpine:3.22\nENTRYPOINT /bin/app\nCMD [\"--port\", \"80\"]\n", 1, "warning"),
            ("FROM debian:12\nENTRYPOINT /bin/app\nCMD /bin/other\n", 1, "warning"),
            // Images without a shell.
            ("FROM scratch\nCOPY app /app\nCMD /app --serve\n", 1, "error"),
            ("FROM gcr.io/distroless/static-debian12\nCMD /app\n", 1, "error"),
            ("FROM gcr.io/distroless/static-debian12\nCMD [\"/app\"]\n", 0, ""),
            ("FROM scratch\nCOPY --from=busybox:1.36 /bin/busybox /bin/sh\nCMD /app\n", 1, "warning"),
            ("FROM busybox:1.36 AS sh\nFROM scratch\nCOPY --from=sh /bin /bin\nCMD /app\n", 1, "warning"),
            // Windows shells.
            ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD app.exe\n", 1, "warning"),
            ("FROM debian:12\nSHELL [\"pwsh\", \"-Command\"]\nCMD ./app\n", 1, "warning"),
            // Inits in front of the shell.
            ("FROM debian:12\nENTRYPOINT [\"tini\", \"--\"]\nCMD /bin/app\n", 1, "warning"),
            ("FROM alpine:3.22\nENTRYPOINT [\"tini\", \"--\"]\nCMD /bin/app\n", 0, ""),
            ("FROM debian:12\nENTRYPOINT [\"dumb-init\"]\nCMD /bin/app\n", 1, "warning"),
            ("FROM alpine:3.22\nENTRYPOINT [\"dumb-init\"]\nCMD /bin/app | cat\n", 1, "warning"),
            // Not JSON.
            ("FROM alpine:3.22\nCMD ['python','app.py']\n", 1, "error"),
            ("FROM alpine:3.22\nCMD [\"python\", \"app.py\",]\n", 1, "error"),
            ("FROM alpine:3.22\nCMD [\"python\", \"app.py\"]\n", 0, ""),
            ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD [\"C:\\app\\app.exe\"]\n", 1, "error"),
            ("FROM debian:12\nENTRYPOINT [\"/app\"] # the server\n", 1, "error"),
            // The shell runs builtins itself: there is no program to stop.
            ("FROM debian:12\nCMD echo ready\n", 0, ""),
            ("FROM debian:12\nCMD cd /srv; echo ready\n", 0, ""),
            ("FROM debian:12\nCMD while true; do cat /x; done\n", 1, "warning"),
            // Not the command in force.
            ("FROM debian:12\nCMD /bin/app\nCMD [\"/bin/app\"]\n", 0, ""),
            ("FROM debian:12\nCMD\n", 0, ""),
        ];
        for (text, n, severity) in cases {
            let got = findings(text);
            assert_eq!(got.len(), *n, "{text}: {got:?}");
            if let Some(first) = got.first() {
                assert!(
                    first.starts_with(&format!("{severity}: ")),
                    "{text}: {got:?}"
                );
            }
        }
    }

    #[test]
    fn messages_name_the_shell_and_the_init() {
        let one = |t: &str| check_text(check, t).into_iter().next().expect("a finding");
        let d = one("FROM debian:12\nENTRYPOINT [\"tini\", \"--\"]\nCMD /bin/app\n");
        assert_eq!(
            d.message,
            "CMD in shell form runs `/bin/app` as a child of `/bin/sh` (dash) under tini, so `docker stop` cannot stop it gracefully"
        );
        assert_eq!(
            d.primary.message,
            "tini passes SIGTERM to dash, which exits without passing it on, and `/bin/app` is killed with it"
        );
        let d = one("FROM debian:12\nENTRYPOINT [\"/usr/bin/dumb-init\", \"--\"]\nCMD /bin/app\n");
        assert!(
            d.primary
                .message
                .starts_with("dumb-init signals dash and `/bin/app` together"),
            "{}",
            d.primary.message
        );
        let d = one("FROM alpine:3.22\nENTRYPOINT [\"tini\", \"-g\", \"--\"]\nCMD a | b\n");
        assert!(
            d.primary.message.starts_with("tini signals busybox ash"),
            "{}",
            d.primary.message
        );
        let d = one("FROM debian:12\nSHELL [\"pwsh\", \"-Command\"]\nCMD ./app\n");
        assert!(
            !format!("{} {}", d.message, d.primary.message).contains("/bin/sh"),
            "{d:?}"
        );
        assert!(d.fix.is_none());
        let d = one("FROM rockylinux:9\nCMD cd /srv && ./app\n");
        assert!(
            d.primary.message.contains("from version 5.1 on"),
            "{}",
            d.primary.message
        );
        assert_eq!(
            d.fix.map(|f| f.edits[0].content.clone()).as_deref(),
            Some("exec ")
        );
        let d = one("FROM myorg/base\nCMD /bin/app\n");
        assert!(
            d.primary
                .message
                .starts_with("`myorg/base` is not a known image"),
            "{}",
            d.primary.message
        );
    }

    #[test]
    fn help_never_proposes_a_broken_exec_form() {
        // (command, the fix's replacement text, or "" when there is none).
        let cases: &[(&str, &str)] = &[
            (
                "python app.py --port 8088",
                "[\"python\", \"app.py\", \"--port\", \"8088\"]",
            ),
            ("FOO=bar python app.py", "exec "),
            ("cd /srv && python app.py", "exec "),
            ("python app.py --port $PORT", "exec "),
            ("export A=1; python app.py", "exec "),
            ("python app.py | tee log", ""),
            ("ulimit -n 4096; ./app", "exec "),
            ("./app; echo stopped", ""),
        ];
        for (cmd, want) in cases {
            let text = format!("FROM debian:12\nCMD {cmd}\n");
            let d = check_text(check, &text)
                .into_iter()
                .next()
                .expect("a finding");
            let got = d.fix.as_ref().map_or("", |f| f.edits[0].content.as_str());
            assert_eq!(got, *want, "{cmd}: {:?}", d.help);
            let help = d.help.unwrap_or_default();
            assert!(
                !help.contains("[\"FOO=bar\"") && !help.contains("[\"cd\""),
                "{cmd}: {help}"
            );
        }
        let fixed = check_text(check, "FROM debian:12\nCMD FOO=bar python app.py\n");
        assert!(fixed[0].help.as_deref().unwrap_or("").contains("exec"));
    }

    #[test]
    fn a_long_chain_from_scratch_is_not_judged_shell_less() {
        // Beyond the reach of the search for a copied shell, the answer is "unknown": a
        // warning, never the error that says the container cannot start.
        let chain = |n: usize| {
            let mut t = String::from("FROM scratch AS s0\n");
            for i in 1..n {
                t += &format!("FROM s{} AS s{i}\n", i - 1);
            }
            t + "CMD /app --serve\n"
        };
        assert_eq!(findings(&chain(3)), ["error: CMD in shell form needs `/bin/sh`, which an image built FROM scratch does not have, so the container cannot start"]);
        let long = findings(&chain(200));
        assert_eq!(long.len(), 1);
        assert!(long[0].starts_with("warning: "), "{long:?}");
    }

    #[test]
    fn names_the_program_that_runs() {
        let one = |t: &str| check_text(check, t).into_iter().next().expect("a finding");
        let d = one("FROM debian:12\nCMD while true; do cat /foo; sleep 1; done\n");
        assert!(d.message.contains("runs `cat`"), "{}", d.message);
        let d = one("FROM alpine:3.22\nENTRYPOINT echo started && tail -f /dev/null\n");
        assert!(d.message.ends_with("passed to `tail`"), "{}", d.message);
        assert!(d.help.unwrap_or_default().contains("exec tail … \"$@\""));
        let d = one(
            "FROM nginx\nCMD cd /html && sed s/a/b/ t.html > index.html ; nginx -g 'daemon off;'\n",
        );
        assert!(d.message.contains("runs `nginx`"), "{}", d.message);
        assert!(d.help.unwrap_or_default().contains("`exec nginx …`"));
        let d = one("FROM microsoft/windowsservercore\nCMD C:\\app\\app.exe -w\n");
        assert_eq!(
            d.message,
            "CMD in shell form runs `C:\\app\\app.exe` as a child of `cmd`, so it is not the container's main process"
        );
        let d = one("FROM debian:12\nSHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]\nCMD ./app\n");
        assert!(
            d.message.contains("as a child of `powershell`,"),
            "{}",
            d.message
        );
    }

    #[test]
    fn invalid_json_gets_the_fixed_json() {
        let d = check_text(
            check,
            "FROM debian:12\nCMD [\"C:\\ServiceMonitor.exe\", \"w3svc\"]\n",
        );
        assert_eq!(
            d[0].message,
            "CMD is not valid JSON (backslashes that are not doubled), so Docker runs `[\"C:\\ServiceMonitor.exe\", \"w3svc\"]` as a shell command"
        );
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(
            fix.edits[0].content,
            "[\"C:\\\\ServiceMonitor.exe\", \"w3svc\"]"
        );
        let d = check_text(
            check,
            "FROM debian:12\nENTRYPOINT [\"/app\"] # the server\n",
        );
        assert!(
            d[0].message
                .starts_with("ENTRYPOINT is not valid JSON (a comment after it)"),
            "{}",
            d[0].message
        );
        assert!(d[0].fix.is_none());
        assert!(d[0]
            .help
            .as_deref()
            .unwrap_or("")
            .contains("`ENTRYPOINT [\"/app\"]`"));
        let d = check_text(check, "FROM alpine:3.22\nCMD ['python','app.py']\n");
        assert_eq!(
            d[0].message,
            "CMD is not valid JSON (single quotes), so Docker runs `['python','app.py']` as a shell command"
        );
        let fix = d[0].fix.as_ref().expect("fix");
        assert_eq!(fix.edits[0].content, "[\"python\", \"app.py\"]");
        assert_eq!(fix.applicability, Applicability::Safe);
    }

    /// BuildKit's JSONArgsRecommended stays quiet once a SHELL instruction set the shell, here
    /// or in a stage built on; hadolint's DL3025 does not.
    #[test]
    fn answers_to_buildkit_only_without_a_shell_instruction() {
        let aliases = |text: &str| -> Vec<&'static str> {
            let d = crate::rules::test_context::check_text(super::check, text);
            assert_eq!(d.len(), 1, "{text}");
            d[0].aliases.to_vec()
        };
        assert_eq!(
            aliases("FROM scratch\nCMD mycommand\n"),
            vec!["DL3025", "JSONArgsRecommended"]
        );
        assert_eq!(
            aliases("FROM alpine:3.22\nSHELL [\"/bin/zsh\", \"-c\"]\nCMD mycommand\n"),
            vec!["DL3025"]
        );
        assert_eq!(
            aliases("FROM alpine:3.22 AS base\nSHELL [\"/bin/zsh\", \"-c\"]\nFROM base\nCMD mycommand\n"),
            vec!["DL3025"]
        );
        assert_eq!(
            aliases("FROM debian:12\nCMD /bin/app\nSHELL [\"/bin/bash\", \"-c\"]\n"),
            vec!["DL3025", "JSONArgsRecommended"]
        );
    }
}
