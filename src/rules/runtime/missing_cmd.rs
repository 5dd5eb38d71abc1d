//! missing-cmd: the image the build produces has no CMD or ENTRYPOINT of its own, so a
//! container from it runs the base image's shell or REPL (or nothing at all) instead of the app.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::images::{default_command, DefaultCommand};
use crate::model::{path, Base, CopyFrom, Model, Origin, Stage};
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "missing-cmd",
    group: "runtime",
    severity: Severity::Warning,
    summary: "the final stage defines neither CMD nor ENTRYPOINT",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/missing-cmd.md"),
    aliases: &[],
    default: true,
    check,
};

/// Entry files worth naming in the help, with the program that runs them.
const ENTRY_FILES: &[(&str, &str)] = &[
    ("server.py", "python"),
    ("app.py", "python"),
    ("main.py", "python"),
    ("server.js", "node"),
    ("index.js", "node"),
    ("app.js", "node"),
    ("main.js", "node"),
    ("dist/index.js", "node"),
    ("dist/main.js", "node"),
];

/// The stage declares a port, or brings in files from the build context, directly or through
/// a stage it copies from. Files that a stage only downloaded or built from nothing (an
/// installer stage of a runtime image) do not make an application.
fn ships_application(m: &Model, stage: &Stage) -> bool {
    fn from_context(m: &Model, stage: &Stage, depth: usize) -> bool {
        depth < 8
            && m.copies
                .range(stage.instrs.clone())
                .any(|(_, c)| match c.from {
                    CopyFrom::Context => c.context_paths().next().is_some(),
                    CopyFrom::Stage(s) => from_context(m, &m.stages[s], depth + 1),
                    CopyFrom::Image(_) => false,
                })
    }
    !stage.exposes.is_empty() || from_context(m, stage, 0)
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(stage) = m.image_stage() else { return };
    // An image with ONBUILD triggers is a base image: the child build that runs them sets
    // what the container runs.
    if !m.onbuild_triggers(stage).is_empty() {
        return;
    }
    // A dev container, a compose service with `command:`, a base image of a sibling: someone
    // else says what runs.
    if !m.purpose.needs_command() || stage.cmd.is_some() || stage.entrypoint.is_some() {
        return;
    }
    // The image at the root of the chain of stages decides what runs by default. On the way,
    // see whether the chain ships an application at all: an image that only installs packages is
    // a base or tool image, for which inheriting the shell is the intent.
    let chain = m.stage_chain(stage);
    let root = chain.last().copied().unwrap_or(stage);
    if !chain.iter().any(|s| ships_application(m, s)) {
        return;
    }
    let what = match &root.base {
        Base::Scratch => {
            "an image built `FROM scratch` has no command, so `docker run` fails".to_string()
        }
        Base::Image(img) => match default_command(img) {
            DefaultCommand::ShellOrNothing => {
                format!("a container starts `{img}`'s default command (a shell or an interpreter prompt), not the application")
            }
            DefaultCommand::Service | DefaultCommand::Unknown => return,
        },
        Base::Stage(_) => return,
    };
    let from = m.instruction(stage.from_instr);
    let mut span = from.keyword_word.span;
    if let Some(w) = &stage.base_word {
        span = span.cover(w.span);
    }
    if let Some(n) = stage.name_span {
        span = span.cover(n);
    }
    let workdir = &stage.end_state.workdir;
    let end = stage.instrs.end;
    let candidate = ENTRY_FILES.iter().find(|(file, _)| {
        let l = m.lookup(stage.index, &path::resolve(workdir, file), end);
        matches!(l.found, Some(f) if matches!(f.origin, Some(Origin::Context(_)) | Some(Origin::Stage { .. })))
    });
    let help = match candidate {
        Some((file, program)) => {
            format!("add `CMD [\"{program}\", \"{file}\"]` to start the application")
        }
        None => {
            "add a CMD in exec form, e.g. `CMD [\"./app\"]`, naming the program the container runs"
                .to_string()
        }
    };
    out.push(
        Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!(
                "{} has no CMD or ENTRYPOINT: {what}",
                m.image_stage_phrase()
            ),
            span,
        )
        .label(if m.builds_target() {
            "target stage starts here"
        } else {
            "final stage starts here"
        })
        .help(help),
    );
}

#[cfg(test)]
mod tests {
    use crate::model::{Purpose, Runner};
    use crate::rules::test_context::fires_for;

    #[test]
    fn table() {
        let files = &["app.py"];
        let staged = "FROM python:3.12 AS build\nCOPY app.py .\nFROM build AS prod\nCMD [\"python\", \"app.py\"]\nFROM build AS test\nRUN true";
        let image = |target: Option<&str>| Purpose {
            target: target.map(str::to_string),
            runner: Runner::Image,
            ..Purpose::default()
        };
        let run_by = |runner: Runner| Purpose {
            target: None,
            runner,
            ..Purpose::default()
        };
        let cases: &[(&str, Purpose, usize)] = &[
            (staged, image(None), 1),
            (staged, image(Some("prod")), 0),
            (staged, image(Some("Prod")), 0),
            (staged, image(Some("build")), 1),
            (staged, image(Some("test")), 1),
            // A target that names no stage leaves the last one judged (the command line
            // reports the target itself).
            (staged, image(Some("nope")), 1),
            // The CMD of the stage a target builds on is in force.
            ("FROM python:3.12 AS a\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\nFROM a AS b\nRUN true\nFROM scratch\nCOPY --from=a /app.py /", image(Some("b")), 0),
            (staged, run_by(Runner::DevContainer { config: "devcontainer.json".into() }), 0),
            (staged, run_by(Runner::Compose { service: "web".into() }), 0),
            (staged, run_by(Runner::BaseOf { consumer: "app/Dockerfile".into() }), 0),
            ("FROM python:3.12\nCOPY app.py .", run_by(Runner::Image), 1),
        ];
        for (text, purpose, want) in cases {
            assert_eq!(
                fires_for("missing-cmd", text, files, purpose),
                *want,
                "{text} {purpose:?}"
            );
        }
    }
}
