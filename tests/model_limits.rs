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
