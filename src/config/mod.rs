//! Project configuration: `.layerlint.toml` or `layerlint.toml`, the nearest one above each
//! linted file (else hadolint's `.hadolint.yaml`, see [`hadolint`]), merged with the command
//! line into the settings that file is linted with.

pub mod hadolint;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::LabelKind;
use crate::rules::suppress::closest_among;
use crate::rules::{self, Rule, RULES};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The names looked for in each directory, in order of preference (ruff's: the hidden file
/// wins when both exist).
pub const FILE_NAMES: [&str; 2] = [".layerlint.toml", "layerlint.toml"];

const KEYS: &[&str] = &[
    "select",
    "ignore",
    "extend-select",
    "extend-ignore",
    "contexts",
    "severity",
    "fail-level",
    "build-args",
    "per-file-ignores",
    "trusted-registries",
    "label-schema",
    "strict-labels",
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{file}: {message}")]
    Read { file: String, message: String },
    #[error("{file}:{line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
}

/// Rule selectors (rule names, group names or `all`) as one layer of configuration states them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleLayer {
    /// `None` keeps what the layer below selected; `Some` replaces it.
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    /// `ignore` and `extend-ignore` together: both remove from the selection.
    pub ignore: Vec<String>,
}

impl RuleLayer {
    fn apply(&self, set: &mut BTreeSet<&'static str>) {
        if let Some(select) = &self.select {
            *set = expand(select);
        }
        set.extend(expand(&self.extend_select));
        for r in expand_ignored(&self.ignore) {
            set.remove(r);
        }
    }
}

/// The rules that a list of selectors names; another tool's code selects the rules covering it.
fn expand(names: &[String]) -> BTreeSet<&'static str> {
    let mut out = expand_ignored(names);
    for n in names {
        if let Some((_, rules)) = rules::covering(n) {
            out.extend(rules.iter().map(|r| r.name));
        }
    }
    out
}

/// The rules that a list of ignored selectors removes. Another tool's code removes no rule: it
/// drops the findings that answer to it (`aliases_in`), since a rule may cover several codes.
fn expand_ignored(names: &[String]) -> BTreeSet<&'static str> {
    RULES
        .iter()
        .filter(|r| {
            names
                .iter()
                .any(|n| is_all(n) || n == r.name || n == r.group)
        })
        .map(|r| r.name)
        .collect()
}

/// The other tools' codes among `names` (which are not also a rule or group name), spelled as
/// the rules spell them.
fn aliases_in(names: &[String]) -> impl Iterator<Item = &'static str> + '_ {
    names
        .iter()
        .filter(|n| rules::find(n).is_none() && !rules::groups().contains(&n.as_str()))
        .filter_map(|n| rules::covering(n).map(|(a, _)| a))
}

/// `all`, or ruff's `ALL`.
fn is_all(name: &str) -> bool {
    name.eq_ignore_ascii_case("all")
}

fn is_selector(name: &str) -> bool {
    is_all(name)
        || rules::find(name).is_some()
        || rules::groups().contains(&name)
        || rules::covering(name).is_some()
}

fn unknown_selector(name: &str) -> String {
    let names: Vec<&str> = RULES
        .iter()
        .map(|r| r.name)
        .chain(rules::groups())
        .chain(["all"])
        .collect();
    match closest_among(name, names) {
        Some(c) => format!("unknown rule or group `{name}` (did you mean `{c}`?)"),
        None => format!("unknown rule or group `{name}`; `layerlint rules` lists them"),
    }
}

/// A `[per-file-ignores]` entry.
#[derive(Clone, Debug)]
struct PerFileIgnore {
    glob: globset::GlobMatcher,
    /// A pattern without `/` also matches the file name alone, as in `.gitignore`.
    basename: bool,
    rules: Vec<String>,
}

/// A `[contexts]` entry: the Dockerfiles a glob matches are built with `dir` as the context.
#[derive(Clone, Debug)]
struct ContextFor {
    glob: globset::GlobMatcher,
    basename: bool,
    dir: PathBuf,
}

/// One configuration file, checked.
#[derive(Clone, Debug)]
pub struct Config {
    pub path: PathBuf,
    /// The directory holding the file: `per-file-ignores` globs are relative to it.
    pub dir: PathBuf,
    pub rules: RuleLayer,
    /// Rule or group name → severity; a rule's own entry wins over its group's.
    pub severity: BTreeMap<String, Severity>,
    pub fail_level: Option<Severity>,
    pub build_args: BTreeMap<String, String>,
    /// Registries base images may come from; `None`: not set, any.
    pub trusted_registries: Option<Vec<String>>,
    /// Label name → the kind of value it holds; `None`: not set.
    pub label_schema: Option<Vec<(String, LabelKind)>>,
    pub strict_labels: Option<bool>,
    per_file_ignores: Vec<PerFileIgnore>,
    contexts: Vec<ContextFor>,
    /// Other tools' codes (hadolint's `ignored`): findings answering to one are dropped.
    pub alias_ignored: BTreeSet<String>,
    /// Other tools' codes → the severity of the findings answering to them (hadolint's
    /// `override`).
    pub alias_severity: BTreeMap<String, Severity>,
    /// Findings never fail the run (hadolint's `failure-threshold: none`, `no-fail`).
    pub no_fail: bool,
    /// Settings that were read but have no effect, for a warning when the file is loaded.
    pub warnings: Vec<String>,
}

/// A glob of `per-file-ignores` or `contexts`, relative to the configuration's directory.
fn file_glob(
    table: &str,
    pattern: &str,
    span: std::ops::Range<usize>,
    err: &ErrFn,
) -> Result<globset::GlobMatcher, ConfigError> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| {
            err(
                span,
                format!("`{table}`: invalid glob `{pattern}`: {}", e.kind()),
            )
        })
}

impl Config {
    /// A configuration at `path` that changes nothing.
    fn empty(path: &Path) -> Config {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Config {
            path: path.to_path_buf(),
            dir: abs.parent().map(Path::to_path_buf).unwrap_or_default(),
            rules: RuleLayer::default(),
            severity: BTreeMap::new(),
            fail_level: None,
            build_args: BTreeMap::new(),
            trusted_registries: None,
            label_schema: None,
            strict_labels: None,
            per_file_ignores: Vec::new(),
            contexts: Vec::new(),
            alias_ignored: BTreeSet::new(),
            alias_severity: BTreeMap::new(),
            no_fail: false,
            warnings: Vec::new(),
        }
    }

    /// A layerlint configuration, or hadolint's when the name ends in `.yaml` or `.yml`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            file: path.display().to_string(),
            message: crate::os_message::io_message(&e),
        })?;
        if hadolint::is_hadolint_file(path) {
            return hadolint::parse(path, &text);
        }
        Config::parse(path, &text)
    }

    /// Check `text` as the contents of `path`. Every error names the file, the line and the key.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let err = |span: std::ops::Range<usize>, message: String| ConfigError::Invalid {
            file: shown.clone(),
            line: line_of(text, span.start),
            message,
        };
        let doc = DeTable::parse(text).map_err(|e| {
            err(
                e.span().unwrap_or(0..0),
                format!("invalid TOML: {}", e.message().trim_end()),
            )
        })?;
        let mut config = Config::empty(path);
        for (key, value) in in_file_order(doc.get_ref()) {
            let name: &str = key.get_ref();
            match name {
                "select" => config.rules.select = Some(selectors(name, value, &err)?),
                "extend-select" => config.rules.extend_select = selectors(name, value, &err)?,
                "ignore" | "extend-ignore" => {
                    config.rules.ignore.extend(selectors(name, value, &err)?)
                }
                "fail-level" => config.fail_level = Some(severity(name, value, &err)?),
                "severity" => {
                    for (k, v) in in_file_order(table(name, value, &err)?) {
                        let rule: &str = k.get_ref();
                        if rules::find(rule).is_none()
                            && !rules::groups().contains(&rule)
                            && rules::covering(rule).is_none()
                        {
                            return Err(err(
                                k.span(),
                                format!("`severity`: {}", unknown_selector(rule)),
                            ));
                        }
                        let level = severity(&format!("severity.{rule}"), v, &err)?;
                        config.severity.insert(rule.to_string(), level);
                    }
                }
                "build-args" => {
                    for (k, v) in in_file_order(table(name, value, &err)?) {
                        let arg: &str = k.get_ref();
                        let DeValue::String(s) = v.get_ref() else {
                            return Err(err(
                                v.span(),
                                format!("`build-args.{arg}`: expected a string (quote the value)"),
                            ));
                        };
                        config.build_args.insert(arg.to_string(), s.to_string());
                    }
                }
                "trusted-registries" => {
                    let invalid = || {
                        err(
                            value.span(),
                            "`trusted-registries`: expected a list of registry hosts such as [\"docker.io\", \"ghcr.io\"]".to_string(),
                        )
                    };
                    let DeValue::Array(items) = value.get_ref() else {
                        return Err(invalid());
                    };
                    let mut hosts = Vec::new();
                    for item in items {
                        let DeValue::String(s) = item.get_ref() else {
                            return Err(invalid());
                        };
                        hosts.push(s.trim().to_ascii_lowercase());
                    }
                    config.trusted_registries = Some(hosts);
                }
                "label-schema" => {
                    let mut schema = Vec::new();
                    for (k, v) in in_file_order(table(name, value, &err)?) {
                        let label: &str = k.get_ref();
                        let kind = match v.get_ref() {
                            DeValue::String(s) => LabelKind::parse(s),
                            _ => None,
                        };
                        let Some(kind) = kind else {
                            let message = match v.get_ref() {
                                // `org.opencontainers.image.source = "url"` is a dotted key.
                                DeValue::Table(_) => format!("`label-schema.{label}`: quote a label name that has dots (`\"{label}.…\" = \"url\"`)"),
                                _ => format!("`label-schema.{label}`: expected {}", LabelKind::NAMES),
                            };
                            return Err(err(v.span(), message));
                        };
                        schema.push((label.to_string(), kind));
                    }
                    config.label_schema = Some(schema);
                }
                "strict-labels" => {
                    let DeValue::Boolean(b) = value.get_ref() else {
                        return Err(err(
                            value.span(),
                            "`strict-labels`: expected true or false".to_string(),
                        ));
                    };
                    config.strict_labels = Some(*b);
                }
                "per-file-ignores" => {
                    for (k, v) in in_file_order(table(name, value, &err)?) {
                        let pattern: &str = k.get_ref();
                        let glob = file_glob(name, pattern, k.span(), &err)?;
                        let rules = selectors(&format!("per-file-ignores.\"{pattern}\""), v, &err)?;
                        config.per_file_ignores.push(PerFileIgnore {
                            glob,
                            basename: !pattern.contains('/'),
                            rules,
                        });
                    }
                }
                "contexts" => {
                    for (k, v) in in_file_order(table(name, value, &err)?) {
                        let pattern: &str = k.get_ref();
                        let glob = file_glob(name, pattern, k.span(), &err)?;
                        let DeValue::String(dir) = v.get_ref() else {
                            return Err(err(
                                v.span(),
                                format!(
                                    "`contexts.\"{pattern}\"`: expected a directory (a string)"
                                ),
                            ));
                        };
                        config.contexts.push(ContextFor {
                            glob,
                            basename: !pattern.contains('/'),
                            dir: config.dir.join(dir.as_ref()),
                        });
                    }
                }
                _ => {
                    let hint = closest_among(name, KEYS.iter().copied())
                        .map(|k| format!(" (did you mean `{k}`?)"))
                        .unwrap_or_default();
                    return Err(err(key.span(), format!("unknown key `{name}`{hint}")));
                }
            }
        }
        Ok(config)
    }

    /// The build context `[contexts]` gives `file` (an absolute path): the first entry whose
    /// glob matches it.
    fn context_for(&self, file: &Path) -> Option<PathBuf> {
        let relative = file.strip_prefix(&self.dir).ok();
        let name = file.file_name().map(Path::new);
        self.contexts
            .iter()
            .find(|c| {
                relative.is_some_and(|r| c.glob.is_match(r))
                    || (c.basename && name.is_some_and(|n| c.glob.is_match(n)))
            })
            .map(|c| c.dir.clone())
    }

    /// The `per-file-ignores` selectors that apply to `file` (an absolute path).
    fn ignored_for(&self, file: &Path) -> Vec<String> {
        let relative = file.strip_prefix(&self.dir).ok();
        let name = file.file_name().map(Path::new);
        self.per_file_ignores
            .iter()
            .filter(|p| {
                relative.is_some_and(|r| p.glob.is_match(r))
                    || (p.basename && name.is_some_and(|n| p.glob.is_match(n)))
            })
            .flat_map(|p| p.rules.iter().cloned())
            .collect()
    }
}

type ErrFn<'a> = dyn Fn(std::ops::Range<usize>, String) -> ConfigError + 'a;

/// The entries of a table in the order they are written, so the first mistake is the one
/// reported first.
fn in_file_order<'a, 'i>(
    t: &'a DeTable<'i>,
) -> Vec<(
    &'a Spanned<std::borrow::Cow<'i, str>>,
    &'a Spanned<DeValue<'i>>,
)> {
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

fn table<'a, 'i>(
    key: &str,
    value: &'a Spanned<DeValue<'i>>,
    err: &ErrFn,
) -> Result<&'a DeTable<'i>, ConfigError> {
    match value.get_ref() {
        DeValue::Table(t) => Ok(t),
        _ => Err(err(value.span(), format!("`{key}`: expected a table"))),
    }
}

/// A list of rule or group names; a single string is accepted as a list of one.
fn selectors(
    key: &str,
    value: &Spanned<DeValue<'_>>,
    err: &ErrFn,
) -> Result<Vec<String>, ConfigError> {
    let items: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
        DeValue::Array(a) => a.iter().collect(),
        DeValue::String(_) => vec![value],
        _ => {
            return Err(err(
                value.span(),
                format!("`{key}`: expected a list of rule or group names"),
            ))
        }
    };
    let mut out = Vec::new();
    for item in items {
        let DeValue::String(s) = item.get_ref() else {
            return Err(err(
                item.span(),
                format!("`{key}`: expected a rule or group name (a string)"),
            ));
        };
        if !is_selector(s) {
            return Err(err(
                item.span(),
                format!("`{key}`: {}", unknown_selector(s)),
            ));
        }
        out.push(s.to_string());
    }
    Ok(out)
}

fn severity(key: &str, value: &Spanned<DeValue<'_>>, err: &ErrFn) -> Result<Severity, ConfigError> {
    match value.get_ref() {
        DeValue::String(s) => Severity::parse(s),
        _ => None,
    }
    .ok_or_else(|| {
        err(
            value.span(),
            format!("`{key}`: expected \"error\", \"warning\" or \"info\""),
        )
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The configuration file nearest to `dir`, walking up to the filesystem root. A repository
/// boundary (`.git`) does not stop the walk: a configuration above a checkout still applies,
/// as with ruff.
pub fn find_nearest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// What the command line says, which wins over every configuration file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub rules: RuleLayer,
    pub fail_level: Option<Severity>,
    pub build_args: BTreeMap<String, String>,
}

impl Overrides {
    /// Rule names given on the command line, checked like those of a configuration file.
    pub fn check(&self) -> Result<(), String> {
        let r = &self.rules;
        for name in r
            .select
            .iter()
            .flatten()
            .chain(&r.extend_select)
            .chain(&r.ignore)
        {
            if !is_selector(name) {
                return Err(unknown_selector(name));
            }
        }
        Ok(())
    }
}

/// Everything one Dockerfile is linted with.
#[derive(Clone, Debug)]
pub struct Settings {
    enabled: BTreeSet<&'static str>,
    severity: BTreeMap<&'static str, Severity>,
    pub fail_level: Severity,
    pub build_args: BTreeMap<String, String>,
    /// Registries base images may come from; empty: any.
    pub trusted_registries: Vec<String>,
    pub label_schema: Vec<(String, LabelKind)>,
    pub strict_labels: bool,
    /// The configuration file these settings come from.
    pub config_file: Option<PathBuf>,
    /// The build context the configuration's `[contexts]` gives this file.
    pub context: Option<PathBuf>,
    alias_ignored: BTreeSet<String>,
    alias_severity: BTreeMap<String, Severity>,
    /// Findings never fail the run: a configuration says so and the command line gives no
    /// `--fail-level`.
    pub no_fail: bool,
}

impl Settings {
    /// Precedence, lowest first: the rules on by default; the configuration's `select`/`extend-select`/
    /// `ignore`; the command line's; then the configuration's `per-file-ignores` for `file`.
    pub fn new(config: Option<&Config>, overrides: &Overrides, file: &Path) -> Settings {
        let mut enabled: BTreeSet<&'static str> =
            RULES.iter().filter(|r| r.default).map(|r| r.name).collect();
        if let Some(c) = config {
            c.rules.apply(&mut enabled);
        }
        overrides.rules.apply(&mut enabled);
        // Other tools' codes named in an ignore list drop the findings that answer to them.
        let mut alias_ignored: BTreeSet<String> =
            config.map(|c| c.alias_ignored.clone()).unwrap_or_default();
        let mut alias_severity: BTreeMap<String, Severity> =
            config.map(|c| c.alias_severity.clone()).unwrap_or_default();
        alias_ignored.extend(aliases_in(&overrides.rules.ignore).map(str::to_string));
        if let Some(c) = config {
            alias_ignored.extend(aliases_in(&c.rules.ignore).map(str::to_string));
            let ignored = c.ignored_for(file);
            for r in expand_ignored(&ignored) {
                enabled.remove(r);
            }
            alias_ignored.extend(aliases_in(&ignored).map(str::to_string));
            for (name, level) in &c.severity {
                if let Some(a) = aliases_in(std::slice::from_ref(name)).next() {
                    alias_severity.insert(a.to_string(), *level);
                }
            }
        }
        let mut severity = BTreeMap::new();
        if let Some(c) = config {
            for rule in RULES {
                let level = c
                    .severity
                    .get(rule.name)
                    .or_else(|| c.severity.get(rule.group));
                if let Some(level) = level {
                    severity.insert(rule.name, *level);
                }
            }
        }
        let mut build_args = config.map(|c| c.build_args.clone()).unwrap_or_default();
        build_args.extend(overrides.build_args.clone());
        Settings {
            enabled,
            severity,
            fail_level: overrides
                .fail_level
                .or(config.and_then(|c| c.fail_level))
                .unwrap_or(Severity::Warning),
            build_args,
            trusted_registries: config
                .and_then(|c| c.trusted_registries.clone())
                .unwrap_or_default(),
            label_schema: config
                .and_then(|c| c.label_schema.clone())
                .unwrap_or_default(),
            strict_labels: config.and_then(|c| c.strict_labels).unwrap_or(false),
            config_file: config.map(|c| c.path.clone()),
            context: config.and_then(|c| c.context_for(file)),
            alias_ignored,
            alias_severity,
            no_fail: overrides.fail_level.is_none() && config.is_some_and(|c| c.no_fail),
        }
    }

    /// Other tools' codes whose findings are dropped, and those whose findings get a severity.
    pub fn alias_settings(&self) -> (Vec<&str>, Vec<(&str, Severity)>) {
        (
            self.alias_ignored.iter().map(String::as_str).collect(),
            self.alias_severity
                .iter()
                .map(|(c, s)| (c.as_str(), *s))
                .collect(),
        )
    }

    /// Does a finding of severity `s` fail the run?
    pub fn fails_on(&self, s: Severity) -> bool {
        !self.no_fail && s >= self.fail_level
    }

    /// The rules these settings run, in registry order.
    pub fn enabled_rules(&self) -> Vec<&'static str> {
        RULES
            .iter()
            .map(|r| r.name)
            .filter(|n| self.enabled.contains(n))
            .collect()
    }

    /// Rules whose severity the configuration changes, with the new severity.
    pub fn severity_overrides(&self) -> impl Iterator<Item = (&'static str, Severity)> + '_ {
        self.severity.iter().map(|(r, s)| (*r, *s))
    }

    pub fn enabled(&self, rule: &Rule) -> bool {
        self.enabled.contains(rule.name)
    }

    /// Drop the findings that answer to an ignored code of another tool, and give each of the
    /// others the severity the configuration sets for its rule, or for a code it answers to.
    pub fn apply_severity(&self, diagnostics: &mut Vec<Diagnostic>) {
        if !self.alias_ignored.is_empty() {
            diagnostics.retain(|d| !d.aliases.iter().any(|a| self.alias_ignored.contains(*a)));
        }
        for d in diagnostics {
            if let Some(s) = self.severity.get(d.rule) {
                d.severity = *s;
            }
            if let Some(s) = d.aliases.iter().find_map(|a| self.alias_severity.get(*a)) {
                d.severity = *s;
            }
        }
    }
}

/// Which configuration applies to which file, loading each file once.
pub struct Resolver {
    overrides: Overrides,
    fixed: Option<Option<Rc<Config>>>,
    by_path: HashMap<PathBuf, Rc<Config>>,
    /// The nearest configuration file of each directory asked about.
    nearest: HashMap<PathBuf, Option<PathBuf>>,
    /// hadolint's configuration, for files that no layerlint configuration covers; looked for
    /// once, when first needed.
    hadolint: Option<Option<Rc<Config>>>,
}

impl Resolver {
    /// `config`: one file for every input (`--config`); `isolated`: no file at all.
    pub fn new(
        overrides: Overrides,
        config: Option<&Path>,
        isolated: bool,
    ) -> Result<Resolver, ConfigError> {
        let fixed = match (isolated, config) {
            (true, _) => Some(None),
            (false, Some(p)) => Some(Some(Rc::new(loaded(p)?))),
            (false, None) => None,
        };
        Ok(Resolver {
            overrides,
            fixed,
            by_path: HashMap::new(),
            nearest: HashMap::new(),
            hadolint: None,
        })
    }

    /// The settings for `file`; standard input without a file name stands for a file in the
    /// current directory.
    pub fn settings_for(&mut self, file: &Path) -> Result<Settings, ConfigError> {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let config = match &self.fixed {
            Some(c) => c.clone(),
            None => {
                let dir = abs.parent().unwrap_or(Path::new("/"));
                let nearest = match self.nearest.get(dir) {
                    Some(known) => known.clone(),
                    None => {
                        let found = find_nearest(dir);
                        self.nearest.insert(dir.to_path_buf(), found.clone());
                        found
                    }
                };
                match nearest {
                    Some(p) => Some(match self.by_path.get(&p) {
                        Some(c) => c.clone(),
                        None => {
                            let c = Rc::new(loaded(&p)?);
                            self.by_path.insert(p, c.clone());
                            c
                        }
                    }),
                    None => self.hadolint()?,
                }
            }
        };
        Ok(Settings::new(config.as_deref(), &self.overrides, &abs))
    }

    fn hadolint(&mut self) -> Result<Option<Rc<Config>>, ConfigError> {
        if let Some(c) = &self.hadolint {
            return Ok(c.clone());
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let c = match hadolint::find(&cwd) {
            Some(p) => Some(Rc::new(loaded(&p)?)),
            None => None,
        };
        self.hadolint = Some(c.clone());
        Ok(c)
    }
}

/// A configuration file, loaded, with a warning for each setting in it that has no effect.
fn loaded(path: &Path) -> Result<Config, ConfigError> {
    let c = Config::load(path)?;
    for w in &c.warnings {
        eprintln!("warning: {}: {w}", path.display());
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("dir/layerlint.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn contexts_map_globs_to_directories_in_file_order() {
        let c = Config::parse(
            Path::new("/repo/layerlint.toml"),
            "[contexts]\n\"svc/api/*\" = \"svc\"\n\"svc/**\" = \".\"\n\"*.ci.Dockerfile\" = \"ci\"\n",
        )
        .unwrap();
        let at = |f: &str| c.context_for(Path::new(f));
        assert_eq!(
            at("/repo/svc/api/Dockerfile"),
            Some(PathBuf::from("/repo/svc"))
        );
        assert_eq!(
            at("/repo/svc/web/Dockerfile"),
            Some(PathBuf::from("/repo/."))
        );
        assert_eq!(
            at("/repo/x/app.ci.Dockerfile"),
            Some(PathBuf::from("/repo/ci"))
        );
        assert_eq!(at("/repo/x/Dockerfile"), None);
        assert_eq!(at("/elsewhere/svc/api/Dockerfile"), None);
        assert!(parse("[contexts]\n\"[\" = \".\"\n")
            .unwrap_err()
            .contains("`contexts`: invalid glob `[`"));
        assert!(parse("[contexts]\n\"a\" = [\".\"]\n")
            .unwrap_err()
            .contains("expected a directory"));
        assert!(parse("[context]\n")
            .unwrap_err()
            .contains("did you mean `contexts`?"));
    }

    #[test]
    fn a_full_file_parses() {
        let c = parse(
            r#"
select = ["runtime", "syntax-error"]
extend-select = ["unused-suppression"]
ignore = ["missing-cmd"]
fail-level = "error"

[severity]
shell-form-cmd = "error"
runtime = "info"

[build-args]
PYTHON_VERSION = "3.12"

[per-file-ignores]
"legacy/**" = ["runtime"]
"#,
        )
        .expect("valid");
        assert_eq!(
            c.rules.select,
            Some(vec!["runtime".to_string(), "syntax-error".to_string()])
        );
        assert_eq!(c.fail_level, Some(Severity::Error));
        assert_eq!(c.severity.get("shell-form-cmd"), Some(&Severity::Error));
        assert_eq!(
            c.build_args.get("PYTHON_VERSION").map(String::as_str),
            Some("3.12")
        );
        let s = Settings::new(Some(&c), &Overrides::default(), Path::new("/x/Dockerfile"));
        assert!(s.enabled(rules::find("shell-form-cmd").unwrap()));
        assert!(!s.enabled(rules::find("missing-cmd").unwrap()));
        assert!(s.enabled(rules::find("unused-suppression").unwrap()));
        assert_eq!(s.severity.get("shell-form-cmd"), Some(&Severity::Error));
        assert_eq!(s.severity.get("missing-cmd"), Some(&Severity::Info));
    }

    #[test]
    fn every_error_names_file_line_and_key() {
        let cases = [
            (
                "select = []\n\nselct = [\"runtime\"]\n",
                "dir/layerlint.toml:3: unknown key `selct` (did you mean `select`?)",
            ),
            (
                "ignore = [\"runtime\",\n  \"shell-from-cmd\"]\n",
                "dir/layerlint.toml:2: `ignore`: unknown rule or group `shell-from-cmd` (did you mean `shell-form-cmd`?)",
            ),
            (
                "fail-level = \"fatal\"\n",
                "dir/layerlint.toml:1: `fail-level`: expected \"error\", \"warning\" or \"info\"",
            ),
            (
                "[severity]\nshell-form-cmd = \"warning\"\nmissing-cmd = 3\n",
                "dir/layerlint.toml:3: `severity.missing-cmd`: expected \"error\", \"warning\" or \"info\"",
            ),
            (
                "[severity]\nnot-a-rule = \"info\"\n",
                "dir/layerlint.toml:2: `severity`: unknown rule or group `not-a-rule`; `layerlint rules` lists them",
            ),
            (
                "[build-args]\nPY = 3\n",
                "dir/layerlint.toml:2: `build-args.PY`: expected a string (quote the value)",
            ),
            (
                "[per-file-ignores]\n\"a/**\" = [\"runtime\"]\n\"b/*\" = [1]\n",
                "dir/layerlint.toml:3: `per-file-ignores.\"b/*\"`: expected a rule or group name (a string)",
            ),
            (
                "[per-file-ignores]\n\"a/[\" = [\"runtime\"]\n",
                "dir/layerlint.toml:2: `per-file-ignores`: invalid glob `a/[`: unclosed character class; missing ']'",
            ),
            ("build-args = 1\n", "dir/layerlint.toml:1: `build-args`: expected a table"),
            ("select = 1\n", "dir/layerlint.toml:1: `select`: expected a list of rule or group names"),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).err().as_deref(), Some(want), "{text}");
        }
        let bad = parse("select = [\n").unwrap_err();
        assert_eq!(
            bad,
            "dir/layerlint.toml:1: invalid TOML: unclosed array, expected `]`"
        );
    }

    #[test]
    fn later_layers_win() {
        let c = parse("ignore = [\"shell-form-cmd\"]\n").expect("valid");
        let file = Path::new("/x/Dockerfile");
        let rule = rules::find("shell-form-cmd").unwrap();
        assert!(!Settings::new(Some(&c), &Overrides::default(), file).enabled(rule));
        // `--extend-select` adds back what the configuration ignored ...
        let mut o = Overrides::default();
        o.rules.extend_select = vec!["shell-form-cmd".into()];
        assert!(Settings::new(Some(&c), &o, file).enabled(rule));
        // ... and `--select` replaces the configuration's selection.
        let o = Overrides {
            rules: RuleLayer {
                select: Some(vec!["runtime".into()]),
                ..RuleLayer::default()
            },
            ..Overrides::default()
        };
        let s = Settings::new(Some(&c), &o, file);
        assert!(s.enabled(rule));
        assert!(!s.enabled(rules::find("syntax-error").unwrap()));
    }

    /// A rule that is off by default runs when named, by its group, by `all` or by an alias.
    #[test]
    fn rules_off_by_default() {
        let file = Path::new("/x/Dockerfile");
        let rule = rules::find("legacy-key-value").unwrap();
        assert!(!rule.default);
        assert!(!Settings::new(None, &Overrides::default(), file).enabled(rule));
        for name in ["legacy-key-value", "style", "all", "LegacyKeyValueFormat"] {
            let mut o = Overrides::default();
            o.rules.extend_select = vec![name.into()];
            assert!(Settings::new(None, &o, file).enabled(rule), "{name}");
        }
        let c = parse("extend-select = [\"legacy-key-value\"]\n").expect("valid");
        assert!(Settings::new(Some(&c), &Overrides::default(), file).enabled(rule));
        // Rules on by default stay on beside it.
        let s = Settings::new(Some(&c), &Overrides::default(), file);
        assert!(s.enabled(rules::find("shell-form-cmd").unwrap()));
    }

    #[test]
    fn per_file_ignores_are_relative_to_the_config() {
        let c = Config::parse(
            Path::new("/repo/layerlint.toml"),
            "[per-file-ignores]\n\"legacy/*\" = [\"runtime\"]\n\"*.dev.Dockerfile\" = [\"missing-cmd\"]\n",
        )
        .expect("valid");
        let o = Overrides::default();
        let rule = rules::find("shell-form-cmd").unwrap();
        let missing = rules::find("missing-cmd").unwrap();
        assert!(!Settings::new(Some(&c), &o, Path::new("/repo/legacy/Dockerfile")).enabled(rule));
        assert!(Settings::new(Some(&c), &o, Path::new("/repo/legacy/a/Dockerfile")).enabled(rule));
        assert!(
            Settings::new(Some(&c), &o, Path::new("/repo/app/legacy/Dockerfile")).enabled(rule)
        );
        assert!(
            !Settings::new(Some(&c), &o, Path::new("/repo/a/b/x.dev.Dockerfile")).enabled(missing)
        );
    }
}
