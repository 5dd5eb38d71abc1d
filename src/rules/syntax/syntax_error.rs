//! Syntax errors as findings: a malformed or unknown instruction is reported at its place
//! while every other rule still runs on the rest of the file.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{ExpandError, Model};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, ErrorKind, Keyword, Word};

pub static RULE: Rule = Rule {
    name: "syntax-error",
    group: "syntax",
    severity: Severity::Error,
    summary: "an instruction that BuildKit cannot parse",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/syntax-error.md"),
    // hadolint's DL3021 (several COPY sources into a destination without a trailing `/`) is
    // not among them: BuildKit accepts that line (only the classic builder refused it), so an
    // error here would stop a CI run for a build that works.
    aliases: &["DL3061", "DL3043"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for e in &m.file.errors {
        let d = Diagnostic::new(RULE.name, RULE.severity, e.message.clone(), e.span)
            .label("BuildKit stops the build here");
        // Each finding answers only to the hadolint check that covers its own kind, so that
        // `# hadolint ignore=DL3061` does not silence an unrelated parse error on that line.
        out.push(match e.kind {
            ErrorKind::NoStage => d
                .help("only ARG may come before the first FROM; move this instruction into a stage")
                .answers_to(&["DL3061"]),
            ErrorKind::OnbuildTrigger => d.answers_to(&["DL3043"]),
            ErrorKind::Other => d,
        });
    }
    expansion_errors(m, out);
}

/// Words BuildKit expands when it builds a stage and whose expansion fails there: an
/// unterminated quote in a LABEL value, a `${` without its `}`, a bad substitution. Only the
/// stages the build runs, and only the shell-like forms (an exec-form word is left alone).
fn expansion_errors(m: &Model, out: &mut Vec<Diagnostic>) {
    let built = m.built_stages();
    for (i, ins) in m.file.instructions.iter().enumerate() {
        if ins.error.is_some()
            || !m.stage_of[i].is_some_and(|s| built.get(s).copied().unwrap_or(false))
        {
            continue;
        }
        let words: Vec<&Word> = match (&ins.keyword, &ins.args) {
            (Keyword::Env | Keyword::Label | Keyword::Arg, Args::KeyValues(pairs)) => pairs
                .iter()
                .flat_map(|kv| std::iter::once(&kv.key).chain(kv.value.as_ref()))
                .collect(),
            (
                Keyword::From
                | Keyword::Workdir
                | Keyword::User
                | Keyword::Expose
                | Keyword::Volume
                | Keyword::Stopsignal
                | Keyword::Copy
                | Keyword::Add,
                Args::Words(words),
            ) => words.iter().collect(),
            _ => continue,
        };
        for w in words {
            if let Some(e) = m.expand_error_at(i, &w.value) {
                out.push(
                    Diagnostic::new(RULE.name, RULE.severity, e.to_string(), w.span)
                        .label("BuildKit stops the build here")
                        .help(expansion_help(&e)),
                );
                // One error per instruction, as BuildKit stops at the first.
                break;
            }
        }
    }
}

fn expansion_help(e: &ExpandError) -> &'static str {
    match e.cause() {
        ExpandError::UnterminatedDoubleQuote | ExpandError::UnterminatedSingleQuote => {
            "close the quote, or escape it (`\\\"`) if it is part of the value"
        }
        ExpandError::Unterminated(_) | ExpandError::MissingBrace => {
            "close the `${` with `}`"
        }
        _ => "write the substitution in a form BuildKit supports (`${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `${VAR#pattern}`, `${VAR/a/b}`)"
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::rules::test_context::assert_counts;

    #[test]
    fn expansion_errors() {
        assert_counts(
            check,
            &[
                ("FROM alpine:3.20\nLABEL a=\"b\n", 1),
                ("FROM alpine:3.20\nENV A='x\n", 1),
                ("FROM alpine:3.20\nWORKDIR /app/${DIR\n", 1),
                ("FROM alpine:3.20\nARG V=1\nCOPY a${V:} /x/\n", 1),
                ("FROM alpine:3.20\nUSER \"app\n", 1),
                // Closed quotes and known forms.
                ("FROM alpine:3.20\nLABEL a=\"b c\" d='e'\n", 0),
                ("FROM alpine:3.20\nENV A=\"it's\"\n", 0),
                (
                    "FROM alpine:3.20\nARG V\nWORKDIR /app/${V:-x}/${V#a}/${V/a/b}\n",
                    0,
                ),
                ("FROM alpine:3.20\nLABEL a=\\\"b\n", 0),
                // The build may pass the variable a `:?` asks for.
                ("FROM alpine:3.20\nARG V\nWORKDIR /app/${V:?set V}\n", 0),
                // Not expanded by BuildKit: RUN and CMD bodies, exec-form words.
                ("FROM alpine:3.20\nRUN echo \"hi\n", 0),
                ("FROM alpine:3.20\nCOPY [\"it's\", \"/x\"]\n", 0),
                // A stage the build does not run is not expanded.
                (
                    "FROM alpine:3.20 AS unused\nLABEL a=\"b\nFROM alpine:3.20\nRUN true\n",
                    0,
                ),
                (
                    "FROM alpine:3.20 AS base\nLABEL a=\"b\nFROM base\nRUN true\n",
                    1,
                ),
            ],
        );
    }

    #[test]
    fn instructions_before_the_first_from() {
        assert_counts(
            check,
            &[
                ("RUN echo hi\nFROM alpine:3.20\n", 1),
                ("ENV A=1\nLABEL a=b\nFROM alpine:3.20\n", 2),
                ("# syntax=docker/dockerfile:1\nWORKDIR /app\nFROM alpine:3.20\n", 1),
                ("ONBUILD RUN x\nFROM alpine:3.20\n", 1),
                ("RUN <<EOF\necho hi\nEOF\nFROM alpine:3.20\n", 1),
                // Its own error comes first in BuildKit, and only that one is reported.
                ("ENV\nFROM alpine:3.20\n", 1),
                ("COPY a\nFROM alpine:3.20\n", 1),
                // ARG, comments and directives may come first; after FROM anything may.
                ("# syntax=docker/dockerfile:1\n# a comment\nARG V=1\nARG W\nFROM alpine:$V\nRUN echo\n", 0),
                ("FROM alpine:3.20\nRUN echo hi\nFROM scratch\nENV A=1\n", 0),
                ("arg V=1\nfrom alpine:$V\nrun echo\n", 0),
                // A malformed FROM still opens a stage: BuildKit stops at the FROM itself.
                ("FROM a b\nRUN echo\n", 1),
            ],
        );
    }

    #[test]
    fn onbuild_triggers() {
        assert_counts(
            check,
            &[
                ("FROM alpine:3.20\nONBUILD ONBUILD RUN x\n", 1),
                ("FROM alpine:3.20\nONBUILD FROM alpine\n", 1),
                ("FROM alpine:3.20\nonbuild maintainer me\n", 1),
                (
                    "FROM alpine:3.20\nONBUILD RUN echo hi\nONBUILD COPY . /app/\n",
                    0,
                ),
                ("FROM alpine:3.20\nONBUILD ADD . /app/src\n", 0),
            ],
        );
    }

    #[test]
    fn flags() {
        assert_counts(
            check,
            &[
                // A value flag without `=value`: the next word is not its value.
                ("FROM alpine:3.20\nCOPY --chmod 755 run.sh /usr/bin/\n", 1),
                ("FROM alpine:3.20\nCOPY --chown app:app --chmod=755 a /b\n", 1),
                ("FROM alpine:3.20\nCOPY --from a /b\n", 1),
                ("FROM alpine:3.20\nRUN --mount echo\n", 1),
                ("FROM alpine:3.20\nCOPY --chmod=755 --chown=app:app a /b\n", 0),
                ("FROM alpine:3.20\nCOPY --chmod= a /b\n", 0),
                // Booleans: bare, true or false, in any case.
                ("FROM alpine:3.20\nCOPY --link= a /b\n", 1),
                ("FROM alpine:3.20\nCOPY --link=yes a /b\n", 1),
                ("FROM alpine:3.20\nCOPY --link --parents=TRUE a /b\n", 0),
                ("FROM alpine:3.20\nADD --link=false --keep-git-dir=true a /b\n", 0),
                // Repeated: only the repeatable ones may.
                ("FROM alpine:3.20\nCOPY --from=a --from=b /x /y\n", 1),
                ("FROM alpine:3.20\nCOPY --link --link a /b\n", 1),
                ("FROM alpine:3.20\nRUN --network=none --network=host echo\n", 1),
                (
                    "FROM alpine:3.20\nRUN --mount=type=cache,target=/a --mount=type=cache,target=/b echo\n",
                    0,
                ),
                ("FROM alpine:3.20\nCOPY --exclude=*.md --exclude=*.txt . /app/\n", 0),
                // Unknown, on instructions that parse their flags.
                ("FROM alpine:3.20\nCOPY --user=me a /b\n", 1),
                ("FROM alpine:3.20\nWORKDIR --x=1 /app\n", 1),
                ("FROM --platform=linux/amd64 alpine:3.20\nCOPY --Link a /b\n", 1),
                // ARG, STOPSIGNAL and HEALTHCHECK NONE never parse theirs: BuildKit ignores them.
                ("FROM alpine:3.20\nARG --x=1 V\n", 0),
                ("FROM alpine:3.20\nSTOPSIGNAL --x SIGTERM\n", 0),
                ("FROM alpine:3.20\nHEALTHCHECK --interval=5s NONE\n", 0),
                ("FROM alpine:3.20\nHEALTHCHECK --nope=1 CMD true\n", 1),
                ("FROM alpine:3.20\nHEALTHCHECK --interval=5s --retries=3 CMD true\n", 0),
            ],
        );
    }

    #[test]
    fn run_network_and_security() {
        assert_counts(
            check,
            &[
                ("FROM alpine:3.20\nRUN --network=bridge echo\n", 1),
                ("FROM alpine:3.20\nRUN --network= echo\n", 1),
                ("FROM alpine:3.20\nRUN --network=Host echo\n", 1),
                ("FROM alpine:3.20\nRUN --security=privileged echo\n", 1),
                ("FROM alpine:3.20\nRUN --network=none echo\n", 0),
                (
                    "FROM alpine:3.20\nRUN --network=host --security=insecure echo\n",
                    0,
                ),
                (
                    "FROM alpine:3.20\nRUN --network=default --security=sandbox echo\n",
                    0,
                ),
                // Left to BuildKit: a value it might expand.
                (
                    "FROM alpine:3.20\nARG NET=none\nRUN --network=$NET echo\n",
                    0,
                ),
            ],
        );
    }

    #[test]
    fn findings_answer_to_their_own_code_only() {
        let text = "RUN echo\nFROM alpine:3.20\nONBUILD ONBUILD RUN x\nFOO bar\n";
        let got = crate::rules::test_context::check_text(check, text);
        let aliases: Vec<_> = got.iter().map(|d| d.aliases).collect();
        assert_eq!(aliases, [&["DL3061"][..], &["DL3043"], &[]]);
    }
}
