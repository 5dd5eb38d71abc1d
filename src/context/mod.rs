//! The build context as a lazy read-only view of a directory, with BuildKit's `.dockerignore`
//! semantics and COPY/ADD source resolution. (placeholder until the real view lands)
use std::path::{Path, PathBuf};

pub struct IgnorePattern {
    pub text: String,
    pub line: usize,
}
pub struct BuildContext {
    root: PathBuf,
}
pub struct MatchedPath {
    pub path: String,
    pub is_dir: bool,
    pub ignored_by: Option<usize>,
}
pub struct SourceMatch {
    pub cleaned: String,
    pub escaped: bool,
    pub matches: Vec<MatchedPath>,
}
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("x")]
    X,
}
impl BuildContext {
    pub fn open(root: &Path, _dockerfile: Option<&Path>) -> Result<BuildContext, ContextError> {
        Ok(BuildContext {
            root: root.to_path_buf(),
        })
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn is_ignored(&self, _rel: &str) -> Option<&IgnorePattern> {
        None
    }
    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).exists()
    }
    pub fn is_dir(&self, rel: &str) -> bool {
        self.root.join(rel).is_dir()
    }
    pub fn resolve_source(&self, src: &str) -> SourceMatch {
        SourceMatch {
            cleaned: src.into(),
            escaped: false,
            matches: if self.exists(src) {
                vec![MatchedPath {
                    path: src.into(),
                    is_dir: self.is_dir(src),
                    ignored_by: None,
                }]
            } else {
                vec![]
            },
        }
    }
    pub fn read_to_string(&self, rel: &str, _limit: usize) -> Option<String> {
        std::fs::read_to_string(self.root.join(rel)).ok()
    }
    pub fn suggest(&self, _missing: &str, _budget: usize) -> Vec<String> {
        vec![]
    }
}
