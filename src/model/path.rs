//! POSIX path arithmetic for paths inside the image, done the way BuildKit does it
//! (Go's `path.Clean` and `path.Join`), so that two spellings of a path compare equal.

/// Go's `path.Clean`: collapse `//`, `.` and `..`; an absolute path never climbs above `/`.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    if is_clean(p) {
        return p.to_string();
    }
    clean_parts(p)
}

fn clean_parts(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(last) if *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            _ => parts.push(part),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// Whether `clean` would return `p` unchanged: no empty, `.` or `..` component and no
/// trailing `/` (except `/` itself). Checked in one pass, so clean paths cost a copy.
fn is_clean(p: &str) -> bool {
    if p == "/" {
        return true;
    }
    let body = p.strip_prefix('/').unwrap_or(p).as_bytes();
    // One byte loop (paths can be PATH_MAX long and are cleaned at every WORKDIR).
    let mut start = 0;
    for i in 0..=body.len() {
        if i == body.len() || body[i] == b'/' {
            if matches!(&body[start..i], b"" | b"." | b"..") {
                return false;
            }
            start = i + 1;
        }
    }
    true
}

/// Resolve `p` against the directory `base` (an absolute image path), as WORKDIR and COPY
/// destinations are resolved.
pub fn resolve(base: &str, p: &str) -> String {
    if p.starts_with('/') {
        clean(p)
    } else {
        clean(&format!("{base}/{p}"))
    }
}

/// Join a directory and a relative path and clean the result.
pub fn join(dir: &str, rel: &str) -> String {
    if rel.is_empty() || rel == "." {
        return clean(dir);
    }
    if dir.is_empty() || dir == "." {
        return clean(rel);
    }
    clean(&format!("{dir}/{rel}"))
}

/// The last component of a path (`"/app/x.txt"` → `"x.txt"`).
pub fn base_name(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None => t,
    }
}

/// The path of `p` relative to the directory `dir`, when `p` is `dir` or below it.
pub fn strip_dir<'a>(p: &'a str, dir: &str) -> Option<&'a str> {
    if dir == "/" {
        return Some(p.trim_start_matches('/'));
    }
    let rest = p.strip_prefix(dir)?;
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_agrees_with_the_full_clean() {
        // Every string of up to 7 characters over `a`, `/` and `.`.
        let mut words = vec![String::new()];
        for _ in 0..7 {
            let next: Vec<String> = words
                .iter()
                .flat_map(|w| ['a', '/', '.'].map(|c| format!("{w}{c}")))
                .collect();
            for w in &next {
                let full = clean_parts(w);
                assert_eq!(clean(w), full, "{w:?}");
                assert_eq!(clean(&full), full, "cleaning is idempotent: {w:?}");
            }
            words = next;
        }
    }

    #[test]
    fn clean_matches_go() {
        for (input, want) in [
            ("", "."),
            ("/", "/"),
            ("a/b/../c", "a/c"),
            ("/../a", "/a"),
            ("../a", "../a"),
            ("./a//b/", "a/b"),
            ("/app/.", "/app"),
            ("a/..", "."),
        ] {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn resolve_and_strip() {
        assert_eq!(resolve("/app", "src/x.py"), "/app/src/x.py");
        assert_eq!(resolve("/app", "/etc"), "/etc");
        assert_eq!(resolve("/app", "."), "/app");
        assert_eq!(strip_dir("/app/src/x", "/app"), Some("src/x"));
        assert_eq!(strip_dir("/application", "/app"), None);
        assert_eq!(strip_dir("/x", "/"), Some("x"));
        assert_eq!(base_name("/app/x.txt"), "x.txt");
    }
}
