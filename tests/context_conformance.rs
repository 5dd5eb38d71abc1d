//! BuildKit's `.dockerignore` tests (moby/patternmatcher), transcribed as data under
//! `../shared/conformance/buildkit`, run against the context module.

mod common;

use std::fs;
use std::path::PathBuf;

use layerlint::context::{clean, read_all, IgnorePattern, MatchType, PatternError, PatternMatcher};

fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/buildkit");
    if dir.is_dir() {
        Some(dir)
    } else {
        common::skip(&format!("conformance data not found at {}", dir.display()));
        None
    }
}

/// Undoes the table's cell escaping: `\\`, `\t`, `\n`.
fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// Data rows of a table: comment lines and the header are skipped.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Matched(bool),
    IllegalExclusion,
    BadPattern,
}

fn run(api: &str, patterns: &[String], path: &str) -> Outcome {
    let pm = match PatternMatcher::new(patterns) {
        Ok(pm) => pm,
        Err(PatternError::IllegalExclusion) => return Outcome::IllegalExclusion,
        Err(_) => return Outcome::BadPattern,
    };
    let file = if api == "Matches" {
        // The package-level helper cleans the path and never excludes the root.
        let c = clean(path);
        if c == "." {
            return Outcome::Matched(false);
        }
        c
    } else {
        path.to_string()
    };
    match pm.matches_or_parent_matches(&file) {
        Ok(d) => Outcome::Matched(d.is_some()),
        Err(_) => Outcome::BadPattern,
    }
}

#[test]
fn dockerignore_cases() {
    let Some(dir) = data_dir() else { return };
    let text = fs::read_to_string(dir.join("dockerignore_cases.tsv")).expect("table readable");
    let mut total = 0;
    let mut failures = Vec::new();
    for row in rows(&text) {
        total += 1;
        let (group, api) = (&row[0], &row[1]);
        let patterns: Vec<String> = serde_json::from_str(&row[2]).expect("patterns are JSON");
        let path = unescape(&row[3]);
        let want = match row.get(5).map(String::as_str).unwrap_or("") {
            "error" => Outcome::IllegalExclusion,
            "ErrBadPattern" => Outcome::BadPattern,
            _ => Outcome::Matched(row[4] == "true"),
        };
        let got = run(api, &patterns, &path);
        if got != want {
            failures.push(format!(
                "{group} {api} {patterns:?} {path:?}: want {want:?}, got {got:?}"
            ));
        }
    }
    eprintln!(
        "dockerignore_cases: {}/{total} pass",
        total - failures.len()
    );
    assert_eq!(total, 138, "the table should have 138 cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dockerignore_compile_cases() {
    let Some(dir) = data_dir() else { return };
    let text =
        fs::read_to_string(dir.join("dockerignore_compile_cases.tsv")).expect("table readable");
    let mut total = 0;
    let mut failures = Vec::new();
    for row in rows(&text) {
        total += 1;
        // This table's cells are raw (its regexps are written as Go would print them).
        let pattern = row[0].clone();
        let p = IgnorePattern::new(&pattern, 0, &pattern)
            .expect("valid pattern")
            .expect("non-empty pattern");
        let kind = match p.match_type() {
            MatchType::Exact => "exactMatch",
            MatchType::Prefix => "prefixMatch",
            MatchType::Suffix => "suffixMatch",
            MatchType::Regexp => "regexpMatch",
        };
        let want_re = row.get(2).cloned().unwrap_or_default();
        let got_re = p.regex_source().unwrap_or("").to_string();
        if kind != row[1] || got_re != want_re {
            failures.push(format!(
                "{pattern}: want {} {want_re:?}, got {kind} {got_re:?}",
                row[1]
            ));
        }
    }
    eprintln!(
        "dockerignore_compile_cases: {}/{total} pass",
        total - failures.len()
    );
    assert_eq!(total, 21, "the table should have 21 cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dockerignore_readall_case() {
    let Some(dir) = data_dir() else { return };
    let text =
        fs::read_to_string(dir.join("dockerignore_readall_case.json")).expect("case readable");
    let case: serde_json::Value = serde_json::from_str(&text).expect("case is JSON");
    let input = case["input"].as_str().expect("input string");
    let want: Vec<String> = serde_json::from_value(case["expected"].clone()).expect("list");
    let got: Vec<String> = read_all(input.as_bytes())
        .expect("reads")
        .into_iter()
        .map(|e| e.entry)
        .collect();
    assert_eq!(got, want);
    // BuildKit accepts the file's entries but rejects the bare `!` when building the matcher.
    assert_eq!(
        PatternMatcher::new(&got).err(),
        Some(PatternError::IllegalExclusion)
    );
}
