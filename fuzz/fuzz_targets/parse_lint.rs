//! Arbitrary bytes through the whole pipeline without a build context: parse, check that the
//! tree covers the text exactly, build the model and run every rule.
#![no_main]

use layerlint::lint::lint_text;
use layerlint::syntax;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(df) = syntax::parse(text) {
        if let Err(e) = syntax::check_lossless(&df) {
            panic!("not lossless: {e}");
        }
        assert_eq!(syntax::print(&df), text, "printing the tree changed the text");
        let _ = syntax::dump(&df);
    }
    let _ = lint_text(text, None, &BTreeMap::new(), &|_| true);
});
