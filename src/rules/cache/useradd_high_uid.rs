//! useradd-high-uid: `useradd` with a large UID and without `-l` (`--no-log-init`). shadow's
//! useradd writes the new user's record into /var/log/lastlog at an offset proportional to the
//! UID; the file is sparse on disk, but an image layer stores it in full.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{path, Model};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "useradd-high-uid",
    group: "cache",
    severity: Severity::Warning,
    summary: "useradd with a large UID and without -l fills the image with lastlog",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/useradd-high-uid.md"),
    aliases: &["DL3046"],
    default: true,
    check,
};

/// UIDs above this make a lastlog of tens of megabytes (hadolint's threshold too: six digits).
const HIGH_UID: u64 = 99_999;

/// Bytes per lastlog record (`struct lastlog` on 64-bit Linux).
const LASTLOG_RECORD: u64 = 292;

/// Short options of useradd that take a value: in a cluster (`-mu 123456`) the first of them
/// takes the rest of the word, or the next word.
const TAKES_VALUE: &str = "bcdefgGkKpPRsuZ";

/// The long options of useradd that take a value.
const LONG_WITH_VALUE: &[&str] = &[
    "--base-dir",
    "--comment",
    "--home-dir",
    "--expiredate",
    "--inactive",
    "--gid",
    "--groups",
    "--skel",
    "--key",
    "--password",
    "--prefix",
    "--root",
    "--shell",
    "--uid",
    "--selinux-user",
];

/// The `-u` value as written, and whether `-l` / `--no-log-init` is given.
fn read_options(words: &[&str]) -> (Option<usize>, bool) {
    let mut uid = None;
    let mut no_log_init = false;
    let mut k = 0;
    while k < words.len() {
        let w = words[k];
        if w == "--" {
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            match name {
                "no-log-init" => no_log_init = true,
                "uid" if inline => uid = Some(k),
                "uid" => uid = Some(k + 1),
                _ => {}
            }
            if !inline && LONG_WITH_VALUE.contains(&format!("--{name}").as_str()) {
                k += 1;
            }
        } else if let Some(cluster) = w.strip_prefix('-').filter(|c| !c.is_empty()) {
            for (j, c) in cluster.char_indices() {
                if c == 'l' {
                    no_log_init = true;
                }
                if TAKES_VALUE.contains(c) {
                    let rest = j + c.len_utf8() < cluster.len();
                    if c == 'u' {
                        uid = Some(if rest { k } else { k + 1 });
                    }
                    if !rest {
                        k += 1;
                    }
                    break;
                }
            }
        }
        k += 1;
    }
    (uid, no_log_init)
}

/// The number a `-u` word gives: `-u N`, `-uN`, `--uid N`, `--uid=N`.
fn uid_text(word: &str) -> &str {
    if let Some(v) = word.strip_prefix("--uid=") {
        return v;
    }
    match word.strip_prefix('-') {
        Some(cluster) if !cluster.starts_with('-') => match cluster.find('u') {
            Some(at) => &cluster[at + 1..],
            None => word,
        },
        _ => word,
    }
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, _) in m.instructions_of(Keyword::Run) {
        for c in m.commands(i) {
            let Some(first) = c.argv.first() else {
                continue;
            };
            if path::base_name(&first.value) != "useradd" {
                continue;
            }
            let words: Vec<&str> = c.argv[1..].iter().map(|w| w.value.as_str()).collect();
            let (Some(at), false) = read_options(&words) else {
                continue;
            };
            let Some(word) = c.argv.get(at + 1) else {
                continue;
            };
            let text = uid_text(&word.value);
            // A value the build passes, or the script computes, is not known here.
            if !m.unset_vars_at(i, text).is_empty() {
                continue;
            }
            let Ok(uid) = m.expand_at(i, text).parse::<u64>() else {
                continue;
            };
            if uid <= HIGH_UID {
                continue;
            }
            let mb = (uid + 1) * LASTLOG_RECORD / 1_000_000;
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!("`useradd` with UID {uid} and without `-l` writes a /var/log/lastlog of about {mb} MB into the layer"),
                    word.span,
                )
                .label("lastlog grows with the UID")
                .help("add `-l` (`--no-log-init`), which skips the lastlog and faillog records an image does not need")
                .answers_to(RULE.aliases),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM debian:12\nRUN useradd -u 123456 app\n", 1),
            ("FROM debian:12\nRUN useradd -m -u123456 app\n", 1),
            ("FROM debian:12\nRUN useradd --uid=123456 app\n", 1),
            ("FROM debian:12\nRUN useradd --uid 123456 -m app\n", 1),
            ("FROM debian:12\nRUN useradd -mu 123456 app\n", 1),
            (
                "FROM debian:12\nARG UID=1234567\nRUN useradd -u \"${UID}\" app\n",
                1,
            ),
            (
                "FROM debian:12\nRUN groupadd -g 2000 g && useradd -u 200000 -g g app\n",
                1,
            ),
            // -l given, a small UID, or a value the build passes.
            ("FROM debian:12\nRUN useradd -l -u 123456 app\n", 0),
            (
                "FROM debian:12\nRUN useradd --no-log-init -u 123456 app\n",
                0,
            ),
            ("FROM debian:12\nRUN useradd -lmu 123456 app\n", 0),
            ("FROM debian:12\nRUN useradd -u 12345 app\n", 0),
            (
                "FROM debian:12\nARG UID=1000\nRUN useradd -u ${UID} app\n",
                0,
            ),
            ("FROM debian:12\nARG UID\nRUN useradd -u ${UID} app\n", 0),
            ("FROM debian:12\nRUN useradd -c 123456 app\n", 0),
            ("FROM debian:12\nRUN useradd -m -s /bin/bash -l app\n", 0),
            // Another program's -u.
            ("FROM alpine:3.20\nRUN adduser -D -u 123456 app\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
