//! `.dockerignore` reading and matching with BuildKit's semantics (moby/patternmatcher and its
//! `ignorefile` reader), keeping each pattern's line so findings can point at it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

use super::pattern::{self, BadPattern};
use super::rx::Regex;

/// Go's `bufio.Scanner` gives up on lines longer than this, and so does BuildKit.
const MAX_LINE: usize = 64 * 1024;

/// A problem with one entry of an ignore file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatternError {
    #[error("illegal exclusion pattern: \"!\"")]
    IllegalExclusion,
    #[error("syntax error in pattern `{0}`")]
    BadPattern(String),
    #[error("line longer than {MAX_LINE} bytes")]
    LineTooLong,
}

/// How a compiled pattern is tested, as patternmatcher decides it (visible for conformance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchType {
    Exact,
    Prefix,
    Suffix,
    Regexp,
}

#[derive(Debug)]
struct Compiled {
    kind: MatchType,
    regex_source: Option<String>,
    /// `None` when the expression is rejected; like BuildKit, that only surfaces when matching.
    regex: Option<Regex>,
}

/// One pattern of an ignore file.
#[derive(Debug, Clone)]
pub struct IgnorePattern {
    /// 1-based line in the ignore file (0 for patterns not read from a file).
    pub line: usize,
    /// The entry as written, trimmed (e.g. `! /keep/me`).
    pub text: String,
    /// The cleaned pattern without its `!` (e.g. `keep/me`).
    pub pattern: String,
    /// A `!` exception: re-includes what earlier patterns excluded.
    pub exclusion: bool,
    compiled: Arc<Compiled>,
}

/// Two patterns are equal when they read the same from the same line.
impl PartialEq for IgnorePattern {
    fn eq(&self, other: &Self) -> bool {
        self.line == other.line
            && self.text == other.text
            && self.pattern == other.pattern
            && self.exclusion == other.exclusion
    }
}

impl IgnorePattern {
    /// Builds a pattern the way patternmatcher's `New` does for one entry.
    pub fn new(
        entry: &str,
        line: usize,
        text: &str,
    ) -> Result<Option<IgnorePattern>, PatternError> {
        let p = entry.trim();
        if p.is_empty() {
            return Ok(None);
        }
        let mut p = pattern::clean(p);
        let mut exclusion = false;
        if let Some(rest) = p.strip_prefix('!') {
            if rest.is_empty() {
                return Err(PatternError::IllegalExclusion);
            }
            exclusion = true;
            p = rest.to_string();
        }
        // BuildKit validates with filepath.Match against "." and nothing more, so an expression
        // that Go's regexp later rejects only fails when something is matched against it.
        if pattern::glob_match(&p, ".").is_err() {
            return Err(PatternError::BadPattern(p));
        }
        let compiled = Arc::new(compile(&p));
        Ok(Some(IgnorePattern {
            line,
            text: text.to_string(),
            pattern: p,
            exclusion,
            compiled,
        }))
    }

    pub fn match_type(&self) -> MatchType {
        self.compiled.kind
    }

    /// The Go regular expression BuildKit builds for this pattern, for `Regexp` patterns.
    pub fn regex_source(&self) -> Option<&str> {
        self.compiled.regex_source.as_deref()
    }

    /// Whether the pattern is one that fails every match (BuildKit fails the build on it).
    pub fn is_broken(&self) -> bool {
        self.compiled.kind == MatchType::Regexp && self.compiled.regex.is_none()
    }

    fn matches(&self, path: &str) -> Result<bool, BadPattern> {
        let p = &self.pattern;
        Ok(match self.compiled.kind {
            MatchType::Exact => path == p,
            MatchType::Prefix => path.starts_with(&p[..p.len() - 2]),
            MatchType::Suffix => {
                let suffix = &p[2..];
                path.ends_with(suffix) || suffix.strip_prefix('/').is_some_and(|s| path == s)
            }
            MatchType::Regexp => self
                .compiled
                .regex
                .as_ref()
                .ok_or(BadPattern)?
                .is_match(path),
        })
    }
}

fn without_trailing_glob(p: &str) -> &str {
    let p = p.strip_suffix("/**").unwrap_or(p);
    p.strip_suffix("/*").unwrap_or(p)
}

/// patternmatcher's `compile` for the Unix separator: decides the match strategy and builds the
/// same regular expression text, then compiles it with the local engine.
fn compile(pattern: &str) -> Compiled {
    const ESCAPE: &str = ".+()|{}$";
    let chars: Vec<char> = pattern.chars().collect();
    let mut re = String::from("^");
    let mut kind = MatchType::Exact;
    let mut k = 0;
    let mut token = 0;
    while k < chars.len() {
        let ch = chars[k];
        k += 1;
        if ch == '*' {
            if chars.get(k) == Some(&'*') {
                k += 1;
                if chars.get(k) == Some(&'/') {
                    k += 1;
                }
                if k == chars.len() {
                    // A trailing `**` accepts everything below, as in .gitignore.
                    if kind == MatchType::Exact {
                        kind = MatchType::Prefix;
                    } else {
                        re.push_str(".*");
                        kind = MatchType::Regexp;
                    }
                } else {
                    re.push_str("(.*/)?");
                    kind = MatchType::Regexp;
                }
                if token == 0 {
                    kind = MatchType::Suffix;
                }
            } else {
                re.push_str("[^/]*");
                kind = MatchType::Regexp;
            }
        } else if ch == '?' {
            re.push_str("[^/]");
            kind = MatchType::Regexp;
        } else if ESCAPE.contains(ch) {
            re.push('\\');
            re.push(ch);
        } else if ch == '\\' {
            if let Some(&next) = chars.get(k) {
                k += 1;
                re.push('\\');
                re.push(next);
                kind = MatchType::Regexp;
            } else {
                re.push('\\');
            }
        } else if ch == '[' || ch == ']' {
            re.push(ch);
            kind = MatchType::Regexp;
        } else {
            re.push(ch);
        }
        token += 1;
    }
    if kind == MatchType::Regexp {
        re.push('$');
        let regex = Regex::new(&re).ok();
        Compiled {
            kind,
            regex_source: Some(re),
            regex,
        }
    } else {
        Compiled {
            kind,
            regex_source: None,
            regex: None,
        }
    }
}

/// An ordered list of patterns; the last one that matches decides.
#[derive(Debug, Clone, Default)]
pub struct PatternMatcher {
    patterns: Vec<IgnorePattern>,
}

impl PatternMatcher {
    /// patternmatcher's `New`: trims, skips empty entries, cleans, and checks the syntax.
    pub fn new<S: AsRef<str>>(entries: &[S]) -> Result<PatternMatcher, PatternError> {
        let mut patterns = Vec::new();
        for e in entries {
            if let Some(p) = IgnorePattern::new(e.as_ref(), 0, e.as_ref().trim())? {
                patterns.push(p);
            }
        }
        Ok(PatternMatcher { patterns })
    }

    pub fn patterns(&self) -> &[IgnorePattern] {
        &self.patterns
    }

    /// `MatchesOrParentMatches`: the index of the pattern that leaves `file` excluded, if it is.
    /// `file` is a `/`-separated path relative to the context root, used as given.
    pub fn matches_or_parent_matches(&self, file: &str) -> Result<Option<usize>, BadPattern> {
        let mut decided: Option<usize> = None;
        let parent = pattern::dir(file);
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        for (idx, p) in self.patterns.iter().enumerate() {
            // An inclusion cannot change an excluded path, nor an exception an included one.
            if p.exclusion != decided.is_some() {
                continue;
            }
            let mut matched = p.matches(file)?;
            if !matched && parent != "." {
                for i in 0..parent_dirs.len() {
                    if p.matches(&parent_dirs[..=i].join("/")).unwrap_or(false) {
                        matched = true;
                        break;
                    }
                }
            }
            if matched {
                decided = if p.exclusion { None } else { Some(idx) };
            }
        }
        Ok(decided)
    }

    /// The `!` exception that brings `file` back after an earlier pattern excluded it (or a
    /// parent of it), when `file` ends up included: the ignore file sends it on purpose.
    pub fn reincluded_by(&self, file: &str) -> Option<usize> {
        let parent = pattern::dir(file);
        let parent_dirs: Vec<&str> = parent.split('/').collect();
        let mut excluded = false;
        let mut brought_back = None;
        for (idx, p) in self.patterns.iter().enumerate() {
            if p.exclusion != excluded {
                continue;
            }
            let matched = p.matches(file).unwrap_or(false)
                || (parent != "."
                    && (0..parent_dirs.len())
                        .any(|i| p.matches(&parent_dirs[..=i].join("/")).unwrap_or(false)));
            if matched {
                excluded = !p.exclusion;
                brought_back = p.exclusion.then_some(idx);
            }
        }
        brought_back.filter(|_| !excluded)
    }
}

/// One entry of an ignore file as `read_all` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreEntry {
    /// 1-based line number.
    pub line: usize,
    /// The entry as BuildKit passes it on (`!` kept, path cleaned, leading `/` dropped).
    pub entry: String,
    /// The line as written, trimmed.
    pub text: String,
}

/// patternmatcher's `ignorefile.ReadAll`, keeping the 1-based line of every entry:
/// `#` starts a comment only in the first column, entries are trimmed, a leading `/` is dropped
/// and the path cleaned; a UTF-8 BOM on the first line is skipped.
pub fn read_all(data: &[u8]) -> Result<Vec<IgnoreEntry>, (usize, PatternError)> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut out = Vec::new();
    if data.is_empty() {
        return Ok(out);
    }
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    for (n, raw) in body.split(|&b| b == b'\n').enumerate() {
        let line_no = n + 1;
        if raw.len() > MAX_LINE {
            return Err((line_no, PatternError::LineTooLong));
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let line = String::from_utf8_lossy(raw);
        if line.starts_with('#') {
            continue;
        }
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let mut pat = text;
        let invert = pat.starts_with('!');
        if invert {
            pat = pat[1..].trim();
        }
        let mut cleaned = String::new();
        if !pat.is_empty() {
            cleaned = pattern::clean(pat);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        if invert {
            cleaned.insert(0, '!');
        }
        out.push(IgnoreEntry {
            line: line_no,
            entry: cleaned,
            text: text.to_string(),
        });
    }
    Ok(out)
}

/// A parsed ignore file: where it came from and its patterns in order.
#[derive(Debug, Clone)]
pub struct IgnoreFile {
    path: PathBuf,
    name: String,
    matcher: PatternMatcher,
}

/// An ignore file that BuildKit would refuse, with the line at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{name}:{line}: {problem}")]
pub struct IgnoreFileError {
    pub name: String,
    pub path: PathBuf,
    pub line: usize,
    pub problem: PatternError,
}

impl IgnoreFile {
    /// Parses the contents of `path`. Patterns that Go's regexp would reject are refused here
    /// too, because BuildKit fails the build the first time it matches against them.
    pub fn parse(path: &Path, data: &[u8]) -> Result<IgnoreFile, IgnoreFileError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let fail = |line, problem| IgnoreFileError {
            name: name.clone(),
            path: path.to_path_buf(),
            line,
            problem,
        };
        let entries = read_all(data).map_err(|(line, problem)| fail(line, problem))?;
        let mut patterns = Vec::new();
        for IgnoreEntry { line, entry, text } in entries {
            match IgnorePattern::new(&entry, line, &text) {
                Ok(Some(p)) if p.is_broken() => {
                    return Err(fail(line, PatternError::BadPattern(p.pattern)))
                }
                Ok(Some(p)) => patterns.push(p),
                Ok(None) => {}
                Err(problem) => return Err(fail(line, problem)),
            }
        }
        Ok(IgnoreFile {
            path: path.to_path_buf(),
            name,
            matcher: PatternMatcher { patterns },
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file name, e.g. `.dockerignore` or `Dockerfile.dev.dockerignore`.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn patterns(&self) -> &[IgnorePattern] {
        self.matcher.patterns()
    }

    /// The raw matcher, for checks that must see a path exactly as BuildKit passes it (its
    /// CopyIgnoredFile check matches the COPY source cleaned but with any leading `/` kept).
    pub fn matcher(&self) -> &PatternMatcher {
        &self.matcher
    }

    /// The pattern that excludes `rel` (a context-relative path; cleaned, leading `/` allowed).
    /// The context root itself is never excluded.
    pub fn excluded_by(&self, rel: &str) -> Option<&IgnorePattern> {
        self.matcher.patterns.get(self.excluded_index(rel)?)
    }

    /// `excluded_by`, as an index into `patterns()`.
    pub fn excluded_index(&self, rel: &str) -> Option<usize> {
        let cleaned = pattern::clean(rel);
        let cleaned = cleaned.trim_start_matches('/');
        if cleaned.is_empty() || cleaned == "." {
            return None;
        }
        self.matcher.matches_or_parent_matches(cleaned).ok()?
    }

    /// The `!` exception that deliberately re-includes `rel` (a context-relative path) after an
    /// earlier pattern excluded it: `*` then `!.git`, or `.env*` then `!.env.production`.
    pub fn reincluded_by(&self, rel: &str) -> Option<&IgnorePattern> {
        let cleaned = pattern::clean(rel);
        let cleaned = cleaned.trim_start_matches('/');
        if cleaned.is_empty() || cleaned == "." {
            return None;
        }
        self.matcher
            .patterns
            .get(self.matcher.reincluded_by(cleaned)?)
    }

    /// Whether BuildKit still looks inside the excluded directory `dir` while sending the
    /// context, so that `!` exceptions can bring back files below it (the directory then
    /// appears only if something in it is brought back). BuildKit's sender enters every
    /// excluded directory once any exception has a wildcard (ignoring a trailing `/*` or
    /// `/**`); otherwise only those that an exception names literally, e.g. `!dir/keep`.
    pub fn reenters(&self, dir: &str) -> bool {
        const PATTERN_CHARS: &[char] = &['*', '[', ']', '?', '^', '\\'];
        let exceptions: Vec<&str> = self
            .patterns()
            .iter()
            .filter(|p| p.exclusion)
            .map(|p| without_trailing_glob(&p.pattern))
            .collect();
        if exceptions.iter().any(|p| p.contains(PATTERN_CHARS)) {
            return true;
        }
        let cleaned = pattern::clean(dir);
        let dir_slash = format!("{}/", cleaned.trim_start_matches('/'));
        exceptions
            .iter()
            .any(|p| format!("{p}/").starts_with(&dir_slash))
    }

    /// "`foo/` (line 3 of .dockerignore)".
    pub fn describe(&self, p: &IgnorePattern) -> String {
        format!("`{}` (line {} of {})", p.text, p.line, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> IgnoreFile {
        IgnoreFile::parse(Path::new("/ctx/.dockerignore"), text.as_bytes()).expect("parses")
    }

    /// Patterns whose brackets and escapes reach the regular-expression engine, each with a
    /// path and what Go's `regexp` (as BuildKit's patternmatcher builds the expression) answers:
    /// `None` when Go rejects the expression. The expected values were produced by Go 1.19.
    #[test]
    fn regexp_patterns_match_as_go_does() {
        let cases: &[(&str, &str, Option<bool>)] = &[
            ("\\Qa.b\\E", "a\\.b", Some(true)),
            ("\\Qa.b\\E", "a.b", Some(false)),
            ("\\Qab", "ab", Some(false)),
            ("\\Qab", "ab$", Some(true)),
            ("x\\Q\\Ey", "xy", Some(true)),
            ("\\Q*\\E", "*", Some(false)),
            ("\\Q*\\E", "a", Some(false)),
            ("[a&&b]", "&", Some(true)),
            ("[a&&b]", "b", Some(true)),
            ("[a~~b]", "~", Some(true)),
            ("[a--b]", "-", None),
            ("[--a]", "-", Some(true)),
            ("[[:alpha:]]", "a", Some(true)),
            ("[[:alpha:]]", "é", Some(false)),
            ("[[:^digit:]]", "a", Some(true)),
            ("[[:word:]]", "_", Some(true)),
            ("[[:foo:]]", "a", None),
            ("[\\d-z]", "-", Some(true)),
            ("[\\d-z]", "5", Some(true)),
            ("\\<x", "<x", Some(true)),
            ("\\d", "٣", Some(false)),
            ("\\d", "7", Some(true)),
            ("\\w", "é", Some(false)),
            ("é\\b", "é", Some(false)),
            ("a\\b", "a", Some(true)),
            ("\\101", "A", Some(true)),
            ("\\8", "8", None),
            ("\\x{41}", "A", None),
            ("\\x4", "A", None),
            ("[^a]", "/", Some(true)),
            ("a[/]b", "a/b", Some(true)),
            ("[]a]", "]", Some(true)),
            ("[a-]", "-", Some(true)),
            ("a\\z", "a", Some(true)),
            ("\\Aa", "a", Some(true)),
            ("[[:digit:]x]", "x", Some(true)),
            ("\\Z", "a", None),
            ("\\C", "a", None),
            ("a\\E", "a", None),
            ("\\e", "a", None),
            ("\\v", "\u{b}", Some(true)),
            ("[\\Q]", "Q", None),
            ("[z-a]", "a", None),
            ("é?", "éx", Some(true)),
            ("[[^/]*]", "[x]", Some(true)),
            ("[*]", "x]", Some(false)),
            ("\\1", "1", None),
            ("\\0", "\u{0}", Some(true)),
            ("\\012", "\u{a}", Some(true)),
            ("[\\x41-\\x43]", "B", Some(true)),
            ("\\s", " ", Some(true)),
            ("\\S", "/", Some(true)),
            ("[\\b]", "\u{8}", None),
            ("\\B", "", Some(true)),
            ("**/a\\b", "x/a", Some(true)),
            ("\\.", ".", Some(true)),
            ("a\\[b", "a[b", Some(true)),
            ("\\#x", "#x", Some(true)),
            ("\\ ", " ", Some(true)),
            ("[\\-]", "-", Some(true)),
            ("[a\\]]", "]", Some(true)),
            ("\\pL", "a", Some(true)),
            ("\\p{Greek}", "α", None),
        ];
        for &(pattern, path, go) in cases {
            let c = compile(pattern);
            assert_eq!(c.kind, MatchType::Regexp, "{pattern}");
            let ours = c.regex.as_ref().map(|r| r.is_match(path));
            assert_eq!(
                ours, go,
                "pattern {pattern:?} ({:?}) on {path:?}",
                c.regex_source
            );
        }
    }

    #[test]
    fn reincluded_on_purpose() {
        let f = file("*\n!.git\n.env*\n!.env.production\nsecrets/\n!secrets/public.pem\n");
        let by = |rel: &str| f.reincluded_by(rel).map(|p| p.text.as_str());
        assert_eq!(by(".git"), Some("!.git"));
        assert_eq!(by(".git/HEAD"), Some("!.git"));
        assert_eq!(by(".env.production"), Some("!.env.production"));
        assert_eq!(by("secrets/public.pem"), Some("!secrets/public.pem"));
        // Excluded, or never excluded in the first place.
        assert_eq!(by(".env"), None);
        assert_eq!(by("secrets/private.pem"), None);
        assert_eq!(by("."), None);
        let plain = file("node_modules\n!README.md\n");
        assert_eq!(plain.reincluded_by("README.md").map(|p| p.line), None);
        assert_eq!(plain.reincluded_by("src/app.py").map(|p| p.line), None);
    }

    #[test]
    fn read_all_like_buildkit() {
        let got = read_all(b"test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ")
            .expect("reads");
        let entries: Vec<&str> = got.iter().map(|e| e.entry.as_str()).collect();
        assert_eq!(
            entries,
            [
                "test1",
                "test2",
                "a/file/here",
                "lastfile",
                "!inverted/abs/path",
                "!",
                "!"
            ]
        );
        let lines: Vec<usize> = got.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3, 5, 7, 8, 9]);
    }

    #[test]
    fn crlf_bom_and_indented_hash() {
        let f = file("\u{feff}a\r\n  # not a comment\r\n");
        let pats: Vec<&str> = f.patterns().iter().map(|p| p.pattern.as_str()).collect();
        assert_eq!(pats, ["a", "# not a comment"]);
    }

    #[test]
    fn last_match_wins_and_names_the_line() {
        let f = file("# deps\nnode_modules\n*.log\n!keep.log\ndocs/\n");
        let p = f.excluded_by("node_modules/x/y.js").expect("excluded");
        assert_eq!(p.line, 2);
        assert!(f.excluded_by("keep.log").is_none());
        assert_eq!(f.excluded_by("a.log").map(|p| p.line), Some(3));
        let d = f.excluded_by("docs/index.md").expect("excluded");
        assert_eq!(f.describe(d), "`docs/` (line 5 of .dockerignore)");
        assert!(f.excluded_by(".").is_none());
        assert!(f.excluded_by("/node_modules").is_some());
    }

    #[test]
    fn excluded_dirs_are_reentered_like_buildkit() {
        let f = file("vendor\n!vendor/keep/me.txt\n!vendor/all/**\n");
        assert!(f.excluded_by("vendor/x").is_some());
        assert!(f.excluded_by("vendor/keep/me.txt").is_none());
        assert!(f.reenters("vendor"));
        assert!(f.reenters("vendor/keep"));
        assert!(f.reenters("vendor/all"));
        assert!(!f.reenters("vendor/other"));
        assert!(!f.reenters("vend"));
        // One wildcard exception makes BuildKit look inside every excluded directory.
        let f = file("vendor\n!*/keep\n");
        assert!(f.reenters("vendor"));
        assert!(!file("vendor\n").reenters("vendor"));
    }

    #[test]
    fn escapes_reach_the_regexp_as_buildkit_sends_them() {
        // BuildKit copies `\d` into its regexp, where it means a digit, not a literal `d`.
        let f = file("log\\d.txt\na^b\n^c\n");
        assert!(f.excluded_by("log1.txt").is_some());
        assert!(f.excluded_by("logd.txt").is_none());
        // `^` is not special in exact patterns, and is an anchor in the regexp ones.
        assert!(f.excluded_by("a^b").is_some());
        assert!(f.excluded_by("c").is_none());
        assert!(f.excluded_by("^c").is_some());
    }

    #[test]
    fn errors_name_the_line() {
        let e = IgnoreFile::parse(Path::new(".dockerignore"), b"ok\n!\n").expect_err("bad");
        assert_eq!(e.line, 2);
        assert_eq!(
            e.to_string(),
            ".dockerignore:2: illegal exclusion pattern: \"!\""
        );
        let e = IgnoreFile::parse(Path::new(".dockerignore"), b"a\n\n[\n").expect_err("bad");
        assert_eq!(e.line, 3);
        let e = IgnoreFile::parse(Path::new(".dockerignore"), b"[Local-Only]/\n").expect_err("bad");
        assert_eq!(e.line, 1);
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn parsing_and_matching_never_panic(
            data in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'!'), Just(b'/'), Just(b'*'), Just(b'['),
                            Just(b']'), Just(b'\\'), Just(b'^'), Just(b'-'), Just(b'a'),
                            Just(b'#'), Just(b' '), Just(b'.'), Just(0xff)],
                0..40),
            path in "[a/.*\\[\\]\\\\-]{0,12}",
        ) {
            if let Ok(f) = IgnoreFile::parse(Path::new(".dockerignore"), &data) {
                let _ = f.excluded_by(&path);
                let _ = f.reenters(&path);
            }
        }

        /// Without `**`, `\` or classes, BuildKit's regex translation and Go's filepath.Match
        /// agree on the path itself; two independent ports must agree too.
        #[test]
        fn regex_translation_agrees_with_glob(
            pat in "[ab.?*]{1,4}(/[ab.?*]{1,3}){0,2}",
            path in "[ab.]{0,3}(/[ab.]{0,3}){0,2}",
        ) {
            prop_assume!(!pat.contains("**"));
            let p = IgnorePattern::new(&pat, 1, &pat).expect("valid").expect("non-empty");
            let glob = pattern::glob_match(&p.pattern, &path).expect("valid");
            prop_assert_eq!(p.matches(&path).expect("valid"), glob);
        }
    }
}
