//! BuildKit's own expansion tables (`shell/envVarTest`, `shell/wordsTest`) run against
//! `model::expand`, plus properties that must hold for any input.

mod common;

use layerlint::model::expand::{Lexer, Vars};
use proptest::prelude::*;
use std::path::PathBuf;

fn shell_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/buildkit/shell")
}

fn read(name: &str) -> Option<String> {
    let path = shell_dir().join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            common::skip(&format!("cannot read {}: {e}", path.display()));
            None
        }
    }
}

fn pairs(list: &[&str]) -> Vec<(String, String)> {
    list.iter()
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.to_string(), String::new()),
        })
        .collect()
}

#[test]
fn env_var_test() {
    let Some(text) = read("envVarTest") else {
        return;
    };
    let env = pairs(&["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="]);
    // The same lexer on both platforms; BuildKit's Windows build differs only in matching
    // names without regard to case.
    let unix = Lexer::new('\\');
    let mut windows = Lexer::new('\\');
    windows.case_insensitive = true;

    let (mut total, mut passed) = (0, 0);
    // (cases run, cases passed) per platform.
    let mut per_os = [("unix", 0, 0), ("windows", 0, 0)];
    let mut failures = Vec::new();
    for (lineno, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.trim().split('|').collect();
        assert_eq!(fields.len(), 3, "line {}: {line:?}", lineno + 1);
        let (platform, source, expected) = (fields[0].trim(), fields[1].trim(), fields[2].trim());
        let lexers: Vec<(&str, &Lexer)> = match platform {
            "A" => vec![("unix", &unix), ("windows", &windows)],
            "U" => vec![("unix", &unix)],
            "W" => vec![("windows", &windows)],
            other => panic!("line {}: bad platform {other:?}", lineno + 1),
        };
        total += 1;
        let mut ok = true;
        for (os, lex) in lexers {
            let got = lex.process_word(source, &env);
            let good = match (&got, expected) {
                (Err(_), "error") => true,
                (Ok(e), exp) => exp != "error" && e.value == exp,
                (Err(_), _) => false,
            };
            if let Some(slot) = per_os.iter_mut().find(|s| s.0 == os) {
                slot.1 += 1;
                slot.2 += usize::from(good);
            }
            if !good {
                ok = false;
                failures.push(format!(
                    "line {} ({os}) {source:?}: expected {expected:?}, got {got:?}",
                    lineno + 1
                ));
            }
        }
        if ok {
            passed += 1;
        }
    }
    println!("envVarTest: {passed}/{total}");
    for (os, run, good) in per_os {
        println!("envVarTest ({os}): {good}/{run}");
    }
    assert_eq!(total, 230);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Parses wordsTest into (line number, input, expected words or None for an error, env in
/// force at that line).
#[allow(clippy::type_complexity)]
fn words_cases(text: &str) -> Vec<(usize, String, Option<Vec<String>>, Vec<(String, String)>)> {
    let mut env: Vec<String> = Vec::new();
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            env.push(rest.trim_start_matches(' ').to_string());
            continue;
        }
        let Some((input, expected)) = line.split_once('|') else {
            panic!("line {}: no `|` in {line:?}", i + 1);
        };
        let expected: Vec<String> = expected
            .trim_start_matches(' ')
            .split(',')
            .map(str::to_string)
            .collect();
        let expected = (expected != ["error"]).then_some(expected);
        let refs: Vec<&str> = env.iter().map(String::as_str).collect();
        cases.push((i + 1, input.trim().to_string(), expected, pairs(&refs)));
    }
    cases
}

#[test]
fn words_test_normal() {
    let Some(text) = read("wordsTest") else {
        return;
    };
    let lex = Lexer::new('\\');
    let cases = words_cases(&text);
    let mut failures = Vec::new();
    for (line, input, expected, env) in &cases {
        let got = lex.process_words(input, env).ok();
        if &got != expected {
            failures.push(format!(
                "line {line} {input:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    println!(
        "wordsTest (normal): {}/{}",
        cases.len() - failures.len(),
        cases.len()
    );
    assert_eq!(cases.len(), 24);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// BuildKit's second pass (RawQuotes + SkipUnsetEnv) reads the file handle the first pass has
/// already exhausted, so upstream it checks nothing. Here it really runs: cases without
/// quotes or unset names must give the table's answer, and the rest the answers below, which
/// follow from keeping quotes and leaving unset references in place.
#[test]
fn words_test_raw_quotes_skip_unset() {
    let Some(text) = read("wordsTest") else {
        return;
    };
    let mut lex = Lexer::new('\\');
    lex.raw_quotes = true;
    lex.skip_unset = true;
    let differs: &[(usize, &str, &[&str])] = &[
        (2, "hello${hi}bye", &["hello${hi}bye"]),
        (7, "hello\"${space}\"bye", &["hello\"abc  def\"bye"]),
        (8, "hello \"${space}\"bye", &["hello", "\"abc  def\"bye"]),
        (11, "hello\"${leading}\" def", &["hello\"  ab c\"", "def"]),
        (12, "hello\"${leading}\"", &["hello\"  ab c\""]),
        (18, "hello\"${trailing}\"d", &["hello\"ab c   \"d"]),
        (20, "hel\"lo${trailing}\"", &["hel\"loab c   \""]),
        (21, "hello\" there  \"", &["hello\" there  \""]),
        (26, "hello\"\\\\there\"", &["hello\"\\there\""]),
        (27, "hello\"\\there\"", &["hello\"\\there\""]),
        (28, "hello'\\\\there'", &["hello'\\\\there'"]),
        (29, "hello'\\there'", &["hello'\\there'"]),
        (30, "hello'$there'", &["hello'$there'"]),
    ];
    let cases = words_cases(&text);
    let mut failures = Vec::new();
    for (line, input, expected, env) in &cases {
        let expected = match differs.iter().find(|(l, _, _)| l == line) {
            Some((_, i, words)) => {
                assert_eq!(i, input, "wordsTest changed at line {line}");
                Some(words.iter().map(|w| w.to_string()).collect())
            }
            None => expected.clone(),
        };
        let got = lex.process_words(input, env).ok();
        if got != expected {
            failures.push(format!(
                "line {line} {input:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    println!(
        "wordsTest (raw quotes + skip unset): {}/{}",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn any_lexer() -> impl Strategy<Value = Lexer> {
    (prop_oneof![Just('\\'), Just('`')], any::<[bool; 5]>()).prop_map(|(escape, flags)| {
        let mut lex = Lexer::new(escape);
        lex.raw_quotes = flags[0];
        lex.raw_escapes = flags[1];
        lex.skip_unset = flags[2];
        lex.skip_process_quotes = flags[3];
        lex.case_insensitive = flags[4];
        lex
    })
}

fn shellish() -> impl Strategy<Value = String> {
    // Mostly the chars the lexer cares about, so generated words reach deep into it.
    let pieces = prop_oneof![
        Just("$".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(":".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("?".to_string()),
        Just("#".to_string()),
        Just("%".to_string()),
        Just("/".to_string()),
        Just("*".to_string()),
        Just("\\".to_string()),
        Just("`".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("PWD".to_string()),
        Just("V".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    // Failures are reported in the output; a regressions file next to the tests is not wanted.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn never_panics(word in any::<String>(), lex in any_lexer()) {
        let vars = pairs(&["PWD=/home", "V=a*b?c", "EMPTY="]);
        let _ = lex.process_word(&word, &vars);
        let _ = lex.process_words(&word, &vars);
    }

    #[test]
    fn never_panics_shellish(word in shellish(), lex in any_lexer()) {
        let vars = pairs(&["PWD=/home", "V=a*b?c\nd", "EMPTY="]);
        let _ = lex.process_word(&word, &vars);
        let _ = lex.process_words(&word, &vars);
    }

    #[test]
    fn plain_words_are_unchanged(word in "[^$'\"\\\\\u{FEFF}]*") {
        let vars = pairs(&["PWD=/home"]);
        let got = Lexer::new('\\').process_word(&word, &vars as &dyn Vars);
        prop_assert_eq!(got.map(|e| e.value).ok(), Some(word));
    }
}
