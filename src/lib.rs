//! layerlint: a Dockerfile linter that understands layers, the build context and the image
//! a Dockerfile produces. The pipeline runs syntax → model → rules → report (see the folders).

pub mod cli;
pub mod config;
pub mod context;
pub mod diagnostic;
pub mod lint;
pub mod model;
pub mod os_message;
pub mod project;
pub mod report;
pub mod rules;
pub mod server;
pub mod shell;
pub mod syntax;
