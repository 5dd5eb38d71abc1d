//! workdir-relative: the first WORKDIR of a stage is a relative path, so where it lands depends
//! on the base image's working directory.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    name: "workdir-relative",
    group: "correctness",
    severity: Severity::Warning,
    summary: "the first WORKDIR of a stage is relative to the base image's directory",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/workdir-relative.md"),
    aliases: &["WorkdirRelativePath"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for stage in &m.stages {
        // A stage built on one of this file that set a WORKDIR starts from a known directory.
        let inherited = m.stage_chain(stage).iter().skip(1).any(|s| {
            s.instrs
                .clone()
                .any(|i| m.instruction(i).keyword == Keyword::Workdir)
        });
        if inherited {
            continue;
        }
        let Some(first) = stage
            .instrs
            .clone()
            .find(|&i| m.instruction(i).keyword == Keyword::Workdir)
        else {
            continue;
        };
        let ins = m.instruction(first);
        let (Args::Words(words) | Args::Exec(words)) = &ins.args else {
            continue;
        };
        let Some(w) = words.first() else { continue };
        let v = m.expand_at(first, &w.value);
        if v.is_empty() || v.starts_with('/') || v.starts_with('$') {
            continue;
        }
        // Windows paths (`C:\app`) are absolute too.
        if v.len() > 1 && v.as_bytes()[1] == b':' {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("the relative WORKDIR `{v}` lands wherever the base image's directory is"),
                w.span,
            )
            .label("relative to the base image's WORKDIR")
            .help(format!(
                "write an absolute path, such as `/{}`",
                v.trim_start_matches("./")
            ))
            .answers_to(RULE.aliases),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM scratch\nWORKDIR app/\n", 1),
            ("FROM scratch\nWORKDIR /app\nWORKDIR sub\n", 0),
            (
                "FROM scratch AS a\nWORKDIR /app\nFROM a AS b\nWORKDIR subdir/\n",
                0,
            ),
            ("FROM python:3.12\nWORKDIR $HOME/app\n", 0),
            (
                "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\app\n",
                0,
            ),
        ];
        assert_counts(super::check, cases);
    }
}
