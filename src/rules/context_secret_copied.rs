//! context-secret-copied: COPY/ADD bakes secret-looking files of the build context (private
//! keys, `.env`, cloud and registry credentials) into an image layer, where anyone can read them.

use super::{FixAvailability, Rule};
use crate::context::BuildContext;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::syntax::Span;
use std::collections::{BTreeMap, VecDeque};

pub static RULE: Rule = Rule {
    name: "context-secret-copied",
    group: "context",
    severity: Severity::Error,
    summary: "COPY/ADD brings secret-looking files from the build context into the image",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/context-secret-copied.md"),
    check,
};

/// Directory entries looked at below one copied directory. A secret sits near the top of a
/// project (`.env`, `.npmrc`, `certs/`); a full walk of a large context would cost seconds.
const SCAN_BUDGET: usize = 4000;
/// How deep below a copied directory names are checked.
const SCAN_DEPTH: usize = 4;
/// Bytes read from a file whose contents decide whether it is a secret.
const READ_LIMIT: usize = 64 * 1024;
/// Directories never entered: dependency trees and VCS data, large and not the project's own.
const SKIP_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "vendor",
    ".venv",
    "venv",
    "__pycache__",
    "target",
    ".terraform",
];
/// Names listed in a message before "and N more".
const LISTED: usize = 4;

/// `.env` suffixes that mark a template with placeholder values, not a secret.
const ENV_TEMPLATES: &[&str] = &["example", "sample", "template", "dist", "defaults", "tpl"];

/// Why `path` (a context file) looks like a secret, reading its contents where the name alone
/// does not decide. `None` when it does not.
fn secret_kind(ctx: &BuildContext, path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parent = path
        .rsplit_once('/')
        .map(|(p, _)| p.rsplit('/').next().unwrap_or(p))
        .unwrap_or("");
    let lower = name.to_ascii_lowercase();
    let read = || ctx.read_to_string(path, READ_LIMIT).unwrap_or_default();
    let kind = if lower == ".env"
        || lower
            .strip_prefix(".env.")
            .is_some_and(|rest| !rest.split('.').any(|p| ENV_TEMPLATES.contains(&p)))
    {
        // Many `.env` files only configure (Vite's `VITE_API_URL=...` is committed on purpose).
        if !env_has_secret(&read()) {
            return None;
        }
        "environment file"
    } else if ["id_rsa", "id_ed25519", "id_ecdsa", "id_dsa"].contains(&name) {
        "SSH private key"
    } else if lower.ends_with(".pem") || lower.ends_with(".key") {
        // Certificates and public keys share these extensions; only a private key is a secret.
        if !read().contains("PRIVATE KEY") {
            return None;
        }
        "private key"
    } else if lower.ends_with(".p12") || lower.ends_with(".pfx") {
        "PKCS#12 key store"
    } else if parent == ".aws" && name == "credentials" {
        "AWS credentials"
    } else if name == ".npmrc" {
        if !npmrc_has_token(&read()) {
            return None;
        }
        "npm token"
    } else if name == ".pypirc" {
        if !pypirc_has_password(&read()) {
            return None;
        }
        "PyPI password"
    } else if lower.ends_with(".tfstate") || lower.ends_with(".tfstate.backup") {
        "Terraform state"
    } else if name == ".git-credentials" {
        "git credentials"
    } else if parent == ".docker" && name == "config.json" {
        let text = read();
        if !text.contains("\"auth\"") && !text.contains("identitytoken") {
            return None;
        }
        "registry credentials"
    } else {
        return None;
    };
    // An empty file holds nothing to leak (and corpora replace large files by empty ones).
    if ctx.read_to_string(path, 1).is_some_and(|s| s.is_empty()) {
        return None;
    }
    Some(kind)
}

/// Variable names that hold credentials: anywhere in the name, or at its end (so that
/// `ACCESS_TOKEN_EXPIRE_MINUTES` or `PRIMARY_KEY_COLUMN` do not count).
const SECRET_ANYWHERE: &[&str] = &["PASSWORD", "PASSWD", "SECRET"];
const SECRET_SUFFIXES: &[&str] = &["TOKEN", "_KEY", "APIKEY", "_PASS", "_PWD", "CREDENTIALS"];

/// An environment file that sets a credential-looking variable to a literal value, or holds a
/// URL with a password in it (`postgres://app:pw@db/app`).
fn env_has_secret(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some((key, value)) = l.split_once('=') else {
            return false;
        };
        let key = key.trim().to_ascii_uppercase();
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        if key.starts_with('#') || value.is_empty() || value.starts_with('$') {
            return false;
        }
        let named = SECRET_ANYWHERE.iter().any(|n| key.contains(n))
            || SECRET_SUFFIXES.iter().any(|n| key.ends_with(n));
        named || url_has_password(value)
    })
}

/// `scheme://user:password@host...` with a non-empty password.
fn url_has_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .is_some_and(|(_, pw)| !pw.is_empty() && !pw.starts_with('$'))
}

/// A literal auth value, not a `${NPM_TOKEN}` reference that npm fills in at run time.
fn npmrc_has_token(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        let Some((key, value)) = l.split_once('=') else {
            return false;
        };
        let key = key.trim();
        let value = value.trim();
        (key.ends_with("_authToken") || key.ends_with("_auth") || key.ends_with("_password"))
            && !value.is_empty()
            && !value.starts_with("${")
    })
}

fn pypirc_has_password(text: &str) -> bool {
    text.lines().any(|l| {
        let Some((key, value)) = l.split_once(['=', ':']) else {
            return false;
        };
        let value = value.trim();
        key.trim().eq_ignore_ascii_case("password") && !value.is_empty() && !value.starts_with('$')
    })
}

/// Secret-looking files below the context directory `dir`, breadth first within the budget,
/// leaving out what the ignore file excludes.
fn scan_dir(ctx: &BuildContext, dir: &str) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    let mut seen = 0usize;
    let mut queue = VecDeque::from([(dir.to_string(), 0usize)]);
    while let Some((d, depth)) = queue.pop_front() {
        for e in ctx.list_dir_unfiltered(&d) {
            seen += 1;
            if seen > SCAN_BUDGET {
                return found;
            }
            if e.kind.is_dir() {
                if depth >= SCAN_DEPTH
                    || SKIP_DIRS.contains(&e.name.as_str())
                    || e.kind != crate::context::EntryKind::Dir
                {
                    continue;
                }
                // An excluded directory is entered only when a `!` exception may bring back
                // files below it; each file's own status is checked then.
                if ctx.is_ignored(&e.path).is_none() || ctx.reenters(&e.path) {
                    queue.push_back((e.path, depth + 1));
                }
            } else if let Some(kind) = secret_kind(ctx, &e.path) {
                // The name (and, for some, the contents) first: most files are not candidates,
                // and only candidates are worth matching against the ignore file.
                if ctx.is_ignored(&e.path).is_none() {
                    found.push((e.path, kind));
                }
            }
        }
    }
    found
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(ctx) = m.context else { return };
    // Several stages often copy the same directory: scan it once.
    let mut scanned: BTreeMap<String, Vec<(String, &'static str)>> = BTreeMap::new();
    for copy in m.copies.values() {
        let mut hits: Vec<(Span, Vec<(String, &'static str)>)> = Vec::new();
        for s in copy.context_paths() {
            let mut files = Vec::new();
            for mt in s.matches.iter().filter(|mt| !mt.ignored) {
                if mt.is_dir {
                    let list = scanned
                        .entry(mt.path.clone())
                        .or_insert_with(|| scan_dir(ctx, &mt.path));
                    files.extend(list.iter().cloned());
                } else if let Some(kind) = secret_kind(ctx, &mt.path) {
                    files.push((mt.path.clone(), kind));
                }
            }
            if !files.is_empty() {
                hits.push((s.word.span, files));
            }
        }
        let Some((first_span, _)) = hits.first() else {
            continue;
        };
        let mut all: Vec<(String, &'static str)> =
            hits.iter().flat_map(|(_, f)| f.iter().cloned()).collect();
        all.sort();
        all.dedup();
        let names: Vec<String> = all
            .iter()
            .take(LISTED)
            .map(|(p, k)| format!("`{p}` ({k})"))
            .collect();
        let more = all.len().saturating_sub(LISTED);
        let mut list = names.join(", ");
        if more > 0 {
            list.push_str(&format!(" and {more} more"));
        }
        let kw = m
            .instruction(copy.instr)
            .keyword
            .as_str()
            .to_ascii_uppercase();
        let ignore_name = ctx
            .ignore_file()
            .map(|f| f.name())
            .unwrap_or(".dockerignore");
        let patterns: Vec<String> = all.iter().take(LISTED).map(|(p, _)| p.clone()).collect();
        let label = |files: &[(String, &'static str)]| {
            if files.len() == 1 {
                format!("copies `{}` into the image", files[0].0)
            } else {
                format!("copies {} secret-looking files into the image", files.len())
            }
        };
        let mut d = Diagnostic::new(
            RULE.name,
            RULE.severity,
            format!("{kw} puts secret-looking files into an image layer: {list}"),
            *first_span,
        )
        .label(label(&hits[0].1))
        .help(format!(
            "add them to {ignore_name} ({}); a file the build needs is passed with `RUN --mount=type=secret,id=...` instead, which keeps it out of every layer",
            patterns.join(", ")
        ));
        for (span, files) in &hits[1..] {
            d = d.secondary(*span, label(files));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_context::{context_with, messages};
    use super::*;

    fn fires(files: &[&str], dockerfile: &str) -> Vec<String> {
        messages("context-secret-copied", files, dockerfile)
    }

    const KEY: &str = "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\\nMIIC\\n-----END CERTIFICATE-----";

    #[test]
    fn table() {
        let key = format!("certs/server.key: {KEY}");
        let pem_key = format!("tls.pem: {KEY}");
        let cert = format!("ca.pem: {CERT}");
        let cases: Vec<(Vec<&str>, &str, Vec<&str>)> = vec![
            (
                vec![".env: DB_PASSWORD=hunter2", "app.py"],
                "FROM python\nCOPY . /app\n",
                vec!["COPY puts secret-looking files into an image layer: `.env` (environment file)"],
            ),
            // Configuration without credentials.
            (
                vec![".env: VITE_API_URL=http://localhost\\n# SECRET_KEY=\\nEMPTY_TOKEN=", "app.py"],
                "FROM python\nCOPY . /app\n",
                vec![],
            ),
            (
                vec![".env.production: export DATABASE_URL='postgres://app:hunter2@db/app'"],
                "FROM python\nCOPY . /app\n",
                vec!["COPY puts secret-looking files into an image layer: `.env.production` (environment file)"],
            ),
            // Templates are not secrets.
            (
                vec![".env.example: DB_PASSWORD=", ".env.sample: X=", ".env.local.template: X=", "app.py"],
                "FROM python\nCOPY . /app\n",
                vec![],
            ),
            // Ignored: never sent.
            (
                vec![".dockerignore: .env*", ".env: X=1", ".env.production: X=2"],
                "FROM python\nCOPY . /app\n",
                vec![],
            ),
            // Copied by name, in a subdirectory, with a lowercase keyword.
            (
                vec![key.as_str()],
                "FROM nginx\ncopy certs/server.key /etc/nginx/\n",
                vec!["COPY puts secret-looking files into an image layer: `certs/server.key` (private key)"],
            ),
            // A public certificate is not a secret; a private key in .pem is.
            (vec![cert.as_str()], "FROM nginx\nCOPY ca.pem /etc/ssl/\n", vec![]),
            (
                vec![pem_key.as_str(), cert.as_str()],
                "FROM nginx\nCOPY *.pem /etc/ssl/\n",
                vec!["COPY puts secret-looking files into an image layer: `tls.pem` (private key)"],
            ),
            // .npmrc: a literal token is a secret, an environment reference is not.
            (
                vec![".npmrc: //registry.npmjs.org/:_authToken=npm_abc123", "package.json: {}"],
                "FROM node\nCOPY .npmrc package.json ./\n",
                vec!["COPY puts secret-looking files into an image layer: `.npmrc` (npm token)"],
            ),
            (
                vec![".npmrc: //registry.npmjs.org/:_authToken=${NPM_TOKEN}", "package.json: {}"],
                "FROM node\nCOPY .npmrc package.json ./\n",
                vec![],
            ),
            // Nested credentials inside a copied directory.
            (
                vec!["home/.aws/credentials: [default]\\naws_secret_access_key=x", "home/.docker/config.json: {\"auths\":{\"r\":{\"auth\":\"eA==\"}}}"],
                "FROM alpine\nADD home /root\n",
                vec!["ADD puts secret-looking files into an image layer: `home/.aws/credentials` (AWS credentials), `home/.docker/config.json` (registry credentials)"],
            ),
            // Docker config without credentials (a credential helper).
            (
                vec!["home/.docker/config.json: {\"credsStore\":\"desktop\"}"],
                "FROM alpine\nCOPY home /root\n",
                vec![],
            ),
            (
                vec!["infra/terraform.tfstate: {\"version\":4}", "id_rsa: x", "id_rsa.pub: ssh-rsa AAAA"],
                "FROM alpine\nCOPY . /src\n",
                vec!["COPY puts secret-looking files into an image layer: `id_rsa` (SSH private key), `infra/terraform.tfstate` (Terraform state)"],
            ),
            // Not from the context, or only mounted for one RUN.
            (
                vec![".env: X=1"],
                "FROM alpine AS b\nRUN echo x > /.env\nFROM alpine\nCOPY --from=b /.env /.env\n",
                vec![],
            ),
            (
                vec![".env: X=1"],
                "FROM alpine\nRUN --mount=type=bind,source=.env,target=/.env cat /.env\n",
                vec![],
            ),
            // Empty files hold nothing.
            (vec![".env"], "FROM alpine\nCOPY . /src\n", vec![]),
            // Dependency trees are not entered.
            (
                vec!["node_modules/pkg/test/key.pem: -----BEGIN RSA PRIVATE KEY-----"],
                "FROM node\nCOPY . /src\n",
                vec![],
            ),
        ];
        for (files, df, want) in cases {
            assert_eq!(fires(&files, df), want, "{df}");
        }
    }

    #[test]
    fn one_finding_per_instruction_with_a_label_per_source() {
        let ctx = context_with(&[".env: API_TOKEN=1", "conf/.env.prod: DB_PASSWORD=2"]);
        let context = BuildContext::open(ctx.path(), None).expect("context");
        let text = "FROM alpine\nCOPY .env conf /app/\n";
        let linted = crate::lint::lint_text(text, Some(&context), &Default::default(), &|r| {
            r.name == RULE.name
        })
        .expect("parses");
        assert_eq!(linted.diagnostics.len(), 1);
        let d = &linted.diagnostics[0];
        assert_eq!(d.secondary.len(), 1);
        assert_eq!(
            &text[d.secondary[0].span.start..d.secondary[0].span.end],
            "conf"
        );
    }

    #[test]
    fn token_checks() {
        assert!(env_has_secret("STRIPE_KEY=sk_live_1"));
        assert!(env_has_secret("REDIS_URL=redis://:pw@cache:6379"));
        assert!(!env_has_secret("REDIS_URL=redis://cache:6379\nDEBUG=1"));
        assert!(!env_has_secret("DB_PASSWORD=${DB_PASSWORD}"));
        assert!(!env_has_secret("ACCESS_TOKEN_EXPIRE_MINUTES=60\nAUTHOR=me"));
        assert!(npmrc_has_token("//r/:_auth=abc"));
        assert!(!npmrc_has_token("registry=https://r/"));
        assert!(pypirc_has_password(
            "[pypi]\nusername = __token__\npassword = pypi-AgE"
        ));
        assert!(!pypirc_has_password("[pypi]\nusername = me"));
    }
}
