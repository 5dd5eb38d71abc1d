//! The Python app's story end to end: the correct Dockerfile is clean, and each broken
//! variant is caught by the right rule, on the right line, with a concrete suggestion.

use std::process::Command;

fn check(dockerfile: &str) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_layerlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--format",
            "json",
            "--context",
            "examples/python-app",
            dockerfile,
        ])
        .output()
        .expect("the binary runs");
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

#[test]
fn the_correct_app_has_no_warning_or_error() {
    let v = check("examples/python-app/Dockerfile");
    let loud: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "info")
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

#[test]
fn each_variant_is_caught_by_its_rule() {
    // (file, rule, line, words the message or help must contain)
    let cases = [
        (
            "copy-before-install",
            "copy-before-install",
            4,
            "src/requirements.txt",
        ),
        (
            "manifest-never-copied",
            "install-manifest-missing",
            3,
            "src/requirements.txt",
        ),
        (
            "wrong-copy-path",
            "copy-source-missing",
            3,
            "did you mean `src/requirements.txt`",
        ),
        (
            "no-cmd",
            "missing-cmd",
            1,
            "CMD [\"python\", \"server.py\"]",
        ),
        (
            "shell-form-cmd",
            "shell-form-cmd",
            7,
            "CMD [\"python\", \"server.py\"]",
        ),
        ("no-expose", "missing-expose", 6, "8088"),
        ("expose-wrong-port", "expose-port-mismatch", 6, "8088"),
    ];
    for (file, rule, line, words) in cases {
        let v = check(&format!("examples/python-app-broken/{file}.Dockerfile"));
        let diags = v["diagnostics"].as_array().unwrap();
        let loud: Vec<_> = diags.iter().filter(|d| d["severity"] != "info").collect();
        assert_eq!(
            loud.len(),
            1,
            "{file}: exactly one warning or error expected: {loud:#?}"
        );
        let d = loud[0];
        assert_eq!(d["rule"], rule, "{file}");
        assert_eq!(d["line"], line, "{file}");
        let text = format!(
            "{} {}",
            d["message"].as_str().unwrap_or(""),
            d["help"].as_str().unwrap_or("")
        );
        assert!(text.contains(words), "{file}: `{words}` not in {text}");
    }
}
