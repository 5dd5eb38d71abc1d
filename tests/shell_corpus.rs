//! Splits every RUN body of the shared Dockerfile corpus: no panic, spans inside the text, and
//! counts of commands and recognised tools printed for a look at coverage.

mod common;

use layerlint::shell::{commands_of_script, recognise};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Shell-form RUN bodies, crudely: continuation lines joined, comment lines inside dropped (as
/// BuildKit does), exec form skipped.
fn run_bodies(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let l = line.trim_start();
        let Some(rest) = l
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("RUN "))
            .and_then(|_| l.get(4..))
        else {
            continue;
        };
        let mut body = String::new();
        let mut cur = rest;
        loop {
            let t = cur.trim_end();
            match t.strip_suffix('\\') {
                Some(s) => {
                    body.push_str(s);
                    let next = loop {
                        match lines.next() {
                            Some(n) if n.trim_start().starts_with('#') => continue,
                            other => break other,
                        }
                    };
                    match next {
                        Some(n) => cur = n,
                        None => break,
                    }
                }
                None => {
                    body.push_str(t);
                    break;
                }
            }
        }
        if !body.trim_start().starts_with('[') {
            out.push(body);
        }
    }
    out
}

#[test]
fn corpus_run_bodies_split() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dockerfiles");
    if !dir.is_dir() {
        common::skip(&format!("corpus not found at {}", dir.display()));
        return;
    }
    let mut files = Vec::new();
    walk(&dir, &mut files);
    let (mut bodies, mut commands, mut recognised) = (0usize, 0usize, 0usize);
    let mut by_tool: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for body in run_bodies(&text) {
            bodies += 1;
            let cmds = commands_of_script(&body, |i| i);
            commands += cmds.len();
            for c in &cmds {
                for w in c.argv.iter().chain(&c.assignments) {
                    assert!(
                        w.span.start <= w.span.end && w.span.end <= body.len(),
                        "{body}"
                    );
                }
                assert!(c.span.end <= body.len(), "{body}");
                if let Some(tc) = recognise(c) {
                    recognised += 1;
                    *by_tool.entry(tc.tool.as_str().to_string()).or_default() += 1;
                    *by_kind.entry(format!("{:?}", tc.kind)).or_default() += 1;
                }
            }
        }
    }
    println!(
        "files {} RUN bodies {bodies} commands {commands} recognised {recognised}",
        files.len()
    );
    println!("by kind: {by_kind:?}");
    println!("by tool: {by_tool:?}");
    assert!(bodies == 0 || commands > 0);
}
