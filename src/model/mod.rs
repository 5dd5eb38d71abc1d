//! The build as layerlint understands it: stages, ARG/ENV scopes and expansion, WORKDIR,
//! and a simulated image filesystem per stage.

pub mod expand;
