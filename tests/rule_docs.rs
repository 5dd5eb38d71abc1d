//! Every rule's documentation page is its main test: each `bad` example fires the rule and
//! renders exactly the page's `output` block, each `good` example is quiet, and fixes work.
//! `UPDATE_DOCS=1 cargo test --test rule_docs` rewrites the output blocks.

use layerlint::config::Config;
use layerlint::context::BuildContext;
use layerlint::diagnostic::{apply_edits, Diagnostic};
use layerlint::lint::lint_for;
use layerlint::model::Purpose;
use layerlint::project::{Given, Project};
use layerlint::report::text::render_file;
use layerlint::rules::{Rule, RULES};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Bad,
    Good,
    Context,
    Output,
}

#[derive(Debug, Clone)]
struct Block {
    kind: Kind,
    body: String,
    /// Byte range of the body in the page, for rewriting output blocks.
    start: usize,
    end: usize,
}

fn blocks(page: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut open: Option<(Kind, usize)> = None;
    for line in page.split_inclusive('\n') {
        let t = line.trim_end();
        match &open {
            None => {
                let kind = match t {
                    "```dockerfile bad" => Some(Kind::Bad),
                    "```dockerfile good" => Some(Kind::Good),
                    "```text context" => Some(Kind::Context),
                    "```text output" => Some(Kind::Output),
                    _ => None,
                };
                if let Some(k) = kind {
                    open = Some((k, offset + line.len()));
                }
            }
            Some((k, start)) => {
                if t == "```" {
                    out.push(Block {
                        kind: k.clone(),
                        body: page[*start..offset].to_string(),
                        start: *start,
                        end: offset,
                    });
                    open = None;
                }
            }
        }
        offset += line.len();
    }
    out
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh build context holding the files of a `context` block: one path per line,
/// `path: content` for a one-line content (`\n` for line breaks), a trailing `/` for a folder.
fn make_context(spec: Option<&str>) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("layerlint-doc-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for line in spec
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let (path, content) = match line.split_once(": ") {
            Some((p, c)) => (p, c.replace("\\n", "\n")),
            None => (line, String::new()),
        };
        let full = dir.join(path);
        if path.ends_with('/') {
            std::fs::create_dir_all(&full).unwrap();
        } else {
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(&full, content).unwrap();
        }
    }
    dir
}

fn lint(rule: &Rule, text: &str, ctx_dir: &Path) -> Result<Vec<Diagnostic>, String> {
    let dockerfile = ctx_dir.join("Dockerfile");
    std::fs::write(&dockerfile, text).unwrap();
    let ctx = BuildContext::open(ctx_dir, Some(&dockerfile)).map_err(|e| e.to_string())?;
    // Whether a suppression is used depends on what the other rules find, so its page runs
    // them all; every page then judges only its own rule's findings.
    let all = rule.name == "unused-suppression";
    let enabled = |r: &Rule| all || r.name == rule.name;
    // With a compose file in the context, the build is set up as `check` would set it up.
    let compose = ["compose.yaml", "docker-compose.yml"]
        .iter()
        .any(|f| ctx_dir.join(f).exists());
    let no_args = BTreeMap::new();
    let (build_args, mut purpose) = if compose {
        let given = Given {
            context: Some(ctx_dir),
            build_args: &no_args,
            target: None,
        };
        let setup = Project::new().setup(&dockerfile, false, given, &|w| panic!("{w}"));
        (setup.build_args, setup.purpose)
    } else {
        (BTreeMap::new(), Purpose::default())
    };
    // A `.layerlint.toml` in the context gives the settings rules read from the configuration.
    let config_path = ctx_dir.join(".layerlint.toml");
    if let Ok(config) = std::fs::read_to_string(&config_path) {
        let config = Config::parse(&config_path, &config).map_err(|e| e.to_string())?;
        purpose.trusted_registries = config.trusted_registries.unwrap_or_default();
        purpose.label_schema = config.label_schema.unwrap_or_default();
        purpose.strict_labels = config.strict_labels.unwrap_or(false);
    }
    let linted =
        lint_for(text, Some(&ctx), &build_args, &purpose, &enabled).map_err(|e| e.to_string())?;
    Ok(linted
        .diagnostics
        .into_iter()
        .filter(|d| d.rule == rule.name)
        .collect())
}

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

#[test]
fn every_rule_has_a_page_and_every_page_a_rule() {
    let mut pages: Vec<String> = std::fs::read_dir(docs_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".md"))
                .map(String::from)
        })
        .collect();
    pages.sort();
    let mut names: Vec<String> = RULES.iter().map(|r| r.name.to_string()).collect();
    names.sort();
    assert_eq!(pages, names);
    for r in RULES {
        let on_disk = std::fs::read_to_string(docs_dir().join(format!("{}.md", r.name))).unwrap();
        assert_eq!(on_disk, r.doc, "{}: the compiled-in page is stale", r.name);
    }
}

#[test]
fn pages_have_the_fixed_headings() {
    for r in RULES {
        // Dockerfile comments in the examples start with `#` too: only lines outside fences.
        let mut in_fence = false;
        let headings: Vec<&str> = r
            .doc
            .lines()
            .filter(|l| {
                if l.starts_with("```") {
                    in_fence = !in_fence;
                }
                !in_fence && l.starts_with('#')
            })
            .collect();
        let want = [
            format!("# {}", r.name),
            "## What it does".into(),
            "## Why is this bad?".into(),
            "## Example".into(),
            "## Use instead".into(),
        ];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(
                headings.get(i).copied(),
                Some(w.as_str()),
                "{}: heading {}",
                r.name,
                i + 1
            );
        }
        for extra in &headings[want.len().min(headings.len())..] {
            assert!(
                ["## Fix", "## References"].contains(extra),
                "{}: unexpected heading {extra}",
                r.name
            );
        }
    }
}

#[test]
fn examples_behave_as_documented() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut failures = Vec::new();
    for rule in RULES {
        let page = rule.doc;
        let bs = blocks(page);
        let mut rewrites: Vec<(usize, usize, String)> = Vec::new();
        let mut bad_count = 0;
        let mut good_count = 0;
        let mut last_bad_context: Option<String> = None;
        for (i, b) in bs.iter().enumerate() {
            if b.kind != Kind::Bad && b.kind != Kind::Good {
                continue;
            }
            // The context block belonging to this example directly follows it; a good example
            // without one uses the context of the bad example before it.
            let own_context = bs
                .get(i + 1)
                .filter(|n| n.kind == Kind::Context)
                .map(|n| n.body.clone());
            let context = match (&b.kind, own_context) {
                (_, Some(c)) => Some(c),
                (Kind::Good, None) => last_bad_context.clone(),
                _ => None,
            };
            let dir = make_context(context.as_deref());
            let diags = match lint(rule, &b.body, &dir) {
                Ok(d) => d,
                Err(e) => {
                    failures.push(format!(
                        "{}: example does not parse: {e}\n{}",
                        rule.name, b.body
                    ));
                    continue;
                }
            };
            if b.kind == Kind::Good {
                good_count += 1;
                if !diags.is_empty() {
                    failures.push(format!(
                        "{}: good example fires:\n{}\n{}",
                        rule.name,
                        b.body,
                        render_file("Dockerfile", &b.body, &diags, false)
                    ));
                }
                let _ = std::fs::remove_dir_all(&dir);
                continue;
            }
            bad_count += 1;
            last_bad_context = context.clone();
            if diags.is_empty() {
                failures.push(format!("{}: bad example is quiet:\n{}", rule.name, b.body));
            }
            let rendered = render_file("Dockerfile", &b.body, &diags, false);
            match bs[i + 1..].iter().take(2).find(|n| n.kind == Kind::Output) {
                Some(o) if o.body == rendered => {}
                Some(o) if update => rewrites.push((o.start, o.end, rendered.clone())),
                Some(o) => failures.push(format!(
                    "{}: output differs (UPDATE_DOCS=1 rewrites it)\n--- page\n{}--- actual\n{}",
                    rule.name, o.body, rendered
                )),
                None => failures.push(format!(
                    "{}: bad example without an output block",
                    rule.name
                )),
            }
            // Fixes: applying them all gives a file that parses and no longer fires.
            let edits: Vec<_> = diags
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .flat_map(|f| &f.edits)
                .collect();
            if !edits.is_empty() {
                let (fixed, _) = apply_edits(&b.body, &edits);
                match lint(rule, &fixed, &dir) {
                    Ok(after) if after.is_empty() => {}
                    Ok(after) => failures.push(format!(
                        "{}: still fires after its fix:\n{fixed}\n{}",
                        rule.name,
                        render_file("Dockerfile", &fixed, &after, false)
                    )),
                    Err(e) => failures.push(format!(
                        "{}: fixed text does not parse: {e}\n{fixed}",
                        rule.name
                    )),
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
        if bad_count == 0 || good_count == 0 {
            failures.push(format!(
                "{}: needs at least one bad and one good example",
                rule.name
            ));
        }
        if !rewrites.is_empty() {
            let mut text = page.to_string();
            for (start, end, body) in rewrites.into_iter().rev() {
                text.replace_range(start..end, &body);
            }
            std::fs::write(docs_dir().join(format!("{}.md", rule.name)), text).unwrap();
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The README's table of hadolint's DL rules names, for each code, exactly the rules that answer
/// to it: a rule that gains or loses a DL alias must change its row.
#[test]
fn the_readme_dl_table_names_the_rules_that_answer() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("### Every hadolint DL rule")
        .nth(1)
        .expect("the README has the DL table");
    let mut rows = BTreeMap::new();
    for line in section.lines().skip_while(|l| !l.starts_with("| `DL")) {
        if !line.starts_with("| `DL") {
            break;
        }
        let cells: Vec<&str> = line.split(" | ").collect();
        let code = cells[0]
            .trim_start_matches("| ")
            .trim_matches('`')
            .to_string();
        let named: Vec<String> = cells[3]
            .split("[`")
            .skip(1)
            .map(|s| s.split('`').next().unwrap().to_string())
            .collect();
        assert!(
            rows.insert(code.clone(), named).is_none(),
            "{code} has two rows"
        );
    }
    assert_eq!(rows.len(), 71, "hadolint's README lists 71 DL rules");
    let answered = rows.values().filter(|r| !r.is_empty()).count();
    assert!(
        section.contains(&format!(
            "layerlint answers to {answered} of them, and the row of\neach of the other {} says why not",
            71 - answered
        )),
        "the README's count of answered DL rules is not {answered}"
    );
    for (code, named) in &rows {
        let mut want: Vec<String> = RULES
            .iter()
            .filter(|r| r.aliases.contains(&code.as_str()))
            .map(|r| r.name.to_string())
            .collect();
        want.sort();
        let mut got = named.clone();
        got.sort();
        assert_eq!(got, want, "README row for {code}");
    }
    for r in RULES {
        for a in r.aliases.iter().filter(|a| a.starts_with("DL")) {
            assert!(rows.contains_key(*a), "{}: {a} has no README row", r.name);
        }
    }
}

/// The README's table of other tools' suppression comments lists every alias with its rule.
#[test]
fn the_readme_suppression_table_lists_every_alias() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| comment | code | layerlint rule |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(!table.is_empty(), "the README has the suppression table");
    let mut listed: Vec<(String, String)> = Vec::new();
    for row in &table[2..] {
        let cells: Vec<&str> = row.split(" | ").collect();
        let rule = cells[2]
            .trim_end_matches(" |")
            .trim_matches('`')
            .to_string();
        for code in cells[1].split(", ").filter(|c| *c != "`all`") {
            listed.push((code.trim_matches('`').to_string(), rule.clone()));
        }
    }
    for r in RULES {
        for a in r.aliases {
            assert!(
                listed.contains(&(a.to_string(), r.name.to_string())),
                "{a} -> {} is not in the README's suppression table",
                r.name
            );
        }
    }
    for (code, rule) in &listed {
        assert!(
            RULES
                .iter()
                .any(|r| r.name == rule && r.aliases.contains(&code.as_str())),
            "the README's suppression table maps {code} to {rule}, which does not answer to it"
        );
    }
}
