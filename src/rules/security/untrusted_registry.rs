//! untrusted-registry: a base image from a registry the project's configuration does not list
//! (`trusted-registries`, or hadolint's `trustedRegistries`). Quiet without that setting.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Base, Model};
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "untrusted-registry",
    group: "security",
    severity: Severity::Warning,
    summary: "a base image from a registry the configuration does not trust",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/untrusted-registry.md"),
    aliases: &["DL3026"],
    default: true,
    check,
};

/// The registry host of an image reference: its first component when that names a host (a dot,
/// a port or `localhost`), else Docker Hub.
pub fn registry_of(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => {
            first.to_ascii_lowercase()
        }
        _ => "docker.io".to_string(),
    }
}

/// `docker.io` also stands for Docker Hub's other names; `*.example.com` matches its subdomains.
fn trusted(registry: &str, list: &[String]) -> bool {
    let hub = |r: &str| matches!(r, "docker.io" | "index.docker.io" | "registry-1.docker.io");
    list.iter().any(|t| {
        t == registry
            || (hub(t) && hub(registry))
            || t.strip_prefix("*.")
                .is_some_and(|d| registry.ends_with(&format!(".{d}")))
    })
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let list = &m.purpose.trusted_registries;
    if list.is_empty() {
        return;
    }
    for stage in &m.stages {
        let (Base::Image(image), Some(word)) = (&stage.base, &stage.base_word) else {
            continue;
        };
        // A name the build fills in is not known here.
        if !m.unset_vars_at(stage.from_instr, &word.value).is_empty() {
            continue;
        }
        let registry = registry_of(image);
        if trusted(&registry, list) {
            continue;
        }
        out.push(
            Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!("`{image}` comes from `{registry}`, which is not among the trusted registries"),
                word.span,
            )
            .label("not a trusted registry")
            .help(format!(
                "take the image from one of {}, or add `{registry}` to `trusted-registries` in the configuration",
                list.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
            ))
            .answers_to(RULE.aliases),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, Purpose};
    use std::collections::BTreeMap;

    fn count(text: &str, list: &[&str]) -> usize {
        let file = crate::syntax::parse(text).expect("parses");
        let purpose = Purpose {
            trusted_registries: list.iter().map(|s| s.to_string()).collect(),
            ..Purpose::default()
        };
        let m = Model::build_for(&file, None, &BTreeMap::new(), &purpose);
        let mut out = Vec::new();
        super::check(&m, &mut out);
        out.len()
    }

    #[test]
    fn table() {
        let hub_and_ghcr = &["docker.io", "ghcr.io"][..];
        assert_eq!(
            count(
                "FROM quay.io/prometheus/node-exporter:v1.8.2\n",
                hub_and_ghcr
            ),
            1
        );
        assert_eq!(count("FROM localhost:5000/app:1\n", hub_and_ghcr), 1);
        assert_eq!(
            count(
                "FROM python:3.12\nFROM bitnami/redis:7.4\nFROM ghcr.io/astral-sh/uv:0.4\n",
                hub_and_ghcr
            ),
            0
        );
        assert_eq!(
            count("FROM index.docker.io/library/python:3.12\n", hub_and_ghcr),
            0
        );
        assert_eq!(count("FROM eu.gcr.io/p/app:1\n", &["*.gcr.io"]), 0);
        assert_eq!(count("FROM gcr.io/p/app:1\n", &["*.gcr.io"]), 1);
        // Stages, scratch and names the build fills in are not images of a registry.
        assert_eq!(
            count(
                "FROM ghcr.io/x/y:1 AS base\nFROM base\nFROM scratch\n",
                &["ghcr.io"]
            ),
            0
        );
        assert_eq!(count("ARG BASE\nFROM $BASE\n", &["ghcr.io"]), 0);
        assert_eq!(
            count("ARG BASE=quay.io/x/y:1\nFROM $BASE\n", &["ghcr.io"]),
            1
        );
        // No list: any registry.
        assert_eq!(count("FROM quay.io/x/y:1\n", &[]), 0);
    }
}
