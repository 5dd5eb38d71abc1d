//! description-comment: the comment right above `ARG name` or `FROM ... AS name` does not start
//! with that name, as BuildKit's experimental description comments must.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Dockerfile, Keyword};

pub static RULE: Rule = Rule {
    name: "description-comment",
    group: "style",
    severity: Severity::Info,
    summary: "a comment above ARG or a named FROM that does not start with its name",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/description-comment.md"),
    aliases: &["InvalidDefinitionDescription"],
    // BuildKit's check is experimental: it runs where the file's `# check=experimental=` asks
    // for it, so being on costs nothing elsewhere.
    default: true,
    check,
};

const CHECK: &str = "InvalidDefinitionDescription";

/// Does the file's `# check=experimental=` list name this check (or `all`)?
fn asked_for(file: &Dockerfile) -> bool {
    file.directives
        .iter()
        .filter(|d| d.name == "check")
        .flat_map(|d| d.value.split(';'))
        .filter_map(|part| part.trim().strip_prefix("experimental="))
        .flat_map(|list| list.split(','))
        .any(|n| {
            let n = n.trim();
            n.eq_ignore_ascii_case("all") || n.eq_ignore_ascii_case(CHECK)
        })
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let file = m.file;
    if !asked_for(file) {
        return;
    }
    // The text of each comment line by its line number; directives are not descriptions.
    let mut by_line: HashMap<usize, &str> = HashMap::new();
    let mut line = 1;
    let mut at = 0;
    for c in &file.comments {
        if file.directives.iter().any(|d| d.span.start == c.start) {
            continue;
        }
        line += file.text[at..c.start].matches('\n').count();
        at = c.start;
        let text = &file.text[c.start..c.end];
        by_line.insert(line, text.trim_start().trim_start_matches('#'));
    }
    for (i, ins) in file.instructions.iter().enumerate() {
        let (what, names): (&str, Vec<&str>) = match (&ins.keyword, &ins.args) {
            (Keyword::Arg, Args::KeyValues(pairs)) => (
                "ARG",
                pairs.iter().map(|kv| kv.key.value.as_str()).collect(),
            ),
            (Keyword::From, _) => match m
                .stage_of
                .get(i)
                .copied()
                .flatten()
                .map(|s| &m.stages[s])
                .filter(|s| s.from_instr == i)
                .and_then(|s| s.name.as_deref())
            {
                Some(n) => ("FROM", vec![n]),
                None => continue,
            },
            _ => continue,
        };
        let Some(above) = ins.start_line.checked_sub(1).and_then(|l| by_line.get(&l)) else {
            continue;
        };
        let text = above.trim_start();
        // An empty `#` line says the block above is no description.
        if text.is_empty() {
            continue;
        }
        let first = text.split(' ').next().unwrap_or("");
        if names.contains(&first) {
            continue;
        }
        let example = if names.len() > 1 {
            "<arg_key>"
        } else {
            names[0]
        };
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("the comment above this {what} should read `# {example} <description>`"),
                ins.keyword_word.span,
            )
            .label(format!("described by `#{above}`"))
            .help(format!(
                "start the comment with `{example}`, or put an empty `#` line between it and the {what} if it is not a description"
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
        let on = "# check=experimental=InvalidDefinitionDescription\n";
        let cases: &[(String, usize)] = &[
            (format!("{on}# bar this is the bar\nARG foo=bar\n# BasE the base\nFROM scratch AS base\n# bad\nARG version=latest\n# bad\nARG foo=baz bar=qux\n"), 4),
            (format!("{on}# foo this is the foo\nARG foo=bar\n# base the base\nFROM scratch AS base\n# version\nARG version=latest\n# baz the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n# for COPY\nCOPY a b\n"), 0),
            // A blank line breaks the link; an unnamed FROM has nothing to describe.
            (format!("{on}# unrelated\n\nARG foo=bar\n# the image\nFROM scratch\n"), 0),
            // Experimental: only where the file asks for it.
            ("# bar this is the bar\nARG foo=bar\n".to_string(), 0),
            ("# check=experimental=all\n# bar\nARG foo=bar\n".to_string(), 1),
        ];
        let cases: Vec<(&str, usize)> = cases.iter().map(|(t, n)| (t.as_str(), *n)).collect();
        assert_counts(super::check, &cases);
    }
}
