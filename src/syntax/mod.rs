//! Lossless, forgiving parsing of Dockerfiles with BuildKit's grammar, and BuildKit's
//! `Node.Dump` format for conformance checks.

pub mod ast;
pub mod dump;
pub mod lex;
pub mod parser;

pub use ast::*;
pub use dump::{dump, dump_text};
pub use parser::{check_lossless, parse, print};
