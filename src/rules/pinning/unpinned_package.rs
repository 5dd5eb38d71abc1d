//! unpinned-package: a package named on an install command line without a version, so that a
//! rebuild may install another one. Covers hadolint's pinning rules, one alias per package
//! manager; off by default.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::rules::{FixAvailability, Rule};
use crate::shell::{recognise, CommandKind, Tool, ToolCommand};
use crate::syntax::Keyword;

pub static RULE: Rule = Rule {
    name: "unpinned-package",
    group: "pinning",
    severity: Severity::Warning,
    summary: "a package installed without a version",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/unpinned-package.md"),
    aliases: &[
        "DL3008", "DL3018", "DL3033", "DL3041", "DL3037", "DL3013", "DL3016", "DL3028", "DL3062",
    ],
    default: false,
    check,
};

/// The hadolint code for a package manager's pinning rule, and how a pinned package looks.
fn code_and_example(tool: Tool) -> Option<(&'static [&'static str], &'static str)> {
    Some(match tool {
        Tool::AptGet => (&["DL3008"], "curl=8.5.0-2ubuntu10"),
        Tool::Apk => (&["DL3018"], "curl=8.12.1-r0"),
        Tool::Yum => (&["DL3033"], "httpd-2.4.6"),
        Tool::Dnf | Tool::Microdnf => (&["DL3041"], "httpd-2.4.62"),
        Tool::Zypper => (&["DL3037"], "curl=8.6.0"),
        Tool::Pip => (&["DL3013"], "flask==3.0.3"),
        Tool::Npm => (&["DL3016"], "typescript@5.6.3"),
        Tool::Gem => (&["DL3028"], "rails:7.2.1"),
        Tool::Go => (&["DL3062"], "golang.org/x/tools/gopls@v0.16.2"),
        _ => return None,
    })
}

/// A word that names a file, a URL or a repository rather than a package from an index: it is
/// pinned by what it points to.
fn is_reference(w: &str) -> bool {
    w.contains("://")
        || w.starts_with('.')
        || w.starts_with('/')
        || w.starts_with('~')
        || w.starts_with("git+")
        || w.starts_with("git@")
        || [
            ".deb", ".rpm", ".apk", ".whl", ".tar.gz", ".tgz", ".zip", ".gem",
        ]
        .iter()
        .any(|e| w.ends_with(e))
}

/// Does `w` carry a version, as `tool` writes one?
fn has_version(tool: Tool, w: &str, tc: &ToolCommand) -> bool {
    match tool {
        Tool::AptGet => w.contains('='),
        Tool::Apk | Tool::Zypper => w.contains(['=', '<', '>', '~']),
        // `name-version[-release]`: a dash followed by a digit after the name.
        Tool::Yum | Tool::Dnf | Tool::Microdnf => {
            w.match_indices('-')
                .any(|(i, _)| w[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
                || w.contains(['=', '<', '>'])
        }
        Tool::Pip => w.contains(['=', '<', '>', '~', '@']),
        Tool::Npm => {
            // `@scope/name` starts with the scope's `@`; the version comes after another.
            let rest = w.strip_prefix('@').unwrap_or(w);
            matches!(rest.split_once('@'), Some((_, v)) if !v.is_empty() && v != "latest" && v != "next")
        }
        Tool::Gem => {
            w.contains(':')
                || tc
                    .options
                    .iter()
                    .any(|o| o.name == "-v" || o.name == "--version")
        }
        // `go install pkg` with no `@` builds the version the current module requires.
        Tool::Go => match w.rsplit_once('@') {
            Some((_, v)) => !matches!(v, "" | "latest" | "master" | "main" | "HEAD"),
            None => true,
        },
        _ => true,
    }
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    for (i, _) in m.instructions_of(Keyword::Run) {
        for c in m.commands(i) {
            let Some(tc) = recognise(c) else { continue };
            // Packages named beside a manifest or the source (`pip install -r r.txt flask`,
            // `pip install . flask`) count as well.
            if tc.packages.is_empty() || tc.kind == CommandKind::Other {
                continue;
            }
            let Some((code, example)) = code_and_example(tc.tool) else {
                continue;
            };
            if tc.tool == Tool::Go && tc.subcommand.as_deref() != Some("install") {
                continue;
            }
            for p in &tc.packages {
                let w = p.value.as_str();
                // A word the build fills in (`$PACKAGES`) or a pattern is not judged.
                if w.is_empty()
                    || w.contains(['$', '`', '*', '?', '['])
                    || w.starts_with('@')
                        && matches!(
                            tc.tool,
                            Tool::Yum | Tool::Dnf | Tool::Microdnf | Tool::Zypper
                        )
                    || is_reference(w)
                    || has_version(tc.tool, w, &tc)
                {
                    continue;
                }
                let tool = tc.tool.as_str();
                out.push(
                    Diagnostic::new(
                        RULE.name,
                        RULE.severity,
                        format!("`{w}` is installed with {tool} without a version, so a rebuild may install another one"),
                        p.span,
                    )
                    .label("no version")
                    .help(format!("name the version, as in `{example}`"))
                    .answers_to(code),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::assert_counts;

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("FROM debian:12\nRUN apt-get install -y curl git=1:2.39.5-0+deb12u1\n", 1),
            ("FROM debian:12\nRUN apt-get install -y ./local.deb curl=8.5\n", 0),
            ("FROM alpine:3.20\nRUN apk add --no-cache curl bash=5.2.26-r0 'jq>1.6'\n", 1),
            ("FROM fedora:41\nRUN dnf install -y httpd php-8.3.1 @development-tools\n", 1),
            ("FROM centos:7\nRUN yum install -y httpd-2.4.6 https://x/y.rpm\n", 0),
            ("FROM opensuse/leap:15\nRUN zypper install -y curl\n", 1),
            ("FROM python:3.12\nRUN pip install flask requests==2.32.3 'django>=5' .\n", 1),
            ("FROM python:3.12\nRUN pip install -r requirements.txt\n", 0),
            ("FROM node:20\nRUN npm install -g typescript @angular/cli@18.2.1 @vue/cli pm2@latest\n", 3),
            ("FROM ruby:3.3\nRUN gem install bundler:2.5.22 rails\n", 1),
            ("FROM ruby:3.3\nRUN gem install rails -v 7.2.1\n", 0),
            ("FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest github.com/x/y@v1.2.3\n", 1),
            ("FROM golang:1.23\nRUN go install ./cmd/app\n", 0),
            // A word the build fills in.
            ("FROM debian:12\nRUN apt-get install -y $PACKAGES\n", 0),
        ];
        assert_counts(super::check, cases);
    }
}
