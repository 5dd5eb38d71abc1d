//! Lossless, forgiving parsing of Dockerfiles with BuildKit's grammar, and BuildKit's
//! `Node.Dump` format for conformance checks.

pub mod ast;

pub use ast::*;
