//! BuildKit's own parser test data, run against the syntax module: dumps, negative cases,
//! line numbers, heredocs, directives and instruction errors.

mod common;

use layerlint::syntax::{self, lex, Args, Keyword};
use std::path::PathBuf;

fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/buildkit");
    if dir.is_dir() {
        Some(dir)
    } else {
        common::skip(&format!("{} is absent", dir.display()));
        None
    }
}

fn json(path: PathBuf) -> serde_json::Value {
    let text = std::fs::read_to_string(&path).expect("readable test data");
    serde_json::from_str(&text).expect("valid json")
}

#[test]
fn testfiles_dump_exactly() {
    let Some(dir) = data_dir() else { return };
    let mut names: Vec<_> = std::fs::read_dir(dir.join("testfiles"))
        .expect("testfiles")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    names.sort();
    let mut failed = Vec::new();
    for case in &names {
        let text = std::fs::read_to_string(case.join("Dockerfile")).expect("Dockerfile");
        let expected = std::fs::read_to_string(case.join("result")).expect("result");
        let df = syntax::parse(&text).expect("parses");
        syntax::check_lossless(&df).expect("lossless");
        match syntax::dump_text(&text) {
            Ok(got) if got == expected => {}
            Ok(got) => {
                eprintln!(
                    "== {}\n-- expected\n{expected}-- got\n{got}",
                    case.display()
                );
                failed.push(case.clone());
            }
            Err(e) => {
                eprintln!("== {}: error {e}", case.display());
                failed.push(case.clone());
            }
        }
    }
    eprintln!("{}/{} dumps match", names.len() - failed.len(), names.len());
    assert!(failed.is_empty(), "failed: {failed:?}");
}

#[test]
fn negative_cases_fail() {
    let Some(dir) = data_dir() else { return };
    for (name, message) in [
        ("empty_dockerfile", "file with no instructions"),
        ("only_comments", "file with no instructions"),
        ("env_no_value", "ENV must have two arguments"),
        ("shykes-nested-json", syntax::parser::NOT_STRING_ARRAY),
    ] {
        let text =
            std::fs::read_to_string(dir.join("testfiles-negative").join(name).join("Dockerfile"))
                .expect("Dockerfile");
        assert_eq!(syntax::dump_text(&text), Err(message.to_string()), "{name}");
    }
}

#[test]
fn line_numbers() {
    let Some(dir) = data_dir() else { return };
    let misc = json(dir.join("extracted/parser_misc_cases.json"));
    let text = std::fs::read_to_string(dir.join("testfile-line/Dockerfile")).expect("Dockerfile");
    let df = syntax::parse(&text).expect("parses");
    let got: Vec<_> = df
        .instructions
        .iter()
        .map(|i| serde_json::json!([i.start_line, i.end_line]))
        .collect();
    assert_eq!(
        serde_json::Value::Array(got),
        misc["line_numbers"]["children_start_end"]
    );
}

#[test]
fn heredocs_extracted() {
    let Some(dir) = data_dir() else { return };
    let text = std::fs::read_to_string(dir.join("extracted/heredoc_parse.Dockerfile")).expect("df");
    let expected = json(dir.join("extracted/heredoc_parse.expected.json"));
    let expected = expected["expected"].as_array().expect("list");
    let df = syntax::parse(&text).expect("parses");
    syntax::check_lossless(&df).expect("lossless");
    assert_eq!(df.instructions.len(), expected.len() + 1);
    for (i, exp) in expected.iter().enumerate() {
        let ins = &df.instructions[i + 1];
        let got: Vec<_> = ins
            .heredocs
            .iter()
            .map(|h| {
                serde_json::json!({
                    "Name": h.name, "Content": h.content, "Expand": h.expand,
                    "Chomp": h.chomp, "FileDescriptor": h.file_descriptor.unwrap_or(0),
                })
            })
            .collect();
        // The expected content is BuildKit's raw one; ours is chomped for `<<-`.
        let exp: Vec<_> = exp
            .as_array()
            .map(|a| a.to_vec())
            .unwrap_or_default()
            .into_iter()
            .map(|mut h| {
                if h["Chomp"] == true {
                    let c = lex::chomp_heredoc(h["Content"].as_str().unwrap_or(""));
                    h["Content"] = c.into();
                }
                h
            })
            .collect();
        assert_eq!(
            got,
            exp,
            "instruction {} ({:?})",
            i + 1,
            ins.keyword_word.value
        );
        for h in &ins.heredocs {
            assert_eq!(
                &text[h.end_span.start..h.end_span.end].trim_start_matches('\t'),
                &h.name
            );
            let marker = &text[h.marker_span.start..h.marker_span.end];
            assert!(marker.contains("<<"), "{marker}");
        }
    }
}

fn tsv(dir: &std::path::Path, name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(dir.join("extracted").join(name)).expect("tsv");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn heredoc_words() {
    let Some(dir) = data_dir() else { return };
    let rows = tsv(&dir, "heredoc_word_cases.tsv");
    assert!(rows.len() >= 19);
    for row in rows {
        let word = &row[0];
        let got = lex::parse_heredoc_word(word);
        match row.get(1).map(String::as_str) {
            Some("heredoc") => {
                let h = got.expect("ok").expect("heredoc");
                assert_eq!(&h.name, &row[2], "{word}");
            }
            Some("error") => assert!(got.is_err(), "{word}: {got:?}"),
            _ => assert!(matches!(got, Ok(None)), "{word}: {got:?}"),
        }
    }
}

#[test]
fn heredocs_from_line() {
    let Some(dir) = data_dir() else { return };
    let rows = tsv(&dir, "heredocs_from_line_cases.tsv");
    assert_eq!(rows.len(), 9);
    for row in rows {
        let got = lex::heredocs_from_line(&row[0]).expect("ok");
        let names: Vec<_> = got.iter().map(|(h, _, _)| h.name.clone()).collect();
        assert_eq!(
            names.join(","),
            row.get(1).cloned().unwrap_or_default(),
            "{}",
            row[0]
        );
    }
}

#[test]
fn empty_continuation_warnings() {
    let Some(dir) = data_dir() else { return };
    let misc = json(dir.join("extracted/parser_misc_cases.json"));
    let case = &misc["empty_continuation_warnings"];
    let df = syntax::parse(case["dockerfile"].as_str().expect("text")).expect("parses");
    assert_eq!(
        df.warnings.len() as u64,
        case["expected_warning_count"].as_u64().expect("n")
    );
    for (w, want) in df
        .warnings
        .iter()
        .zip(case["expected_short_contains"].as_array().expect("l"))
    {
        let want = want.as_str().expect("s");
        assert!(w.message.contains(want), "{:?} !~ {want:?}", w.message);
    }
}

#[test]
fn parse_words() {
    let Some(dir) = data_dir() else { return };
    let misc = json(dir.join("extracted/parser_misc_cases.json"));
    for case in misc["parse_words"].as_array().expect("list") {
        let input = case[0].as_str().expect("s");
        let got: Vec<_> = lex::parse_words(input, '\\')
            .into_iter()
            .map(|w| w.0)
            .collect();
        let want: Vec<_> = case[1]
            .as_array()
            .expect("l")
            .iter()
            .map(|v| v.as_str().unwrap_or(""))
            .collect();
        assert_eq!(got, want, "{input}");
    }
}

#[test]
fn directives() {
    let Some(dir) = data_dir() else { return };
    let misc = json(dir.join("extracted/parser_misc_cases.json"));
    let mut checked = 0;
    for case in misc["directives"].as_array().expect("list") {
        if let Some(input) = case["input"].as_str() {
            // The input has no instruction: add one so the directives can be read.
            let df = syntax::parse(&format!("{input}FROM x\n")).expect("parses");
            let got: Vec<_> = df
                .directives
                .iter()
                .map(|d| serde_json::json!([d.name, d.value]))
                .collect();
            assert_eq!(
                serde_json::Value::Array(got),
                case["directives"],
                "{input:?}"
            );
            checked += 1;
        }
        // Our parser reads `#` directives only; the syntax/check detection cases that use
        // plain `#` comments are checked here, the `//`, shebang and JSON forms belong to
        // frontend selection and are not part of parsing.
        for key in [
            "detect_syntax",
            "detect_syntax_bom",
            "parse_directive_check",
        ] {
            let Some(input) = case[key].as_str() else {
                continue;
            };
            let name = if key == "parse_directive_check" {
                "check"
            } else {
                "syntax"
            };
            if input.starts_with("#!") || input.starts_with("//") || input.starts_with('{') {
                continue;
            }
            let df = syntax::parse(&format!("{input}\nFROM x\n")).expect("parses");
            let d = df.directives.iter().find(|d| d.name == name);
            if case["found"] == false {
                assert!(d.is_none(), "{input:?}");
            } else {
                let d = d.expect("directive");
                let want = case["cmdline"]
                    .as_str()
                    .or(case["ref"].as_str())
                    .or(case["value"].as_str());
                assert_eq!(Some(d.value.as_str()), want, "{input:?}");
                assert_eq!(&df.text[d.value_span.start..d.value_span.end], d.value);
            }
            checked += 1;
        }
    }
    assert!(checked >= 6);
}

#[test]
fn instruction_errors() {
    let Some(dir) = data_dir() else { return };
    let misc = json(dir.join("extracted/parser_misc_cases.json"));
    for case in misc["instruction_errors"].as_array().expect("list") {
        let text = case["dockerfile"].as_str().expect("s");
        let df = syntax::parse(text).expect("parses");
        let first = df
            .errors
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        if let Some(exact) = case["error"].as_str() {
            assert_eq!(first, exact, "{text:?}");
        } else {
            let want = case["error_contains"].as_str().expect("s");
            assert!(first.contains(want), "{text:?}: {first:?} !~ {want:?}");
        }
        assert!(
            df.instructions.iter().any(|i| i.error.is_some()),
            "{text:?}"
        );
        // None of these stop BuildKit's parser.
        assert_eq!(df.parse_errors().count(), 0, "{text:?}");
    }
}

#[test]
fn shell_text_maps_across_continuations() {
    let text = "FROM a\nRUN echo one \\\n  # note\n    two \\\n\n  three\n";
    let df = syntax::parse(text).expect("parses");
    let ins = &df.instructions[1];
    let Args::Shell(sh) = &ins.args else {
        panic!("shell form expected")
    };
    assert_eq!(sh.text, "echo one     two   three");
    for word in ["echo", "one", "two", "three"] {
        let at = sh.text.find(word).expect("word");
        let span = sh.span(at, at + word.len());
        assert_eq!(&text[span.start..span.end], word);
    }
    assert_eq!(ins.keyword, Keyword::Run);
    assert_eq!(df.comments.len(), 1);
    assert_eq!(df.warnings.len(), 1);
}
