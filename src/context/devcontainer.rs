//! Dev containers: find the `devcontainer.json` that builds a Dockerfile and take its build
//! context, target and args, as the dev-container tools do. Such an image is started by the
//! editor with a command of its own, so it never needs a CMD.

use super::compose::{absolute, normalize, same_file};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a `devcontainer.json` says about building one Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevBuild {
    pub config: PathBuf,
    /// `build.context`, relative to the folder of `devcontainer.json` (default: that folder).
    pub context: PathBuf,
    pub target: Option<String>,
    pub args: BTreeMap<String, String>,
}

/// One configuration, resolved against its folder: a Dockerfile it builds, or a compose
/// service it runs (`dockerComposeFile` and `service`).
#[derive(Debug, Clone, Default)]
struct ConfigBuild {
    config: PathBuf,
    dockerfile: Option<(PathBuf, DevBuild)>,
    compose_files: Vec<PathBuf>,
    service: Option<String>,
}

/// `devcontainer.json` files read so far; safe to share between threads.
#[derive(Default)]
pub struct DevContainerCache {
    files: Mutex<HashMap<PathBuf, Option<ConfigBuild>>>,
    /// Per directory looked in: its configuration files, and whether it is a repository root.
    dirs: Mutex<HashMap<PathBuf, (Vec<PathBuf>, bool)>>,
}

impl DevContainerCache {
    pub fn new() -> DevContainerCache {
        DevContainerCache::default()
    }

    /// The dev-container configuration that builds `dockerfile`: in its directory and each
    /// ancestor up to the repository root, `.devcontainer.json`, `.devcontainer/devcontainer.json`
    /// and `.devcontainer/<name>/devcontainer.json`. A malformed one is passed to `warn` once.
    pub fn lookup(&self, dockerfile: &Path, warn: &dyn Fn(String)) -> Option<DevBuild> {
        let target = absolute(dockerfile)?;
        self.find(&target, warn, |c| match &c.dockerfile {
            Some((df, build)) if same_file(df, &target) => Some(build.clone()),
            _ => None,
        })
    }

    /// The configuration that runs compose service `service` of `compose_file`, which builds
    /// `dockerfile`: a dev container that compose starts.
    pub fn lookup_service(
        &self,
        dockerfile: &Path,
        compose_file: &Path,
        service: &str,
        warn: &dyn Fn(String),
    ) -> Option<PathBuf> {
        let target = absolute(dockerfile)?;
        self.find(&target, warn, |c| {
            (c.service.as_deref() == Some(service)
                && c.compose_files.iter().any(|f| same_file(f, compose_file)))
            .then(|| c.config.clone())
        })
    }

    /// The first configuration, from the Dockerfile's directory up to the repository root,
    /// for which `pick` gives an answer.
    fn find<T>(
        &self,
        target: &Path,
        warn: &dyn Fn(String),
        pick: impl Fn(&ConfigBuild) -> Option<T>,
    ) -> Option<T> {
        let mut dir = target.parent();
        while let Some(d) = dir {
            let (configs, repo_root) = self.dir_facts(d);
            for config in configs {
                if let Some(found) = self.config(&config, warn).and_then(|c| pick(&c)) {
                    return Some(found);
                }
            }
            if repo_root {
                break;
            }
            dir = d.parent();
        }
        None
    }

    /// The configurations in `d` (see `candidates`) and whether `d` holds `.git`.
    fn dir_facts(&self, d: &Path) -> (Vec<PathBuf>, bool) {
        let lock = || self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = lock().get(d) {
            return known.clone();
        }
        let facts = (candidates(d), d.join(".git").exists());
        lock().insert(d.to_path_buf(), facts.clone());
        facts
    }

    fn config(&self, file: &Path, warn: &dyn Fn(String)) -> Option<ConfigBuild> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = files.get(file) {
            return known.clone();
        }
        let parsed = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| parse(&text, file));
        let entry = match parsed {
            Ok(found) => found,
            Err(e) => {
                warn(format!(
                    "{}: not a valid devcontainer.json ({e})",
                    file.display()
                ));
                None
            }
        };
        files.insert(file.to_path_buf(), entry.clone());
        entry
    }
}

/// The configuration files that may sit in `dir`, in the order the tools offer them.
fn candidates(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![
        dir.join(".devcontainer").join("devcontainer.json"),
        dir.join(".devcontainer.json"),
    ];
    if let Ok(entries) = std::fs::read_dir(dir.join(".devcontainer")) {
        let mut named: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path().join("devcontainer.json"))
            .collect();
        named.sort();
        out.extend(named);
    }
    out.retain(|p| p.is_file());
    out
}

/// What a configuration builds or runs (`None` for one that only names an image).
fn parse(text: &str, file: &Path) -> Result<Option<ConfigBuild>, String> {
    let doc: Value = serde_json::from_str(&strip_jsonc(text)).map_err(|e| e.to_string())?;
    let folder = file.parent().unwrap_or(Path::new("/"));
    let build = doc.get("build");
    let text_of = |v: Option<&Value>| v.and_then(Value::as_str).map(interpolate);
    let mut out = ConfigBuild {
        config: file.to_path_buf(),
        ..ConfigBuild::default()
    };
    // `dockerComposeFile` is one path or a list, relative to the configuration's folder.
    out.compose_files = match doc.get("dockerComposeFile") {
        Some(Value::String(f)) => vec![normalize(&folder.join(interpolate(f)))],
        Some(Value::Array(fs)) => fs
            .iter()
            .filter_map(Value::as_str)
            .map(|f| normalize(&folder.join(interpolate(f))))
            .collect(),
        _ => Vec::new(),
    };
    out.service = text_of(doc.get("service"));
    // `dockerFile` and `context` at the top level are the older spelling of `build.*`.
    let dockerfile =
        text_of(build.and_then(|b| b.get("dockerfile"))).or_else(|| text_of(doc.get("dockerFile")));
    if let Some(dockerfile) = dockerfile {
        let context = text_of(build.and_then(|b| b.get("context")))
            .or_else(|| text_of(doc.get("context")))
            .unwrap_or_else(|| ".".into());
        let mut args = BTreeMap::new();
        if let Some(Value::Object(map)) = build.and_then(|b| b.get("args")) {
            for (k, v) in map {
                match v {
                    Value::String(s) => {
                        args.insert(k.clone(), interpolate(s));
                    }
                    Value::Number(n) => {
                        args.insert(k.clone(), n.to_string());
                    }
                    Value::Bool(b) => {
                        args.insert(k.clone(), b.to_string());
                    }
                    _ => return Err(format!("`build.args.{k}` is not a string")),
                }
            }
        }
        let target = text_of(build.and_then(|b| b.get("target"))).filter(|t| !t.is_empty());
        out.dockerfile = Some((
            normalize(&folder.join(dockerfile)),
            DevBuild {
                config: file.to_path_buf(),
                context: normalize(&folder.join(context)),
                target,
                args,
            },
        ));
    }
    let useful =
        out.dockerfile.is_some() || (!out.compose_files.is_empty() && out.service.is_some());
    Ok(useful.then_some(out))
}

/// `${localEnv:NAME}` and `${localEnv:NAME:default}` from the environment; other variables
/// (`${containerEnv:…}`, `${localWorkspaceFolder}`) are left as written.
fn interpolate(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${localEnv:") {
        out.push_str(&rest[..i]);
        let body = &rest[i + "${localEnv:".len()..];
        let Some(end) = body.find('}') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let (name, default) = body[..end].split_once(':').unwrap_or((&body[..end], ""));
        out.push_str(&std::env::var(name).unwrap_or_else(|_| default.to_string()));
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    out
}

/// JSON with comments (`//`, `/* */`) and trailing commas, as `devcontainer.json` is written,
/// turned into plain JSON: comments and trailing commas become spaces (line breaks are kept, so
/// an error still points at the right line). One pass, and a second over the commas it saw.
pub fn strip_jsonc(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    // The last comma written outside a string with only blanks after it.
    let mut pending_comma: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                pending_comma = None;
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                out.extend_from_slice(&b[start..i]);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out.push(b' ');
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text
                    .get(i + 2..)
                    .and_then(|r| r.find("*/"))
                    .map_or(b.len(), |e| i + 2 + e + 2);
                for &c in &b[i..end] {
                    out.push(if c == b'\n' { b'\n' } else { b' ' });
                }
                i = end;
                continue;
            }
            b',' => pending_comma = Some(out.len()),
            b'}' | b']' => {
                if let Some(c) = pending_comma.take() {
                    out[c] = b' ';
                }
            }
            c if c.is_ascii_whitespace() => {}
            _ => pending_comma = None,
        }
        out.push(b[i]);
        i += 1;
    }
    // Only ASCII bytes were replaced, by ASCII, and strings were copied whole.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_trailing_commas() {
        use serde_json::json;
        let cases = [
            ("{\"a\": 1, // x\n}", json!({"a": 1})),
            ("{\"a\": [1, 2,],}", json!({"a": [1, 2]})),
            (
                "{\"u\": \"http://x/*y*/\", /* c\n d */ \"b\": 2}",
                json!({"u": "http://x/*y*/", "b": 2}),
            ),
            (
                "{\"q\": \"a\\\"//b\", \"c\": \",]\"}",
                json!({"q": "a\"//b", "c": ",]"}),
            ),
            ("[1, /*x*/ 2,\n// y\n]", json!([1, 2])),
        ];
        for (input, want) in cases {
            let plain = strip_jsonc(input);
            assert_eq!(plain.len(), input.len(), "{input}");
            assert_eq!(plain.lines().count(), input.lines().count(), "{input}");
            let got: Value =
                serde_json::from_str(&plain).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(got, want, "{input}");
        }
        // Unclosed comments and strings end the text without a panic.
        for input in [
            "{\"a\": 1 /* unclosed",
            "\"unclosed \\",
            "/",
            "\"",
            "{\"é\": \"ü\\",
        ] {
            assert_eq!(strip_jsonc(input).len(), input.len(), "{input}");
        }
        // A comma that is not trailing is still an error for the JSON parser to report.
        assert!(serde_json::from_str::<Value>(&strip_jsonc("[1,,2]")).is_err());
    }

    #[test]
    fn finds_the_configuration_that_builds_the_dockerfile() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join(".devcontainer")).unwrap();
        std::fs::write(
            root.join(".devcontainer/devcontainer.json"),
            "// dev\n{\n  \"name\": \"dev\",\n  \"build\": {\n    \"dockerfile\": \"Dockerfile\",\n    \"context\": \"..\", /* the repo */\n    \"target\": \"dev\",\n    \"args\": { \"V\": \"3\", },\n  },\n}\n",
        )
        .unwrap();
        std::fs::write(root.join(".devcontainer/Dockerfile"), "FROM alpine\n").unwrap();
        std::fs::write(root.join("Dockerfile"), "FROM alpine\n").unwrap();
        let cache = DevContainerCache::new();
        let found = cache
            .lookup(&root.join(".devcontainer/Dockerfile"), &|w| panic!("{w}"))
            .unwrap();
        assert_eq!(found.context, normalize(root));
        assert_eq!(found.target.as_deref(), Some("dev"));
        assert_eq!(found.args.get("V").map(String::as_str), Some("3"));
        // The application's own Dockerfile is not the dev container's.
        assert_eq!(
            cache.lookup(&root.join("Dockerfile"), &|w| panic!("{w}")),
            None
        );
    }

    #[test]
    fn a_compose_service_that_a_configuration_runs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join(".devcontainer")).unwrap();
        std::fs::write(
            root.join(".devcontainer/devcontainer.json"),
            "{ \"dockerComposeFile\": [\"../compose.yaml\"], \"service\": \"dev\", }",
        )
        .unwrap();
        std::fs::write(root.join("compose.yaml"), "").unwrap();
        let cache = DevContainerCache::new();
        let df = root.join("Dockerfile");
        let compose = root.join("compose.yaml");
        let found = cache.lookup_service(&df, &compose, "dev", &|w| panic!("{w}"));
        assert_eq!(found, Some(root.join(".devcontainer/devcontainer.json")));
        assert_eq!(
            cache.lookup_service(&df, &compose, "web", &|w| panic!("{w}")),
            None
        );
        assert_eq!(cache.lookup(&df, &|w| panic!("{w}")), None);
    }

    #[test]
    fn a_malformed_configuration_warns() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join(".devcontainer")).unwrap();
        std::fs::write(root.join(".devcontainer/devcontainer.json"), "{\"build\": ").unwrap();
        std::fs::write(root.join(".devcontainer/Dockerfile"), "FROM alpine\n").unwrap();
        let warned = Mutex::new(Vec::new());
        let found = DevContainerCache::new().lookup(&root.join(".devcontainer/Dockerfile"), &|w| {
            warned.lock().unwrap().push(w)
        });
        assert_eq!(found, None);
        assert_eq!(warned.into_inner().unwrap().len(), 1);
    }
}
