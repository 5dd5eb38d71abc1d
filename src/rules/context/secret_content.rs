//! Secrets recognised by what a file holds, whatever its name: PEM private keys, cloud and
//! service credentials by their documented prefixes, and passwords written into URLs. Used by
//! `context-secret-copied` for every file a COPY brings in, within a budget.

use std::cell::{Cell, OnceCell};

/// What a file's contents reveal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentSecret {
    pub kind: &'static str,
    /// A password in a URL, or any secret under a test-fixture path: often a development
    /// default or a fake, so reported a level lower.
    pub weak: bool,
}

/// How many files, and bytes, one lint may read for their contents. A secret sits near the top
/// of a project; the scan goes breadth first, so these are the files most likely to hold one.
/// A gate, asked once before the first read, may close it (a context that is not the build's).
pub struct Budget<'a> {
    files: Cell<usize>,
    bytes: Cell<usize>,
    gate: Box<dyn Fn() -> bool + 'a>,
    open: OnceCell<bool>,
}

impl<'a> Budget<'a> {
    pub fn new(gate: impl Fn() -> bool + 'a) -> Budget<'a> {
        Budget {
            files: Cell::new(200),
            bytes: Cell::new(4 * 1024 * 1024),
            gate: Box::new(gate),
            open: OnceCell::new(),
        }
    }

    /// Whether another file may be read.
    pub fn has_room(&self) -> bool {
        self.files.get() > 0
            && self.bytes.get() >= READ_LIMIT
            && *self.open.get_or_init(|| (self.gate)())
    }

    /// Take one file of at most `READ_LIMIT` bytes from the budget; false once it is spent.
    fn take(&self) -> bool {
        if !self.has_room() {
            return false;
        }
        self.files.set(self.files.get() - 1);
        self.bytes.set(self.bytes.get() - READ_LIMIT);
        true
    }
}

/// Bytes read per file.
const READ_LIMIT: usize = 16 * 1024;

/// Extensions of files whose contents are not text a person wrote: media, archives, compiled
/// code, fonts, and generated bundles.
const BINARY_EXTS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "ico", "svg", "bmp", "tiff", "mp3", "mp4", "wav", "ogg",
    "webm", "mov", "avi", "pdf", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "tar", "jar",
    "war", "ear", "class", "so", "dylib", "dll", "exe", "o", "a", "pyc", "pyo", "wasm", "woff",
    "woff2", "ttf", "otf", "eot", "map", "lock", "sum", "db", "sqlite", "bin", "dat",
];
/// Generated files and documentation: examples there are written to be read.
const SKIP_NAMES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
];
const DOC_EXTS: &[&str] = &["md", "markdown", "rst", "adoc", "html", "htm", "ipynb"];
/// Configuration formats, where a URL with a password is a setting, not an example in prose.
const CONFIG_EXTS: &[&str] = &[
    "yml",
    "yaml",
    "json",
    "toml",
    "ini",
    "cfg",
    "conf",
    "properties",
    "env",
    "xml",
    "txt",
];
/// Path components that mark test data, fixtures and examples.
const FIXTURE_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "test-data",
    "fixtures",
    "fixture",
    "__fixtures__",
    "spec",
    "specs",
    "example",
    "examples",
    "sample",
    "samples",
    "mocks",
    "__mocks__",
    "testing",
];

/// Words in a file name that mark a template, a fake or test data (`.env.example`,
/// `test_key.pem`).
const FIXTURE_WORDS: &[&str] = &[
    "example", "sample", "template", "test", "fixture", "mock", "dummy", "fake",
];

/// The secret the file at context path `path` holds, read with `read` (which returns at most
/// the first `limit` bytes). `None` for files outside the budget, binary files and files that
/// hold none.
pub fn content_secret(
    path: &str,
    budget: &Budget,
    read: &dyn Fn(usize) -> Option<String>,
) -> Option<ContentSecret> {
    if !readable(path) || !budget.take() {
        return None;
    }
    let text = read(READ_LIMIT)?;
    if text.contains('\0') {
        return None;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let fixture = path
        .split('/')
        .any(|c| FIXTURE_DIRS.contains(&c.to_ascii_lowercase().as_str()))
        || FIXTURE_WORDS.iter().any(|w| lower.contains(w));
    if let Some(kind) = token_in(&text) {
        return Some(ContentSecret {
            kind,
            weak: fixture,
        });
    }
    if CONFIG_EXTS.contains(&ext) && url_password_in(&text) {
        return Some(ContentSecret {
            kind: "password in a URL",
            weak: true,
        });
    }
    None
}

/// A file whose contents are worth reading for secrets, by its name: not media, archives,
/// compiled code, lockfiles or documentation.
pub fn readable(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    // Dockerfiles are build definitions; what they set is judged on their own instructions.
    let dockerfile = lower.contains("dockerfile") || lower.contains("containerfile");
    !(BINARY_EXTS.contains(&ext)
        || DOC_EXTS.contains(&ext)
        || SKIP_NAMES.contains(&lower.as_str())
        || lower.ends_with(".min.js")
        || dockerfile)
}

/// The kind of credential a text holds, by the formats that providers document.
pub fn token_in(text: &str) -> Option<&'static str> {
    if has_private_key(text) {
        let gcp = text.contains("\"service_account\"") && text.contains("\"private_key\"");
        return Some(match gcp {
            true => "GCP service-account key",
            false => "private key",
        });
    }
    // (prefixes, length of the rest, characters allowed in it besides letters and digits)
    let checks: &[(&[&str], usize, &str, &'static str)] = &[
        (&["AKIA", "ASIA"], 16, "", "AWS access key"),
        (
            &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
            36,
            "",
            "GitHub token",
        ),
        (&["github_pat_"], 22, "_", "GitHub token"),
        (
            &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-"],
            10,
            "-",
            "Slack token",
        ),
        (&["sk_live_", "rk_live_"], 16, "", "Stripe secret key"),
    ];
    for (prefixes, min, extra, kind) in checks {
        if prefixes.iter().any(|p| has_token(text, p, *min, extra)) {
            return Some(kind);
        }
    }
    None
}

/// A PEM private key with a body: `-----BEGIN … PRIVATE KEY-----` followed by at least a
/// hundred base64 characters (across lines, or `\n` escapes as JSON writes them). A header
/// alone, or a stub like `MIIE…`, is how code and documentation mention a key, not a key.
fn has_private_key(text: &str) -> bool {
    let mut from = 0;
    while let Some(p) = text[from..].find("-----BEGIN ") {
        let start = from + p + "-----BEGIN ".len();
        from = start;
        let Some(end) = text[start..].find("-----") else {
            return false;
        };
        if end > 40 || !text[start..start + end].ends_with("PRIVATE KEY") {
            continue;
        }
        let body = &text[start + end + 5..];
        let mut n = 0usize;
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' | '=' => n += 1,
                ' ' | '\t' | '\r' | '\n' | '"' | '|' => {}
                // `\n` in a JSON or YAML string.
                '\\' if chars.peek() == Some(&'n') => {
                    chars.next();
                }
                _ => break,
            }
            if n >= 100 {
                return true;
            }
        }
    }
    false
}

/// `prefix` at a word start, followed by at least `min` letters and digits (or `extra`
/// characters), and not an AWS documentation key (`AKIAIOSFODNN7EXAMPLE`).
fn has_token(text: &str, prefix: &str, min: usize, extra: &str) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(p) = text[from..].find(prefix) {
        let start = from + p;
        let rest = start + prefix.len();
        from = rest;
        if start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_') {
            continue;
        }
        let upper_only = prefix.starts_with("AKIA") || prefix.starts_with("ASIA");
        let n = b[rest..]
            .iter()
            .take_while(|c| {
                if upper_only {
                    c.is_ascii_uppercase() || c.is_ascii_digit()
                } else {
                    c.is_ascii_alphanumeric() || extra.as_bytes().contains(c)
                }
            })
            .count();
        let ok = if upper_only { n == min } else { n >= min };
        let token = &text[rest..rest + n];
        if ok && !token.contains("EXAMPLE") && !is_repeated(token) {
            return true;
        }
    }
    false
}

/// `xxxxxxxx`, `00000000`: a placeholder of one repeated character.
fn is_repeated(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| c.all(|x| x == f))
}

/// A URL with a password for a host other than this machine (`postgres://app:pw@db/app`),
/// where the password is not a placeholder. Local development defaults
/// (`localhost`, `127.0.0.1`) are left out.
fn url_password_in(text: &str) -> bool {
    let mut from = 0;
    while let Some(p) = text[from..].find("://") {
        let at = from + p + 3;
        from = at;
        let end = text[at..]
            .find(|c: char| c.is_whitespace() || "\"'`<>".contains(c))
            .map_or(text.len(), |e| at + e);
        let authority = text[at..end].split('/').next().unwrap_or("");
        let Some((userinfo, host)) = authority.rsplit_once('@') else {
            continue;
        };
        let Some((_, pw)) = userinfo.split_once(':') else {
            continue;
        };
        let host = host.split(':').next().unwrap_or(host);
        if matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "" | "host") {
            continue;
        }
        if !super::context_secret_copied::is_placeholder_value(pw) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(path: &str, text: &str) -> Option<(&'static str, bool)> {
        let t = text.to_string();
        content_secret(path, &Budget::new(|| true), &|_| Some(t.clone())).map(|s| (s.kind, s.weak))
    }

    /// A PEM block of `kind` with a body of `n` base64 characters, lines joined by `nl`. Built at
    /// run time, so that this file holds no key for a scanner to find.
    fn pem(kind: &str, n: usize, nl: &str) -> String {
        let body: String = "MIIEowIBAAKCAQEA7x".chars().cycle().take(n).collect();
        let lines: Vec<String> = body
            .as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        let dashes = "-".repeat(5);
        format!(
            "{dashes}BEGIN {kind}{dashes}{nl}{}{nl}{dashes}END {kind}{dashes}",
            lines.join(nl)
        )
    }

    /// A token: its prefix and rest joined at run time.
    fn token(prefix: &str, rest: &str) -> String {
        format!("{prefix}{rest}")
    }

    #[test]
    fn recognises_credentials_by_content() {
        let key = format!(
            "db:\n  tls_key: |\n    {}\n",
            pem("RSA PRIVATE KEY", 400, "\n    ")
        );
        assert_eq!(secret("config/cfg.yml", &key), Some(("private key", false)));
        assert_eq!(
            secret("tests/fixtures/cfg.yml", &key),
            Some(("private key", true))
        );
        assert_eq!(
            secret("config/cfg.sample.yml", &key),
            Some(("private key", true))
        );
        assert_eq!(secret("cfg.yml", &pem("PUBLIC KEY", 400, "\n")), None);
        assert_eq!(secret("cfg.yml", &pem("CERTIFICATE", 400, "\n")), None);
        // A header or a stub is how code mentions a key.
        assert_eq!(secret("cfg.yml", &pem("PRIVATE KEY", 20, "\n")), None);
        let escaped = pem("PRIVATE KEY", 400, "\\n");
        let sa = format!(r#"{{"type": "service_account", "private_key": "{escaped}"}}"#);
        assert_eq!(
            secret("sa.json", &sa),
            Some(("GCP service-account key", false))
        );
        let aws = token("AK", "IAZ7Q3M4RTY2WXPL9B");
        assert_eq!(
            secret("deploy.sh", &format!("export AWS_ACCESS_KEY_ID={aws}")),
            Some(("AWS access key", false))
        );
        // AWS's documentation key, a longer word, a prefix inside a word.
        assert_eq!(
            secret("deploy.sh", &token("AK", "IAIOSFODNN7EXAMPLE")),
            None
        );
        assert_eq!(secret("a.txt", &format!("{aws}QQ")), None);
        assert_eq!(secret("a.txt", &format!("X{aws}")), None);
        let gh = format!("token: ghp_{}", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5");
        assert_eq!(secret("ci.yml", &gh), Some(("GitHub token", false)));
        assert_eq!(
            secret("ci.yml", &format!("token: ghp_{}", "x".repeat(36))),
            None
        );
        assert_eq!(secret("ci.yml", "token: ghp_short"), None);
        let slack = token("xox", "b-1234567890-abcdefghij");
        assert_eq!(
            secret("app.py", &format!("SLACK = '{slack}'")),
            Some(("Slack token", false))
        );
        let stripe = token("sk_li", "ve_4eC39HqLyjWDarjtT1zdp7dc");
        assert_eq!(
            secret("settings.py", &format!("STRIPE = '{stripe}'")),
            Some(("Stripe secret key", false))
        );
        assert_eq!(secret("settings.py", &stripe.replace("live", "test")), None);
        // Passwords in URLs of configuration files, a level lower.
        let url = "database:\n  url: postgres://app:Zq8vR2mLp4@db.internal:5432/app\n";
        assert_eq!(secret("cfg.yml", url), Some(("password in a URL", true)));
        assert_eq!(secret("app.py", url), None);
        assert_eq!(
            secret("cfg.yml", "url: postgres://app:${DB_PW}@db/app"),
            None
        );
        assert_eq!(
            secret("cfg.yml", "url: postgres://postgres:postgres@db/app"),
            None
        );
        assert_eq!(
            secret("cfg.yml", "url: mysql://root:Zq8vR2mLp4@localhost/app"),
            None
        );
        assert_eq!(secret("cfg.yml", "url: https://github.com/org/repo"), None);
        // Documentation, binaries and lockfiles are not read.
        assert_eq!(secret("README.md", &key), None);
        assert_eq!(secret("logo.png", &key), None);
        assert_eq!(secret("package-lock.json", &key), None);
        assert_eq!(secret("docker/Dockerfile.prod", &key), None);
        assert_eq!(secret("blob.txt", &format!("\0{key}")), None);
    }

    #[test]
    fn the_budget_ends_the_scan() {
        let b = Budget::new(|| true);
        let key = pem("PRIVATE KEY", 200, "\n");
        let read = |_| Some(key.clone());
        let found = (0..300)
            .filter(|i| content_secret(&format!("f{i}.txt"), &b, &read).is_some())
            .count();
        assert_eq!(found, 200);
        // A closed gate reads nothing.
        let closed = Budget::new(|| false);
        assert!(content_secret("f.txt", &closed, &read).is_none());
    }
}
