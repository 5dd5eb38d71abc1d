//! layerlint: a Dockerfile linter that understands layers, the build context and the image
//! a Dockerfile produces. The pipeline runs syntax → model → rules → report (see the folders).

pub mod context;
pub mod model;
pub mod shell;
pub mod syntax;
