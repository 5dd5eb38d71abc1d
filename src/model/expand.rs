//! BuildKit word expansion (`$V`, `${V:-x}`, ...), ported from the behaviour of its shell lexer.
//! (placeholder until the real lexer lands)

pub trait Vars {
    fn get(&self, name: &str) -> Option<&str>;
}

#[derive(Clone, Debug)]
pub struct Lexer {
    pub escape: char,
}

pub struct Expanded {
    pub value: String,
    pub matched: Vec<String>,
    pub unmatched: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExpandError {
    #[error("bad substitution")]
    Bad,
}

impl Lexer {
    pub fn new(escape: char) -> Self {
        Lexer { escape }
    }
    pub fn process_word(&self, word: &str, _vars: &dyn Vars) -> Result<Expanded, ExpandError> {
        Ok(Expanded {
            value: word.to_string(),
            matched: vec![],
            unmatched: vec![],
        })
    }
}
