//! undefined-variable: a `$NAME` that BuildKit expands where nothing defines it, so it becomes
//! an empty string: in a FROM line, an ARG not declared before the first FROM; in a stage, a
//! variable no ARG or ENV of the stage defines.

use std::collections::HashSet;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::images::{commonly_set_by_images, sets_only_path};
use crate::model::vars::PLATFORM_ARGS;
use crate::model::{Base, Model, Stage};
use crate::rules::suppress::{closest_among, edit_distance};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Instruction, Keyword, Span};

pub static RULE: Rule = Rule {
    name: "undefined-variable",
    group: "correctness",
    severity: Severity::Warning,
    summary: "a variable expanded where no ARG or ENV defines it",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/undefined-variable.md"),
    aliases: &["UndefinedArgInFrom", "UndefinedVar", "DL3044"],
    default: true,
    check,
};

const IN_FROM: &[&str] = &["UndefinedArgInFrom"];
const IN_STAGE: &[&str] = &["UndefinedVar"];
/// A value that uses a name its own ENV sets: hadolint's DL3044.
const SAME_ENV: &[&str] = &["UndefinedVar", "DL3044"];

/// Names BuildKit reads from the build options, not from the environment.
const NOT_ENV: &[&str] = &["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// Near misses are looked for among at most this many names: a suggestion costs a comparison
/// with each, and a file that defines thousands of variables must stay linear.
pub(super) const SUGGEST_AMONG: usize = 512;

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let globals: HashSet<&str> = m.global_vars.iter().map(|d| d.name.as_str()).collect();
    for stage in &m.stages {
        from_line(m, stage, out);
        for i in stage.instrs.clone().skip(1) {
            let ins = m.instruction(i);
            if ins.error.is_none() {
                in_stage(m, stage, i, ins, &globals, out);
            }
        }
    }
}

/// The FROM image and `--platform`: only ARGs before the first FROM (and the platform ARGs
/// BuildKit predefines) reach them.
fn from_line(m: &Model, stage: &Stage, out: &mut Vec<Diagnostic>) {
    let i = stage.from_instr;
    let ins = m.instruction(i);
    let declared = |n: &str| {
        m.global_vars.iter().any(|d| d.instr < i && d.name == n)
            || PLATFORM_ARGS.iter().any(|(p, _)| *p == n)
    };
    let mut words: Vec<(String, Span)> = Vec::new();
    if let Some(w) = &stage.base_word {
        words.push((m.file.text[w.span.start..w.span.end].to_string(), w.span));
    }
    if let Some(f) = ins.flags.iter().find(|f| f.name == "platform") {
        if let (Some(v), Some(sp)) = (&f.value, f.value_span) {
            words.push((v.clone(), sp));
        }
    }
    for (word, span) in words {
        for name in m.unset_vars_at(i, &word) {
            if declared(&name) || !used_plainly(&word, &name) {
                continue;
            }
            let candidates = m
                .global_vars
                .iter()
                .filter(|d| d.instr < i)
                .map(|d| d.name.as_str())
                .chain(PLATFORM_ARGS.iter().map(|(p, _)| *p));
            let mean = if m.global_vars.len() <= SUGGEST_AMONG {
                near_miss(&name, candidates)
            } else {
                None
            };
            let mut d = Diagnostic::new(
                RULE.name,
                RULE.severity,
                match mean {
                    Some(s) => format!("FROM uses `${name}`, which no ARG before the first FROM declares (did you mean `${s}`?)"),
                    None => format!("FROM uses `${name}`, which no ARG before the first FROM declares"),
                },
                span,
            )
            .label("expands to an empty string")
            .answers_to(IN_FROM);
            d = match mean {
                Some(s) => d
                    .help(format!("write `${s}`"))
                    .fix(rename(m, span, &name, s)),
                None => d.help(format!(
                    "declare it before the first FROM: `ARG {name}=<default>`; an ARG inside a stage does not reach FROM lines"
                )),
            };
            out.push(d);
        }
    }
}

/// Is `name` used in `word` without a default (`$NAME`, `${NAME}`)? `${NAME:-x}`, `${NAME-x}`,
/// `${NAME:+x}` and the like say what happens when it is unset, so they are no mistake.
fn used_plainly(word: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(at) = word[from..].find('$') {
        let rest = &word[from + at + 1..];
        from += at + 1;
        if let Some(after) = rest.strip_prefix(name) {
            if !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                return true;
            }
        } else if let Some(after) = rest.strip_prefix('{').and_then(|r| r.strip_prefix(name)) {
            if after.starts_with('}') {
                return true;
            }
        }
    }
    false
}

/// A name the stage defines that `name` is a near miss of: at most two edits, and few for
/// its length (`$PAHT` → `$PATH`, `$DIR_ASSET` → `$DIR_ASSETS`; not `$CLICKHOUSE_USER` →
/// `$CLICKHOUSE_VERSION`).
pub(super) fn near_miss<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if name.len() < 3 {
        return None;
    }
    let c = closest_among(name, candidates).filter(|c| *c != name)?;
    let d = edit_distance(name, c);
    (d <= 2 && d * 3 <= name.len() + 2).then_some(c)
}

/// Add `ARG name` after the stage's FROM, where it takes the global default (or BuildKit's value
/// of a platform ARG).
pub(super) fn declare_in_stage(m: &Model, stage: &Stage, name: &str) -> Fix {
    let from = m.instruction(stage.from_instr);
    Fix {
        title: format!("declare `ARG {name}` in the stage"),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span: Span::new(from.span.end, from.span.end),
            content: format!("\nARG {name}"),
        }],
    }
}

/// Replace `$name`/`${name` by the suggested name inside `span`.
pub(super) fn rename(m: &Model, span: Span, name: &str, to: &str) -> Fix {
    let text = &m.file.text[span.start..span.end];
    let mut edits = Vec::new();
    for pat in [format!("${{{name}"), format!("${name}")] {
        let mut from = 0;
        while let Some(at) = text[from..].find(&pat) {
            let start = from + at;
            let end = start + pat.len();
            // `$NAME` must not continue as a longer name.
            let longer = pat.starts_with("$")
                && !pat.starts_with("${")
                && text[end..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
            if !longer
                && !edits.iter().any(|e: &Edit| {
                    e.span.start <= span.start + start && span.start + start < e.span.end
                })
            {
                let skip = if pat.starts_with("${") { 2 } else { 1 };
                edits.push(Edit {
                    span: Span::new(span.start + start + skip, span.start + end),
                    content: to.to_string(),
                });
            }
            from = end;
        }
    }
    edits.sort_by_key(|e| e.span.start);
    Fix {
        title: format!("write `${to}`"),
        applicability: Applicability::Unsafe,
        edits,
    }
}

/// The words of an instruction that BuildKit expands and reports unset names in.
fn expanded_words(m: &Model, ins: &Instruction) -> Vec<(String, Span)> {
    let raw = |sp: Span| m.file.text[sp.start..sp.end].to_string();
    let mut words = Vec::new();
    match ins.keyword {
        Keyword::Add | Keyword::Copy => {
            for f in &ins.flags {
                if matches!(f.name.as_str(), "chown" | "chmod" | "checksum") {
                    if let (Some(v), Some(sp)) = (&f.value, f.value_span) {
                        words.push((v.clone(), sp));
                    }
                }
            }
        }
        Keyword::Run => {
            for f in ins.flags.iter().filter(|f| f.name == "mount") {
                if let (Some(v), Some(sp)) = (&f.value, f.value_span) {
                    words.push((v.clone(), sp));
                }
            }
            return words;
        }
        Keyword::Env | Keyword::Label | Keyword::Arg => {
            if let Args::KeyValues(pairs) = &ins.args {
                for kv in pairs {
                    if ins.keyword == Keyword::Label {
                        words.push((raw(kv.key.span), kv.key.span));
                    }
                    if let Some(v) = &kv.value {
                        words.push((raw(v.span), v.span));
                    }
                }
            }
            return words;
        }
        Keyword::Workdir | Keyword::User | Keyword::Volume | Keyword::Stopsignal => {}
        _ => return words,
    }
    match &ins.args {
        Args::Words(ws) => words.extend(ws.iter().map(|w| (raw(w.span), w.span))),
        Args::Exec(ws) => words.extend(ws.iter().map(|w| (w.value.clone(), w.span))),
        _ => {}
    }
    words
}

fn in_stage(
    m: &Model,
    stage: &Stage,
    i: usize,
    ins: &Instruction,
    globals: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let words = expanded_words(m, ins);
    if words.is_empty() {
        return;
    }
    let scope = m.scope_at(i);
    // Where the base image's environment is known, every name must come from the Dockerfile.
    let env_known = match &stage.root {
        Base::Scratch => true,
        Base::Image(img) => sets_only_path(img),
        Base::Stage(_) => false,
    };
    // ENV expands every value with the variables in force before the line, so a value does not
    // see a key set to its left (`ENV A=1 B=$A` sets B to A's old value).
    let env_keys: Vec<(&str, usize)> = match (&ins.keyword, &ins.args) {
        (Keyword::Env, Args::KeyValues(pairs)) => pairs
            .iter()
            .map(|kv| (kv.key.value.as_str(), kv.key.span.start))
            .collect(),
        _ => Vec::new(),
    };
    let mut seen: Vec<String> = Vec::new();
    for (word, span) in words {
        for name in m.unset_vars_at(i, &word) {
            if scope.def(&name).is_some()
                || NOT_ENV.contains(&name.as_str())
                || name == "PATH"
                || seen.contains(&name)
                || !used_plainly(&word, &name)
            {
                continue;
            }
            // The pair the value belongs to is the last key before it; that key's own old
            // value (`ENV PATH=$PATH:/x`) is what the value means to use.
            let own = env_keys.iter().rposition(|(_, at)| *at < span.start);
            if env_keys
                .iter()
                .enumerate()
                .any(|(j, (k, at))| *k == name && *at < span.start && Some(j) != own)
            {
                seen.push(name.clone());
                out.push(
                    Diagnostic::new(
                        RULE.name,
                        RULE.severity,
                        format!("`${name}` is set by this same ENV, which expands its values before setting any"),
                        span,
                    )
                    .label("expands to an empty string")
                    .help(format!(
                        "set `{name}` in an ENV of its own before this one, or write its value here"
                    ))
                    .answers_to(SAME_ENV),
                );
                continue;
            }
            let defined_here = stage
                .vars
                .iter()
                .filter(|d| d.instr < i)
                .map(|d| d.name.as_str());
            let mean = if stage.vars.len() <= SUGGEST_AMONG {
                near_miss(&name, defined_here)
            } else {
                None
            };
            let platform = PLATFORM_ARGS.iter().any(|(p, _)| *p == name);
            let global = platform || globals.contains(name.as_str());
            // A base image we do not know may set the name in its environment: say so only
            // for a near miss of a name the stage defines, or a global ARG it forgot to declare.
            let forgot_global = global && !commonly_set_by_images(&name);
            if !env_known && mean.is_none() && !forgot_global {
                continue;
            }
            seen.push(name.clone());
            let mut d = Diagnostic::new(
                RULE.name,
                RULE.severity,
                match (mean, global) {
                    (Some(s), _) => format!("`${name}` is not defined in this stage (did you mean `${s}`?)"),
                    (None, true) if platform => format!("`${name}` is not defined in this stage: BuildKit predefines it for FROM lines only"),
                    (None, true) => format!("`${name}` is not defined in this stage: the ARG before the first FROM reaches only FROM lines"),
                    (None, false) => format!("`${name}` is not defined in this stage"),
                },
                span,
            )
            .label("expands to an empty string")
            .answers_to(IN_STAGE);
            d = match (mean, global) {
                (Some(s), _) => d
                    .help(format!("write `${s}`"))
                    .fix(rename(m, span, &name, s)),
                (None, true) => d
                    .help(format!("declare it in the stage: `ARG {name}` after the FROM takes the global default"))
                    .fix(declare_in_stage(m, stage, &name)),
                (None, false) => d.help(format!(
                    "define it before this line with `ARG {name}` or `ENV {name}=...`"
                )),
            };
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn in_from() {
        let cases: &[(&str, usize)] = &[
            ("FROM --platform=$BULIDPLATFORM scratch\n", 1),
            ("FROM --platform=$BUILDPLATFORM scratch\n", 0),
            ("ARG MY_ARCH\nFROM --platform=linux/${MYARCH} busybox\n", 1),
            ("ARG VERSION\nFROM busybox:${VERSION}\n", 0),
            // An ARG inside a stage does not reach a later FROM.
            ("FROM scratch\nARG version=1\nFROM alpine:${version}\n", 1),
            ("ARG IMAGE=alpine\nFROM $IMAGE\n", 0),
        ];
        assert_counts(super::check, cases);
    }

    #[test]
    fn in_stage() {
        let cases: &[(&str, usize)] = &[
            ("FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n", 0),
            ("FROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n", 0),
            ("FROM alpine\nRUN echo $PATH\n", 0),
            ("FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n", 1),
            (
                "FROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET .\n",
                1,
            ),
            ("FROM alpine\nENV PATH=$PAHT:/tmp/bin\n", 1),
            ("FROM scratch AS first\nCOPY $foo .\nFROM scratch AS second\nCOPY $bar .\n", 2),
            // An image we do not know may set the variable.
            ("FROM python:3.12\nWORKDIR /src/$PYTHON_VERSION\n", 0),
            ("FROM python:3.12\nCOPY $foo .\n", 0),
            // ... but a global ARG the stage did not declare is not set there.
            ("ARG APP=web\nFROM python:3.12\nCOPY ${APP}/ /srv/\n", 1),
            ("ARG APP=web\nFROM python:3.12\nARG APP\nCOPY ${APP}/ /srv/\n", 0),
            ("ARG NODE_VERSION=22\nFROM node:${NODE_VERSION}\nLABEL v=$NODE_VERSION\n", 0),
            // Words BuildKit does not expand, or leaves to the shell.
            ("FROM alpine\nRUN echo $nothing\nCMD echo $nothing\nEXPOSE $nothing\n", 0),
            ("FROM alpine\nCOPY --from=$nothing /a /b\n", 0),
            ("FROM alpine\nRUN --mount=type=cache,target=$CACHE echo\n", 1),
            ("FROM alpine\nUSER ${UID}\n", 1),
            ("FROM alpine\nARG UID\nUSER ${UID:-1000}\n", 0),
            // A default says what happens when it is unset.
            ("FROM alpine\nARG VERSION=${VERSION:-master}\nENV A=${B-x}${C:+y}\n", 0),
            ("FROM ${BASE:-alpine}\n", 0),
            ("FROM alpine\nLABEL arch=$TARGETARCH\n", 1),
            ("FROM alpine\nARG TARGETARCH\nLABEL arch=$TARGETARCH\n", 0),
            // Near misses: few edits for the name's length.
            ("FROM python:3.12\nARG CLICKHOUSE_VERSION=1\nENV U=$CLICKHOUSE_USER\n", 0),
            ("FROM python:3.12\nARG file=a\nCOPY $file3 .\n", 1),
            // A value does not see the keys its own ENV sets, on any base image.
            ("FROM python:3.12\nENV APP=/srv/app LOG=${APP}/log\n", 1),
            ("FROM python:3.12\nENV APP=/srv/app\nENV LOG=${APP}/log\n", 0),
            ("FROM python:3.12\nENV LOG=${APP}/log APP=/srv/app\n", 0),
            // Set before the line: the value is the earlier one, as written.
            ("FROM alpine\nENV V=1\nENV V=2 OLD=$V\n", 0),
            // A value that uses its own key's earlier value is the usual way to extend it.
            ("FROM python:3.12\nENV LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/x\n", 0),
            ("FROM python:3.12\nENV LD_LIBRARY_PATH ${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/x\n", 0),
            ("FROM python:3.12\nENV A=1 A=$A:2\n", 1),
        ];
        assert_counts(super::check, cases);
    }
}
