//! copy-from-unknown-stage: a `COPY --from` that names no stage of the file and no image
//! either (a misspelt or missing stage), a stage index past the last stage, or a stage that
//! depends on the one copying (BuildKit refuses the cycle).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::images::is_library_image;
use crate::model::{CopyFrom, Model};
use crate::rules::suppress::closest_among;
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "copy-from-unknown-stage",
    group: "correctness",
    severity: Severity::Warning,
    summary: "COPY --from names no stage and no image, or a stage that copies from this one",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/copy-from-unknown-stage.md"),
    aliases: &["DL3022", "DL3023"],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (&i, copy) in &m.copies {
        let CopyFrom::Image(name) = &copy.from else {
            continue;
        };
        let (Some(si), Some(flag)) = (m.stage_of[i], m.instruction(i).flag("from")) else {
            continue;
        };
        let Some(written) = flag.value.as_deref() else {
            continue;
        };
        // A value the build passes (`--from=$SRC` without a default) is not known here.
        if !m.unset_vars_at(i, written).is_empty() || name.is_empty() {
            continue;
        }
        let span = flag.value_span.unwrap_or(flag.span);
        let diag = |message: String, label: &str, help: String, alias| {
            Diagnostic::new(RULE.name, RULE.severity, message, span)
                .label(label.to_string())
                .help(help)
                .answers_to(alias)
        };
        // BuildKit finds a stage by name or index anywhere in the file, later ones too.
        if let Some(t) = m.stage_by_name(name, usize::MAX) {
            if t == si {
                out.push(diag(
                    format!("`--from={name}` names the stage it is in"),
                    "this stage",
                    "copy from an earlier stage, or from the build context without `--from`".into(),
                    &["DL3023"],
                ));
            } else if depends_on(m, t, si) {
                let mut d = diag(
                    format!("`{name}` is built from this stage, so `--from={name}` is circular"),
                    "a stage that needs this one",
                    "copy from a stage that does not depend on this one".into(),
                    &["DL3023"],
                );
                if let Some(s) = m.stages[t].name_span {
                    d = d.secondary(s, "defined here, later");
                }
                out.push(d);
            }
            continue;
        }
        if let Ok(n) = name.parse::<usize>() {
            out.push(diag(
                format!(
                    "`--from={n}` names stage {n}, but the file has {} stage{}",
                    m.stages.len(),
                    if m.stages.len() == 1 { "" } else { "s" }
                ),
                "no such stage",
                "count stages from 0, or name the stage (`FROM … AS build`, `--from=build`)".into(),
                &["DL3022"],
            ));
            continue;
        }
        // A registry, path, tag or digest makes it an image reference; BuildKit pulls it.
        if name.contains(['/', ':', '@', '.']) {
            continue;
        }
        // Stage names made by ARG expansion (`AS ${NAME}`) are not known here.
        let names = m.named_stages();
        if names.iter().any(|n| n.contains('$')) {
            continue;
        }
        // An official image is taken for a misspelt stage only when one letter or two differ:
        // `--from=golang` beside a stage `golang-build` is the image.
        let official = is_library_image(name);
        let similar = similar_stage(name, &names, !official);
        if similar.is_none() && official {
            continue;
        }
        let mut d = match similar {
            Some(s) => diag(
                format!("no stage is named `{name}`: BuildKit pulls an image `{name}` instead"),
                "not a stage of this file",
                format!("did you mean the stage `{s}`?"),
                &["DL3022"],
            ),
            None => diag(
                format!(
                    "no stage is named `{name}`, and no official image is: BuildKit pulls \
                     `docker.io/library/{}`",
                    name.to_ascii_lowercase()
                ),
                "not a stage of this file",
                if names.is_empty() {
                    "add the stage this copies from, or name an image with its registry and tag"
                        .to_string()
                } else {
                    format!(
                        "name one of the stages ({}), or an image with its registry and tag",
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                &["DL3022"],
            ),
        };
        if let Some(stage) = similar.and_then(|s| m.stage_by_name(s, usize::MAX)) {
            if let Some(s) = m.stages[stage].name_span {
                d = d.secondary(s, "a stage of a similar name");
            }
        }
        out.push(d);
    }
}

/// The stage whose name is `name` misspelt (`buidler`), or, `by_word`, has it as a word
/// (`set` for `license-set`, `builder-base` for `builder`).
fn similar_stage<'a>(name: &str, stages: &[&'a str], by_word: bool) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let words = |s: &str| {
        s.split(['-', '_', '.'])
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let lowered: Vec<String> = stages.iter().map(|s| s.to_ascii_lowercase()).collect();
    if let Some(c) = closest_among(&lower, lowered.iter().map(String::as_str)) {
        return lowered.iter().position(|l| l == c).map(|p| stages[p]);
    }
    if !by_word {
        return None;
    }
    let name_words = words(&lower);
    lowered
        .iter()
        .position(|s| {
            let stage_words = words(s);
            (stage_words.len() > 1 && stage_words.contains(&lower))
                || (name_words.len() > 1 && name_words.contains(s))
        })
        .map(|p| stages[p])
}

/// Does stage `from` need stage `target` to be built: through FROM, `COPY --from` or a
/// `RUN --mount` of it, directly or through other stages?
fn depends_on(m: &Model, from: usize, target: usize) -> bool {
    let mut seen = vec![false; m.stages.len()];
    let mut todo = vec![from];
    while let Some(s) = todo.pop() {
        if s == target {
            return true;
        }
        if std::mem::replace(&mut seen[s], true) {
            continue;
        }
        let stage = &m.stages[s];
        if let crate::model::Base::Stage(p) = stage.base {
            todo.push(p);
        }
        for i in stage.instrs.clone() {
            let copies = m.copies.get(&i).map(|c| &c.from).into_iter();
            let mounts = m.mounts.get(&i).into_iter().flatten().map(|mt| &mt.from);
            for f in copies.chain(mounts) {
                match f {
                    CopyFrom::Stage(t) => todo.push(*t),
                    CopyFrom::Image(n) => todo.extend(m.stage_by_name(n, usize::MAX)),
                    CopyFrom::Context => {}
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        assert_counts(
            super::check,
            &[
                // Earlier stages, by name (any case) and by index.
                ("FROM alpine:3 AS build\nFROM alpine:3\nCOPY --from=build /a /a\n", 0),
                ("FROM alpine:3 AS Build\nFROM alpine:3\nCOPY --from=build /a /a\n", 0),
                ("FROM alpine:3\nFROM alpine:3\nCOPY --from=0 /a /a\n", 0),
                // Image references BuildKit pulls.
                ("FROM alpine:3\nCOPY --from=nginx:1.25 /a /a\n", 0),
                ("FROM alpine:3\nCOPY --from=ghcr.io/x/y /a /a\n", 0),
                ("FROM alpine:3\nCOPY --from=composer/composer /a /a\n", 0),
                ("FROM alpine:3\nCOPY --from=golang /a /a\n", 0),
                ("FROM alpine:3\nCOPY --from=busybox /a /a\n", 0),
                ("FROM alpine:3 AS base\nCOPY --from=alpine@sha256:ab /a /a\n", 0),
                // No such stage, no such official image.
                ("FROM alpine:3 AS base\nFROM base\nCOPY --from=pruned /a /a\n", 1),
                ("FROM alpine:3\nCOPY --from=pruned /a /a\n", 1),
                // Close to a stage name; an official image only when one letter or two differ.
                ("FROM alpine:3 AS nodes\nFROM scratch\nCOPY --from=node /a /a\n", 1),
                ("FROM alpine:3 AS license-set\nFROM scratch\nCOPY --from=set /a /a\n", 1),
                ("FROM alpine:3 AS buidler\nFROM scratch\nCOPY --from=builder /a /a\n", 1),
                ("FROM golang:1 AS golang-build\nFROM alpine:3\nCOPY --from=golang /a /a\n", 0),
                ("FROM alpine:3 AS builder\nFROM scratch\nCOPY --from=builder-base /a /a\n", 1),
                // A later stage is found by BuildKit; a cycle is not buildable.
                ("FROM alpine:3\nCOPY --from=later /a /a\nFROM alpine:3 AS later\n", 0),
                (
                    "FROM alpine:3 AS one\nCOPY --from=two /a /a\nFROM one AS two\n",
                    1,
                ),
                (
                    "FROM alpine:3 AS one\nCOPY --from=two /a /a\nFROM alpine:3 AS two\nCOPY --from=one /b /b\n",
                    1,
                ),
                // The stage itself, by name and by index.
                ("FROM alpine:3 AS app\nCOPY --from=app /a /b\n", 1),
                ("FROM alpine:3\nCOPY --from=0 /a /b\n", 1),
                ("FROM alpine:3\nFROM alpine:3\nCOPY --from=1 /a /b\n", 1),
                ("FROM alpine:3\nFROM alpine:3\nCOPY --from=2 /a /b\n", 1),
                ("FROM alpine:3\nCOPY --from=1 /a /b\nFROM alpine:3\n", 0),
                // Variables: expanded where known, else quiet.
                ("FROM alpine:3\nARG SRC\nCOPY --from=$SRC /a /a\n", 0),
                ("FROM alpine:3 AS stage_a\nFROM alpine:3\nARG E=a\nCOPY --from=stage_${E} /a /a\n", 0),
                ("FROM alpine:3 AS stage_a\nFROM alpine:3\nARG E=b\nCOPY --from=stage_${E} /a /a\n", 1),
                ("ARG N=x\nFROM alpine:3 AS ${N}\nFROM alpine:3\nCOPY --from=x /a /a\n", 0),
                ("FROM alpine:3\nCOPY /a /a\n", 0),
            ],
        );
    }
}
