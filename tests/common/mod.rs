//! Helpers shared by the integration tests.

/// Say that a test is skipped, and why, where `cargo test` shows it: the harness captures
/// `eprintln!` of passing tests, so a skipped test would read as a passing one. With
/// `LAYERLINT_NO_SKIP` set (a CI machine with every tool and data set), a skip fails instead.
pub fn skip(why: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if std::env::var_os("LAYERLINT_NO_SKIP").is_some() {
        panic!("{test} cannot run: {why}");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}
