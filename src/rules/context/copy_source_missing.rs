//! copy-source-missing: a COPY/ADD source that names nothing in the build context, so the
//! build stops at that line, or a path that climbs out of the context and so reads another file.

use crate::context::{has_wildcards, BuildContext};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::{CopyFrom, CopySource, Model, SourceKind};
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "copy-source-missing",
    group: "context",
    severity: Severity::Error,
    summary: "a COPY/ADD source matches nothing in the build context",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/copy-source-missing.md"),
    aliases: &[],
    default: true,
    check,
};

/// Directory entries `suggest` may look at for one missing source: enough for a large
/// repository's upper levels, small enough to stay well under a millisecond per lookup.
const SUGGEST_BUDGET: usize = 5000;

/// How a source reads in a message: as written, and what it expanded to when that differs.
fn shown(s: &CopySource) -> String {
    if s.word.value != s.expanded {
        format!("`{}` (`{}`)", s.word.value, s.expanded)
    } else {
        format!("`{}`", s.expanded)
    }
}

/// A source word that can be replaced by another path without changing how the line parses.
fn plain_word(s: &CopySource, escape: char) -> bool {
    s.word.value == s.expanded
        && !s
            .word
            .value
            .contains(|c: char| c == escape || c == '"' || c == '\'' || c.is_whitespace())
}

/// A context that holds only Dockerfiles and none of the sources the file copies is almost
/// surely not the build's context (a `docker/Dockerfile` built from the repository root): say
/// that once, at the first source, instead of reporting every source as missing.
fn wrong_context(m: &Model, ctx: &BuildContext) -> Option<Diagnostic> {
    let sources: Vec<&CopySource> = m
        .copies
        .values()
        .filter(|c| c.from == CopyFrom::Context)
        .flat_map(|c| c.context_paths())
        .filter(|s| s.unset_vars.is_empty() && !s.escapes_context)
        .collect();
    let first = sources.first()?;
    if sources.iter().any(|s| !s.matches.is_empty()) || !ctx.holds_only_dockerfiles() {
        return None;
    }
    let message = match sources.len() {
        1 => format!(
            "{} is not in the build context, which holds only Dockerfiles: the build must use another context",
            shown(first)
        ),
        n => format!(
            "none of the {n} COPY/ADD sources (the first is {}) is in the build context, which holds only Dockerfiles: the build must use another context",
            shown(first)
        ),
    };
    Some(
        Diagnostic::new(RULE.name, RULE.severity, message, first.word.span)
        .label("not in this build context")
        .help(format!(
            "`{}` is not the directory `docker build` is given: lint with that one, e.g. `layerlint check --context . path/to/Dockerfile` from the repository root, or name it in a compose file",
            ctx.root().display()
        )),
    )
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(ctx) = m.context else { return };
    if let Some(d) = wrong_context(m, ctx) {
        out.push(d);
        return;
    }
    for copy in m.copies.values() {
        if copy.from != CopyFrom::Context {
            continue;
        }
        let ins = m.instruction(copy.instr);
        let kw = ins.keyword.as_str().to_ascii_uppercase();
        // BuildKit lets a wildcard match nothing; such a COPY is only suspicious when nothing
        // at all comes of it (the `COPY go.sum* ./` idiom for optional files stays quiet).
        let copies_something = copy
            .sources
            .iter()
            .any(|s| s.kind != SourceKind::Path || !s.matches.is_empty());
        for s in copy.context_paths() {
            if !s.unset_vars.is_empty() {
                // The real build passes a value we do not know; checking the path the empty
                // value gives would report a file nobody meant.
                continue;
            }
            if s.escapes_context {
                let inside = if s.matches.is_empty() {
                    format!("`{}`, which is not there either", s.cleaned)
                } else {
                    format!("`{}` inside it instead", s.cleaned)
                };
                out.push(
                    Diagnostic::new(
                        RULE.name,
                        RULE.severity,
                        format!(
                            "{} points outside the build context; BuildKit stops `..` at the context root and reads {inside}",
                            shown(s)
                        ),
                        s.word.span,
                    )
                    .label("outside the build context")
                    .help("a build only sees files inside its context: move the files into the context, or build from a parent directory (`docker build -f path/to/Dockerfile .`) and copy them by their path from there"),
                );
                continue;
            }
            if !s.matches.is_empty() {
                continue;
            }
            // Windows Dockerfiles separate with `\`, which BuildKit turns into `/` there.
            if s.expanded.contains('\\')
                && !ctx
                    .resolve_source(&s.expanded.replace('\\', "/"))
                    .matches
                    .is_empty()
            {
                continue;
            }
            let wildcard = has_wildcards(&s.cleaned);
            if wildcard && copies_something {
                continue;
            }
            let suggestions = if wildcard {
                Vec::new()
            } else {
                ctx.suggest(&s.cleaned, SUGGEST_BUDGET)
            };
            let mut message = if wildcard {
                format!(
                    "{} matches nothing in the build context, so this {kw} copies nothing",
                    shown(s)
                )
            } else {
                format!("{} is not in the build context", shown(s))
            };
            let mut d;
            match suggestions.first() {
                Some(best) => {
                    message.push_str(&format!("; did you mean `{best}`?"));
                    d = Diagnostic::new(RULE.name, RULE.severity, message, s.word.span)
                        .label("no such file or directory in the build context")
                        .help(format!("copy `{best}`, which exists in the build context"));
                    if plain_word(s, m.file.escape) {
                        d = d.fix(Fix {
                            title: format!("copy `{best}` instead"),
                            applicability: Applicability::Unsafe,
                            edits: vec![Edit {
                                span: s.word.span,
                                content: best.clone(),
                            }],
                        });
                    }
                }
                None => {
                    let help = if wildcard {
                        "BuildKit accepts a wildcard that matches nothing and copies nothing; fix the pattern, or create the files before `docker build` runs".to_string()
                    } else {
                        format!(
                            "the build context is `{}`: add the file there, or fix the path",
                            ctx.root().display()
                        )
                    };
                    d = Diagnostic::new(RULE.name, RULE.severity, message, s.word.span)
                        .label(if wildcard {
                            "matches nothing"
                        } else {
                            "no such file or directory in the build context"
                        })
                        .help(help);
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::{context_with, lint_with_args, messages};

    fn fires(files: &[&str], dockerfile: &str) -> Vec<String> {
        messages("copy-source-missing", files, dockerfile)
    }

    #[test]
    fn table() {
        // (context files, Dockerfile, expected messages)
        let cases: &[(&[&str], &str, &[&str])] = &[
            // Present file: quiet.
            (&["app.py"], "FROM python\nCOPY app.py /app/\n", &[]),
            // Lowercase keyword, continuation line, did-you-mean across directories.
            (
                &["src/requirements.txt"],
                "from python\ncopy \\\n  requirements.txt /app/\n",
                &["`requirements.txt` is not in the build context; did you mean `src/requirements.txt`?"],
            ),
            // A case-only difference.
            (
                &["Makefile"],
                "FROM alpine\nCOPY makefile /src/\n",
                &["`makefile` is not in the build context; did you mean `Makefile`?"],
            ),
            // ARG default expands; the message shows both.
            (
                &["app.jar"],
                "FROM eclipse-temurin\nARG JAR=target/app.jar\nCOPY ${JAR} /app.jar\n",
                &["`${JAR}` (`target/app.jar`) is not in the build context; did you mean `app.jar`?"],
            ),
            // An ARG without value: the real build passes one; quiet.
            (&[], "FROM alpine\nARG JAR\nCOPY ${JAR} /app.jar\n", &[]),
            (&[], "FROM alpine\nCOPY $UNDECLARED/x /x\n", &[]),
            // Wildcard matching nothing next to a source that exists: the optional-file idiom.
            (&["go.mod"], "FROM golang\nCOPY go.mod go.sum* ./\n", &[]),
            // Wildcard matching nothing, and nothing else copied.
            (
                &["pom.xml"],
                "FROM eclipse-temurin\nCOPY target/*.jar /app.jar\n",
                &["`target/*.jar` matches nothing in the build context, so this COPY copies nothing"],
            ),
            // --from, URLs, heredocs: not about the context.
            (&[], "FROM alpine AS b\nRUN touch /x\nFROM alpine\nCOPY --from=b /x /x\n", &[]),
            (&[], "FROM alpine\nADD https://example.com/a.tgz /a.tgz\n", &[]),
            (&[], "FROM alpine\nADD git@github.com:moby/buildkit.git /src\n", &[]),
            (&[], "FROM alpine\nCOPY <<EOF /etc/x\nhello\nEOF\n", &[]),
            // ONBUILD runs in child builds, with their context.
            (&[], "FROM alpine\nONBUILD COPY missing /x\n", &[]),
            // Exec (JSON) form.
            (
                &["main.go"],
                "FROM alpine\nCOPY [\"no such.txt\", \"/x\"]\n",
                &["`no such.txt` is not in the build context"],
            ),
            // A context of Dockerfiles and notes only, holding none of the sources: the build
            // uses another context, said once.
            (
                &["README.md", "Dockerfile.dev"],
                "FROM python\nCOPY requirements.txt /app/\nCOPY src/ /app/\n",
                &["none of the 2 COPY/ADD sources (the first is `requirements.txt`) is in the build context, which holds only Dockerfiles: the build must use another context"],
            ),
            // Escaping the context.
            (
                &["shared/lib.py"],
                "FROM python\nCOPY ../shared/lib.py /app/\n",
                &["`../shared/lib.py` points outside the build context; BuildKit stops `..` at the context root and reads `shared/lib.py` inside it instead"],
            ),
            (
                &[],
                "FROM python\nCOPY ../lib.py /app/\n",
                &["`../lib.py` points outside the build context; BuildKit stops `..` at the context root and reads `lib.py`, which is not there either"],
            ),
            // Ignored, not missing: the other rule's business.
            (&[".dockerignore: secret.txt", "secret.txt"], "FROM alpine\nCOPY secret.txt /\n", &[]),
            // COPY --parents keeps the part after `/./`; the source is still a context path.
            (&["a/b/c.txt"], "# syntax=docker/dockerfile:1.7-labs\nFROM alpine\nCOPY --parents a/./b/c.txt /out/\n", &[]),
            // A Windows path.
            (&["app/web.config"], "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nCOPY app\\web.config C:\\app\\\n", &[]),
            // Escape directive: the backtick continues the line.
            (
                &["src/app.py"],
                "# escape=`\nFROM python\nCOPY `\n  app.py /app/\n",
                &["`app.py` is not in the build context; did you mean `src/app.py`?"],
            ),
        ];
        for (files, df, want) in cases {
            assert_eq!(&fires(files, df), want, "{df}");
        }
    }

    #[test]
    fn build_args_decide_the_path() {
        let ctx = context_with(&["v2/app.py"]);
        let got = lint_with_args(
            &ctx,
            "FROM python\nARG V\nCOPY $V/app.py /app/\n",
            &[("V", "v3")],
            "copy-source-missing",
        );
        assert_eq!(
            got,
            ["`$V/app.py` (`v3/app.py`) is not in the build context; did you mean `v2/app.py`?"]
        );
    }
}
