//! shell-form-cmd: CMD or ENTRYPOINT in shell form runs under `/bin/sh -c` as PID 1, so
//! signals from `docker stop` never reach the application.

use super::{FixAvailability, Rule};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::Model;
use crate::syntax::{Args, Keyword};
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    name: "shell-form-cmd",
    group: "runtime",
    severity: Severity::Warning,
    summary: "CMD or ENTRYPOINT in shell form does not receive stop signals",
    fix: FixAvailability::Safe,
    doc: include_str!("../../rules/shell-form-cmd.md"),
    check,
};

/// A command that means the same as a word list in exec form: no quoting, expansion,
/// redirection, operators or env-assignment prefix for the shell to interpret.
fn plain_words(text: &str) -> Option<Vec<&str>> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:,@%+=".contains(c);
    if words.is_empty() || words[0].contains('=') || !words.iter().all(|w| w.chars().all(plain)) {
        return None;
    }
    Some(words)
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    // Every stage can be a build target, so every CMD/ENTRYPOINT in force at a stage's end counts.
    let in_force: BTreeSet<usize> = m
        .stages
        .iter()
        .flat_map(|s| [s.cmd, s.entrypoint])
        .flatten()
        .collect();
    for i in in_force {
        let ins = m.instruction(i);
        let Args::Shell(shell) = &ins.args else {
            continue;
        };
        let text = shell.text.trim();
        if text.is_empty() || text.starts_with("exec ") {
            continue;
        }
        let kw = if ins.keyword == Keyword::Cmd {
            "CMD"
        } else {
            "ENTRYPOINT"
        };
        let program = text.split_whitespace().next().unwrap_or(text);
        let lead = shell.text.len() - shell.text.trim_start().len();
        let args_span = shell.span(lead, lead + text.len());
        let mut d = Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!("{kw} in shell form runs `{program}` under `/bin/sh -c`, so `docker stop` cannot stop it gracefully"),
            args_span,
        )
        .label("runs as a child of /bin/sh, which does not forward SIGTERM")
        .answers_to(&["DL3025", "JSONArgsRecommended"]);
        match plain_words(text) {
            Some(words) => {
                let json = serde_json::to_string(&words).unwrap_or_default().replace("\",\"", "\", \"");
                d = d.help(format!("use the exec form: `{kw} {json}`")).fix(Fix {
                    title: format!("rewrite as `{kw} {json}`"),
                    applicability: Applicability::Safe,
                    edits: vec![Edit { span: args_span, content: json }],
                });
            }
            None => {
                d = d.help(format!(
                    "use the exec form (`{kw} [\"{program}\", ...]`), or start the command with `exec` so that it replaces the shell"
                ))
            }
        }
        out.push(d);
    }
}
