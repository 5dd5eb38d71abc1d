//! Lossless, forgiving parsing of Dockerfiles with BuildKit's grammar, and BuildKit's
//! `Node.Dump` format for conformance checks.

pub mod ast;

pub use ast::*;

// placeholder until the real parser lands
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let mut df = Dockerfile {
        text: text.to_string(),
        escape: '\\',
        ..Default::default()
    };
    let mut off = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim_end();
        if !t.is_empty() && !t.starts_with('#') {
            let (kw, rest) = t.split_once(' ').unwrap_or((t, ""));
            let rs = off + kw.len() + 1;
            let args = if rest.starts_with('[') {
                Args::Exec(vec![])
            } else if matches!(
                Keyword::parse(kw),
                Keyword::Cmd | Keyword::Run | Keyword::Entrypoint
            ) {
                Args::Shell(ShellText {
                    text: rest.into(),
                    pieces: vec![(0, rs)],
                })
            } else {
                Args::Words(
                    rest.split(' ')
                        .map(|w| Word {
                            value: w.into(),
                            span: Span::new(rs, rs),
                        })
                        .collect(),
                )
            };
            df.instructions.push(Instruction {
                keyword: Keyword::parse(kw),
                keyword_word: Word {
                    value: kw.into(),
                    span: Span::new(off, off + kw.len()),
                },
                span: Span::new(off, off + t.len()),
                start_line: n + 1,
                end_line: n + 1,
                flags: vec![],
                args,
                heredocs: vec![],
                error: None,
            });
        }
        off += line.len();
    }
    if df.instructions.is_empty() {
        return Err(ParseError::NoInstructions);
    }
    Ok(df)
}

pub fn dump(_df: &Dockerfile) -> String {
    String::new()
}
pub fn is_fatal(_e: &SyntaxError) -> bool {
    true
}
