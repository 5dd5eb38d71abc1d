//! Robustness of the parser: every corpus Dockerfile parses without panicking and prints back
//! to itself, and so do arbitrary strings made of Dockerfile-ish fragments.

mod common;

use layerlint::syntax::{self, Args, ParseError};
use proptest::prelude::*;
use std::path::PathBuf;

#[test]
fn corpus_parses_and_round_trips() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(list) = std::fs::read_to_string(root.join("dockerfiles.tsv")) else {
        common::skip(&format!("{} is absent", root.display()));
        return;
    };
    let (mut files, mut with_errors, mut fatal, mut empty, mut unreadable) = (0, 0, 0, 0, 0);
    let mut messages: std::collections::BTreeMap<String, usize> = Default::default();
    for line in list.lines().skip(1) {
        let Some(path) = line.split('\t').next() else {
            continue;
        };
        let Ok(bytes) = std::fs::read(root.join(path)) else {
            unreadable += 1;
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        files += 1;
        match syntax::parse(&text) {
            Err(ParseError::NoInstructions) => empty += 1,
            Ok(df) => {
                if let Err(e) = syntax::check_lossless(&df) {
                    panic!("{path}: {e}");
                }
                assert_eq!(syntax::print(&df), text, "{path}");
                check_spans(&df);
                if !df.errors.is_empty() {
                    with_errors += 1;
                    for e in &df.errors {
                        let key: String = e.message.chars().take(60).collect();
                        *messages.entry(key).or_default() += 1;
                    }
                }
                if df.parse_errors().next().is_some() {
                    fatal += 1;
                }
            }
        }
    }
    eprintln!(
        "corpus: {files} files parsed, {with_errors} with syntax errors \
         ({fatal} that BuildKit's parser rejects), {empty} without instructions, \
         {unreadable} unreadable"
    );
    for (m, n) in &messages {
        eprintln!("  {n:5}  {m}");
    }
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM ".to_string()),
        Just("RUN ".to_string()),
        Just("run ".to_string()),
        Just("COPY ".to_string()),
        Just("ADD ".to_string()),
        Just("ENV ".to_string()),
        Just("LABEL ".to_string()),
        Just("ARG ".to_string()),
        Just("ONBUILD ".to_string()),
        Just("HEALTHCHECK ".to_string()),
        Just("CMD ".to_string()),
        Just("WORKDIR ".to_string()),
        Just("--mount=type=cache ".to_string()),
        Just("-- ".to_string()),
        Just("\\\n".to_string()),
        Just("\\\r\n".to_string()),
        Just("`\n".to_string()),
        Just("\\".to_string()),
        Just("<<EOF".to_string()),
        Just("<<-'EOF'".to_string()),
        Just("3<<X ".to_string()),
        Just("EOF\n".to_string()),
        Just("\tEOF\n".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("[\"a\", \"b\"]".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("#".to_string()),
        Just("# escape=`\n".to_string()),
        Just("# syntax=x\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("=".to_string()),
        Just("\u{FEFF}".to_string()),
        Just("\u{A0}".to_string()),
        Just("\u{85}".to_string()),
        Just("é".to_string()),
        Just("à".to_string()),
        Just("--x=".to_string()),
        Just("--".to_string()),
        Just("\u{2003}".to_string()),
        Just("\u{800}".to_string()),
        "[a-z=$]{1,4}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn check(text: &str) {
    match syntax::parse(text) {
        Err(ParseError::NoInstructions) => {}
        Ok(df) => {
            if let Err(e) = syntax::check_lossless(&df) {
                panic!("{text:?}: {e}");
            }
            let _ = syntax::dump(&df);
            check_spans(&df);
        }
    }
}

/// Every span of the tree can slice the text (in range, on character boundaries).
fn check_spans(df: &syntax::Dockerfile) {
    let mut spans = Vec::new();
    for ins in &df.instructions {
        spans.push(ins.keyword_word.span);
        for h in &ins.heredocs {
            spans.extend([h.marker_span, h.body_span, h.end_span]);
        }
        for f in &ins.flags {
            spans.extend([f.span, f.name_span]);
            spans.extend(f.value_span);
        }
        match &ins.args {
            Args::Words(w) | Args::Exec(w) => spans.extend(w.iter().map(|w| w.span)),
            Args::KeyValues(k) => {
                for kv in k {
                    spans.extend([kv.span, kv.key.span]);
                    spans.extend(kv.value.as_ref().map(|v| v.span));
                }
            }
            Args::Shell(t) => spans.push(t.span(0, t.text.len())),
            _ => {}
        }
    }
    spans.extend(df.comments.iter().copied());
    spans.extend(df.directives.iter().flat_map(|d| [d.span, d.value_span]));
    for s in spans {
        assert!(
            df.text.get(s.start..s.end).is_some(),
            "{s:?} in {:?}",
            df.text
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn fragments_never_panic_and_round_trip(parts in prop::collection::vec(fragment(), 0..40)) {
        check(&parts.concat());
    }

    #[test]
    fn arbitrary_strings_never_panic_and_round_trip(text in any::<String>()) {
        check(&text);
    }
}
