//! Arbitrary text never makes the splitter or the recognisers panic, and every span stays
//! inside the text it came from.

use layerlint::shell::{commands_of_script, recognise};
use proptest::prelude::*;

fn check(text: &str) {
    for c in commands_of_script(text, |i| i) {
        let words = c.argv.iter().chain(&c.assignments);
        let targets = c.redirects.iter().filter_map(|r| r.target.as_ref());
        for w in words.chain(targets) {
            assert!(
                w.span.start <= w.span.end && w.span.end <= text.len(),
                "{text:?}"
            );
        }
        assert!(
            c.span.start <= c.span.end && c.span.end <= text.len(),
            "{text:?}"
        );
        if let Some(tc) = recognise(&c) {
            for r in tc.reads.iter().filter_map(|r| r.span) {
                assert!(r.end <= text.len(), "{text:?}");
            }
        }
    }
}

/// Pieces that matter to the shell grammar, so that random text hits the interesting paths.
const ALPHABET: &[&str] = &[
    " ", "\t", "\n", "\\", "'", "\"", "`", "$", "(", ")", "{", "}", "[", "]", ";", "&", "|", "<",
    ">", "#", "=", "-", "a", "x", "1", "2", "é", "if", "then", "fi", "do", "done", "for", "case",
    "in", "esac", "sh", "-c", "pip", "install", "-r", "EOF", "<<", "$(", "${", "((", "function",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_string(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn shellish(parts in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..80)) {
        check(&parts.concat());
    }
}
