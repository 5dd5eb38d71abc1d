//! secret-in-arg-or-env: `ARG DB_PASSWORD` or `ENV API_TOKEN=...`: a name that says it holds a
//! secret, set where the image keeps it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::syntax::{Args, Keyword};

pub static RULE: Rule = Rule {
    name: "secret-in-arg-or-env",
    group: "security",
    severity: Severity::Warning,
    summary: "an ARG or ENV whose name says it holds a secret",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/secret-in-arg-or-env.md"),
    aliases: &["SecretsUsedInArgOrEnv", "DL3064"],
    default: true,
    check,
};

/// Words of a variable name (split on `_`) that mark it as a secret, and words that mark it
/// as something about a secret instead (`PUBLIC_KEY`, `PASSWORD_FILE`, `AUTH_VERSION`): the
/// lists BuildKit's check uses, matched without regard to case, and beyond them `GPG`/`PGP`
/// and `FINGERPRINT`: `ENV GPG_KEY A035C8C1...`, as the official Python images write it, is the
/// fingerprint of a public signing key.
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const NOT_SECRET_WORDS: &[&str] = &["public", "file", "version", "gpg", "pgp", "fingerprint"];

/// Does a variable name say it holds a secret?
pub fn names_a_secret(name: &str) -> bool {
    let has = |list: &[&str]| {
        name.split('_')
            .any(|w| list.iter().any(|t| t.eq_ignore_ascii_case(w)))
    };
    has(SECRET_WORDS) && !has(NOT_SECRET_WORDS)
}

/// A value that cannot be a secret whatever the name says: a boolean, a number or an absolute
/// path (`USE_GKE_GCLOUD_AUTH_PLUGIN=True`, `CREDENTIALS_CONFIG=/etc/app/credentials.json`).
/// An empty value is judged by the name, as BuildKit does: the secret is set at run time.
fn not_a_secret(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    ["true", "false", "yes", "no", "on", "off"]
        .iter()
        .any(|b| v.eq_ignore_ascii_case(b))
        || (!v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
        || (v.starts_with('/') && !v.contains(char::is_whitespace))
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, ins) in m.file.instructions.iter().enumerate() {
        if !matches!(ins.keyword, Keyword::Arg | Keyword::Env) || ins.error.is_some() {
            continue;
        }
        // ARGs before the first FROM only feed FROM lines; BuildKit does not judge them.
        if m.stage_of.get(i).copied().flatten().is_none() {
            continue;
        }
        let Args::KeyValues(pairs) = &ins.args else {
            continue;
        };
        let env = ins.keyword == Keyword::Env;
        let kw = if env { "ENV" } else { "ARG" };
        for kv in pairs {
            let name = &kv.key.value;
            if !names_a_secret(name) || kv.value.as_ref().is_some_and(|v| not_a_secret(&v.value)) {
                continue;
            }
            let kept = if env {
                "its configuration, for anyone who pulls it to read"
            } else {
                "its build history (`docker history`)"
            };
            out.push(
                Diagnostic::new(
                    RULE.name,
                    RULE.severity,
                    format!("`{kw} {name}` is named as a secret, and the image keeps its value in {kept}"),
                    kv.key.span,
                )
                .label("named as a secret")
                .help(format!(
                    "pass it as a build secret: `RUN --mount=type=secret,id={id},env={name} ...` \
                     with `docker build --secret id={id}`; if it is not a secret, rename it",
                    id = name.to_ascii_lowercase()
                ))
                .answers_to(RULE.aliases),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn names() {
        for yes in [
            "SECRET_PASSPHRASE",
            "SUPER_Secret",
            "password",
            "super_duper_secret_token",
            "auth",
            "apikey",
            "git_key",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(super::names_a_secret(yes), "{yes}");
        }
        for no in [
            "sunflower",
            "PUBLIC_KEY",
            "public_token",
            "SECRET_PASSPHRASE_FILE",
            "password_file",
            "AUTH_MODULE_VERSION",
            "KEYRING",
            "TOKENIZERS_PARALLELISM",
            "MONKEY",
            "PASSWORDLESS",
        ] {
            assert!(!super::names_a_secret(no), "{no}");
        }
    }

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            (
                "FROM scratch\nARG DB_PASSWORD\nENV API_TOKEN=x other=y\n",
                2,
            ),
            ("FROM scratch\nENV password=bar secret=baz\n", 2),
            // Before the first FROM, an ARG only feeds FROM lines.
            ("ARG REGISTRY_TOKEN\nFROM scratch\n", 0),
            (
                "FROM scratch\nENV PUBLIC_KEY=abc TOKEN_FILE=/run/secrets/t\n",
                0,
            ),
            (
                "FROM scratch\nENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D\n",
                0,
            ),
            (
                "FROM scratch\nENV USE_AUTH=True AUTH_PORT=8443 KEY_PATH=/etc/app/key.pem\n",
                0,
            ),
            // An empty value or a variable reference is judged by the name.
            (
                "FROM scratch\nARG TOKEN\nENV git_key= API_TOKEN=${TOKEN}\n",
                3,
            ),
        ];
        assert_counts(super::check, cases);
    }
}
