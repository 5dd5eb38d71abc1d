//! undefined-run-variable: a `$NAME` that the shell of a RUN reads where nothing sets it: no ARG
//! or ENV in force, not the script itself, not the shell. The classic cases are an ARG declared
//! before the first FROM and never inside the stage, a platform ARG such as `TARGETARCH` used
//! without `ARG TARGETARCH`, and a variable that an earlier RUN exported, whose shell is gone.

use std::collections::{HashMap, HashSet};

use super::undefined_variable::{declare_in_stage, near_miss, rename, SUGGEST_AMONG};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::images::{commonly_set_by_images, sets_only_path};
use crate::model::vars::{PLATFORM_ARGS, PROXY_ARGS};
use crate::model::{Base, Model, Stage};
use crate::rules::{FixAvailability, Rule};
use crate::shell::vars::{self, SET_BY_SHELL};
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "undefined-run-variable",
    group: "correctness",
    severity: Severity::Warning,
    summary: "a variable a RUN reads that no ARG, ENV or command of its script sets",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/undefined-run-variable.md"),
    aliases: &["SC2154"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let globals: HashSet<&str> = m.global_vars.iter().map(|d| d.name.as_str()).collect();
    // Names the RUNs of each stage assigned, with the first RUN that did: gone by the next RUN.
    let mut exported: Vec<HashMap<String, usize>> = Vec::with_capacity(m.stages.len());
    for (s, stage) in m.stages.iter().enumerate() {
        let mut earlier = match stage.base {
            Base::Stage(p) if p < s => exported[p].clone(),
            _ => HashMap::new(),
        };
        for i in stage.instrs.clone().skip(1) {
            let ins = m.instruction(i);
            if ins.keyword != Keyword::Run || ins.error.is_some() {
                continue;
            }
            let cmds = m.commands(i);
            if cmds.is_empty() {
                continue;
            }
            let set = vars::assigned(cmds, m.constructs(i), &m.file.text);
            let posix = m.shell_at(stage, i).kind.is_posix();
            if posix && !set.dynamic {
                in_run(m, stage, i, &set.names, &earlier, &globals, out);
            }
            for name in set.names {
                earlier.entry(name).or_insert(i);
            }
        }
        exported.push(earlier);
    }
}

fn in_run(
    m: &Model,
    stage: &Stage,
    i: usize,
    script: &HashSet<String>,
    earlier: &HashMap<String, usize>,
    globals: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let ins = m.instruction(i);
    let scope = m.scope_at(i);
    // Where the base image's environment is known, every name must come from the Dockerfile.
    let env_known = match &stage.root {
        Base::Scratch => true,
        Base::Image(img) => sets_only_path(img),
        Base::Stage(_) => false,
    };
    let mut seen: Vec<&str> = Vec::new();
    let reads = vars::reads(m.commands(i), ins.is_exec_form());
    for r in &reads {
        let name = r.name.as_str();
        if seen.contains(&name)
            || scope.def(name).is_some()
            || script.contains(name)
            || SET_BY_SHELL.contains(&name)
            || PROXY_ARGS.contains(&name)
            || name.starts_with("BASH")
            || name.starts_with("BUILDKIT_")
        {
            continue;
        }
        let image_may_set = !env_known && commonly_set_by_images(name);
        let platform = PLATFORM_ARGS.iter().any(|(p, _)| *p == name);
        let global = platform || globals.contains(name);
        let before = earlier.get(name).copied();
        let mean = if stage.vars.len() + script.len() <= SUGGEST_AMONG {
            let candidates = stage
                .vars
                .iter()
                .filter(|d| d.instr < i)
                .map(|d| d.name.as_str())
                .chain(script.iter().map(String::as_str));
            near_miss(name, candidates)
        } else {
            None
        };
        let why = if let (Some(at), false) = (before, image_may_set) {
            Why::EarlierRun(at)
        } else if global && !image_may_set {
            Why::Global { platform }
        } else if let Some(s) = mean {
            Why::NearMiss(s)
        } else if env_known {
            Why::Nothing
        } else {
            // An image we do not know may set the name in its environment.
            continue;
        };
        seen.push(name);
        out.push(diagnostic(m, stage, r.span, name, why));
    }
}

enum Why<'a> {
    /// An earlier RUN (by instruction index) assigned it, in a shell that has ended.
    EarlierRun(usize),
    /// An ARG before the first FROM, or one BuildKit predefines for FROM lines.
    Global {
        platform: bool,
    },
    NearMiss(&'a str),
    Nothing,
}

fn diagnostic(m: &Model, stage: &Stage, span: Span, name: &str, why: Why) -> Diagnostic {
    let message = match &why {
        Why::EarlierRun(at) => format!(
            "`${name}` is set only by an earlier RUN (line {}), whose shell ended with it",
            1 + m.file.text[..m.instruction(*at).span.start].matches('\n').count()
        ),
        Why::Global { platform: true } => format!(
            "`${name}` is not set in this RUN: BuildKit predefines it for FROM lines only"
        ),
        Why::Global { platform: false } => format!(
            "`${name}` is not set in this RUN: the ARG before the first FROM reaches only FROM lines"
        ),
        Why::NearMiss(s) => format!("`${name}` is not set in this RUN (did you mean `${s}`?)"),
        Why::Nothing => format!(
            "`${name}` is not set in this RUN: no ARG, ENV or command of the script sets it"
        ),
    };
    let d = Diagnostic::new(RULE.name, RULE.severity, message, span)
        .label("expands to an empty string")
        .answers_to(&["SC2154"]);
    match why {
        Why::EarlierRun(_) => d.help(format!(
            "each RUN starts a new shell: set it for every later instruction with `ENV {name}=...`, or assign it in this RUN"
        )),
        Why::Global { platform } => {
            let value = if platform {
                "BuildKit's value"
            } else {
                "the global default"
            };
            d.help(format!(
                "declare it in the stage: `ARG {name}` after the FROM takes {value}"
            ))
            .fix(declare_in_stage(m, stage, name))
        }
        Why::NearMiss(s) => d
            .help(format!("write `${s}`"))
            .fix(rename(m, span, name, s)),
        Why::Nothing => d.help(format!(
            "define it before this line with `ARG {name}` or `ENV {name}=...`, or assign it in the script; `${{{name}:-default}}` says what an unset value means"
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            // A global ARG the stage did not declare, on any image.
            ("ARG V=1\nFROM python:3.12\nRUN pip install app==$V\n", 1),
            ("ARG V=1\nFROM python:3.12\nARG V\nRUN pip install app==$V\n", 0),
            // ... unless the image may set it: node sets NODE_VERSION.
            ("ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}\nRUN echo $NODE_VERSION\n", 0),
            ("ARG GO_VERSION=1.22\nFROM alpine\nRUN echo $GO_VERSION\n", 1),
            // Platform ARGs need a declaration in the stage.
            ("FROM alpine\nRUN wget https://x/tool-$TARGETARCH.tgz\n", 1),
            ("FROM alpine\nARG TARGETARCH\nRUN wget https://x/tool-$TARGETARCH.tgz\n", 0),
            // Set by the script itself, by the shell, by BuildKit.
            ("FROM alpine\nRUN V=1; echo $V\n", 0),
            ("FROM alpine\nRUN for f in a b; do echo $f; done\n", 0),
            ("FROM alpine\nRUN cd $HOME && echo $PWD $HOSTNAME $http_proxy\n", 0),
            ("FROM debian\nRUN set -a && . /etc/os-release && echo $VERSION_CODENAME\n", 0),
            // Where the image's environment is known, any unset name.
            ("FROM alpine\nRUN cp app $DEST\n", 1),
            ("FROM alpine\nENV DEST=/srv\nRUN cp app $DEST\n", 0),
            ("FROM alpine\nRUN cp app ${DEST:-/srv}\n", 0),
            ("FROM alpine\nRUN if [ -n \"$DEBUG\" ]; then echo on; fi\n", 0),
            ("FROM alpine AS base\nENV DEST=/srv\nFROM base\nRUN cp app $DEST\n", 0),
            // An image we do not know may set it.
            ("FROM python:3.12\nRUN cp app $DEST\n", 0),
            // ... but a near miss of a name the Dockerfile sets is a typo.
            ("FROM python:3.12\nENV APP_DIR=/srv\nRUN cd $APPDIR\n", 1),
            // Exported by an earlier RUN: that shell is gone.
            ("FROM python:3.12\nRUN export MYAPP_ROOT=/srv\nRUN cd $MYAPP_ROOT\n", 1),
            ("FROM python:3.12\nRUN export MYAPP_ROOT=/srv && cd $MYAPP_ROOT\n", 0),
            ("FROM python:3.12\nRUN export JAVA_HOME=/j\nRUN ls $JAVA_HOME\n", 0),
            // Single quotes and exec form: nothing expands.
            ("FROM alpine\nRUN echo '$DEST'\nRUN [\"echo\", \"$DEST\"]\n", 0),
            ("FROM alpine\nRUN [\"sh\", \"-c\", \"echo $DEST\"]\n", 1),
            // Not a POSIX shell.
            (
                "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN echo $DEST\n",
                0,
            ),
            // One finding per name and RUN.
            ("FROM alpine\nRUN cp $DEST/a $DEST/b\n", 1),
        ];
        assert_counts(super::check, cases);
    }
}
