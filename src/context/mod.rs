//! The build context as a lazy read-only view of a directory, with BuildKit's `.dockerignore`
//! semantics and COPY/ADD source resolution.
//!
//! Nothing here walks the whole context: lookups stat the path asked for, wildcard sources list
//! only the directories their pattern passes through, and `suggest` works to a fixed budget.
//! The one exception is a wildcard class that can match `/` (`src[^x]main.go`): BuildKit then
//! matches whole paths below the fixed prefix, and so must this.
//!
//! Symlinks are resolved the way BuildKit resolves them inside a context: one component at a
//! time, an absolute target starts again at the context root, and `..` stops at the root, so
//! nothing outside the context is ever read. More than 40 links in one lookup (a loop) makes
//! the path count as missing; a broken link is reported as [`EntryKind::BrokenSymlink`] and does
//! not count as existing, since COPY follows links and would fail on it.

pub mod compose;
pub mod devcontainer;
mod ignore;
mod pattern;
mod rx;

use std::collections::{HashMap, VecDeque};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use ignore::{
    read_all, IgnoreEntry, IgnoreFile, IgnoreFileError, IgnorePattern, MatchType, PatternError,
    PatternMatcher,
};
pub use pattern::{class_may_match_slash, clean, glob_match, has_wildcards, BadPattern};

/// The ignore file BuildKit reads at the context root when no per-Dockerfile one exists.
pub const DOCKERIGNORE: &str = ".dockerignore";

/// Symlink hops allowed in one lookup before it is taken to be a loop.
const MAX_LINKS: usize = 40;

/// Directories `suggest` never searches: large, and never what a COPY meant.
const SKIP_DIRS: &[&str] = &[".git", "node_modules"];

#[derive(Debug, Error)]
pub enum ContextError {
    #[error("build context {}: {}", path.display(), crate::os_message::io_message(source))]
    Root { path: PathBuf, source: io::Error },
    #[error("build context {} is not a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("reading {}: {}", path.display(), crate::os_message::io_message(source))]
    ReadIgnore { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Ignore(#[from] IgnoreFileError),
}

/// What a path is, as seen without following a final symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// A symlink whose target (resolved inside the context) exists.
    Symlink {
        target_is_dir: bool,
    },
    /// A symlink whose target (resolved inside the context) is missing, or part of a loop.
    BrokenSymlink,
    /// Sockets, devices, fifos.
    Other,
}

impl EntryKind {
    /// Whether COPY, which follows links, would see a directory here.
    pub fn is_dir(self) -> bool {
        matches!(
            self,
            EntryKind::Dir
                | EntryKind::Symlink {
                    target_is_dir: true
                }
        )
    }
}

/// One entry of a listed directory.
#[derive(Debug, Clone)]
pub struct DirEntry {
    pub name: String,
    /// Relative to the context root, `/`-separated.
    pub path: String,
    pub kind: EntryKind,
    /// The pattern that excludes this entry from the context, if any.
    pub ignored_by: Option<IgnorePattern>,
}

/// One path a COPY/ADD source resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEntry {
    /// Relative to the context root, `/`-separated; `.` for the root itself.
    pub path: String,
    pub is_dir: bool,
    /// Set when `.dockerignore` leaves this path out of the context, so BuildKit will not see it.
    pub ignored_by: Option<IgnorePattern>,
}

/// The result of resolving a COPY/ADD source against the context.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMatch {
    /// The source as given.
    pub source: String,
    /// The cleaned, context-relative path or pattern (no leading `/`; `.` for the root).
    pub cleaned: String,
    /// `..` tried to climb above the context root; BuildKit clamps it there.
    pub escaped_root: bool,
    /// Some component had unescaped `*`, `?` or `[`.
    pub has_wildcards: bool,
    /// The wildcard pattern is malformed; BuildKit then matches nothing.
    pub bad_pattern: bool,
    /// Matching paths, sorted; for a plain path, the path itself when it exists.
    pub matches: Vec<SourceEntry>,
}

impl SourceMatch {
    /// Matches that the ignore file leaves in the context.
    pub fn included(&self) -> impl Iterator<Item = &SourceEntry> {
        self.matches.iter().filter(|m| m.ignored_by.is_none())
    }
}

/// A read-only view of a build-context directory and its ignore file.
#[derive(Debug, Clone)]
pub struct BuildContext {
    root: PathBuf,
    ignore: Option<IgnoreFile>,
    /// What `kind` answered per path.
    kinds: Memo<String, Option<EntryKind>>,
    /// Which pattern of the ignore file excludes a path, per path.
    ignored: Memo<String, Option<usize>>,
    /// `walk_files` per budget.
    walks: Memo<usize, std::sync::Arc<Vec<WalkedFile>>>,
    /// `holds_only_dockerfiles`, which several rules ask.
    only_dockerfiles: Memo<(), bool>,
    /// `files_below` per directory.
    below: Memo<String, std::sync::Arc<Vec<String>>>,
}

/// A file met by `walk_files`.
#[derive(Debug)]
struct WalkedFile {
    dir: String,
    name: String,
    path: String,
    depth: usize,
}

/// Answers kept for the life of the view: rules ask the same few questions many times (a
/// lookup walks every earlier COPY of the context, every missing source wants suggestions), and
/// the context does not change while a file is linted. Bounded: past `MEMO_MAX` answers it
/// starts over, so a file that names millions of paths stays in bounded memory. Cloning the
/// view starts it empty.
struct Memo<K, V>(std::sync::Mutex<HashMap<K, V>>);

const MEMO_MAX: usize = 1 << 16;

impl<K: std::hash::Hash + Eq, V: Clone> Memo<K, V> {
    fn get_or<Q>(&self, key: &Q, f: impl FnOnce() -> V) -> V
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(v) = self.0.lock().ok().and_then(|m| m.get(key).cloned()) {
            return v;
        }
        let v = f();
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= MEMO_MAX {
                m.clear();
            }
            m.insert(key.to_owned(), v.clone());
        }
        v
    }
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(std::sync::Mutex::new(HashMap::new()))
    }
}

impl<K, V> Clone for Memo<K, V> {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl<K, V> std::fmt::Debug for Memo<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl BuildContext {
    /// Opens `root` and reads the ignore file BuildKit would use: `<Dockerfile name>.dockerignore`
    /// beside the Dockerfile when it exists (even empty), otherwise `.dockerignore` at the root.
    /// `dockerfile` is a path usable from the current directory, as given to `docker build -f`;
    /// without one the Dockerfile is `<root>/Dockerfile`, so `Dockerfile.dockerignore` there
    /// counts. An ignore file that is not a regular file is skipped rather than read (a fifo
    /// would block).
    pub fn open(root: &Path, dockerfile: Option<&Path>) -> Result<BuildContext, ContextError> {
        let meta = fs::metadata(root).map_err(|source| ContextError::Root {
            path: root.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(ContextError::NotADirectory(root.to_path_buf()));
        }
        let default_dockerfile = root.join("Dockerfile");
        let df = dockerfile.unwrap_or(&default_dockerfile);
        let mut candidates = Vec::new();
        if let Some(name) = df.file_name() {
            let mut n = name.to_os_string();
            n.push(".dockerignore");
            candidates.push(df.with_file_name(n));
        }
        candidates.push(root.join(DOCKERIGNORE));
        let mut ignore = None;
        for path in candidates {
            if fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
                continue;
            }
            match fs::read(&path) {
                Ok(data) => {
                    ignore = Some(IgnoreFile::parse(&path, &data)?);
                    break;
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::IsADirectory
                    ) => {}
                Err(source) => return Err(ContextError::ReadIgnore { path, source }),
            }
        }
        Ok(BuildContext {
            root: root.to_path_buf(),
            ignore,
            kinds: Memo::default(),
            ignored: Memo::default(),
            walks: Memo::default(),
            only_dockerfiles: Memo::default(),
            below: Memo::default(),
        })
    }

    /// A context with the given ignore file (or none), for callers that parsed it themselves.
    pub fn with_ignore(root: &Path, ignore: Option<IgnoreFile>) -> BuildContext {
        BuildContext {
            root: root.to_path_buf(),
            ignore,
            kinds: Memo::default(),
            ignored: Memo::default(),
            walks: Memo::default(),
            only_dockerfiles: Memo::default(),
            below: Memo::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn ignore_file(&self) -> Option<&IgnoreFile> {
        self.ignore.as_ref()
    }

    /// The pattern that excludes `rel` from the context. For a directory this says the
    /// directory itself matched; `!` exceptions may still bring back some of its contents
    /// (see [`BuildContext::reenters`]).
    pub fn is_ignored(&self, rel: &str) -> Option<&IgnorePattern> {
        let file = self.ignore.as_ref()?;
        let idx = self.ignored.get_or(rel, || file.excluded_index(rel))?;
        file.patterns().get(idx)
    }

    /// "excluded by `dist/` (line 2 of .dockerignore)" when `rel` is excluded.
    pub fn ignored_reason(&self, rel: &str) -> Option<String> {
        let file = self.ignore.as_ref()?;
        Some(format!(
            "excluded by {}",
            file.describe(self.is_ignored(rel)?)
        ))
    }

    /// The `!` exception of the ignore file that brings `rel` back on purpose after an earlier
    /// pattern excluded it (see [`IgnoreFile::reincluded_by`]).
    pub fn reincluded_by(&self, rel: &str) -> Option<&IgnorePattern> {
        self.ignore.as_ref()?.reincluded_by(rel)
    }

    /// Whether BuildKit enters the excluded directory `rel` anyway, because a `!` exception
    /// names something below it; the directory then exists in the context, partly filled.
    pub fn reenters(&self, rel: &str) -> bool {
        self.ignore.as_ref().is_some_and(|f| f.reenters(rel))
    }

    /// What is at `rel`, without following a final symlink (earlier ones are followed).
    pub fn kind(&self, rel: &str) -> Option<EntryKind> {
        self.kinds.get_or(rel, || self.kind_uncached(rel))
    }

    fn kind_uncached(&self, rel: &str) -> Option<EntryKind> {
        let (parent, name) = split_last(&context_rel(rel).0);
        if name.is_empty() {
            return Some(EntryKind::Dir);
        }
        let dir = self.resolve(&parent)?;
        let meta = fs::symlink_metadata(dir.join(&name)).ok()?;
        let ft = meta.file_type();
        Some(if ft.is_symlink() {
            match self
                .resolve(&join_rel(&parent, &name))
                .and_then(|p| fs::symlink_metadata(p).ok())
            {
                Some(m) => EntryKind::Symlink {
                    target_is_dir: m.is_dir(),
                },
                None => EntryKind::BrokenSymlink,
            }
        } else if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        })
    }

    /// Whether `rel` exists, following symlinks inside the context. A single stat per component.
    pub fn exists(&self, rel: &str) -> bool {
        self.kind(rel)
            .is_some_and(|k| k != EntryKind::BrokenSymlink)
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        self.kind(rel).is_some_and(EntryKind::is_dir)
    }

    /// Resolves a COPY/ADD source. The path is cleaned as BuildKit does (a leading `/` is the
    /// context root, `..` stops there); for `COPY --parents`, split at `/./` first and pass the
    /// whole source. BuildKit accepts a wildcard that matches nothing, but not a missing plain
    /// path. Wildcard components are matched with `filepath.Match`
    /// against the listing of each directory involved; like BuildKit's copier, directories are
    /// only entered through wildcard components when they are real directories, not links.
    pub fn resolve_source(&self, src: &str) -> SourceMatch {
        let (cleaned, escaped_root) = context_rel(src);
        let comps: Vec<&str> = if cleaned == "." {
            Vec::new()
        } else {
            cleaned.split('/').collect()
        };
        let first_wild = comps.iter().position(|c| has_wildcards(c));
        let mut out = SourceMatch {
            source: src.to_string(),
            cleaned: cleaned.clone(),
            escaped_root,
            has_wildcards: first_wild.is_some(),
            bad_pattern: false,
            matches: Vec::new(),
        };
        let Some(first_wild) = first_wild else {
            if let Some(kind) = self
                .kind(&cleaned)
                .filter(|k| *k != EntryKind::BrokenSymlink)
            {
                out.matches
                    .push(self.source_entry(cleaned.clone(), kind.is_dir()));
            }
            return out;
        };
        let rest = comps[first_wild..].join("/");
        if glob_match(&rest, "").is_err() {
            out.bad_pattern = true;
            return out;
        }
        let prefix = comps[..first_wild].join("/");
        let mut found = if class_may_match_slash(&rest) {
            self.walk_match(&prefix, &rest)
        } else {
            self.match_components(&prefix, &comps[first_wild..])
        };
        found.sort();
        for rel in found {
            let is_dir = self.is_dir(&rel);
            out.matches.push(self.source_entry(rel, is_dir));
        }
        out
    }

    /// Expands wildcard components one directory level at a time, listing only directories
    /// the earlier components matched. Equivalent to BuildKit's walk when no component can
    /// match `/`, since then every match has exactly as many components as the pattern.
    fn match_components(&self, prefix: &str, comps: &[&str]) -> Vec<String> {
        let mut frontier = vec![prefix.to_string()];
        for (k, comp) in comps.iter().enumerate() {
            let last = k + 1 == comps.len();
            let mut next = Vec::new();
            for dir in &frontier {
                // The prefix is reached through links like any path; wildcard steps are not,
                // because BuildKit's walk does not descend into linked directories.
                let Some(abs) = self.resolve(dir) else {
                    continue;
                };
                let Ok(rd) = fs::read_dir(&abs) else { continue };
                for entry in rd.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if !glob_match(comp, &name).unwrap_or(false) {
                        continue;
                    }
                    let real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                    if last || real_dir {
                        next.push(join_rel(dir, &name));
                    }
                }
            }
            frontier = next;
        }
        frontier
    }

    /// BuildKit matches the wildcard part against every path below the prefix. When a class
    /// can match `/` (`[^x]`), one component may span directories, so walk as it does: a
    /// matching directory is taken whole and not entered.
    fn walk_match(&self, prefix: &str, rest: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![String::new()];
        while let Some(sub) = stack.pop() {
            let dir = join_rel(prefix, &sub);
            let Some(abs) = self.resolve(&dir) else {
                continue;
            };
            let Ok(rd) = fs::read_dir(&abs) else { continue };
            for entry in rd.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let below = join_rel(&sub, &name);
                if glob_match(rest, &below).unwrap_or(false) {
                    out.push(join_rel(prefix, &below));
                } else if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(below);
                }
            }
        }
        out
    }

    /// Reads at most `limit` bytes of a regular file (links followed inside the context).
    /// Invalid UTF-8, including a character cut by the limit, becomes U+FFFD.
    pub fn read_to_string(&self, rel: &str, limit: usize) -> Option<String> {
        let buf = self.read_prefix(rel, limit)?;
        Some(String::from_utf8_lossy(&buf).into_owned())
    }

    /// The first `limit` bytes of a regular file (links followed inside the context).
    pub fn read_prefix(&self, rel: &str, limit: usize) -> Option<Vec<u8>> {
        let path = self.resolve(&context_rel(rel).0)?;
        if !fs::metadata(&path).ok()?.is_file() {
            return None;
        }
        let mut buf = Vec::new();
        fs::File::open(&path)
            .ok()?
            .take(limit as u64)
            .read_to_end(&mut buf)
            .ok()?;
        Some(buf)
    }

    /// The context root holds nothing but Dockerfiles, ignore files and notes: what a directory
    /// like `docker/` looks like when its Dockerfile is built with the repository root as the
    /// context. Rules take it as a sign that the context they were given is not the build's.
    pub fn holds_only_dockerfiles(&self) -> bool {
        self.only_dockerfiles
            .get_or(&(), || self.read_holds_only_dockerfiles())
    }

    fn read_holds_only_dockerfiles(&self) -> bool {
        // Names alone decide, so read the directory without a stat or an ignore match per
        // entry, and stop at the first entry that is material.
        let Some(abs) = self.resolve(".") else {
            return false;
        };
        let Ok(rd) = fs::read_dir(&abs) else {
            return false;
        };
        !rd.flatten().any(|e| {
            let n = e.file_name().to_string_lossy().to_ascii_lowercase();
            !(n.contains("dockerfile")
                || n.contains("containerfile")
                || n == ".dockerignore"
                || n.ends_with(".md")
                || n.ends_with(".txt") && n.starts_with("readme")
                || n.starts_with("license")
                || n == ".git")
        })
    }

    /// Every file in the context below directory `rel` (or `rel` itself when it is a file),
    /// sorted: what a `COPY rel` sends to the build, so excluded entries are left out, and an
    /// excluded directory is entered only when a `!` exception brings back something in it.
    /// Walks that subtree only, once per directory asked.
    pub fn files_below(&self, rel: &str) -> std::sync::Arc<Vec<String>> {
        let dir = context_rel(rel).0;
        self.below
            .get_or(dir.as_str(), || std::sync::Arc::new(self.walk_below(&dir)))
    }

    fn walk_below(&self, dir: &str) -> Vec<String> {
        let mut out = Vec::new();
        if !self.is_dir(dir) {
            if self.exists(dir) && self.is_ignored(dir).is_none() {
                out.push(dir.to_string());
            }
            return out;
        }
        let mut stack = vec![dir.to_string()];
        while let Some(d) = stack.pop() {
            for e in self.list_dir_unfiltered(&d) {
                let ignored = self.is_ignored(&e.path).is_some();
                // A link inside a copied directory is copied as a link, not followed.
                if e.kind == EntryKind::Dir {
                    if !ignored || self.reenters(&e.path) {
                        stack.push(e.path);
                    }
                } else if !ignored && e.kind != EntryKind::BrokenSymlink {
                    out.push(e.path);
                }
            }
        }
        out.sort();
        out
    }

    /// The entries of one directory, sorted by name, with their ignore status.
    pub fn list_dir(&self, rel: &str) -> Vec<DirEntry> {
        let mut out = self.list_dir_unfiltered(rel);
        for e in &mut out {
            e.ignored_by = self.is_ignored(&e.path).cloned();
        }
        out
    }

    /// Like `list_dir`, without the ignore status (`ignored_by` is always `None`): for a caller
    /// that looks at most names and asks `is_ignored` only for the few it keeps, since matching
    /// every entry against the ignore file costs more than reading the directory.
    pub fn list_dir_unfiltered(&self, rel: &str) -> Vec<DirEntry> {
        let dir = context_rel(rel).0;
        let Some(abs) = self.resolve(&dir) else {
            return Vec::new();
        };
        let Ok(rd) = fs::read_dir(&abs) else {
            return Vec::new();
        };
        let mut out: Vec<DirEntry> = rd
            .flatten()
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let path = join_rel(&dir, &name);
                // The directory listing already knows the type of everything but a link; only
                // a link needs the lookups that resolve it inside the context.
                let kind = match e.file_type() {
                    Ok(t) if t.is_dir() => EntryKind::Dir,
                    Ok(t) if t.is_file() => EntryKind::File,
                    Ok(t) if !t.is_symlink() => EntryKind::Other,
                    _ => self.kind(&path).unwrap_or(EntryKind::BrokenSymlink),
                };
                DirEntry {
                    name,
                    path,
                    kind,
                    ignored_by: None,
                }
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The files met by a breadth-first walk of the context over at most `budget` entries
    /// (sorted per directory; ignored entries, `.git` and `node_modules` not entered or kept).
    /// Walked once per budget and kept: every missing source of a file asks the same question.
    fn walk_files(&self, budget: usize) -> std::sync::Arc<Vec<WalkedFile>> {
        self.walks
            .get_or(&budget, || std::sync::Arc::new(self.walk(budget)))
    }

    fn walk(&self, budget: usize) -> Vec<WalkedFile> {
        let mut files = Vec::new();
        let mut seen = 0usize;
        let mut queue = VecDeque::from([(String::from("."), 0usize)]);
        while let Some((dir, depth)) = queue.pop_front() {
            let Some(abs) = self.resolve(&dir) else {
                continue;
            };
            let Ok(rd) = fs::read_dir(&abs) else { continue };
            let mut entries: Vec<(String, bool)> = rd
                .flatten()
                .map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    (n, e.file_type().is_ok_and(|t| t.is_dir()))
                })
                .collect();
            entries.sort();
            for (n, is_dir) in entries {
                seen += 1;
                if seen > budget {
                    queue.clear();
                    break;
                }
                let rel = join_rel(&dir, &n);
                if self.is_ignored(&rel).is_some() {
                    continue;
                }
                if is_dir {
                    if !SKIP_DIRS.contains(&n.as_str()) {
                        queue.push_back((rel, depth + 1));
                    }
                } else {
                    files.push(WalkedFile {
                        dir: dir.clone(),
                        name: n,
                        path: rel,
                        depth,
                    });
                }
            }
        }
        files
    }

    /// Near misses for a missing path, best first: a name differing only in case in the same
    /// directory, a one-character typo there, the same name elsewhere in the context (found by a
    /// breadth-first search over at most `budget` entries, skipping ignored directories, `.git`
    /// and `node_modules`), then a two-character typo. Ignored candidates are left out.
    pub fn suggest(&self, missing: &str, budget: usize) -> Vec<String> {
        let (cleaned, _) = context_rel(missing);
        let (parent, name) = split_last(&cleaned);
        if name.is_empty() {
            return Vec::new();
        }
        let mut ranked: Vec<(u8, usize, String)> = Vec::new();
        let lower = name.to_lowercase();
        let max_typo = if name.chars().count() <= 4 { 1 } else { 2 };
        for e in self.list_dir(&parent) {
            if e.name == name || e.ignored_by.is_some() {
                continue;
            }
            if e.name.to_lowercase() == lower {
                ranked.push((0, 0, e.path));
                continue;
            }
            match edit_distance(&e.name, &name, max_typo) {
                Some(1) => ranked.push((1, 0, e.path)),
                Some(_) => ranked.push((3, 0, e.path)),
                None => {}
            }
        }
        for f in self.walk_files(budget).iter() {
            if f.path == cleaned || f.dir == parent {
                continue;
            }
            if f.name == name {
                ranked.push((2, f.depth, f.path.clone()));
            } else if f.name.to_lowercase() == lower {
                ranked.push((2, f.depth + 1000, f.path.clone()));
            }
        }
        ranked.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, _, p) in ranked {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    fn source_entry(&self, path: String, is_dir: bool) -> SourceEntry {
        let ignored_by = self.is_ignored(&path).cloned();
        SourceEntry {
            path,
            is_dir,
            ignored_by,
        }
    }

    /// Maps a cleaned context-relative path to a host path, following symlinks inside the
    /// context only. `None` when a loop is detected or a link target is not valid UTF-8.
    fn resolve(&self, rel: &str) -> Option<PathBuf> {
        let mut pending: VecDeque<String> = rel
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .map(str::to_string)
            .collect();
        let mut done: Vec<String> = Vec::new();
        let mut links = 0;
        while let Some(c) = pending.pop_front() {
            if c == "." {
                continue;
            }
            if c == ".." {
                done.pop();
                continue;
            }
            let mut here = self.root.clone();
            here.extend(&done);
            here.push(&c);
            match fs::symlink_metadata(&here) {
                Ok(m) if m.file_type().is_symlink() => {
                    links += 1;
                    if links > MAX_LINKS {
                        return None;
                    }
                    let target = fs::read_link(&here).ok()?;
                    let target = target.to_str()?.to_string();
                    if target.starts_with('/') {
                        done.clear();
                    }
                    for t in target.split('/').rev() {
                        if !t.is_empty() {
                            pending.push_front(t.to_string());
                        }
                    }
                }
                _ => done.push(c),
            }
        }
        let mut out = self.root.clone();
        out.extend(&done);
        Some(out)
    }
}

/// Cleans a source or path against the context root: `/` is the root, `..` stops there. Also
/// reports whether `..` tried to go above it.
fn context_rel(src: &str) -> (String, bool) {
    let mut depth = 0usize;
    let mut escaped = false;
    for c in src.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if depth == 0 {
                    escaped = true;
                } else {
                    depth -= 1;
                }
            }
            _ => depth += 1,
        }
    }
    let rooted = clean(&format!("/{src}"));
    let rel = rooted.trim_start_matches('/');
    (
        if rel.is_empty() {
            ".".to_string()
        } else {
            rel.to_string()
        },
        escaped,
    )
}

fn split_last(rel: &str) -> (String, String) {
    if rel == "." || rel.is_empty() {
        return (".".to_string(), String::new());
    }
    match rel.rfind('/') {
        Some(i) => (rel[..i].to_string(), rel[i + 1..].to_string()),
        None => (".".to_string(), rel.to_string()),
    }
}

fn join_rel(dir: &str, name: &str) -> String {
    if dir == "." || dir.is_empty() {
        name.to_string()
    } else if name.is_empty() {
        dir.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Optimal-string-alignment distance (a swap of neighbours counts once), or `None` above `max`.
fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            let v = if i == 0 {
                j
            } else if j == 0 {
                i
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
            d[i * w + j] = v;
        }
    }
    let dist = d[a.len() * w + b.len()];
    (dist <= max).then_some(dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_rel_clamps_at_root() {
        assert_eq!(
            context_rel("../../etc/passwd"),
            ("etc/passwd".to_string(), true)
        );
        assert_eq!(context_rel("/app/./src/"), ("app/src".to_string(), false));
        assert_eq!(context_rel("a/../../b"), ("b".to_string(), true));
        assert_eq!(context_rel("a/b/../c"), ("a/c".to_string(), false));
        assert_eq!(context_rel("."), (".".to_string(), false));
        assert_eq!(context_rel("/"), (".".to_string(), false));
    }

    #[test]
    fn edit_distance_counts_swaps_once() {
        assert_eq!(
            edit_distance("requirments.txt", "requirements.txt", 2),
            Some(1)
        );
        assert_eq!(edit_distance("mian.go", "main.go", 2), Some(1));
        assert_eq!(edit_distance("abc", "xyz", 2), None);
    }
}
