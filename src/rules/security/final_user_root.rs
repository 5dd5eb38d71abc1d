//! final-user-root: the image's last USER is root, so the container runs as root unless its
//! entrypoint drops privileges. Only the stage the build produces counts: a builder stage that
//! ends as root ships nothing of its user.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{command, path, Base, Model, Origin, Stage};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "final-user-root",
    group: "security",
    severity: Severity::Info,
    summary: "the last USER of the image is root",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/final-user-root.md"),
    aliases: &["DL3002"],
    default: true,
    check,
};

/// Programs that run a command as another user: an entrypoint that uses one starts as root on
/// purpose and drops privileges itself.
const DROPS_PRIVILEGES: &[&str] = &[
    "gosu",
    "su-exec",
    "setpriv",
    "runuser",
    "su",
    "sudo",
    "chpst",
    "s6-setuidgid",
    "setuidgid",
];

/// Entrypoint scripts are read up to this size.
const MAX_SCRIPT: usize = 64 * 1024;

/// `root`, `0`, with or without a group.
fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    name == "root" || name == "0"
}

/// The last USER instruction that applies to `stage`: its own, else its parent stage's.
fn last_user(m: &Model, stage: &Stage) -> Option<usize> {
    let mut s = stage;
    for _ in 0..m.stages.len() {
        if let Some(i) = s.instrs.clone().rev().find(|&i| {
            m.instruction(i).keyword == Keyword::User && m.instruction(i).error.is_none()
        }) {
            return Some(i);
        }
        match s.base {
            Base::Stage(p) if p < s.index => s = &m.stages[p],
            _ => return None,
        }
    }
    None
}

/// Does the text name one of the programs that drop privileges, as a word of its own (a path
/// like `/usr/sbin/gosu` included)?
fn names_a_dropper(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .any(|w| DROPS_PRIVILEGES.contains(&w))
}

/// Does the container's command drop privileges, or might it (a script the model cannot read)?
fn may_drop_privileges(m: &Model, stage: &Stage) -> bool {
    // The command line as written: the model's reading of it removes wrappers like `gosu app`.
    let written = [stage.entrypoint, stage.cmd]
        .into_iter()
        .flatten()
        .any(|i| {
            names_a_dropper(&m.file.text[m.instruction(i).span.start..m.instruction(i).span.end])
        });
    if written {
        return true;
    }
    let invocations = command::invocations(m, stage);
    if invocations
        .iter()
        .any(|inv| inv.program().is_some_and(|p| DROPS_PRIVILEGES.contains(&p)))
    {
        return true;
    }
    let Some(first) = invocations.first().and_then(|inv| inv.words.first()) else {
        return false;
    };
    if first.opaque {
        return true;
    }
    let abs = path::resolve(&stage.end_state.workdir, &first.value);
    let found = m.lookup(stage.index, &abs, stage.instrs.end).found;
    let text = match found.as_ref().and_then(|f| f.origin.as_ref()) {
        Some(Origin::Context(rel)) => m.context.and_then(|c| c.read_to_string(rel, MAX_SCRIPT)),
        Some(Origin::Heredoc(name)) => found.as_ref().and_then(|f| {
            m.instruction(f.instr)
                .heredocs
                .iter()
                .find(|h| &h.name == name)
                .map(|h| h.content.clone())
        }),
        _ => None,
    };
    match text {
        Some(t) => names_a_dropper(&t),
        // A script the image gets from elsewhere may do anything; a program is taken as is.
        None => {
            let base = path::base_name(&first.value);
            base.ends_with(".sh") || base.contains("entrypoint")
        }
    }
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(stage) = m.image_stage() else { return };
    let Some(i) = last_user(m, stage) else { return };
    let ins = m.instruction(i);
    let Some(user) = stage.end_state.user.as_deref() else {
        return;
    };
    if !is_root(user) || !m.unset_vars_at(i, &ins_text(m, i)).is_empty() {
        return;
    }
    if may_drop_privileges(m, stage) {
        return;
    }
    let inherited = if stage.contains(i) {
        String::new()
    } else {
        format!(
            ", inherited from stage {}",
            m.stages[m.stage_of[i].unwrap_or(0)].display_name()
        )
    };
    out.push(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "the container runs as root: `USER {user}` is the last USER of {}{inherited}",
                m.image_stage_phrase()
            ),
            ins.span,
        )
        .label("every process of the container runs as root")
        .help("after the steps that need root, switch to an unprivileged user (`USER app`, `USER 10001`), or have the entrypoint drop privileges (gosu, su-exec, setpriv)")
        .answers_to(RULE.aliases),
    );
}

/// The USER instruction's argument as written, for the unknown-variable test.
fn ins_text(m: &Model, i: usize) -> String {
    match &m.instruction(i).args {
        crate::syntax::Args::Words(w) => w
            .iter()
            .map(|w| w.value.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::{assert_counts, fires};

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM debian:12\nUSER root\nCMD [\"bash\"]\n", 1),
            ("FROM debian:12\nUSER 0:0\n", 1),
            ("FROM debian:12\nUSER app\nUSER root\n", 1),
            // The last USER is not root, or there is none (the base image decides).
            (
                "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n",
                0,
            ),
            ("FROM debian:12\nCMD [\"bash\"]\n", 0),
            ("FROM debian:12\nUSER rootless\n", 0),
            // A builder stage that ends as root ships nothing of it.
            (
                "FROM golang:1.23 AS build\nUSER root\nFROM scratch\nCOPY --from=build /app /app\n",
                0,
            ),
            // What the final stage inherits from a parent stage counts.
            (
                "FROM debian:12 AS base\nUSER root\nFROM base\nCMD [\"bash\"]\n",
                1,
            ),
            (
                "FROM debian:12 AS base\nUSER root\nFROM base\nUSER app\n",
                0,
            ),
            // The entrypoint drops privileges.
            (
                "FROM debian:12\nUSER root\nENTRYPOINT [\"gosu\", \"app\", \"server\"]\n",
                0,
            ),
            ("FROM alpine:3.20\nUSER root\nCMD su-exec app server\n", 0),
            // An entrypoint script the model cannot read may do so.
            (
                "FROM debian:12\nUSER root\nENTRYPOINT [\"docker-entrypoint.sh\"]\n",
                0,
            ),
            // A value that depends on a variable the build passes.
            ("FROM debian:12\nARG U\nUSER $U\n", 0),
            ("FROM debian:12\nARG U=root\nUSER $U\n", 1),
        ];
        assert_counts(super::check, cases);
    }

    #[test]
    fn entrypoint_scripts_from_the_context_are_read() {
        let text =
            "FROM debian:12\nCOPY entrypoint.sh /\nUSER root\nENTRYPOINT [\"/entrypoint.sh\"]\n";
        assert_eq!(
            fires(
                "final-user-root",
                text,
                &["entrypoint.sh: #!/bin/sh\\nexec gosu app \"$@\""]
            ),
            0
        );
        assert_eq!(
            fires(
                "final-user-root",
                text,
                &["entrypoint.sh: #!/bin/sh\\nexec \"$@\""]
            ),
            1
        );
    }
}
