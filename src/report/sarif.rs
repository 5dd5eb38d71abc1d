//! SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: the rule catalogue with each
//! rule's documentation, then results with regions, related places, fixes and fingerprints.

use super::{relative_path, LineIndex, Run, FILE_ERROR};
use crate::diagnostic::{Applicability, Severity};
use crate::rules::Rule;
use crate::syntax::Span;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::Path;

const INFORMATION_URI: &str = "https://github.com/layerlint/layerlint";
const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The text under `## What it does` in a rule page, which says what the rule flags in a
/// paragraph or two: the right size for `fullDescription`.
fn what_it_does(doc: &str) -> String {
    let mut inside = false;
    let mut lines = Vec::new();
    for line in doc.lines() {
        if line.starts_with("## ") {
            if inside {
                break;
            }
            inside = line.trim() == "## What it does";
        } else if inside {
            lines.push(line);
        }
    }
    lines.join("\n").trim().to_string()
}

fn rule_descriptor(r: &Rule) -> Value {
    let full = match what_it_does(r.doc) {
        s if s.is_empty() => r.summary.to_string(),
        s => s,
    };
    json!({
        "id": r.name,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": full, "markdown": full},
        "help": {"text": r.doc, "markdown": r.doc},
        "helpUri": format!("{INFORMATION_URI}/blob/main/rules/{}.md", r.name),
        "defaultConfiguration": {"level": level(r.severity), "enabled": r.default},
        // GitHub shows tags on every alert: the other tools' names are found there. It takes
        // at most 20, so the full list is kept beside them.
        "properties": {
            "tags": std::iter::once(r.group)
                .chain(r.aliases.iter().copied())
                .take(MAX_TAGS)
                .collect::<Vec<_>>(),
            "aliases": r.aliases,
        },
    })
}

/// GitHub code scanning rejects a rule with more tags.
const MAX_TAGS: usize = 20;

/// Percent-encode what a URI path may not hold as is. `:` is encoded too, because in the
/// first segment of a relative reference it would read as a scheme.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An absolute `file:` URI for a path outside the source root (or the root itself).
fn file_uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    // Windows paths (`C:/x`) need the extra slash that Unix paths already start with.
    let p = if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    };
    let encoded = encode_path(&p);
    // A drive letter's colon is part of the path, not a scheme, so it may stay.
    match encoded.as_bytes() {
        [b'/', d, b'%', b'3', b'A', ..] if d.is_ascii_alphabetic() => {
            format!("file:///{}:{}", *d as char, &encoded[5..])
        }
        _ => format!("file://{encoded}"),
    }
}

fn artifact_location(path: &str, cwd: &Path) -> Value {
    match relative_path(path, cwd) {
        Some(rel) => json!({"uri": encode_path(&rel), "uriBaseId": SRCROOT}),
        None => json!({"uri": file_uri(path)}),
    }
}

fn region(idx: &LineIndex, span: Span) -> Value {
    let s = idx.position(span.start);
    let e = idx.position(span.end);
    json!({
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": e.line,
        "endColumn": e.column,
    })
}

/// `primaryLocationLineHash` for every line, the way GitHub's upload action computes it when
/// a tool leaves it out, so that alerts keep their identity whichever side computed it: a
/// rolling hash (base 37, wrapping at 64 bits) over the next 100 UTF-16 units of the file from
/// the line's first character, with spaces and tabs dropped and CR/CRLF read as LF, then
/// `:n` for the n-th line of the file with that same hash. Index 0 is line 1.
pub fn line_hashes(text: &str) -> Vec<String> {
    const WINDOW: usize = 100;
    const END_OF_FILE: u16 = 0xffff;
    let (space, tab, lf, cr) = (b' ' as u16, b'\t' as u16, b'\n' as u16, b'\r' as u16);
    let mut units: Vec<u16> = Vec::with_capacity(text.len() + 1);
    let mut starts = Vec::new();
    let mut at_line_start = true;
    let mut after_cr = false;
    for u in text.encode_utf16().chain(std::iter::once(END_OF_FILE)) {
        if u == space || u == tab || (after_cr && u == lf) {
            after_cr = false;
            continue;
        }
        after_cr = u == cr;
        let u = if u == cr { lf } else { u };
        if at_line_start {
            at_line_start = false;
            starts.push(units.len());
        }
        if u == lf {
            at_line_start = true;
        }
        units.push(u);
    }
    let mut seen: HashMap<u64, usize> = HashMap::new();
    starts
        .into_iter()
        .map(|start| {
            let mut h: u64 = 0;
            for i in start..start + WINDOW {
                let u = units.get(i).copied().unwrap_or(0);
                h = h.wrapping_mul(37).wrapping_add(u64::from(u));
            }
            let n = seen.entry(h).or_insert(0);
            *n += 1;
            format!("{h:x}:{n}")
        })
        .collect()
}

/// Render the run. `rules` is the catalogue the results' `ruleIndex` points into (the
/// registry, in practice); `cwd` is the source root that relative URIs start from.
pub fn render(run: &Run, rules: &[&Rule], cwd: &Path) -> String {
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.name, i)).collect();
    let mut results = Vec::new();
    for f in &run.files {
        if f.diagnostics.is_empty() {
            continue;
        }
        let idx = LineIndex::new(&f.text);
        let hashes = line_hashes(&f.text);
        let artifact = artifact_location(&f.path, cwd);
        for d in &f.diagnostics {
            let mut r = Map::new();
            r.insert("ruleId".into(), d.rule.into());
            if let Some(i) = index.get(d.rule) {
                r.insert("ruleIndex".into(), (*i).into());
            }
            r.insert("level".into(), level(d.severity).into());
            r.insert("message".into(), json!({"text": d.message}));
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": region(&idx, d.primary.span),
                }
            });
            if !d.primary.message.is_empty() {
                location["message"] = json!({"text": d.primary.message});
            }
            r.insert("locations".into(), json!([location]));
            let line = idx.position(d.primary.span.start).line;
            if let Some(h) = hashes.get(line - 1) {
                r.insert(
                    "partialFingerprints".into(),
                    json!({"primaryLocationLineHash": h}),
                );
            }
            if !d.secondary.is_empty() {
                let related: Vec<Value> = d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        json!({
                            "id": i + 1,
                            "physicalLocation": {
                                "artifactLocation": artifact,
                                "region": region(&idx, l.span),
                            },
                            "message": {"text": l.message},
                        })
                    })
                    .collect();
                r.insert("relatedLocations".into(), related.into());
            }
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": region(&idx, e.span),
                            "insertedContent": {"text": e.content},
                        })
                    })
                    .collect();
                let applicability = match fix.applicability {
                    Applicability::Safe => "safe",
                    Applicability::Unsafe => "unsafe",
                };
                r.insert(
                    "fixes".into(),
                    json!([{
                        "description": {"text": fix.title},
                        "artifactChanges": [{
                            "artifactLocation": artifact,
                            "replacements": replacements,
                        }],
                        "properties": {"applicability": applicability},
                    }]),
                );
            }
            results.push(Value::Object(r));
        }
    }
    let notifications: Vec<Value> = run
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": {"text": e.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(&e.path, cwd)}}],
                "descriptor": {"id": FILE_ERROR, "index": 0},
            })
        })
        .collect();
    let mut invocation = json!({"executionSuccessful": run.errors.is_empty()});
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = notifications.into();
    }
    let root = cwd.to_string_lossy();
    let root_uri = if root.ends_with('/') {
        file_uri(&root)
    } else {
        file_uri(&format!("{root}/"))
    };
    let out = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "layerlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
                "notifications": [{
                    "id": FILE_ERROR,
                    "shortDescription": {"text": "a file that could not be read or parsed at all"},
                    "defaultConfiguration": {"level": "error"},
                }],
            }},
            "invocations": [invocation],
            "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_it_does_is_the_first_section() {
        let doc = "# x\n\n## What it does\nFlags `a`.\n\nAnd b.\n\n## Why is this bad?\nno\n";
        assert_eq!(what_it_does(doc), "Flags `a`.\n\nAnd b.");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(encode_path("a b/ç:x#?.txt"), "a%20b/%C3%A7%3Ax%23%3F.txt");
        assert_eq!(file_uri("/srv/a b"), "file:///srv/a%20b");
        assert_eq!(file_uri("C:\\w\\x"), "file:///C:/w/x");
    }

    #[test]
    fn line_hashes_ignore_indentation_and_count_repeats() {
        let a = line_hashes("RUN x\nRUN y\n");
        let b = line_hashes("  RUN x\r\n\tRUN y\r\n");
        assert_eq!(a, b);
        // Lines whose next 100 characters are identical share a hash and are told apart by
        // their occurrence number.
        let same = line_hashes(&"\n".repeat(250));
        let (h0, n0) = same[0].split_once(':').unwrap_or_default();
        let (h1, n1) = same[1].split_once(':').unwrap_or_default();
        assert_eq!((h0, n0, n1), (h1, "1", "2"));
    }

    #[test]
    fn line_hashes_match_the_upload_action() {
        // Values from the upload action's own algorithm run over the same text.
        let text = "FROM python:3.12-slim\n  WORKDIR /app\r\nCOPY s\u{e9}rver.py .\n\n\nCMD python server.py --port 8088\nCMD python server.py --port 8088\n";
        let h = line_hashes(text);
        assert_eq!(h[0], "bebbf619da5104fc:1");
        assert_eq!(h[1], "d90f631e1ae5d702:1");
        assert_eq!(h[2], "57c73e53ba50a466:1");
        assert_eq!(h[6], "e5eea544ff998354:1");
    }

    #[test]
    fn every_registry_rule_has_descriptions() {
        for r in crate::rules::RULES {
            let d = rule_descriptor(r);
            for k in ["shortDescription", "fullDescription", "help"] {
                assert!(
                    d[k]["text"].as_str().is_some_and(|s| !s.is_empty()),
                    "{} {k}",
                    r.name
                );
            }
            // The group, then the other tools' names for the rule.
            let tags: Vec<&str> = d["properties"]["tags"]
                .as_array()
                .expect("tags")
                .iter()
                .filter_map(|t| t.as_str())
                .collect();
            assert_eq!(tags[0], r.group);
            let shown = r.aliases.len().min(MAX_TAGS - 1);
            assert_eq!(&tags[1..], &r.aliases[..shown]);
            let all: Vec<&str> = d["properties"]["aliases"]
                .as_array()
                .expect("aliases")
                .iter()
                .filter_map(|t| t.as_str())
                .collect();
            assert_eq!(all, r.aliases);
        }
    }
}
