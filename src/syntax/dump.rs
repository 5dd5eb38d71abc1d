//! BuildKit's `Node.Dump` rendering of a parsed Dockerfile, byte for byte, so the parser can be
//! compared with BuildKit's own test expectations.

use super::ast::*;
use super::lex::{go_quote, is_space};

/// The dump of every instruction, one per line, followed by a line break (as BuildKit's tests
/// print `Dump()+"\n"`).
pub fn dump(df: &Dockerfile) -> String {
    let mut out = String::new();
    for ins in &df.instructions {
        out.push_str(&format!("({})\n", dump_instruction(ins)));
    }
    out
}

/// Parse and dump, failing where BuildKit's `Parse` fails: no instruction at all, or an error
/// of BuildKit's parser itself (`Dockerfile::parse_errors`). Errors that BuildKit only reports
/// when it later builds instructions (unknown instruction, missing arguments) do not fail here.
pub fn dump_text(text: &str) -> Result<String, String> {
    let df = super::parse(text).map_err(|e| e.to_string())?;
    if let Some(e) = df.parse_errors().next() {
        return Err(e.message.clone());
    }
    Ok(dump(&df))
}

/// One instruction without the surrounding parentheses.
pub fn dump_instruction(ins: &Instruction) -> String {
    let mut s = match ins.keyword {
        Keyword::Unknown => ins.keyword_word.value.to_lowercase(),
        k => k.as_str().to_string(),
    };
    if !ins.flags.is_empty() {
        let flags: Vec<String> = ins
            .flags
            .iter()
            .map(|f| {
                let text = match &f.value {
                    Some(v) => format!("--{}={}", f.name, v),
                    None => format!("--{}", f.name),
                };
                go_quote(&text)
            })
            .collect();
        s.push_str(&format!(" [{}]", flags.join(" ")));
    }
    dump_args(&mut s, ins.keyword, &ins.args);
    s.trim_matches(is_space).to_string()
}

fn push_quoted(s: &mut String, v: &str) {
    s.push(' ');
    s.push_str(&go_quote(v));
}

fn dump_args(s: &mut String, keyword: Keyword, args: &Args) {
    match args {
        Args::Exec(ws) | Args::Words(ws) => ws.iter().for_each(|w| push_quoted(s, &w.value)),
        Args::Shell(t) => push_quoted(s, &t.text),
        Args::KeyValues(kvs) => {
            for kv in kvs {
                let value = kv.value.as_ref().map_or("", |v| v.value.as_str());
                if keyword == Keyword::Arg {
                    // ARG keeps its words whole.
                    if kv.equals {
                        push_quoted(s, &format!("{}={}", kv.key.value, value));
                    } else {
                        push_quoted(s, &kv.key.value);
                    }
                } else {
                    push_quoted(s, &kv.key.value);
                    push_quoted(s, value);
                    push_quoted(s, if kv.equals { "=" } else { "" });
                }
            }
        }
        Args::Onbuild(child) => {
            s.push_str(&format!(" ({})", dump_instruction(child)));
        }
        Args::Healthcheck(None) => {}
        Args::Healthcheck(Some((typ, cmd))) => {
            push_quoted(s, &typ.value);
            dump_args(s, Keyword::Cmd, cmd);
        }
        Args::Invalid => {
            // BuildKit keeps an empty argument node for instructions it does not know.
            if keyword == Keyword::Unknown {
                push_quoted(s, "");
            }
        }
    }
}
