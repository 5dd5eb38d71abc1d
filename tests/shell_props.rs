//! Arbitrary text never makes the splitter or the recognisers panic, and every span stays
//! inside the text it came from.

use layerlint::shell::{commands_of_run, commands_of_run_in, commands_of_script, recognise};
use layerlint::syntax::{Args, Heredoc, Instruction, Keyword, ShellText, Span, Word};
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
            check_parts(text, w);
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

/// The parts of a word give back the word, and each part's span holds its text (the splitter
/// here sees the source as is, so a continuation inside a word is the one difference allowed).
fn check_parts(text: &str, w: &layerlint::shell::ShellWord) {
    let parts = w.parts();
    let joined: String = parts.iter().map(|p| &w.raw[p.start..p.end]).collect();
    assert_eq!(joined, w.raw, "{text:?}");
    for p in &parts {
        assert!(
            w.span.start <= p.span.start && p.span.end <= w.span.end,
            "{text:?}: {p:?} outside {:?}",
            w.span
        );
        if w.offsets.is_none() {
            assert_eq!(
                text.get(p.span.start..p.span.end),
                Some(&w.raw[p.start..p.end]),
                "{text:?}"
            );
        }
    }
}

/// Pieces that matter to the shell grammar, so that random text hits the interesting paths.
const ALPHABET: &[&str] = &[
    " ", "\t", "\n", "\\", "'", "\"", "`", "$", "(", ")", "{", "}", "[", "]", ";", "&", "|", "<",
    ">", "#", "=", "-", "a", "x", "1", "2", "é", "if", "then", "fi", "do", "done", "for", "case",
    "in", "esac", "sh", "-c", "pip", "install", "-r", "EOF", "<<", "$(", "${", "((", "function",
    ",", "..", "*", "?", "~", ":", "/", "!", "#", "%", "^", "@", "$'", "$\"", "<(", "[[",
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

fn instruction(args: Args, heredocs: Vec<Heredoc>) -> Instruction {
    Instruction {
        keyword: Keyword::Run,
        keyword_word: Word::default(),
        span: Span::new(0, 3),
        start_line: 1,
        end_line: 1,
        flags: vec![],
        args,
        heredocs,
        error: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Whatever the parser hands over, even inconsistent spans, nothing panics.
    #[test]
    fn run_instructions(
        line in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..20),
        body in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..40),
        source in any::<String>(),
        a in 0usize..200, b in 0usize..200, chomp in any::<bool>(),
        exec in proptest::collection::vec(any::<String>(), 0..4),
    ) {
        let line = line.concat();
        let doc = Heredoc {
            name: "EOF".into(),
            content: body.concat(),
            expand: true,
            chomp,
            file_descriptor: None,
            marker_span: Span::new(a.min(b), a.max(b)),
            body_span: Span::new(a, b),
            end_span: Span::new(b, b),
        };
        let shell = Args::Shell(ShellText { text: line, pieces: vec![(0, a), (3, b)] });
        let i = instruction(shell, vec![doc.clone()]);
        let _ = commands_of_run(&i);
        let _ = commands_of_run_in(&i, &source);
        let mut words: Vec<Word> = exec
            .into_iter()
            .map(|v| Word { value: v, span: Span::new(a, b) })
            .collect();
        words.insert(0, Word { value: "sh".into(), span: Span::new(b, a) });
        words.insert(1, Word { value: "-c".into(), span: Span::new(0, 0) });
        let i = instruction(Args::Exec(words), vec![doc]);
        let _ = commands_of_run(&i);
        let _ = commands_of_run_in(&i, &source);
    }
}
