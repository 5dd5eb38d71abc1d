//! An image with ONBUILD triggers is a base image: what the triggers copy and run belongs to
//! the child build, so the runtime rules judge it as a base image and stay quiet about it.

use layerlint::lint::lint_text;
use std::collections::BTreeMap;

fn findings(rule: &str, text: &str) -> usize {
    lint_text(text, None, &BTreeMap::new(), &|r| r.name == rule)
        .expect("parses")
        .diagnostics
        .len()
}

#[test]
fn missing_cmd_judges_a_trigger_image_as_a_base_image() {
    let app = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install .\n";
    // Without triggers the application image starts the interpreter prompt.
    assert_eq!(findings("missing-cmd", app), 1);
    let base = "FROM python:3.12\nWORKDIR /app\nONBUILD COPY . .\nONBUILD RUN pip install .\nCOPY setup.cfg .\nRUN pip install .\n";
    assert_eq!(findings("missing-cmd", base), 0);
    // The triggers of a base stage ran while the final stage was built: it is not a base image.
    let child = "FROM python:3.12 AS base\nONBUILD COPY . /app\nFROM base\nWORKDIR /app\nCOPY . .\nRUN pip install .\n";
    assert_eq!(findings("missing-cmd", child), 1);
}

#[test]
fn cmd_file_missing_leaves_the_triggers_files_to_the_child_build() {
    let app = "FROM python:3.12\nWORKDIR /app\nCMD [\"python\", \"app.py\"]\n";
    assert_eq!(findings("cmd-file-missing", app), 1);
    let base =
        "FROM python:3.12\nWORKDIR /app\nONBUILD COPY app.py .\nCMD [\"python\", \"app.py\"]\n";
    assert_eq!(findings("cmd-file-missing", base), 0);
}
