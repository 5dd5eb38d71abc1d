//! Compose-aware build contexts: find the compose file that builds a Dockerfile, and take the
//! build context and build args its service gives, as `docker compose build` would.

use serde_yaml_ng::{Mapping, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// The names `docker compose` looks for in a directory, in its order of preference.
pub const COMPOSE_FILE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// What a compose service says about building one Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeBuild {
    pub compose_file: PathBuf,
    pub service: String,
    /// The build context directory.
    pub context: PathBuf,
    /// `build.args`, interpolated; an arg without a value takes it from the environment and
    /// is left out when the environment has none, as compose does.
    pub args: BTreeMap<String, String>,
    /// `build.target`: the stage compose builds.
    pub target: Option<String>,
    /// The `image:` names of the services that build this Dockerfile, which other Dockerfiles
    /// may build on.
    pub images: Vec<String>,
    /// Every service that builds this Dockerfile sets `command:` or `entrypoint:`, so the
    /// image's own CMD never runs under compose.
    pub command_set: bool,
    /// The container ports those services publish or expose (`ports: ["8097:8088"]` gives
    /// 8088), each with where it is said (`` `ports: 8097:8088` of service `web` ``): of the
    /// services that run the image's own command, or of all when none does.
    pub ports: Vec<(u16, String)>,
    /// `ports` come from services that run the image's own CMD/ENTRYPOINT, so they tell what
    /// that command listens on.
    pub ports_run_image_command: bool,
}

/// One service's build section, resolved against the compose file's directory.
#[derive(Debug, Clone)]
struct ServiceBuild {
    service: String,
    context: PathBuf,
    dockerfile: PathBuf,
    args: BTreeMap<String, String>,
    target: Option<String>,
    image: Option<String>,
    command_set: bool,
    ports: Vec<(u16, String)>,
}

/// Compose files read so far, so that a directory of Dockerfiles (and every round of `--fix`)
/// reads and warns about each compose file once. Safe to share between threads.
#[derive(Default)]
pub struct ComposeCache {
    files: Mutex<HashMap<PathBuf, Option<Vec<ServiceBuild>>>>,
    /// Per directory looked in: its compose file, and whether it is a repository root. The
    /// Dockerfiles of a run share their ancestors, so each is looked at once.
    dirs: Mutex<HashMap<PathBuf, (Option<PathBuf>, bool)>>,
}

impl ComposeCache {
    pub fn new() -> ComposeCache {
        ComposeCache::default()
    }

    /// The compose service that builds `dockerfile`, searching its directory and each
    /// ancestor up to the repository root (the first directory holding `.git`) or the
    /// filesystem root; in each directory only the first compose file name found counts, as
    /// for `docker compose`. A malformed compose file is passed to `warn` (once) and skipped.
    pub fn lookup(&self, dockerfile: &Path, warn: &dyn Fn(String)) -> Option<ComposeBuild> {
        let target = absolute(dockerfile)?;
        let mut dir = target.parent();
        while let Some(d) = dir {
            let (compose, repo_root) = self.dir_facts(d);
            if let Some(file) = compose {
                let builders: Vec<ServiceBuild> = self
                    .services(&file, warn)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|s| same_file(&s.dockerfile, &target))
                    .collect();
                // The first service decides the context, args and target, as before; all of
                // them decide whether the image's own command ever runs.
                let command_set = builders.iter().all(|s| s.command_set);
                // Services that build different targets of one file: no one stage is the image.
                let target = match builders.split_first() {
                    Some((first, rest)) if rest.iter().all(|s| s.target == first.target) => {
                        first.target.clone()
                    }
                    _ => None,
                };
                let images = builders.iter().filter_map(|s| s.image.clone()).collect();
                // The ports of the services that run the image's own command say what that
                // command serves; when every service runs a command of its own, theirs are all
                // there is.
                let ports_run_image_command = builders.iter().any(|s| !s.command_set);
                let mut ports: Vec<(u16, String)> = Vec::new();
                for s in builders
                    .iter()
                    .filter(|s| !ports_run_image_command || !s.command_set)
                {
                    for (port, text) in &s.ports {
                        if !ports.iter().any(|(p, _)| p == port) {
                            ports.push((*port, format!("`{text}` of service `{}`", s.service)));
                        }
                    }
                }
                if let Some(found) = builders.into_iter().next() {
                    return Some(ComposeBuild {
                        compose_file: file,
                        service: found.service,
                        context: found.context,
                        args: found.args,
                        target,
                        images,
                        command_set,
                        ports,
                        ports_run_image_command,
                    });
                }
            }
            if repo_root {
                break;
            }
            dir = d.parent();
        }
        None
    }

    /// The compose file `docker compose` would take in `d`, and whether `d` holds `.git`.
    fn dir_facts(&self, d: &Path) -> (Option<PathBuf>, bool) {
        let lock = || self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = lock().get(d) {
            return known.clone();
        }
        let facts = (
            COMPOSE_FILE_NAMES
                .iter()
                .map(|n| d.join(n))
                .find(|p| p.is_file()),
            d.join(".git").exists(),
        );
        lock().insert(d.to_path_buf(), facts.clone());
        facts
    }

    fn services(&self, file: &Path, warn: &dyn Fn(String)) -> Option<Vec<ServiceBuild>> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = files.get(file) {
            return known.clone();
        }
        let parsed = std::fs::read_to_string(file)
            .map_err(|e| crate::os_message::io_message(&e))
            .and_then(|text| parse(&text, file.parent().unwrap_or(Path::new("/"))));
        let entry = match parsed {
            Ok(s) => Some(s),
            Err(e) => {
                warn(format!(
                    "{}: not a valid compose file ({e}); using the Dockerfile's directory as the build context",
                    file.display()
                ));
                None
            }
        };
        files.insert(file.to_path_buf(), entry.clone());
        entry
    }
}

/// The services with a local build in the compose file `text`, whose directory is `dir`.
fn parse(text: &str, dir: &Path) -> Result<Vec<ServiceBuild>, String> {
    let mut doc: Value = serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?;
    // `<<: *default` merge keys are how compose files share a build section between services.
    doc.apply_merge().map_err(|e| e.to_string())?;
    let env = Env::new(dir);
    let services = match doc.get("services") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Mapping(m)) => m,
        Some(_) => return Err("`services` is not a mapping".into()),
    };
    let mut out = Vec::new();
    for (name, service) in services {
        let Some(name) = scalar(name) else { continue };
        let Some(build) = service.get("build") else {
            continue;
        };
        let (context, dockerfile, args, target) = match build {
            Value::String(ctx) => (env.interpolate(ctx), None, None, None),
            Value::Mapping(m) => (
                field(m, "context")
                    .map(|c| env.interpolate(&c))
                    .unwrap_or_else(|| ".".into()),
                field(m, "dockerfile").map(|d| env.interpolate(&d)),
                m.get("args"),
                field(m, "target")
                    .map(|t| env.interpolate(&t))
                    .filter(|t| !t.is_empty()),
            ),
            _ => {
                return Err(format!(
                    "service `{name}`: `build` is neither a path nor a mapping"
                ))
            }
        };
        // A remote context (a Git URL or an archive) has no Dockerfile on this disk.
        if context.contains("://") || context.starts_with("git@") {
            continue;
        }
        let context = normalize(&dir.join(&context));
        let dockerfile = normalize(&context.join(dockerfile.as_deref().unwrap_or("Dockerfile")));
        let args = match args {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(a) => build_args(a, &env).map_err(|e| format!("service `{name}`: {e}"))?,
        };
        // `command: []` or `null` leaves the image's own command in force.
        let sets = |key: &str| match service.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Sequence(v)) => !v.is_empty(),
            Some(Value::String(s)) => !s.trim().is_empty(),
            Some(_) => true,
        };
        out.push(ServiceBuild {
            service: name,
            context,
            dockerfile,
            args,
            target,
            image: service
                .get("image")
                .and_then(scalar)
                .map(|i| env.interpolate(&i))
                .filter(|i| !i.is_empty()),
            command_set: sets("command") || sets("entrypoint"),
            ports: container_ports(service, &env),
        });
    }
    Ok(out)
}

/// The container ports of a service's `ports:` (short form `[HOST:]CONTAINER[/PROTO]`, with
/// an optional IP, or long form `target:`) and `expose:`. Ranges and unreadable entries are
/// left out.
fn container_ports(service: &Value, env: &Env) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    for key in ["ports", "expose"] {
        let Some(Value::Sequence(entries)) = service.get(key) else {
            continue;
        };
        for entry in entries {
            let (text, container) = match entry {
                Value::Mapping(m) => {
                    let Some(t) = field(m, "target").map(|t| env.interpolate(&t)) else {
                        continue;
                    };
                    (format!("target: {t}"), t)
                }
                v => {
                    let Some(t) = scalar(v).map(|t| env.interpolate(&t)) else {
                        continue;
                    };
                    let port = t.rsplit(':').next().unwrap_or("");
                    let port = port.split('/').next().unwrap_or("").to_string();
                    (t, port)
                }
            };
            if let Ok(port) = container.trim().parse::<u16>() {
                if port > 0 {
                    out.push((port, format!("{key}: {text}")));
                }
            }
        }
    }
    out
}

fn field(m: &Mapping, key: &str) -> Option<String> {
    m.get(key).and_then(scalar)
}

/// Strings, numbers and booleans as compose reads them; `null` and collections are not.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

/// `args:` as a mapping (`KEY: value`) or a list (`- KEY=value`); a key without a value is
/// taken from the environment.
fn build_args(v: &Value, env: &Env) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    match v {
        Value::Mapping(m) => {
            for (k, v) in m {
                let Some(k) = scalar(k) else {
                    return Err("`build.args` has a key that is not a string".into());
                };
                match v {
                    Value::Null => {
                        if let Some(v) = env.get(&k) {
                            out.insert(k, v);
                        }
                    }
                    other => match scalar(other) {
                        Some(s) => {
                            out.insert(k, env.interpolate(&s));
                        }
                        None => return Err(format!("`build.args.{k}` is not a scalar")),
                    },
                }
            }
        }
        Value::Sequence(items) => {
            for item in items {
                let Some(item) = scalar(item) else {
                    return Err("`build.args` has an item that is not a string".into());
                };
                let item = env.interpolate(&item);
                match item.split_once('=') {
                    Some((k, v)) => {
                        out.insert(k.to_string(), v.to_string());
                    }
                    None => {
                        if let Some(v) = env.get(&item) {
                            out.insert(item, v);
                        }
                    }
                }
            }
        }
        _ => return Err("`build.args` is neither a mapping nor a list".into()),
    }
    Ok(out)
}

/// The variables compose interpolates with: the process environment, then the `.env` file
/// beside the compose file.
struct Env {
    dotenv: HashMap<String, String>,
}

impl Env {
    fn new(dir: &Path) -> Env {
        let mut dotenv = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(dir.join(".env")) {
            for line in text.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let line = line.strip_prefix("export ").unwrap_or(line);
                if let Some((k, v)) = line.split_once('=') {
                    let v = v.trim();
                    let v = v
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                        .unwrap_or(v);
                    dotenv.insert(k.trim().to_string(), v.to_string());
                }
            }
        }
        Env { dotenv }
    }

    fn get(&self, key: &str) -> Option<String> {
        std::env::var(key)
            .ok()
            .or_else(|| self.dotenv.get(key).cloned())
    }

    /// Compose's interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
    /// `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}` and `${VAR?msg}` (an unset required variable
    /// reads as empty: a linter has no reason to refuse the file).
    fn interpolate(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            if let Some(r) = after.strip_prefix('$') {
                out.push('$');
                rest = r;
            } else if let Some(body) = after.strip_prefix('{') {
                let Some(end) = matching_brace(body) else {
                    out.push_str(&rest[i..]);
                    return out;
                };
                out.push_str(&self.expand(&body[..end]));
                rest = &body[end + 1..];
            } else {
                let n = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                if n == 0 {
                    out.push('$');
                } else {
                    out.push_str(&self.get(&after[..n]).unwrap_or_default());
                }
                rest = &after[n..];
            }
        }
        out.push_str(rest);
        out
    }

    fn expand(&self, body: &str) -> String {
        let n = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let (name, op) = body.split_at(n);
        let value = self.get(name);
        let set_nonempty = value.as_deref().is_some_and(|v| !v.is_empty());
        let (colon, op) = match op.strip_prefix(':') {
            Some(o) => (true, o),
            None => (false, op),
        };
        let present = if colon { set_nonempty } else { value.is_some() };
        let mut chars = op.chars();
        match chars.next() {
            Some('-') if !present => self.interpolate(chars.as_str()),
            Some('+') if present => self.interpolate(chars.as_str()),
            Some('+') => String::new(),
            _ => value.unwrap_or_default(),
        }
    }
}

/// The index of the `}` that closes a `${`, counting nested `${...}` in defaults.
fn matching_brace(s: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

pub(crate) fn absolute(p: &Path) -> Option<PathBuf> {
    if p.is_absolute() {
        Some(normalize(p))
    } else {
        std::env::current_dir()
            .ok()
            .map(|cwd| normalize(&cwd.join(p)))
    }
}

/// `.` and `..` resolved by name, without touching the disk (the file may not exist: stdin).
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The same file, by name or, where both exist, through symlinks.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("layerlint-compose-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        root
    }

    fn lookup(root: &Path, df: &str) -> (Option<ComposeBuild>, Vec<String>) {
        let warnings = Mutex::new(Vec::new());
        let found = ComposeCache::new().lookup(&root.join(df), &|w| {
            warnings.lock().unwrap().push(w);
        });
        (found, warnings.into_inner().unwrap())
    }

    #[test]
    fn build_as_a_string_names_the_context() {
        let root = tree(
            "string",
            &[
                (".git/HEAD", ""),
                ("compose.yaml", "services:\n  web:\n    build: ./app\n"),
                ("app/Dockerfile", "FROM alpine\n"),
            ],
        );
        let (found, w) = lookup(&root, "app/Dockerfile");
        let found = found.unwrap();
        assert_eq!(found.service, "web");
        assert_eq!(found.context, normalize(&root.join("app")));
        assert!(found.args.is_empty() && w.is_empty());
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn context_dockerfile_and_args_as_map_or_list() {
        let root = tree(
            "mapping",
            &[
                (
                    "deploy/docker-compose.yml",
                    "x-build: &b\n  context: ..\n  dockerfile: docker/api.Dockerfile\n\
                     services:\n  db:\n    image: postgres\n\
                     \x20 api:\n    build:\n      <<: *b\n      args:\n        PY: \"3.12\"\n        N: 3\n        UNSET_LAYERLINT_X:\n\
                     \x20 worker:\n    build:\n      context: ..\n      dockerfile: docker/worker.Dockerfile\n      args:\n        - PY=${LAYERLINT_NO_SUCH_VAR:-3.11}\n        - $$LITERAL=x\n",
                ),
                ("docker/api.Dockerfile", "FROM python\n"),
                ("docker/worker.Dockerfile", "FROM python\n"),
            ],
        );
        // The compose file sits in a sibling directory: not an ancestor, so not found.
        assert_eq!(lookup(&root, "docker/api.Dockerfile").0, None);
        // Moved to the root, it is.
        std::fs::rename(
            root.join("deploy/docker-compose.yml"),
            root.join("docker-compose.yml"),
        )
        .unwrap();
        std::fs::write(
            root.join("docker-compose.yml"),
            std::fs::read_to_string(root.join("docker-compose.yml"))
                .unwrap()
                .replace("context: ..", "context: ."),
        )
        .unwrap();
        let api = lookup(&root, "docker/api.Dockerfile").0.unwrap();
        assert_eq!(api.service, "api");
        assert_eq!(api.context, normalize(&root));
        assert_eq!(
            api.args.into_iter().collect::<Vec<_>>(),
            vec![("N".into(), "3".into()), ("PY".into(), "3.12".into())]
        );
        let worker = lookup(&root, "docker/worker.Dockerfile").0.unwrap();
        assert_eq!(worker.service, "worker");
        assert_eq!(worker.args.get("PY").map(String::as_str), Some("3.11"));
        assert_eq!(worker.args.get("$LITERAL").map(String::as_str), Some("x"));
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn published_and_exposed_ports() {
        let root = tree(
            "compose-ports",
            &[
                ("Dockerfile", "FROM scratch\n"),
                (
                    "compose.yaml",
                    "services:\n  web:\n    build: .\n    ports:\n      - \"8097:8088\"\n      - 127.0.0.1:9000:9001/udp\n      - \"3000-3005:3000-3005\"\n      - target: 7000\n        published: 7001\n    expose: [\"5000\", 5000]\n",
                ),
            ],
        );
        let (found, warnings) = lookup(&root, "Dockerfile");
        assert!(warnings.is_empty(), "{warnings:?}");
        let ports: Vec<u16> = found.expect("found").ports.iter().map(|p| p.0).collect();
        assert_eq!(ports, vec![8088, 9001, 7000, 5000]);
        let root = tree(
            "compose-no-ports",
            &[
                ("Dockerfile", "FROM scratch\n"),
                ("compose.yaml", "services:\n  web:\n    build: .\n"),
            ],
        );
        assert!(lookup(&root, "Dockerfile")
            .0
            .expect("found")
            .ports
            .is_empty());
        // A worker that runs a command of its own says nothing of the web command's port.
        let root = tree(
            "compose-worker-ports",
            &[
                ("Dockerfile", "FROM scratch\n"),
                (
                    "compose.yaml",
                    "services:\n  worker:\n    build: .\n    command: celery worker\n    ports: [\"5555:5555\"]\n  web:\n    build: .\n    ports: [\"8088\"]\n",
                ),
            ],
        );
        let found = lookup(&root, "Dockerfile").0.expect("found");
        assert_eq!(
            found.ports,
            vec![(8088, "`ports: 8088` of service `web`".to_string())]
        );
        assert!(found.ports_run_image_command);
        std::fs::write(
            root.join("compose.yaml"),
            "services:\n  worker:\n    build: .\n    command: celery worker\n    ports: [\"5555:5555\"]\n",
        )
        .unwrap();
        let found = lookup(&root, "Dockerfile").0.expect("found");
        assert_eq!(found.ports.len(), 1);
        assert!(!found.ports_run_image_command);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn target_image_and_command() {
        let root = tree(
            "target",
            &[
                (".git/HEAD", ""),
                (
                    "compose.yaml",
                    "services:\n  a:\n    build:\n      context: .\n      target: prod\n    image: acme/a:${LAYERLINT_NO_SUCH_TAG:-1}\n    entrypoint: /start\n\
                     \x20 b:\n    build:\n      context: .\n      target: prod\n    command: []\n",
                ),
                ("Dockerfile", "FROM alpine AS prod\n"),
            ],
        );
        let found = lookup(&root, "Dockerfile").0.unwrap();
        assert_eq!(found.target.as_deref(), Some("prod"));
        assert_eq!(found.images, vec!["acme/a:1".to_string()]);
        // `command: []` leaves the image's CMD in force for `b`.
        assert!(!found.command_set);
        // Two targets of one file: neither is the image.
        std::fs::write(
            root.join("compose.yaml"),
            "services:\n  a:\n    build:\n      context: .\n      target: dev\n    command: x\n  b:\n    build:\n      context: .\n      target: prod\n    command: [y]\n",
        )
        .unwrap();
        let found = lookup(&root, "Dockerfile").0.unwrap();
        assert_eq!(found.target, None);
        assert!(found.command_set);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn the_search_stops_at_the_repository_root() {
        let root = tree(
            "gitroot",
            &[
                ("compose.yaml", "services:\n  web:\n    build: repo/app\n"),
                ("repo/.git/HEAD", ""),
                ("repo/app/Dockerfile", "FROM alpine\n"),
            ],
        );
        assert_eq!(lookup(&root, "repo/app/Dockerfile").0, None);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn a_malformed_compose_file_warns_and_is_skipped() {
        let root = tree(
            "malformed",
            &[
                (".git/HEAD", ""),
                ("compose.yaml", "services:\n  web:\n    build: [unclosed\n"),
                ("Dockerfile", "FROM alpine\n"),
            ],
        );
        let (found, w) = lookup(&root, "Dockerfile");
        assert_eq!(found, None);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("compose.yaml"), "{}", w[0]);
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn interpolation() {
        let env = Env {
            dotenv: [("A".to_string(), "1".to_string()), ("E".into(), "".into())]
                .into_iter()
                .collect(),
        };
        for (input, want) in [
            ("${A}", "1"),
            ("$A-x", "1-x"),
            ("${LAYERLINT_NOPE:-d}", "d"),
            ("${E:-d}", "d"),
            ("${E-d}", ""),
            ("${A:+yes}", "yes"),
            ("${LAYERLINT_NOPE:-${A}}", "1"),
            ("$$A", "$A"),
            ("cost $", "cost $"),
            ("${A", "${A"),
        ] {
            assert_eq!(env.interpolate(input), want, "{input}");
        }
    }

    #[test]
    fn the_corpus_compose_files_parse() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/contexts");
        let Ok(dirs) = std::fs::read_dir(&root) else {
            eprintln!("skipping: {} not found", root.display());
            return;
        };
        let mut seen = 0;
        for d in dirs.flatten() {
            for name in COMPOSE_FILE_NAMES {
                let p = d.path().join(name);
                if let Ok(text) = std::fs::read_to_string(&p) {
                    let services = parse(&text, &d.path());
                    assert!(services.is_ok(), "{}: {:?}", p.display(), services.err());
                    seen += 1;
                }
            }
        }
        assert!(seen > 5, "only {seen} compose files");
    }

    /// Where the corpus copied a project's compose file beside its Dockerfile, the lookup
    /// finds the service the corpus names for it.
    #[test]
    fn the_corpus_dockerfiles_find_their_services() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let Ok(tsv) = std::fs::read_to_string(corpus.join("contexts.tsv")) else {
            eprintln!("skipping: no corpus");
            return;
        };
        let mut checked = 0;
        for row in tsv.lines().skip(1) {
            let cols: Vec<&str> = row.split('\t').collect();
            let (Some(name), Some(dockerfiles), Some(origin)) =
                (cols.first(), cols.get(5), cols.get(8))
            else {
                continue;
            };
            let Some((file, services)) = origin.split_once(':') else {
                continue;
            };
            let dir = corpus.join("contexts").join(name);
            let compose = dir.join(Path::new(file).file_name().unwrap_or_default());
            let Some(df) = dockerfiles.split(',').next() else {
                continue;
            };
            if !compose.is_file() || !COMPOSE_FILE_NAMES.iter().any(|n| compose.ends_with(n)) {
                continue;
            }
            let found = ComposeCache::new().lookup(&dir.join(df), &|w| panic!("{w}"));
            let service = found.map(|f| f.service).unwrap_or_default();
            let wanted: Vec<&str> = services
                .split(|c: char| c == ',' || c.is_whitespace())
                .collect();
            assert!(
                wanted.contains(&service.as_str()),
                "{name}: found `{service}`, want {services}"
            );
            checked += 1;
        }
        assert!(checked > 5, "only {checked} checked");
    }
}
