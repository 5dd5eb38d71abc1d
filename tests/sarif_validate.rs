//! The SARIF output of a real run, checked by the shared validator (the 2.1.0 schema plus
//! GitHub's ingestion rules). Without python3 or jsonschema the test says so and passes.

mod common;

use layerlint::rules::RULES;
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn validator() -> Option<(String, String)> {
    let tools = Path::new(ROOT).join("../shared");
    // The shared tools live beside the checkout; an override lets CI point elsewhere.
    let base = std::env::var("LAYERLINT_SHARED").unwrap_or_else(|_| tools.display().to_string());
    let script = format!("{base}/tools/validate_sarif.py");
    let schema = format!("{base}/sarif/sarif-schema-2.1.0.json");
    if !Path::new(&script).is_file() || !Path::new(&schema).is_file() {
        common::skip(&format!("SARIF validator not found under {base}"));
        return None;
    }
    let has_jsonschema = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_jsonschema {
        common::skip("python3 with jsonschema not available (pip install jsonschema)");
        return None;
    }
    Some((script, schema))
}

/// A run over the fixtures: two findings (one with a fix) and a file that does not exist.
fn sarif_of_fixtures(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("out.sarif");
    let status = Command::new(env!("CARGO_BIN_EXE_layerlint"))
        .current_dir(ROOT)
        .args(["check", "--format", "sarif", "-o"])
        .arg(&out)
        .args([
            "tests/fixtures/formats",
            "tests/fixtures/formats/missing/Dockerfile",
        ])
        .status()
        .expect("run layerlint");
    // 2: the missing file is reported as a tool notification, and the exit code says so.
    assert_eq!(status.code(), Some(2));
    out
}

#[test]
fn sarif_passes_the_validator_without_errors_or_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = sarif_of_fixtures(dir.path());
    let doc = std::fs::read_to_string(&file).expect("SARIF written");
    assert!(doc.contains("\"fixes\""), "the run has a fix");
    let Some((script, schema)) = validator() else {
        return;
    };
    let out = Command::new("python3")
        .arg(&script)
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("run the validator");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let problems: Vec<&str> = stdout.lines().filter(|l| !l.ends_with(": VALID")).collect();
    assert!(
        out.status.success() && problems.is_empty(),
        "validator: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rule_index_points_at_the_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = sarif_of_fixtures(dir.path());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let registry: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    assert_eq!(ids, registry, "every rule of the registry, in its order");
    let results = run["results"].as_array().expect("results");
    assert!(results.len() >= 2);
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1);
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}
