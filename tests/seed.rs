//! The example apps' story end to end: the correct Dockerfile is clean, and each broken
//! variant is caught by the right rule, on the right line, with a concrete suggestion. The
//! Python app states everything in the Dockerfile; the Node app's command is `npm start`,
//! whose `package.json` script says what runs.

use std::process::Command;

fn check(dockerfile: &str) -> serde_json::Value {
    check_in("examples/python-app", dockerfile)
}

fn check_in(context: &str, dockerfile: &str) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_layerlint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "--format",
            "json",
            "--context",
            context,
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
    let loud = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] != "info")
            .cloned()
            .collect()
    };
    // An app that lints clean as written, and its broken variants, each caught once by its
    // rule on its line, with the words the message or help must contain.
    let app = |dir: &str, variants: &[(&str, &str, u64)], words: &[&str]| {
        let clean = check_in(dir, &format!("{dir}/Dockerfile"));
        assert!(
            clean["diagnostics"].as_array().unwrap().is_empty(),
            "{clean:#}"
        );
        for (file, rule, line) in variants {
            let v = check_in(dir, &format!("{dir}-broken/{file}.Dockerfile"));
            let found = loud(&v);
            assert_eq!(found.len(), 1, "{file}: {found:#?}");
            assert_eq!(found[0]["rule"], *rule, "{file}");
            assert_eq!(found[0]["line"], *line, "{file}");
            let text = format!("{} {}", found[0]["message"], found[0]["help"]);
            for w in words {
                assert!(text.contains(w), "{text}");
            }
        }
    };
    // The Node app's port mistakes, found through `npm start`.
    app(
        "examples/node-app",
        &[
            ("npm-start-wrong-port", "expose-port-mismatch", 12),
            ("npm-start-no-expose", "missing-expose", 13),
        ],
        &["`npm start` listens on port 5000", "server.js"],
    );
    // The Go app's, found through the binary that the builder stage compiles from `main.go`.
    app(
        "examples/go-app",
        &[
            ("wrong-port", "expose-port-mismatch", 14),
            ("no-expose", "missing-expose", 15),
        ],
        &["`/server` listens on port 8090", "main.go"],
    );
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
