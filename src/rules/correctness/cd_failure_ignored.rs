//! cd-failure-ignored: `cd build; make` without `set -e`: when the `cd` fails (the directory is
//! missing, a typo, an earlier step that did not create it) the shell goes on in the directory it
//! was in, and the commands after it run there: `make` in `/`, `rm -rf *` in the wrong place.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::correctness::install_failure_masked::{runs_on_after, shell_runs_on};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "cd-failure-ignored",
    group: "correctness",
    severity: Severity::Warning,
    summary: "a `cd` followed by `;` without `set -e`: when it fails, the next commands run in the wrong directory",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/cd-failure-ignored.md"),
    aliases: &["SC2164"],
    default: true,
    check,
};

/// Directories a `cd` cannot miss in any image with a filesystem.
fn always_there(dir: &str) -> bool {
    matches!(dir, "/" | "-" | "~" | "$HOME" | "${HOME}" | "/tmp" | "..")
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, _) in m.instructions_of(Keyword::Run) {
        if !shell_runs_on(m, i) {
            continue;
        }
        let cmds = m.commands(i);
        for c in cmds {
            if c.program() != Some("cd") {
                continue;
            }
            let Some(dir) = c.args().iter().find(|w| !w.value.starts_with('-')) else {
                continue;
            };
            if always_there(&dir.raw) {
                continue;
            }
            let Some(next) = runs_on_after(cmds, c, &m.file.text) else {
                continue;
            };
            // `cd a; cd /b`: the next command leaves for a directory of its own.
            if next.program() == Some("cd")
                && next
                    .args()
                    .iter()
                    .find(|w| !w.value.starts_with('-'))
                    .is_some_and(|w| w.raw.starts_with('/'))
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!(
                        "if `cd {}` fails, the script goes on in the directory it was in: without `set -e` nothing stops it",
                        dir.raw
                    ),
                    c.span,
                )
                .label("its failure is not checked")
                .secondary(next.span, "runs in the wrong directory when it failed")
                .help("join the commands with `&&`, start the script with `set -e`, or use `WORKDIR`")
                .answers_to(&["SC2164"]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        assert_counts(
            super::check,
            &[
                ("FROM debian:12\nRUN cd /src/app; make install\n", 1),
                ("FROM debian:12\nRUN cd /src/app && make install\n", 0),
                ("FROM debian:12\nRUN cd /src/app || exit 1; make install\n", 0),
                ("FROM debian:12\nRUN set -e; cd /src/app; make install\n", 0),
                ("FROM debian:12\nSHELL [\"/bin/bash\", \"-ec\"]\nRUN cd /src/app; make\n", 0),
                // Its status is the RUN's.
                ("FROM debian:12\nRUN make; cd /src/app\n", 0),
                ("FROM debian:12\nRUN cd /; ls\n", 0),
                ("FROM debian:12\nRUN cd build; cd /; ls\n", 0),
                ("FROM debian:12\nRUN <<EOF\ncd /src/app\nmake\nEOF\n", 1),
                ("FROM debian:12\nRUN <<EOF\nset -eux\ncd /src/app\nmake\nEOF\n", 0),
                ("FROM debian:12\nRUN if cd /src; then make; fi; ls\n", 0),
                ("FROM debian:12\nRUN if [ -d /s ]; then cd /s; \\\n  make; fi\n", 1),
                ("FROM debian:12\nRUN if [ -d /s ]; then cd /s; else cd /t; fi\n", 0),
                ("FROM debian:12\nRUN for d in a b; do cd $d; make; done\n", 1),
                ("FROM debian:12\nRUN (cd /src; make) && ls\n", 1),
                ("FROM debian:12\nRUN set -e; (cd /src; make) && ls\n", 0),
                ("FROM debian:12\nRUN (set -e); (cd /src; make) && ls\n", 1),
                ("FROM debian:12\nRUN set -e; sh -c 'cd /src; make'\n", 1),
                ("FROM debian:12\nRUN cd /src; \\\n# build it\n  make\n", 1),
                ("FROM debian:12\nRUN <<EOF\ncd /src; # build it\nmake\nEOF\n", 1),
                (
                    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN cd C:\\app; npm ci\n",
                    0,
                ),
            ],
        );
    }
}
