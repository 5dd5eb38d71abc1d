//! The project around a Dockerfile: the compose service or dev container that builds it, and
//! the sibling Dockerfiles that build on it. From them, the build context, build args, the
//! stage built and who runs the image ([`Purpose`]), as the command line and editors need them.

use crate::context::compose::{absolute, ComposeBuild, ComposeCache};
use crate::context::devcontainer::{DevBuild, DevContainerCache};
use crate::model::images::ImageRef;
use crate::model::{Base, CopyFrom, Model, Purpose, Runner};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How deep below its root a project's Dockerfiles are looked for, how many are read, and the
/// largest read: a base image's children sit beside it, not deep in a monorepo.
const SIBLING_DEPTH: usize = 3;
const SIBLING_FILES: usize = 300;
const SIBLING_BYTES: u64 = 512 * 1024;
/// Directory entries looked at in all, so that a huge tree costs a bounded walk.
const SIBLING_ENTRIES: usize = 20_000;

/// Directories never searched for sibling Dockerfiles.
const SKIP_DIRS: &[&str] = &[".git", "node_modules", "vendor", "target", ".venv"];

/// How one Dockerfile is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setup {
    /// The build context directory (`None`: the Dockerfile's own directory).
    pub context: Option<PathBuf>,
    pub build_args: BTreeMap<String, String>,
    pub purpose: Purpose,
    /// Where a target that the command line did not give comes from (a compose service, a
    /// dev-container configuration), for a warning when it names no stage.
    pub target_source: Option<String>,
}

/// What the command line says about every Dockerfile of a run.
#[derive(Debug, Clone, Copy)]
pub struct Given<'a> {
    pub context: Option<&'a Path>,
    pub build_args: &'a BTreeMap<String, String>,
    pub target: Option<&'a str>,
}

/// The images one sibling Dockerfile builds on or copies from.
#[derive(Debug, Clone)]
struct Sibling {
    path: PathBuf,
    /// Repository names (`myproj-base`, `org/app`), lower-cased.
    repositories: Vec<String>,
    /// Tags, last path components and unset variable names: what a base named after its file
    /// (`Dockerfile.base`) is known by.
    words: Vec<String>,
}

/// Compose files, dev-container configurations and sibling Dockerfiles read so far; safe to
/// share between threads, so that each is read once per run.
#[derive(Default)]
pub struct Project {
    composes: ComposeCache,
    devcontainers: DevContainerCache,
    trees: Mutex<HashMap<PathBuf, Arc<Vec<Sibling>>>>,
    /// The Dockerfiles of this run, which may build on a compose image from another project.
    run: Vec<PathBuf>,
    run_read: std::sync::OnceLock<Vec<Sibling>>,
}

impl Project {
    pub fn new() -> Project {
        Project::default()
    }

    /// A project whose compose images may also be built on by `files`, the other Dockerfiles
    /// linted in the same run. They are read only if some compose service names an image.
    pub fn with_run(files: Vec<PathBuf>) -> Project {
        Project {
            run: files,
            ..Project::default()
        }
    }

    /// The build of `dockerfile`. The command line's context and args win over compose's and
    /// the dev container's (which then give neither), its target over theirs; who runs the
    /// image is a fact of the project and always looked up. `unnamed_stdin`: text from
    /// standard input with no path, which has no project.
    pub fn setup(
        &self,
        dockerfile: &Path,
        unnamed_stdin: bool,
        given: Given,
        warn: &dyn Fn(String),
    ) -> Setup {
        let mut setup = Setup {
            context: given.context.map(Path::to_path_buf),
            build_args: given.build_args.clone(),
            purpose: Purpose {
                target: given.target.map(str::to_string),
                runner: Runner::Image,
                published: Vec::new(),
                published_runs_image: false,
                trusted_registries: Vec::new(),
                label_schema: Vec::new(),
                strict_labels: false,
            },
            target_source: None,
        };
        if unnamed_stdin {
            return setup;
        }
        let compose = self.composes.lookup(dockerfile, warn);
        let dev = match &compose {
            Some(_) => None,
            None => self.devcontainers.lookup(dockerfile, warn),
        };
        if given.context.is_none() {
            let (context, args, target, source) = match (&compose, &dev) {
                (Some(c), _) => (
                    Some(c.context.clone()),
                    c.args.clone(),
                    c.target.clone(),
                    format!("service `{}` of {}", c.service, c.compose_file.display()),
                ),
                (None, Some(d)) => (
                    Some(d.context.clone()),
                    d.args.clone(),
                    d.target.clone(),
                    d.config.display().to_string(),
                ),
                (None, None) => (None, BTreeMap::new(), None, String::new()),
            };
            setup.context = context;
            let mut merged = args;
            merged.extend(given.build_args.iter().map(|(k, v)| (k.clone(), v.clone())));
            setup.build_args = merged;
            if setup.purpose.target.is_none() && target.is_some() {
                setup.purpose.target = target;
                setup.target_source = Some(source);
            }
        }
        setup.purpose.runner = self.runner(dockerfile, compose.as_ref(), dev.as_ref());
        if let Some(c) = &compose {
            setup.purpose.published = c.ports.clone();
            setup.purpose.published_runs_image = c.ports_run_image_command;
        }
        setup
    }

    fn runner(
        &self,
        dockerfile: &Path,
        compose: Option<&ComposeBuild>,
        dev: Option<&DevBuild>,
    ) -> Runner {
        if let Some(d) = dev {
            return Runner::DevContainer {
                config: d.config.display().to_string(),
            };
        }
        // A compose service that a dev-container configuration runs (`dockerComposeFile`).
        if let Some(config) = compose.and_then(|c| {
            self.devcontainers
                .lookup_service(dockerfile, &c.compose_file, &c.service, &|_| {})
        }) {
            return Runner::DevContainer {
                config: config.display().to_string(),
            };
        }
        let Some(path) = absolute(dockerfile) else {
            return Runner::Image;
        };
        // Known by a compose `image:` name: any Dockerfile of the compose project that builds
        // on that name.
        if let Some(c) = compose {
            let names: Vec<String> = c
                .images
                .iter()
                .map(|i| ImageRef::parse(i).repository)
                .collect();
            let root = c.compose_file.parent().unwrap_or(Path::new("/"));
            if !names.is_empty() {
                let tree = self.siblings(root);
                let run = self.run_read.get_or_init(|| {
                    self.run
                        .iter()
                        .filter_map(|p| self.read_sibling(p))
                        .collect()
                });
                if let Some(s) = tree
                    .iter()
                    .chain(run)
                    .filter(|s| s.path != path)
                    .find(|s| s.repositories.iter().any(|r| names.contains(r)))
                {
                    return Runner::BaseOf {
                        consumer: s.path.display().to_string(),
                    };
                }
            }
            if c.command_set {
                return Runner::Compose {
                    service: c.service.clone(),
                };
            }
        }
        // Known by its file name (`Dockerfile.base`, `builder-go.dockerfile`, `base/Dockerfile`):
        // a sibling that builds on an image of that name.
        if let Some((flavour, root)) = base_flavour(&path) {
            if let Some(s) = self
                .siblings(&root)
                .iter()
                .filter(|s| s.path != path)
                .find(|s| s.words.iter().any(|w| names_flavour(w, &flavour)))
            {
                return Runner::BaseOf {
                    consumer: s.path.display().to_string(),
                };
            }
        }
        Runner::Image
    }

    fn siblings(&self, root: &Path) -> Arc<Vec<Sibling>> {
        if let Some(known) = self
            .trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(root)
        {
            return known.clone();
        }
        let found = Arc::new(self.read_siblings(root));
        self.trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(root.to_path_buf(), found.clone());
        found
    }
}

/// A file name that says "base image" or "builder", the name it goes by, and the directory
/// whose tree holds its children: `Dockerfile.base` → `base` (its directory), `base/Dockerfile`
/// → `base` (the parent directory), `builder-go.dockerfile` → `builder-go`.
fn base_flavour(path: &Path) -> Option<(String, PathBuf)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let dir = path.parent()?;
    let stem = ["dockerfile", "containerfile"].iter().find_map(|kw| {
        let at = name.find(kw)?;
        let before = name[..at].trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let after = name[at + kw.len()..].trim_matches(|c: char| !c.is_ascii_alphanumeric());
        Some(if after.is_empty() { before } else { after }.to_string())
    })?;
    let (flavour, root) = if stem.is_empty() {
        let dir_name = dir.file_name()?.to_str()?.to_ascii_lowercase();
        (dir_name, dir.parent().unwrap_or(dir).to_path_buf())
    } else {
        (stem, dir.to_path_buf())
    };
    let says_base = flavour
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.starts_with("base") || w == "builder");
    says_base.then_some((flavour, root))
}

/// Does the image name `used` (a tag, a last path component, a variable) name the base image
/// called `flavour`: the same, or ending in it at a word boundary (`myproj-base` names `base`)?
/// Not the other way: `from-base/Dockerfile` is not the image `base`.
fn names_flavour(used: &str, flavour: &str) -> bool {
    !flavour.is_empty()
        && used.strip_suffix(flavour).is_some_and(|head| {
            head.is_empty() || head.ends_with(|c: char| !c.is_ascii_alphanumeric())
        })
}

fn is_dockerfile_like(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    (l.contains("dockerfile") || l.contains("containerfile")) && !l.ends_with(".dockerignore")
}

impl Project {
    /// The Dockerfiles below `root` (to a small depth and count) and what each builds on.
    fn read_siblings(&self, root: &Path) -> Vec<Sibling> {
        let mut files = Vec::new();
        let mut dirs = vec![(root.to_path_buf(), 0)];
        let mut budget = SIBLING_ENTRIES;
        while let Some((dir, depth)) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut entries: Vec<_> = entries.flatten().take(budget).collect();
            budget -= entries.len();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let Ok(kind) = e.file_type() else { continue };
                let name = e.file_name().to_string_lossy().into_owned();
                if kind.is_dir() {
                    if depth < SIBLING_DEPTH && !SKIP_DIRS.contains(&name.as_str()) {
                        dirs.push((e.path(), depth + 1));
                    }
                } else if kind.is_file() && is_dockerfile_like(&name) && files.len() < SIBLING_FILES
                {
                    files.push(e.path());
                }
            }
        }
        files.iter().filter_map(|p| self.read_sibling(p)).collect()
    }

    /// A sibling read with the build args its compose service gives it, so that
    /// `FROM ${BASE_IMAGE}` with `BASE_IMAGE: myproj-base` in compose names the base.
    fn read_sibling(&self, p: &Path) -> Option<Sibling> {
        let small = std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() <= SIBLING_BYTES);
        let text = small.then(|| std::fs::read_to_string(p).ok()).flatten()?;
        let args = self
            .composes
            .lookup(p, &|_| {})
            .map(|c| c.args)
            .unwrap_or_default();
        Some(sibling(absolute(p)?, &text, &args))
    }
}

fn sibling(path: PathBuf, text: &str, args: &BTreeMap<String, String>) -> Sibling {
    let mut out = Sibling {
        path,
        repositories: Vec::new(),
        words: Vec::new(),
    };
    let Ok(file) = crate::syntax::parse(text) else {
        return out;
    };
    let m = Model::build_outline(&file, args);
    let mut images: Vec<&str> = m
        .stages
        .iter()
        .filter_map(|s| match &s.base {
            Base::Image(i) => Some(i.as_str()),
            _ => None,
        })
        .collect();
    images.extend(m.copies.values().filter_map(|c| match &c.from {
        CopyFrom::Image(i) => Some(i.as_str()),
        _ => None,
    }));
    images.extend(m.mounts.values().flatten().filter_map(|mt| match &mt.from {
        CopyFrom::Image(i) => Some(i.as_str()),
        _ => None,
    }));
    for image in images {
        let r = ImageRef::parse(image);
        out.words.push(r.short_name().to_string());
        out.words.push(r.tag.clone());
        out.repositories.push(r.repository);
    }
    // `FROM $BASE` with no value given: the build script passes the sibling's image.
    let unset: Vec<String> = m
        .stages
        .iter()
        .filter_map(|s| s.base_word.as_ref())
        .flat_map(|w| variable_names(&w.value))
        .filter(|name| {
            !m.global_vars
                .iter()
                .any(|d| d.name == *name && d.value.as_deref().is_some_and(|v| !v.is_empty()))
        })
        .collect();
    for name in unset {
        let l = name.to_ascii_lowercase();
        let l = l
            .strip_suffix("_image")
            .or_else(|| l.strip_suffix("image"))
            .unwrap_or(&l)
            .to_string();
        out.words.push(l);
    }
    out
}

/// The names of the variables a word refers to (`$BASE`, `${BASE_IMAGE:-x}` → `BASE`, `BASE_IMAGE`).
fn variable_names(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = word;
    while let Some(i) = rest.find('$') {
        let after = &rest[i + 1..];
        let after = after.strip_prefix('{').unwrap_or(after);
        let n = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if n > 0 {
            out.push(after[..n].to_string());
        }
        rest = &after[n..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_like_names() {
        let cases: &[(&str, Option<&str>)] = &[
            ("/p/Dockerfile.base", Some("base")),
            ("/p/Dockerfile-base", Some("base")),
            ("/p/builder-go.dockerfile", Some("builder-go")),
            ("/p/base/Dockerfile", Some("base")),
            ("/p/python-base/Dockerfile", Some("python-base")),
            ("/p/android__Dockerfile-base", Some("base")),
            ("/p/Dockerfile", None),
            ("/p/Dockerfile.dev", None),
            ("/p/database/Dockerfile", None),
            ("/p/app/Dockerfile", None),
        ];
        for (path, want) in cases {
            let got = base_flavour(Path::new(path)).map(|(f, _)| f);
            assert_eq!(got.as_deref(), *want, "{path}");
        }
    }

    #[test]
    fn names_match_on_word_boundaries() {
        assert!(names_flavour("myproj-base", "base"));
        assert!(names_flavour("base", "base"));
        assert!(names_flavour("x__base", "base"));
        assert!(!names_flavour("base", "from-base"));
        assert!(!names_flavour("database", "base"));
        assert!(!names_flavour("", "base"));
        assert!(!names_flavour("base", ""));
        assert!(!names_flavour("builder-go", "builder-rust"));
    }

    #[test]
    fn variables_of_a_word() {
        assert_eq!(variable_names("$BASE"), vec!["BASE"]);
        assert_eq!(
            variable_names("${REG}/x:${TAG:-1}"),
            vec!["REG".to_string(), "TAG".to_string()]
        );
        assert!(variable_names("alpine").is_empty());
    }
}
