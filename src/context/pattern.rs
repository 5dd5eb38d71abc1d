//! Go's `filepath.Match` (Unix flavour) and `filepath.Clean`, which BuildKit uses for COPY/ADD
//! wildcard sources and for cleaning `.dockerignore` patterns; ported so results agree exactly.

use thiserror::Error;

/// Go's `filepath.ErrBadPattern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("syntax error in pattern")]
pub struct BadPattern;

/// Reports whether `name` matches the shell pattern, with Go's rules: `*` and `?` never match
/// `/`, `[...]` classes (`^` negates) may, `\` escapes the next character. A malformed pattern
/// is an error even when the match fails early, as in Go since 1.16.
pub fn glob_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let pat_chars: Vec<char> = pattern.chars().collect();
    let name_chars: Vec<char> = name.chars().collect();
    let mut pat: &[char] = &pat_chars;
    let mut name: &[char] = &name_chars;
    'outer: while !pat.is_empty() {
        let (star, chunk, rest) = scan_chunk(pat);
        pat = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest of the name unless it crosses a separator.
            return Ok(!name.contains(&'/'));
        }
        if let Some(t) = match_chunk(chunk, name)? {
            // The last chunk has to consume the whole name, or a later star offset may still fit.
            if t.is_empty() || !pat.is_empty() {
                name = t;
                continue;
            }
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != '/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..])? {
                    if pat.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'outer;
                }
                i += 1;
            }
        }
        // The match failed, but the rest of the pattern still has to be well formed.
        while !pat.is_empty() {
            let (_, chunk, rest) = scan_chunk(pat);
            pat = rest;
            match_chunk(chunk, &[])?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Whether a COPY/ADD source component needs wildcard expansion. An escaped character does not
/// count, so `file\[1\]` is taken literally (backslash included), as BuildKit's copier does.
pub fn has_wildcards(s: &str) -> bool {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

/// Whether some `[...]` class in the pattern can match `/` (a negated class, or a range that
/// spans it). Only then can one component of a COPY source match across directories.
pub fn class_may_match_slash(pattern: &str) -> bool {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '[' => {
                let mut j = i + 1;
                if chars.get(j) == Some(&'^') {
                    j += 1;
                }
                // The first member may be `]` only escaped; Go rejects `[]` anyway.
                let mut first = true;
                while j < chars.len() && (first || chars[j] != ']') {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                    first = false;
                }
                let end = (j + 1).min(chars.len());
                let class: String = chars[i..end].iter().collect();
                if glob_match(&class, "/") == Ok(true) {
                    return true;
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    false
}

fn scan_chunk(mut pat: &[char]) -> (bool, &[char], &[char]) {
    let mut star = false;
    while pat.first() == Some(&'*') {
        pat = &pat[1..];
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pat.len() {
        match pat[i] {
            '\\' if i + 1 < pat.len() => i += 1,
            '[' => in_range = true,
            ']' => in_range = false,
            '*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pat[..i], &pat[i..])
}

/// Matches one star-free chunk at the start of `s`, returning the unmatched rest. Keeps
/// scanning the chunk after a failure so that syntax errors are always reported.
fn match_chunk<'a>(
    mut chunk: &[char],
    mut s: &'a [char],
) -> Result<Option<&'a [char]>, BadPattern> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            '[' => {
                let mut r = '\0';
                if !failed {
                    r = s[0];
                    s = &s[1..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if chunk.first() == Some(&']') && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            '?' => {
                if !failed {
                    if s[0] == '/' {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                let lit = if c == '\\' {
                    chunk = &chunk[1..];
                    *chunk.first().ok_or(BadPattern)?
                } else {
                    c
                };
                if !failed {
                    if lit != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        Ok(None)
    } else {
        Ok(Some(s))
    }
}

fn get_esc(chunk: &[char]) -> Result<(char, &[char]), BadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some('-') | Some(']') => return Err(BadPattern),
        Some('\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(BadPattern);
            }
        }
        _ => {}
    }
    let r = chunk[0];
    let rest = &chunk[1..];
    // A class must still be closed after this character.
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

/// Go's `filepath.Clean` for `/`-separated paths: the shortest equivalent path, `.` for empty.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Dir`: everything before the last separator, cleaned.
pub fn dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_table() {
        let ok = [
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[^e-g]", "abc", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a???b", "a☺b", false),
            ("[a-ζ]*", "α", true),
            ("*[a-ζ]", "A", false),
            ("a?b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[x\\-]", "-", true),
            ("*x", "xxx", true),
            ("a[^x]b", "a/b", true),
        ];
        for (p, n, want) in ok {
            assert_eq!(glob_match(p, n), Ok(want), "{p} vs {n}");
        }
        for p in [
            "[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[",
        ] {
            assert_eq!(glob_match(p, "a"), Err(BadPattern), "{p}");
        }
        // Errors are found even when an earlier chunk already failed to match.
        assert_eq!(glob_match("x*[", "abc"), Err(BadPattern));
        assert_eq!(glob_match("[Local-Only]", "."), Ok(false));
    }

    #[test]
    fn clean_like_go() {
        for (i, o) in [
            ("", "."),
            ("/", "/"),
            ("a/b/", "a/b"),
            ("./a//b/./c", "a/b/c"),
            ("a/../..", ".."),
            ("/../a", "/a"),
            ("a/b/../../c", "c"),
            ("../../a", "../../a"),
        ] {
            assert_eq!(clean(i), o, "{i}");
        }
        assert_eq!(dir("file"), ".");
        assert_eq!(dir("file/"), "file");
        assert_eq!(dir("a/b/c"), "a/b");
        assert_eq!(dir("/"), "/");
    }

    #[test]
    fn wildcard_detection() {
        assert!(has_wildcards("*.txt"));
        assert!(has_wildcards("a[0-9]"));
        assert!(!has_wildcards("file\\[1\\]"));
        assert!(!has_wildcards("plain.txt"));
    }

    #[test]
    fn classes_that_cross_directories() {
        assert!(class_may_match_slash("src[^x]main.go"));
        assert!(class_may_match_slash("a[+-0]b"));
        assert!(!class_may_match_slash("a[0-9]/*.txt"));
        assert!(!class_may_match_slash("a\\[^x]"));
        assert!(!class_may_match_slash("*.txt"));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(pat in "[a/*?\\[\\]\\\\^-]{0,10}", name in "[a/\\-\\]]{0,6}") {
            let _ = glob_match(&pat, &name);
            let _ = class_may_match_slash(&pat);
            let _ = has_wildcards(&pat);
        }

        #[test]
        fn clean_is_idempotent(p in "[a./]{0,12}") {
            let once = clean(&p);
            prop_assert_eq!(clean(&once), once.clone());
        }
    }
}
