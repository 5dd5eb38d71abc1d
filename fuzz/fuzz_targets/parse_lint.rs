//! Arbitrary bytes through the whole pipeline without a build context: parse, check that the
//! tree covers the text exactly, build the model and run every rule.
#![no_main]

use layerlint::model::Model;
use layerlint::rules;
use layerlint::syntax;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // What `lint::lint_text` does, with the tree checked in between: parsing once keeps the
    // executions per second up.
    let Ok(df) = syntax::parse(text) else {
        return;
    };
    if let Err(e) = syntax::check_lossless(&df) {
        panic!("not lossless: {e}");
    }
    assert_eq!(
        syntax::print(&df),
        text,
        "printing the tree changed the text"
    );
    let _ = syntax::dump(&df);
    let model = Model::build(&df, None, &BTreeMap::new());
    let _ = rules::check(&model, &|_| true);
});
