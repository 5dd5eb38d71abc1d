//! hadolint's configuration file (`.hadolint.yaml`), read as layerlint settings so that a
//! project switching over keeps its choices. Rule codes act through the codes layerlint's
//! findings answer to: `ignored: [DL3042]` drops the pip-cache findings of package-cache-kept
//! and keeps its apt-lists ones (DL3009), as hadolint would. Keys with no layerlint meaning yet
//! are named in a warning, never dropped silently.

use super::{Config, ConfigError};
use crate::diagnostic::Severity;
use crate::model::LabelKind;
use serde_yaml_ng::Value;
use std::path::{Path, PathBuf};

/// The names hadolint looks for in a project directory.
pub const FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// Keys hadolint reads that layerlint does not act on, and what to do instead.
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "disable-ignore-pragma",
        "`# hadolint ignore=` comments are always read",
    ),
    ("format", "use --format"),
    ("no-color", "use --color never"),
    ("verbose", "use --verbose"),
];

/// Is `path` a hadolint configuration (by its extension), for `--config`?
pub fn is_hadolint_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Where hadolint finds its configuration when no layerlint one applies: the working directory
/// and its parents, then `$XDG_CONFIG_HOME/hadolint.yaml` (`~/.config` by default).
pub fn find(cwd: &Path) -> Option<PathBuf> {
    let local = cwd
        .ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file());
    local.or_else(|| {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("hadolint.yaml")).filter(|p| p.is_file())
    })
}

/// hadolint's severities as layerlint's: `style` is the mildest, like `info`.
fn level(name: &str) -> Option<Severity> {
    match name.to_ascii_lowercase().as_str() {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" | "style" => Some(Severity::Info),
        _ => None,
    }
}

/// A list of rule codes (`[DL3008, SC2086]`); a single string counts as a list of one.
fn codes(file: &str, key: &str, v: &Value) -> Result<Vec<String>, ConfigError> {
    let invalid = || ConfigError::Read {
        file: file.to_string(),
        message: format!("`{key}`: expected a list of rule codes such as [DL3008, SC2086]"),
    };
    let items: Vec<&Value> = match v {
        Value::Sequence(s) => s.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|i| match i {
            Value::String(s) => Ok(s.trim().to_ascii_uppercase()),
            _ => Err(invalid()),
        })
        .collect()
}

/// Check `text` as hadolint's configuration at `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    let read_error = |message: String| ConfigError::Read {
        file: shown.clone(),
        message,
    };
    let doc: Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" at line {}", l.line()))
            .unwrap_or_default();
        read_error(format!("invalid YAML{at}: {e}"))
    })?;
    let mut config = Config::empty(path);
    let map = match doc {
        Value::Mapping(m) => m,
        // An empty file is an empty configuration.
        Value::Null => return Ok(config),
        _ => return Err(read_error("expected a mapping of hadolint settings".into())),
    };
    for (k, v) in &map {
        let Some(key) = k.as_str() else {
            return Err(read_error("keys must be strings".into()));
        };
        match key {
            "ignored" => config.alias_ignored.extend(codes(&shown, key, v)?),
            "label-schema" => {
                let Value::Mapping(m) = v else {
                    return Err(read_error(
                        "`label-schema`: expected a mapping of label names to kinds".into(),
                    ));
                };
                let mut schema = Vec::new();
                for (name, kind) in m {
                    let (Some(name), Some(kind)) =
                        (name.as_str(), kind.as_str().and_then(LabelKind::parse))
                    else {
                        return Err(read_error(format!(
                            "`label-schema`: each label needs a kind: {}",
                            LabelKind::NAMES
                        )));
                    };
                    schema.push((name.to_string(), kind));
                }
                config.label_schema = Some(schema);
            }
            "strict-labels" => {
                let Value::Bool(b) = v else {
                    return Err(read_error("`strict-labels`: expected true or false".into()));
                };
                config.strict_labels = Some(*b);
            }
            "trustedRegistries" => {
                let items: Vec<&Value> = match v {
                    Value::Sequence(s) => s.iter().collect(),
                    Value::Null => Vec::new(),
                    other => vec![other],
                };
                let mut hosts = Vec::new();
                for i in items {
                    let Value::String(s) = i else {
                        return Err(read_error(
                            "`trustedRegistries`: expected a list of registry hosts such as [docker.io, ghcr.io]".into(),
                        ));
                    };
                    hosts.push(s.trim().to_ascii_lowercase());
                }
                config.trusted_registries = Some(hosts);
            }
            "override" => {
                let Value::Mapping(levels) = v else {
                    return Err(read_error(
                        "`override`: expected error, warning, info and style lists".into(),
                    ));
                };
                for (lk, lv) in levels {
                    let name = lk.as_str().unwrap_or_default();
                    let Some(sev) = level(name) else {
                        return Err(read_error(format!(
                            "`override.{name}`: not a severity (error, warning, info or style)"
                        )));
                    };
                    for code in codes(&shown, &format!("override.{name}"), lv)? {
                        config.alias_severity.insert(code, sev);
                    }
                }
            }
            "failure-threshold" => {
                let name = v.as_str().unwrap_or_default().to_ascii_lowercase();
                match name.as_str() {
                    "none" | "ignore" => config.no_fail = true,
                    _ => match level(&name) {
                        Some(sev) => config.fail_level = Some(sev),
                        None => {
                            return Err(read_error(format!(
                                "`failure-threshold`: `{name}` is not error, warning, info, style, ignore or none"
                            )))
                        }
                    },
                }
            }
            "no-fail" => match v {
                Value::Bool(b) => config.no_fail |= *b,
                _ => return Err(read_error("`no-fail`: expected true or false".into())),
            },
            _ => match UNSUPPORTED.iter().find(|(k, _)| *k == key) {
                Some((_, why)) => config.warnings.push(format!("`{key}` is not read: {why}")),
                None => config
                    .warnings
                    .push(format!("`{key}` is not a hadolint setting; it is not read")),
            },
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Config {
        parse(Path::new(".hadolint.yaml"), text).expect("parses")
    }

    #[test]
    fn settings_map_to_codes_and_levels() {
        let c = parse_ok(
            "ignored:\n  - DL3008\n  - sc2086\noverride:\n  error: [DL3025]\n  style:\n    - DL3009\nfailure-threshold: warning\ntrustedRegistries: [docker.io]\n",
        );
        assert!(c.alias_ignored.contains("DL3008"));
        assert!(c.alias_ignored.contains("SC2086"));
        assert_eq!(c.alias_severity.get("DL3025"), Some(&Severity::Error));
        assert_eq!(c.alias_severity.get("DL3009"), Some(&Severity::Info));
        assert_eq!(c.fail_level, Some(Severity::Warning));
        assert!(!c.no_fail);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert_eq!(c.trusted_registries, Some(vec!["docker.io".to_string()]));
    }

    #[test]
    fn thresholds_that_never_fail() {
        assert!(parse_ok("failure-threshold: none\n").no_fail);
        assert!(parse_ok("failure-threshold: ignore\n").no_fail);
        assert!(parse_ok("no-fail: true\n").no_fail);
        assert!(!parse_ok("no-fail: false\n").no_fail);
        assert!(parse_ok("").alias_ignored.is_empty());
    }

    #[test]
    fn errors_name_the_key() {
        for (text, want) in [
            ("ignored: {a: 1}\n", "`ignored`"),
            ("override:\n  fatal: [DL3000]\n", "`override.fatal`"),
            ("failure-threshold: high\n", "`failure-threshold`"),
            ("ignored: [\n", "invalid YAML at line"),
            ("- a\n", "expected a mapping"),
        ] {
            let e = parse(Path::new("x/.hadolint.yaml"), text)
                .err()
                .unwrap_or_else(|| panic!("{text} parsed"));
            let msg = e.to_string();
            assert!(msg.starts_with("x/.hadolint.yaml: "), "{msg}");
            assert!(msg.contains(want), "{text}: {msg}");
        }
    }

    #[test]
    fn unknown_keys_warn() {
        let c = parse_ok("ignore: [DL3008]\n");
        assert_eq!(
            c.warnings,
            vec!["`ignore` is not a hadolint setting; it is not read".to_string()]
        );
    }
}
