//! BuildKit's own build-check test cases (`dockerfile_check_test.go`, transcribed as data under
//! `../shared/conformance/buildkit/extracted/lint_check_cases.json`): for every case with a
//! literal Dockerfile, the findings of our rules that answer to a BuildKit check must equal
//! BuildKit's warnings as (check, line) pairs, for every check some rule declares as an alias.
//! A check no rule covers yet is left out of both sides, and the test says which. The warnings
//! compared are those of `docker build --check` (BuildKit's lint request), which judges every
//! stage, not only the stages a build of the default target reaches.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use layerlint::context::BuildContext;
use layerlint::lint::lint_text;
use layerlint::rules::suppress::buildkit_equivalents;

fn cases() -> Option<Vec<serde_json::Value>> {
    let f = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance/buildkit/extracted/lint_check_cases.json");
    let Ok(text) = std::fs::read_to_string(&f) else {
        common::skip(&format!("conformance data not found at {}", f.display()));
        return None;
    };
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    Some(v["cases"].as_array().expect("cases").clone())
}

/// The BuildKit checks our rules answer to.
fn covered() -> BTreeSet<&'static str> {
    buildkit_equivalents().iter().map(|(c, _)| *c).collect()
}

/// Cases where we knowingly differ from BuildKit, by (test function, line in the Go test), with
/// the reason.
const DEVIATIONS: &[(&str, u64, &str)] = &[];

/// Cases whose transcription repeats the Dockerfile of the case before it, by (test function,
/// line in the Go test), with the Dockerfile BuildKit's test really builds there (the
/// Linux variant of `integration.UnixOrWindows`).
const CORRECTED: &[(&str, u64, &str)] = &[
    (
        "testUndeclaredArg",
        1038,
        "\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\nCOPY Dockerfile .\n\t",
    ),
    (
        "testUndeclaredArg",
        1061,
        "\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n",
    ),
    (
        "testUnmatchedVars",
        1148,
        "\nFROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
    ),
    (
        "testUnmatchedVars",
        1171,
        "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n\t",
    ),
    (
        "testUnmatchedVars",
        1193,
        "\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n\t\t",
    ),
];

#[test]
fn findings_match_buildkit_warnings() {
    let Some(cases) = cases() else { return };
    let covered = covered();
    let mut used = 0;
    let mut matched = 0;
    let mut corrected = 0;
    let mut failures = Vec::new();
    let mut not_covered: BTreeMap<String, usize> = BTreeMap::new();
    for case in &cases {
        if case.get("dockerfile_go_expr").is_some() || case.get("FrontendAttrs").is_some() {
            continue;
        }
        let Some(text) = case["dockerfile"].as_str() else {
            continue;
        };
        let func = case["test_func"].as_str().unwrap_or("");
        let at = case["line_in_go_test"].as_u64().unwrap_or(0);
        let fixed = CORRECTED.iter().find(|(f, l, _)| *f == func && *l == at);
        corrected += usize::from(fixed.is_some());
        let text = fixed.map_or(text, |(_, _, t)| *t);
        if DEVIATIONS.iter().any(|(f, l, _)| *f == func && *l == at) {
            continue;
        }
        used += 1;
        let mut want: Vec<(String, u64)> = Vec::new();
        // `docker build --check` answers with the lint request's warnings, which cover every
        // stage; a build reports only those of the stages it builds. A linter answers as the
        // former, so where the two differ the case gives them apart. BuildKit's test does not
        // compare the lines of the lint request's warnings (its cases copy them from the build's),
        // so neither does this one.
        let unmarshal = case.get("unmarshalwarnings");
        let expected = unmarshal.unwrap_or(&case["warnings"]);
        for w in expected.as_array().into_iter().flatten() {
            let name = w["RuleName"].as_str().unwrap_or("").to_string();
            if covered.contains(name.as_str()) {
                let line = if unmarshal.is_some() {
                    0
                } else {
                    w["Line"].as_u64().unwrap_or(0)
                };
                want.push((name, line));
            } else {
                *not_covered.entry(name).or_default() += 1;
            }
        }
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("Dockerfile"), text).expect("write");
        if let Some(ignore) = case["dockerignore"].as_str() {
            std::fs::write(dir.path().join(".dockerignore"), ignore).expect("write");
        }
        let ctx =
            BuildContext::open(dir.path(), Some(&dir.path().join("Dockerfile"))).expect("context");
        let got: Vec<(String, u64)> = match lint_text(text, Some(&ctx), &BTreeMap::new(), &|_| true)
        {
            Ok(linted) => linted
                .diagnostics
                .iter()
                .flat_map(|d| {
                    let line = if unmarshal.is_some() {
                        0
                    } else {
                        text[..d.primary.span.start.min(text.len())]
                            .matches('\n')
                            .count() as u64
                            + 1
                    };
                    d.aliases
                        .iter()
                        .filter(|a| covered.contains(**a))
                        .map(move |a| (a.to_string(), line))
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        let (mut w, mut g) = (want.clone(), got.clone());
        w.sort();
        g.sort();
        if w == g {
            matched += 1;
        } else {
            failures.push(format!(
                "{func} (line {at}): BuildKit {w:?}, layerlint {g:?}\n{text}"
            ));
        }
    }
    eprintln!(
        "BuildKit build checks: {used} literal cases, {matched} agree on {:?}; checks no rule covers yet: {not_covered:?}",
        covered
    );
    assert!(used > 70, "only {used} cases read");
    assert_eq!(
        corrected,
        CORRECTED.len(),
        "a corrected case is no longer in the data"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}
