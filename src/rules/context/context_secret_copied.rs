//! context-secret-copied: COPY/ADD bakes secret-looking files of the build context (private
//! keys, `.env`, cloud and registry credentials) into an image layer, where anyone can read them.

use super::secret_content::{content_secret, readable, Budget};
use crate::context::BuildContext;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Span;
use std::collections::{BTreeMap, VecDeque};

pub static RULE: Rule = Rule {
    name: "context-secret-copied",
    group: "context",
    severity: Severity::Error,
    summary: "COPY/ADD brings secret-looking files from the build context into the image",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/context-secret-copied.md"),
    aliases: &[],
    default: true,
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
/// Names of values meant to be seen: a public key, Stripe's publishable key, and what
/// frameworks hand to the browser (`NEXT_PUBLIC_...`).
const PUBLIC_NAMES: &[&str] = &["PUBLIC", "PUBLISHABLE"];
/// How public keys and publishable tokens begin.
const PUBLIC_VALUES: &[&str] = &[
    "-----BEGIN PUBLIC KEY",
    "-----BEGIN CERTIFICATE",
    "ssh-rsa ",
    "ssh-ed25519 ",
    "ecdsa-sha2-",
    "pk_live_",
    "pk_test_",
];
/// Whole values (lower-cased) that stand in for a secret: unset markers, booleans, and the
/// words people write where the real value goes later.
const PLACEHOLDER_VALUES: &[&str] = &[
    "null",
    "nil",
    "none",
    "undefined",
    "empty",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "enabled",
    "disabled",
    "password",
    "secret",
    "test",
    "testing",
    // Well-known defaults: every reader of the image's documentation knows them.
    "changeit",
    "admin",
    "root",
    "postgres",
    "guest",
    "dummy",
    "fake",
    "placeholder",
    "redacted",
    "todo",
    "tbd",
];
/// Beginnings (lower-cased) of placeholder values: `changeme1234`, `your_api_key_here`.
const PLACEHOLDER_PREFIXES: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "change_this",
    "change-this",
    "replaceme",
    "replace_me",
    "replace-me",
    "your_",
    "your-",
    "example",
    "insert_",
    "insert-",
];

/// A value that is not a secret whatever its variable is called: empty, a placeholder
/// (`null`, `changeme…`, `example`, `xxx`, `<token>`), a reference to another variable
/// (`${DB_PASSWORD}`, `{{ .token }}`), a number or a boolean.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || v.starts_with('$')
        || v.contains("${")
        || v.contains("{{")
        || (v.starts_with('<') && v.ends_with('>'))
        || v.chars().all(|c| "xX*.-_#".contains(c))
        || PLACEHOLDER_VALUES.contains(&lower.as_str())
        || PLACEHOLDER_PREFIXES.iter().any(|p| lower.starts_with(p))
        || lower.contains("example")
        || is_number(v)
}

/// A value that stands in for a secret (see `is_placeholder`), for the content scan.
pub(super) fn is_placeholder_value(value: &str) -> bool {
    is_placeholder(value)
}

/// `900`, `-1`, `0.5`, or a duration such as `15m`.
fn is_number(v: &str) -> bool {
    let digits = v.trim_end_matches(['s', 'm', 'h', 'd', 'w']);
    let digits = digits.strip_prefix('-').unwrap_or(digits);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// An environment file that sets a credential-looking variable to a value that looks real,
/// or holds a URL with a real-looking password in it (`postgres://app:pw@db/app`). Values
/// decide, not names: `MAIL_PASSWORD=null` and `RESET_PASSWORD_LINK_EXPIRES=900` are not
/// secrets, nor is a public key.
fn env_has_secret(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        let l = l.strip_prefix("export ").unwrap_or(l);
        let Some((key, value)) = l.split_once('=') else {
            return false;
        };
        let key = key.trim().to_ascii_uppercase();
        let value = unquote(value);
        if key.starts_with('#') || is_placeholder(value) {
            return false;
        }
        let public = PUBLIC_NAMES.iter().any(|n| key.contains(n))
            || PUBLIC_VALUES.iter().any(|p| value.starts_with(p));
        let named = SECRET_ANYWHERE.iter().any(|n| key.contains(n))
            || SECRET_SUFFIXES.iter().any(|n| key.ends_with(n));
        (named && !public) || url_has_password(value)
    })
}

/// A value without its quotes and without a trailing ` # comment` outside them.
fn unquote(value: &str) -> &str {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(rest) = v.strip_prefix(q) {
            return rest.split(q).next().unwrap_or(rest);
        }
    }
    v.split(" #").next().unwrap_or(v).trim()
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
        .is_some_and(|(_, pw)| !is_placeholder(pw))
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
            && !is_placeholder(value)
    })
}

fn pypirc_has_password(text: &str) -> bool {
    text.lines().any(|l| {
        let Some((key, value)) = l.split_once(['=', ':']) else {
            return false;
        };
        let value = value.trim();
        key.trim().eq_ignore_ascii_case("password") && !is_placeholder(value)
    })
}

/// A secret-looking file: its context path, what it is, and whether it is weak evidence (see
/// `ContentSecret::weak`).
type Hit = (String, &'static str, bool);

/// Why a context file looks like a secret: its name (and, for some names, its contents), else
/// what its contents hold, within the content budget.
fn file_secret(
    ctx: &BuildContext,
    path: &str,
    budget: &Budget<'_>,
) -> Option<(&'static str, bool)> {
    if let Some(kind) = secret_kind(ctx, path) {
        return Some((kind, false));
    }
    let read = |limit: usize| ctx.read_to_string(path, limit);
    content_secret(path, budget, &read).map(|s| (s.kind, s.weak))
}

/// Secret-looking files below the context directory `dir`, breadth first within the budget,
/// leaving out what the ignore file excludes.
fn scan_dir(ctx: &BuildContext, dir: &str, budget: &Budget<'_>) -> Vec<Hit> {
    let mut found: Vec<Hit> = Vec::new();
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
                    found.push((e.path, kind, false));
                }
            } else if budget.has_room() && readable(&e.path) && ctx.is_ignored(&e.path).is_none() {
                let read = |limit: usize| ctx.read_to_string(&e.path, limit);
                if let Some(c) = content_secret(&e.path, budget, &read) {
                    found.push((e.path, c.kind, c.weak));
                }
            }
        }
    }
    found
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(ctx) = m.context else { return };
    // Several stages often copy the same directory: scan it once.
    let mut scanned: BTreeMap<String, Vec<Hit>> = BTreeMap::new();
    // A context of Dockerfiles alone is not the build's: its files say nothing of what is copied.
    let budget = Budget::new(|| !ctx.holds_only_dockerfiles());
    for copy in m.copies.values() {
        let mut hits: Vec<(Span, Vec<Hit>)> = Vec::new();
        for s in copy.context_paths() {
            let mut files = Vec::new();
            for mt in s.matches.iter().filter(|mt| !mt.ignored) {
                if mt.is_dir {
                    let list = scanned
                        .entry(mt.path.clone())
                        .or_insert_with(|| scan_dir(ctx, &mt.path, &budget));
                    files.extend(list.iter().cloned());
                } else if let Some((kind, weak)) = file_secret(ctx, &mt.path, &budget) {
                    files.push((mt.path.clone(), kind, weak));
                }
            }
            if !files.is_empty() {
                hits.push((s.word.span, files));
            }
        }
        let Some((first_span, _)) = hits.first() else {
            continue;
        };
        let mut all: Vec<Hit> = hits.iter().flat_map(|(_, f)| f.iter().cloned()).collect();
        all.sort();
        all.dedup();
        let names: Vec<String> = all
            .iter()
            .take(LISTED)
            .map(|(p, k, _)| format!("`{p}` ({k})"))
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
        let patterns: Vec<String> = all.iter().take(LISTED).map(|(p, ..)| p.clone()).collect();
        let Some(stage) = m.stage_of[copy.instr].and_then(|s| m.stages.get(s)) else {
            continue;
        };
        // A copy into a stage the final image takes none of these files from is still in
        // that stage's layers (the builder's cache, `--target`), but not in what is shipped.
        let build_only = !all.iter().any(|(p, ..)| {
            let dest = m
                .copied_to(copy.instr, p)
                .unwrap_or_else(|| copy.dest.clone());
            m.reaches_final_image(stage.index, &dest)
        });
        // Every file brought back by a `!` line: the project sends it on purpose.
        let reincluded: Option<Vec<String>> = (|| {
            let mut lines: BTreeMap<usize, String> = BTreeMap::new();
            for (p, ..) in &all {
                let by = ctx.reincluded_by(p)?;
                lines
                    .entry(by.line)
                    .or_insert_with(|| format!("`{}` (line {})", by.text, by.line));
            }
            Some(lines.into_values().take(LISTED).collect())
        })();
        let mut severity = RULE.severity;
        // Only passwords in URLs and secrets among test fixtures: often development defaults
        // and fakes.
        let weak = all.iter().all(|(_, _, w)| *w);
        if weak {
            severity = severity.lowered();
        }
        let into = if build_only {
            severity = severity.lowered();
            format!("the build stage `{}`", stage.display_name())
        } else {
            "the image".to_string()
        };
        let mut message = if build_only {
            format!(
                "{kw} puts secret-looking files into {into}, which does not reach the final image: {list}"
            )
        } else {
            format!("{kw} puts secret-looking files into an image layer: {list}")
        };
        let help = match &reincluded {
            Some(lines) => {
                severity = severity.lowered();
                let them = if all.len() == 1 { "it" } else { "them" };
                message.push_str(&format!(
                    "; {ignore_name} re-includes {them} on purpose with {}",
                    lines.join(", ")
                ));
                format!(
                    "make sure {them} hold{} no real credential, or drop the `!` line from {ignore_name}; a file the build needs is passed with `RUN --mount=type=secret,id=...` instead, which keeps it out of every layer",
                    if all.len() == 1 { "s" } else { "" }
                )
            }
            None => format!(
                "add them to {ignore_name} ({}); a file the build needs is passed with `RUN --mount=type=secret,id=...` instead, which keeps it out of every layer",
                patterns.join(", ")
            ),
        };
        let label = |files: &[Hit]| {
            if files.len() == 1 {
                format!("copies `{}` into {into}", files[0].0)
            } else {
                format!("copies {} secret-looking files into {into}", files.len())
            }
        };
        let mut d = Diagnostic::new(RULE.name, severity, message, *first_span)
            .label(label(&hits[0].1))
            .help(help);
        for (span, files) in &hits[1..] {
            d = d.secondary(*span, label(files));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_context::{context_with, leveled};

    fn fires(files: &[&str], dockerfile: &str) -> Vec<String> {
        leveled("context-secret-copied", files, dockerfile)
    }

    const KEY: &str = "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\\nMIIC\\n-----END CERTIFICATE-----";

    #[test]
    fn table() {
        let key = format!("certs/server.key: {KEY}");
        let pem_key = format!("tls.pem: {KEY}");
        let cert = format!("ca.pem: {CERT}");
        let crt = format!("certs/ca.crt: {CERT}");
        // Keys and tokens put together at run time, so that this file holds none.
        let body: String = "MHcCAQEEIBkg4LVWM9nuwNSk3y"
            .chars()
            .cycle()
            .take(160)
            .collect();
        let dashes = "-".repeat(5);
        let ec = format!("{dashes}BEGIN EC PRIVATE KEY{dashes}\\n    {body}\\n    {dashes}END EC PRIVATE KEY{dashes}");
        let cfg_key = format!("config/cfg.yml: db:\\n  password: Zq8vR2mLp4\\n  key: |\\n    {ec}");
        let fixture_key = format!("tests/fixtures/server.txt: {ec}");
        let aws = format!(
            "deploy/settings.toml: aws_key = \"{}{}\"",
            "AK", "IAZ7Q3M4RTY2WXPL9B"
        );
        let cases: Vec<(Vec<&str>, &str, Vec<&str>)> = vec![
            (
                vec![".env: DB_PASSWORD=hunter2", "app.py"],
                "FROM python\nCOPY . /app\n",
                vec!["error: COPY puts secret-looking files into an image layer: `.env` (environment file)"],
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
                vec!["error: COPY puts secret-looking files into an image layer: `.env.production` (environment file)"],
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
                vec!["error: COPY puts secret-looking files into an image layer: `certs/server.key` (private key)"],
            ),
            // A public certificate is not a secret; a private key in .pem is.
            (vec![cert.as_str()], "FROM nginx\nCOPY ca.pem /etc/ssl/\n", vec![]),
            (
                vec![pem_key.as_str(), cert.as_str()],
                "FROM nginx\nCOPY *.pem /etc/ssl/\n",
                vec!["error: COPY puts secret-looking files into an image layer: `tls.pem` (private key)"],
            ),
            // .npmrc: a literal token is a secret, an environment reference is not.
            (
                vec![".npmrc: //registry.npmjs.org/:_authToken=npm_abc123", "package.json: {}"],
                "FROM node\nCOPY .npmrc package.json ./\n",
                vec!["error: COPY puts secret-looking files into an image layer: `.npmrc` (npm token)"],
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
                vec!["error: ADD puts secret-looking files into an image layer: `home/.aws/credentials` (AWS credentials), `home/.docker/config.json` (registry credentials)"],
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
                vec!["error: COPY puts secret-looking files into an image layer: `id_rsa` (SSH private key), `infra/terraform.tfstate` (Terraform state)"],
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
            // Values decide, not names: placeholders, references, numbers, booleans.
            (
                vec![".env.docker: MAIL_PASSWORD=null\\nDB_PASSWORD=changeme1234\\nRESET_PASSWORD_LINK_EXPIRES=900\\nSMTP_PASS=\\nDEBUG_PASSWORD=false"],
                "FROM php\nCOPY . /app\n",
                vec![],
            ),
            (
                vec![".env.tests: DB_PASSWORD=example\\nAPI_TOKEN=xxxxxxxx\\nJWT_SECRET=<jwt-secret>\\nAPP_KEY=${APP_KEY}\\nAUTH_TOKEN=your_token_here\\nMYSQL_ROOT_PASSWORD=root # local only"],
                "FROM php\nCOPY . /app\n",
                vec![],
            ),
            (
                vec![".env.docker: MAIL_PASSWORD=null\\nDB_PASSWORD='Zq8vR2mLp4'"],
                "FROM php\nCOPY . /app\n",
                vec!["error: COPY puts secret-looking files into an image layer: `.env.docker` (environment file)"],
            ),
            (
                vec![".env: DATABASE_URL=postgres://postgres:password@localhost:5432/app\\nREDIS_URL=redis://:${REDIS_PW}@cache"],
                "FROM python\nCOPY . /app\n",
                vec![],
            ),
            // Public keys are meant to be seen; the private half is not.
            (
                vec![".env.production: VITE_APP_EXPORT_PUBLIC_KEY=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\\nSTRIPE_KEY=pk_live_51H8x\\nDEPLOY_KEY=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"],
                "FROM node\nCOPY . /app\n",
                vec![],
            ),
            (
                vec![".env.production: VITE_APP_EXPORT_PUBLIC_KEY=MIIBIjANBgkq\\nSTRIPE_KEY=sk_live_51H8x"],
                "FROM node\nCOPY . /app\n",
                vec!["error: COPY puts secret-looking files into an image layer: `.env.production` (environment file)"],
            ),
            (
                vec![".npmrc: //registry.npmjs.org/:_authToken=<your npm token>", ".pypirc: [pypi]\\npassword = changeme"],
                "FROM python\nCOPY . /app\n",
                vec![],
            ),
            // Re-included on purpose by the ignore file: lower, and said.
            (
                vec![".dockerignore: .env*\\n!.env.production", ".env.production: API_TOKEN=tok_8f3a9c", ".env: API_TOKEN=tok_1b2c3d"],
                "FROM node\nCOPY . /app\n",
                vec!["warning: COPY puts secret-looking files into an image layer: `.env.production` (environment file); .dockerignore re-includes it on purpose with `!.env.production` (line 2)"],
            ),
            // Only part of the files re-included: full severity.
            (
                vec![".dockerignore: .env*\\n!.env.production", ".env.production: API_TOKEN=tok_8f3a9c", "id_rsa: x"],
                "FROM node\nCOPY . /app\n",
                vec!["error: COPY puts secret-looking files into an image layer: `.env.production` (environment file), `id_rsa` (SSH private key)"],
            ),
            // Into a build stage the final image takes only `dist` from: lower, and said.
            (
                vec![".env.production: API_TOKEN=tok_8f3a9c"],
                "FROM node AS build\nWORKDIR /app\nCOPY . .\nRUN npm run build\nFROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
                vec!["warning: COPY puts secret-looking files into the build stage `build`, which does not reach the final image: `.env.production` (environment file)"],
            ),
            (
                vec![".env.production: API_TOKEN=tok_8f3a9c"],
                "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm run build\nFROM node:slim\nCOPY --from=0 /app /app\n",
                vec!["error: COPY puts secret-looking files into an image layer: `.env.production` (environment file)"],
            ),
            (
                vec![".dockerignore: *\\n!src\\n!.env.production", ".env.production: API_TOKEN=tok_8f3a9c", "src/main.ts"],
                "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm run build\nFROM nginx\nCOPY --from=0 /app/dist /usr/share/nginx/html\n",
                vec!["info: COPY puts secret-looking files into the build stage `0`, which does not reach the final image: `.env.production` (environment file); .dockerignore re-includes it on purpose with `!.env.production` (line 3)"],
            ),
            // The final stage built on the copying stage holds it.
            (
                vec!["id_rsa: x"],
                "FROM alpine AS base\nCOPY id_rsa /root/.ssh/\nFROM base\nRUN true\n",
                vec!["error: COPY puts secret-looking files into an image layer: `id_rsa` (SSH private key)"],
            ),
            // Any copied file is read for what it holds: a private key in a configuration file.
            (
                vec![cfg_key.as_str(), "app.py: x"],
                "FROM python\nCOPY . /app\n",
                vec!["error: COPY puts secret-looking files into an image layer: `config/cfg.yml` (private key)"],
            ),
            (
                vec![aws.as_str()],
                "FROM python\nCOPY deploy/settings.toml /app/\n",
                vec!["error: COPY puts secret-looking files into an image layer: `deploy/settings.toml` (AWS access key)"],
            ),
            // Test fixtures and passwords in URLs: a level lower.
            (
                vec![fixture_key.as_str()],
                "FROM python\nCOPY . /app\n",
                vec!["warning: COPY puts secret-looking files into an image layer: `tests/fixtures/server.txt` (private key)"],
            ),
            (
                vec!["config.yml: database_url: postgres://app:Zq8vR2mLp4@db.internal/app"],
                "FROM python\nCOPY . /app\n",
                vec!["warning: COPY puts secret-looking files into an image layer: `config.yml` (password in a URL)"],
            ),
            // Public material, documentation and development defaults are not secrets.
            (
                vec![
                    crt.as_str(),
                    "README.md: -----BEGIN RSA PRIVATE KEY-----",
                    "config.yml: url: postgres://postgres:postgres@db/app\\ncache: redis://:s3cret@localhost:6379",
                ],
                "FROM python\nCOPY . /app\n",
                vec![],
            ),
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
        let ctx = context_with(&[
            ".env: API_TOKEN=tok_8f3a9c",
            "conf/.env.prod: DB_PASSWORD=s3cr3t-pw",
        ]);
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
        for v in [
            "",
            "null",
            "NULL",
            "changeme1234",
            "CHANGE_ME",
            "example",
            "my-example-pw",
            "xxx",
            "XXXX-XXXX",
            "****",
            "<token>",
            "${VAR}",
            "$VAR",
            "{{ .Values.pw }}",
            "900",
            "0.5",
            "15m",
            "true",
            "Off",
            "your_api_key",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in [
            "hunter2",
            "sk_live_1",
            "Zq8vR2mLp4",
            "dead",
            "1234abcd",
            "x1",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
        assert_eq!(unquote(" 'a b' # c"), "a b");
        assert_eq!(unquote("abc # c"), "abc");
        assert!(npmrc_has_token("//r/:_auth=abc"));
        assert!(!npmrc_has_token("registry=https://r/"));
        assert!(pypirc_has_password(
            "[pypi]\nusername = __token__\npassword = pypi-AgE"
        ));
        assert!(!pypirc_has_password("[pypi]\nusername = me"));
    }
}
