//! The model on hostile input: thousands of variables, values that feed on themselves and
//! WORKDIRs that never end must cost time and memory in proportion to the file.

use layerlint::model::Model;
use layerlint::syntax::parse;
use std::collections::BTreeMap;

#[test]
fn many_variables_resolve_like_few() {
    let n = 20_000;
    let mut text = String::from("ARG G=g\nFROM alpine\nARG G\n");
    for i in 0..n {
        text.push_str(&format!("ENV V{i}=v{i}-$G\n"));
    }
    text.push_str("ENV LAST=$V0:$V19999:$NOPE\nARG V5=arg-loses\nRUN x\n");
    let df = parse(&text).unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    let last = df.instructions.len() - 1;
    assert_eq!(m.var_at(last, "LAST"), Some("v0-g:v19999-g:"));
    assert_eq!(m.var_at(last, "V5"), Some("v5-g"));
    assert_eq!(m.expand_at(last, "${V123}"), "v123-g");
}

#[test]
fn self_doubling_values_stop_at_the_budget() {
    let mut text = String::from("FROM alpine\nENV V=ab\n");
    for _ in 0..64 {
        text.push_str("ENV V=$V$V\n");
    }
    text.push_str("RUN echo $V\n");
    let df = parse(&text).unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    let v = m.var_at(df.instructions.len() - 1, "V").unwrap();
    // Doubled until the budget ran out, then kept as written.
    assert!(v.len() <= 256 << 20, "{}", v.len());
    // Before the budget ran out, expansion was exact.
    assert_eq!(m.var_at(4, "V"), Some("abababab"));
}

#[test]
fn endless_relative_workdirs_stop_at_path_max() {
    let mut text = String::from("FROM alpine\n");
    for _ in 0..50_000 {
        text.push_str("WORKDIR abc\n");
    }
    text.push_str("RUN pwd\n");
    let df = parse(&text).unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    let last = df.instructions.len() - 1;
    assert!(m.workdir_at(last).len() <= 4096);
    assert_eq!(m.workdir_at(3), "/abc/abc");
}

/// The names of the findings `lint_text` gives for `text`, with every rule on.
fn rules_fired(text: &str, context: Option<&layerlint::context::BuildContext>) -> Vec<String> {
    let linted = layerlint::lint::lint_text(text, context, &BTreeMap::new(), &|_| true).unwrap();
    linted
        .diagnostics
        .iter()
        .map(|d| d.rule.to_string())
        .collect()
}

#[test]
fn stage_names_resolve_in_long_chains_and_the_latest_earlier_one_wins() {
    let n = 5_000;
    let mut text = String::from("FROM alpine AS s0\n");
    for i in 0..n {
        text.push_str(&format!("FROM s{i} AS s{}\n", i + 1));
    }
    // A repeated name (an error for BuildKit, but the model must still answer): the latest
    // stage defined before the reference wins, whatever its case.
    text.push_str("FROM alpine AS dup\nFROM alpine AS DUP\nFROM dup\n");
    let df = parse(&text).unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    assert_eq!(m.stages.len(), n + 4);
    assert_eq!(m.stage_by_name("s0", usize::MAX), Some(0));
    assert_eq!(m.stage_by_name("S4999", usize::MAX), Some(4999));
    assert_eq!(
        m.stage_by_name("s4999", 4999),
        None,
        "not defined before itself"
    );
    assert_eq!(m.stage_by_name("dup", n + 2), Some(n + 1));
    assert_eq!(m.stage_by_name("dup", n + 3), Some(n + 2));
    assert_eq!(m.stage_by_name("3", 10), Some(3), "an index");
    assert_eq!(m.stage_by_name("nope", usize::MAX), None);
}

#[test]
fn a_cd_chain_past_path_max_leaves_the_directory_unknown() {
    let cds = vec!["cd abc"; 3_000].join(" && ");
    let text =
        format!("FROM python:3.12\nWORKDIR /app\nRUN {cds} && pip install -r requirements.txt\n");
    let df = parse(&text).unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    let steps = m.run_steps(2);
    assert_eq!(steps.len(), 3_001);
    assert_eq!(steps[1].dir.as_deref(), Some("/app/abc"));
    assert!(steps[1000].dir.as_ref().is_some_and(|d| d.len() < 4096 + 8));
    // Unknown directory: no rule claims the manifest is missing there.
    assert_eq!(steps[3000].dir, None);
    let fired = rules_fired(&text, None);
    assert!(
        !fired.contains(&"install-manifest-missing".to_string()),
        "{fired:?}"
    );
}

#[test]
fn thousands_of_nested_compound_commands_still_split() {
    let n = 2_000;
    let text = format!(
        "FROM alpine\nRUN {}apk add curl{}\n",
        "if true; then ".repeat(n),
        "; fi".repeat(n)
    );
    let df = parse(&text).unwrap();
    let cmds = layerlint::shell::commands_of_run(&df.instructions[1]);
    let apk = cmds
        .iter()
        .find(|c| c.program() == Some("apk"))
        .expect("apk found");
    assert!(apk.nesting.len() <= 64, "{}", apk.nesting.len());
    assert_eq!(
        cmds.iter().filter(|c| c.program() == Some("true")).count(),
        n
    );
}

#[test]
fn thousands_of_heredocs_on_one_run_each_find_their_body() {
    let n = 3_000;
    let markers: Vec<String> = (0..n).map(|i| format!("cat <<E{i}")).collect();
    let mut text = format!("FROM alpine\nRUN {}\n", markers.join(" && "));
    for i in 0..n {
        text.push_str(&format!("body {i}\nE{i}\n"));
    }
    let df = parse(&text).unwrap();
    assert_eq!(df.instructions[1].heredocs.len(), n);
    let cmds = layerlint::shell::commands_of_run(&df.instructions[1]);
    assert_eq!(cmds.len(), n, "heredocs fed to `cat` are data, not scripts");
    // Every body is its own marker's, also seen from the shell side of the RUN.
    let run = &df.instructions[1];
    for (k, c) in cmds.iter().enumerate() {
        let r = &c.redirects[0];
        let doc = run
            .heredocs
            .iter()
            .find(|h| r.span.contains(h.marker_span.start))
            .unwrap();
        assert_eq!(doc.content, format!("body {k}\n"));
    }
}

#[test]
fn a_missing_manifest_after_hundreds_of_runs_is_not_claimed_absent() {
    // Each earlier RUN could have written files; judging all of them for every lookup would be
    // quadratic, so past a budget the model stays cautious and says nothing.
    let with_runs = |n: usize| {
        let mut text = String::from("FROM python:3.12\nWORKDIR /app\n");
        for i in 0..n {
            text.push_str(&format!("RUN apt-get install -y pkg{i}\n"));
        }
        text.push_str("RUN pip install -r requirements.txt\n");
        rules_fired(&text, None).contains(&"install-manifest-missing".to_string())
    };
    assert!(with_runs(1));
    assert!(
        with_runs(200),
        "installs from apt write no requirements.txt"
    );
    assert!(!with_runs(400));
}

/// Found by fuzzing (both fuzz targets): a COPY wildcard with a hundred `*` before a manifest
/// name, then an install, kept the manifest matcher busy for minutes.
#[test]
fn a_wildcard_of_a_hundred_stars_is_matched_at_once() {
    let text = format!(
        "FROM node:20\nWORKDIR /app\nCOPY ./{}package.json /app/\nRUN yarn\nCOPY . .\nCMD [\"node\", \"index.js\"]\n",
        "*".repeat(100)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), "{}").unwrap();
    std::fs::write(dir.path().join("index.js"), "1").unwrap();
    let ctx = layerlint::context::BuildContext::open(dir.path(), None).unwrap();
    // Only the manifest before the install: nothing to report about the cache or the context.
    let fired = rules_fired(&text, Some(&ctx));
    assert!(
        !fired.contains(&"copy-before-install".to_string()),
        "{fired:?}"
    );
    assert!(
        !fired.contains(&"copy-source-missing".to_string()),
        "{fired:?}"
    );
    // The whole source first is still caught, with the same wildcard.
    let broad = text.replace("WORKDIR /app\n", "WORKDIR /app\nCOPY . .\n");
    let fired = rules_fired(&broad, Some(&ctx));
    assert!(
        fired.contains(&"copy-before-install".to_string()),
        "{fired:?}"
    );
    // Without a context (the fuzz target's case) it must finish too.
    rules_fired(&text, None);
}
