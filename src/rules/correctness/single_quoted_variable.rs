//! single-quoted-variable: `curl -H 'Authorization: Bearer $TOKEN'`, where `TOKEN` is an ARG
//! or ENV of the stage: single quotes keep the `$` as text, so the command gets `$TOKEN`, not
//! the token. Quiet where the program takes `$` as its own syntax (`sed`, `awk`, `sh -c`,
//! `jq`, ...) or writes text (`echo`, `printf`), and where the name is not one the Dockerfile or
//! the script sets, which is what says the value was meant.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::{Model, VarKind};
use crate::rules::{FixAvailability, Rule};
use crate::shell::vars::{
    self, dollar_names, piped_into, takes_literal_dollar, word_takes_literal_dollar, SET_BY_SHELL,
    TEXT_WRITERS,
};
use crate::shell::{Nesting, PartKind};
use crate::syntax::{Keyword, Span};

pub static RULE: Rule = Rule {
    name: "single-quoted-variable",
    group: "correctness",
    severity: Severity::Warning,
    summary: "a `$NAME` of an ARG or ENV inside single quotes, passed on as text",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/single-quoted-variable.md"),
    aliases: &["SC2016"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, ins) in m.instructions_of(Keyword::Run) {
        let Some(stage) = m.stage_of[i].and_then(|s| m.stages.get(s)) else {
            continue;
        };
        if !m.shell_at(stage, i).kind.is_posix() {
            continue;
        }
        let cmds = m.commands(i);
        if !cmds
            .iter()
            .any(|c| c.argv.iter().any(|w| w.raw.contains('\'')))
        {
            continue;
        }
        let scope = m.scope_at(i);
        let script = vars::assigned(cmds, m.constructs(i), &m.file.text).names;
        let exec = ins.is_exec_form();
        for c in cmds {
            // In shell form, an `sh -c` script's quotes were inside the outer word's quotes,
            // whose `$` the outer shell already expanded; in exec form they are the only ones.
            if c.nesting.contains(&Nesting::ShellC) != exec {
                continue;
            }
            let Some(program) = c.program() else {
                continue;
            };
            // `echo '…' | pecl install`: the text is the input of a program that takes it as
            // data, as if it were its argument.
            let reader = TEXT_WRITERS
                .contains(&program)
                .then(|| piped_into(cmds, c))
                .flatten()
                .filter(|n| n.program().is_some_and(|p| !takes_literal_dollar(p)));
            let program = reader.and_then(|n| n.program()).unwrap_or(program);
            for (k, w) in c.argv.iter().enumerate().skip(1) {
                if !w.raw.contains('\'') || (reader.is_none() && word_takes_literal_dollar(c, k)) {
                    continue;
                }
                for p in w.parts() {
                    if p.kind != PartKind::SingleQuoted || p.end < p.start + 2 {
                        continue;
                    }
                    let text = &w.raw[p.start + 1..p.end - 1];
                    // A snippet of shell code, kept for a later shell to run.
                    if text.contains([';', '|', '&', '`']) || text.contains("$(") {
                        continue;
                    }
                    let names = dollar_names(text);
                    let meant: Vec<&str> = names
                        .iter()
                        .map(|(n, _, _)| *n)
                        .filter(|n| !SET_BY_SHELL.contains(n))
                        .filter(|n| scope.def(n).is_some() || script.contains(*n))
                        .collect();
                    let Some(first) = meant.first() else {
                        continue;
                    };
                    let what = match scope.def(first).map(|d| d.kind) {
                        Some(VarKind::Arg) => "the ARG",
                        Some(VarKind::Env) => "the ENV",
                        None => "the variable",
                    };
                    let mut d = Diagnostic::new(
                        RULE.name,
                        RULE.severity,
                        format!(
                            "`${first}` is inside single quotes, so `{program}` gets the text `${first}`, not the value of {what} `{first}`"
                        ),
                        p.span,
                    )
                    .label("not expanded in single quotes")
                    .help("write the word in double quotes, where `$NAME` expands and spaces stay one word")
                    .answers_to(&["SC2016"]);
                    // Double quotes change nothing else when the text has no `"`, `\` or
                    // backtick, and every `$` in it is a name that was meant.
                    let plain = !text.contains(['"', '\\', '`'])
                        && text.matches('$').count() == names.len()
                        && names.len() == meant.len();
                    if plain {
                        let open = w.span_of(p.start, p.start + 1);
                        let close = w.span_of(p.end - 1, p.end);
                        if open.end - open.start == 1 && close.end - close.start == 1 {
                            d = d.fix(Fix {
                                title: "write the word in double quotes".to_string(),
                                applicability: Applicability::Unsafe,
                                edits: [open, close]
                                    .into_iter()
                                    .map(|span: Span| Edit {
                                        span,
                                        content: "\"".to_string(),
                                    })
                                    .collect(),
                            });
                        }
                    }
                    out.push(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            (
                "FROM alpine\nARG TOKEN\nRUN curl -H 'Authorization: Bearer $TOKEN' https://x\n",
                1,
            ),
            (
                "FROM alpine\nARG TOKEN\nRUN curl -H \"Authorization: Bearer $TOKEN\" https://x\n",
                0,
            ),
            // A name nothing sets: no sign that a value was meant.
            ("FROM alpine\nRUN curl -H 'Authorization: Bearer $TOKEN' https://x\n", 0),
            ("FROM alpine\nRUN V=1.2 && wget 'https://x/v${V}.tgz'\n", 1),
            // Programs that take `$` as their own text.
            ("FROM alpine\nENV APP=/srv\nRUN sed -i 's/$APP/x/' f\n", 0),
            ("FROM alpine\nENV APP=/srv\nRUN echo 'cd $APP' >> /etc/profile\n", 0),
            ("FROM alpine\nENV APP=/srv\nRUN echo 'cd $APP' | tee -a /etc/profile\n", 0),
            ("FROM alpine\nENV D=/o\nRUN echo 'instantclient,${D}/' | pecl install oci8\n", 1),
            ("FROM alpine\nENV APP=/srv\nRUN su app -c 'ls $APP'\n", 0),
            ("FROM alpine\nENV APP=/srv\nRUN find . -exec sh -c 'ls $APP' \\;\n", 0),
            ("FROM alpine\nARG T\nRUN npm config set //r/:_authToken '${T}'\n", 0),
            ("FROM alpine\nARG T\nRUN git config --global url.'https://$T@x'.insteadOf y\n", 0),
            ("FROM alpine\nARG T\nRUN git clone 'https://$T@github.com/o/r'\n", 1),
            ("FROM alpine\nENV LIB=/l\nRUN patchelf --set-rpath '$ORIGIN:$LIB' x\n", 0),
            // Shell code kept for later.
            ("FROM alpine\nENV A=1\nRUN trap 'rm $A' EXIT\nRUN x 'a; $A'\n", 0),
            // `sh -c "…'$A'…"`: the outer shell expanded it already.
            ("FROM alpine\nENV A=1\nRUN sh -c \"ls '$A'\"\n", 0),
            ("FROM alpine\nENV A=1\nRUN [\"sh\", \"-c\", \"ls '$A'\"]\n", 1),
            // Not a POSIX shell.
            (
                "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nENV A=1\nRUN ls '$A'\n",
                0,
            ),
        ];
        assert_counts(super::check, cases);
    }
}
