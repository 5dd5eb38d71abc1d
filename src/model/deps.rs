//! Which files of a project describe its dependencies rather than being its source, and what a
//! COPY brings in beyond them; where the compiled-language build tools keep what they download.

use super::{path, Copy, CopyFrom, Model, SourceKind};
use crate::context::BuildContext;
use crate::shell::Tool;

/// File names that describe dependencies rather than being source.
pub const MANIFESTS: &[&str] = &[
    "Pipfile",
    "Pipfile.lock",
    "pyproject.toml",
    "poetry.lock",
    "poetry.toml",
    "uv.lock",
    "pdm.lock",
    "setup.cfg",
    "environment.yml",
    "environment.yaml",
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    ".yarnrc",
    ".yarnrc.yml",
    ".npmrc",
    ".pnpmfile.cjs",
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    "bun.lock",
    "bun.lockb",
    "bunfig.toml",
    "go.mod",
    "go.sum",
    "go.work",
    "go.work.sum",
    "Gemfile",
    "Gemfile.lock",
    "gems.rb",
    "gems.locked",
    ".ruby-version",
    ".bundle",
    "composer.json",
    "composer.lock",
    "auth.json",
    "pom.xml",
    "settings.xml",
    "build.gradle",
    "build.gradle.kts",
    "settings.gradle",
    "settings.gradle.kts",
    "gradle.properties",
    "gradlew",
    "mvnw",
    "nuget.config",
    "NuGet.Config",
    "Directory.Build.props",
    "Directory.Packages.props",
    "Directory.Build.targets",
    "global.json",
    "packages.lock.json",
    "mix.exs",
    "mix.lock",
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain",
    "rust-toolchain.toml",
    ".python-version",
    ".nvmrc",
    ".node-version",
    ".tool-versions",
];

/// Directories that hold build-tool wrappers or dependency lists, or that installs read by
/// design (`prisma generate` and `patch-package` run on install).
pub const MANIFEST_DIRS: &[&str] = &[
    ".mvn",
    "gradle",
    ".yarn",
    "requirements",
    ".cargo",
    "prisma",
    "patches",
    ".husky",
];

pub fn is_manifest_name(name: &str) -> bool {
    MANIFESTS.contains(&name)
        || [".csproj", ".fsproj", ".vbproj", ".sln", ".slnx"]
            .iter()
            .any(|e| name.ends_with(e))
        || (name.ends_with(".txt")
            && (name.contains("requirements") || name.contains("constraints")))
}

/// `*` and `?` only; `[` classes match any one character, which errs towards "manifest"; a `[`
/// never closed matches nothing. Greedy with one backtrack point, so time is bounded by the
/// product of the lengths however many stars the pattern has.
pub fn glob_match(pat: &[u8], name: &[u8]) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Star,
        One,
        Byte(u8),
        Never,
    }
    let mut toks = Vec::with_capacity(pat.len());
    let mut i = 0;
    while i < pat.len() {
        let t = match pat[i] {
            b'*' => Tok::Star,
            b'?' => Tok::One,
            b'[' => match pat[i..].iter().position(|&b| b == b']') {
                Some(end) => {
                    i += end;
                    Tok::One
                }
                None => Tok::Never,
            },
            b => Tok::Byte(b),
        };
        toks.push(t);
        if t == Tok::Never {
            break;
        }
        i += 1;
    }
    let (mut p, mut n) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while n < name.len() {
        match toks.get(p) {
            Some(Tok::Star) => {
                p += 1;
                backtrack = Some((p, n));
            }
            Some(Tok::One) => (p, n) = (p + 1, n + 1),
            Some(Tok::Byte(b)) if *b == name[n] => (p, n) = (p + 1, n + 1),
            _ => match backtrack {
                // Let the last star take one more byte and try again from there.
                Some((bp, bn)) => {
                    backtrack = Some((bp, bn + 1));
                    (p, n) = (bp, bn + 1);
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Star)
}

/// What a COPY brings in beyond the manifests, for the message; `None` when it brings only
/// manifests (or single files, which are not what the rule is about).
///
/// `needs` are context paths the install runs besides its manifests (see `install_needs`): a
/// copy of one of them, or of a directory that holds one, is part of what the install needs.
pub fn broad_part(m: &Model, copy: &Copy, reads: &[String], needs: &[String]) -> Option<String> {
    for s in copy.sources.iter().filter(|s| s.kind == SourceKind::Path) {
        let cleaned = s.cleaned.trim_start_matches("./").trim_end_matches('/');
        if cleaned.is_empty() || cleaned == "." || cleaned == "/" {
            return Some("the whole build context".into());
        }
        let wild = s.expanded.contains(['*', '?', '[']);
        let included: Vec<_> = s.matches.iter().filter(|x| !x.ignored).collect();
        if let (Some(ctx), false) = (m.context, included.is_empty()) {
            for x in included {
                let name = path::base_name(&x.path);
                let needed = needs.iter().any(|n| {
                    path::strip_dir(n, &x.path).is_some() || path::strip_dir(&x.path, n).is_some()
                });
                let only_manifests = if needed {
                    true
                } else if x.is_dir {
                    dir_only_manifests(ctx, &x.path, reads)
                } else {
                    !wild || is_manifest_name(name) || reads.iter().any(|r| r == &x.path)
                };
                if !only_manifests {
                    return Some(if wild {
                        format!("everything matching `{}`", s.expanded)
                    } else {
                        format!("`{}`", s.expanded)
                    });
                }
            }
            continue;
        }
        // Not in the context at hand: judge by the name.
        let name = path::base_name(cleaned);
        if wild {
            let sample_hits = MANIFESTS
                .iter()
                .chain(["x.csproj", "requirements-dev.txt"].iter())
                .any(|n| glob_match(name.as_bytes(), n.as_bytes()));
            if !sample_hits || name == "*" {
                return Some(format!("everything matching `{}`", s.expanded));
            }
        } else if !is_manifest_name(name)
            && !MANIFEST_DIRS.contains(&name)
            && (s.expanded.ends_with('/') || looks_like_dir(name))
        {
            return Some(format!("`{}`", s.expanded));
        }
    }
    None
}

/// `src`, `app`, `lib`: no extension and not a conventional extension-less file name.
fn looks_like_dir(name: &str) -> bool {
    !name.contains('.') && !name.starts_with(|c: char| c.is_ascii_uppercase()) && !name.is_empty()
}

/// The directory holds nothing but manifests (or files an install reads), within a small walk.
pub fn dir_only_manifests(ctx: &BuildContext, dir: &str, reads: &[String]) -> bool {
    if MANIFEST_DIRS.contains(&path::base_name(dir)) {
        return true;
    }
    let mut stack = vec![dir.to_string()];
    let mut seen = 0;
    while let Some(d) = stack.pop() {
        for e in ctx.list_dir(&d) {
            if e.ignored_by.is_some() {
                continue;
            }
            seen += 1;
            if seen > 200 {
                return false;
            }
            if e.kind.is_dir() {
                if MANIFEST_DIRS.contains(&e.name.as_str()) {
                    continue;
                }
                // A linked directory is not entered (a link to `..` never ends); what it
                // brings in is more than manifests.
                if e.kind != crate::context::EntryKind::Dir {
                    return false;
                }
                stack.push(e.path);
            } else if !is_manifest_name(&e.name) && !reads.iter().any(|r| r == &e.path) {
                return false;
            }
        }
    }
    true
}

/// Can the context be trusted to be the one the build uses? Not when a COPY names a source it
/// lacks (another rule reports that), nor when it holds nothing but Dockerfiles and notes, as
/// when a Dockerfile in a subfolder is built with the repository root as its context.
pub fn context_trusted(m: &Model) -> bool {
    let Some(ctx) = m.context else { return false };
    let named_all_found = m.copies.values().all(|c| {
        c.from != CopyFrom::Context
            || c.sources
                .iter()
                .all(|s| s.kind != SourceKind::Path || s.matches.iter().any(|x| !x.ignored))
    });
    let has_material = !ctx.holds_only_dockerfiles();
    named_all_found && has_material
}

/// npm lifecycle scripts that `npm ci`/`npm install` (and Yarn, pnpm, Bun) run for the project
/// itself.
const NPM_INSTALL_HOOKS: &[&str] = &[
    "preinstall",
    "install",
    "postinstall",
    "preprepare",
    "prepare",
    "postprepare",
];

/// Programs that compile a JavaScript or TypeScript project: a hook that runs one needs the
/// whole source.
const HOOK_COMPILERS: &[&str] = &[
    "tsc",
    "webpack",
    "rollup",
    "vite",
    "babel",
    "esbuild",
    "tsup",
    "swc",
    "parcel",
    "ng",
    "next",
    "nuxt",
    "svelte-kit",
    "turbo",
    "nx",
    "lerna",
];

/// Composer events that `composer install` fires.
const COMPOSER_INSTALL_HOOKS: &[&str] = &[
    "pre-install-cmd",
    "post-install-cmd",
    "pre-autoload-dump",
    "post-autoload-dump",
];

/// Programs that run a named script of the same manifest: `npm run setup`, `yarn setup`,
/// `composer run-script x`; the script is followed, a few levels deep.
const SCRIPT_RUNNERS: &[&[&str]] = &[
    &["npm", "run"],
    &["npm", "run-script"],
    &["yarn", "run"],
    &["pnpm", "run"],
    &["bun", "run"],
    &["composer", "run-script"],
    &["composer", "run"],
];

/// The context paths, besides the manifests, that an install from the manifest at context path
/// `manifest` runs: files and folders that the project's install hooks name (`"postinstall":
/// "bin/setup.sh"`, `"post-install-cmd": "php artisan optimize"`), and the local paths and
/// nested files of a requirements file (`-e ./lib`, `-r base.txt`; `.` when it installs the
/// project itself). `scripts` is false when the install skips hooks (`--ignore-scripts`,
/// `--no-scripts`).
pub fn install_needs(ctx: &BuildContext, manifest: &str, scripts: bool) -> Vec<String> {
    let dir = match manifest.rfind('/') {
        Some(k) => &manifest[..k],
        None => "",
    };
    let name = path::base_name(manifest);
    let Some(text) = ctx.read_to_string(manifest, 512 * 1024) else {
        return Vec::new();
    };
    let commands: Vec<String> = match name {
        "package.json" | "composer.json" if scripts => hook_commands(&text, name),
        _ if name.ends_with(".txt") || name.ends_with(".in") => {
            return requirement_paths(ctx, dir, &text)
        }
        _ => Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    // A hook that compiles the project (`"prepare": "npm run build"` running `tsc`) needs all
    // of its source: the project folder itself.
    let compiles = commands.iter().any(|cmd| {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        words.iter().enumerate().any(|(i, w)| {
            HOOK_COMPILERS.contains(&path::base_name(w))
                || (*w == "build"
                    && i > 0
                    && matches!(words[i - 1], "run" | "yarn" | "pnpm" | "bun"))
        })
    });
    if compiles {
        return vec![if dir.is_empty() {
            ".".into()
        } else {
            dir.to_string()
        }];
    }
    for cmd in &commands {
        for word in
            cmd.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
        {
            let w = word.trim_matches(|c| c == '"' || c == '\'');
            let w = w.strip_prefix("./").unwrap_or(w).trim_end_matches('/');
            if w.is_empty()
                || w.starts_with(['-', '@', '$', '/'])
                || w.contains(['=', '$', '*', ':'])
                || w.contains("..")
                || w == "."
            {
                continue;
            }
            let cp = path::join(dir, w);
            // A bare word is a path only when it names a file (`artisan`), not a folder that
            // shares a script's name (`build`).
            let exists = if w.contains(['/', '.']) {
                ctx.exists(&cp)
            } else {
                ctx.exists(&cp) && !ctx.is_dir(&cp)
            };
            if exists && ctx.is_ignored(&cp).is_none() && !out.contains(&cp) {
                out.push(cp);
            }
        }
    }
    out
}

/// The commands that the install hooks of a `package.json` or `composer.json` run, with the
/// scripts they call by name.
fn hook_commands(text: &str, name: &str) -> Vec<String> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(scripts) = doc.get("scripts").and_then(|s| s.as_object()) else {
        return Vec::new();
    };
    let hooks = if name == "package.json" {
        NPM_INSTALL_HOOKS
    } else {
        COMPOSER_INSTALL_HOOKS
    };
    let commands_of = |key: &str| -> Vec<String> {
        match scripts.get(key) {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut queue: Vec<(String, usize)> = hooks.iter().map(|h| (h.to_string(), 0)).collect();
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    while let Some((key, depth)) = queue.pop() {
        if seen.contains(&key) || depth > 3 || seen.len() > 64 {
            continue;
        }
        seen.push(key.clone());
        for cmd in commands_of(&key) {
            let words: Vec<&str> = cmd.split_whitespace().collect();
            for (i, w) in words.iter().enumerate() {
                // `@other-script` (Composer), `npm run other`, `yarn other`.
                let called = if let Some(s) = w.strip_prefix('@') {
                    Some(s)
                } else if SCRIPT_RUNNERS
                    .iter()
                    .any(|r| words.get(i.wrapping_sub(r.len())..i) == Some(r))
                    || (i > 0 && words[i - 1] == "yarn")
                {
                    Some(*w)
                } else {
                    None
                };
                if let Some(s) = called.filter(|s| scripts.contains_key(*s)) {
                    queue.push((s.to_string(), depth + 1));
                }
            }
            out.push(cmd);
        }
    }
    out
}

/// Local paths a requirements file installs or includes, as context paths: `-r`/`-c` files,
/// `-e` and plain local paths (`./lib`, `.`, `file:./pkg`), with extras (`.[dev]`) dropped.
fn requirement_paths(ctx: &BuildContext, dir: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().take(10_000) {
        let line = line.split(" #").next().unwrap_or(line).trim();
        let (flag, rest) = match line.split_once(|c: char| c.is_whitespace() || c == '=') {
            Some((f, r)) if f.starts_with('-') => (f, r.trim()),
            _ => ("", line),
        };
        let target = match flag {
            "-r" | "--requirement" | "-c" | "--constraint" | "-e" | "--editable" => rest,
            "" => rest,
            _ => continue,
        };
        let target = target.strip_prefix("file:").unwrap_or(target);
        let target = target.split('[').next().unwrap_or(target).trim();
        let local = target == "."
            || target.starts_with("./")
            || (matches!(flag, "-r" | "--requirement" | "-c" | "--constraint")
                && !target.contains("://"));
        if !local || target.contains(['$', '*']) || target.contains("..") {
            continue;
        }
        let rel = target.trim_start_matches("./").trim_end_matches('/');
        let cp = if rel.is_empty() || rel == "." {
            if dir.is_empty() {
                ".".to_string()
            } else {
                dir.to_string()
            }
        } else {
            path::join(dir, rel)
        };
        if (cp == "." || ctx.exists(&cp)) && !out.contains(&cp) {
            out.push(cp);
        }
    }
    out
}

/// A compiled-language build tool that downloads (and compiles) every dependency as part of
/// building the project, unless an earlier step fetched them from the manifests alone.
pub struct BuildEcosystem {
    pub tool: Tool,
    /// Subcommands, goals or tasks that build the project (and so fetch its dependencies).
    pub builds: &'static [&'static str],
    /// Options that forbid downloads: the dependencies come from somewhere else.
    pub offline: &'static [&'static str],
    /// The manifest the build needs; without it there is nothing to fetch (`go build` of a
    /// GOPATH package).
    pub manifest: &'static str,
    /// The manifests to copy before the dependency step.
    pub copy_first: &'static [&'static str],
    /// Where downloads and compiled dependencies go: absolute, `~/` under the home directory,
    /// `./` under the directory the build runs in. A cache mount on one of them (or a parent)
    /// makes the rerun cheap.
    pub cache_dirs: &'static [&'static str],
    /// Variables that move the cache, with the part below them (`GOMODCACHE`, `GOPATH/pkg/mod`).
    pub cache_vars: &'static [(&'static str, &'static str)],
    /// How to fetch the dependencies first, for the help.
    pub fix: &'static str,
    /// The dependency step a fix can add before the source copy: the manifests to copy (the
    /// first one required) and the command, for the program the build runs; `None` where the
    /// step needs more than a COPY and a RUN (cargo-chef, the Gradle wrapper's files).
    pub fetch: Option<Fetch>,
}

pub struct Fetch {
    pub program: &'static str,
    pub manifests: &'static [&'static str],
    pub command: &'static str,
}

pub const BUILD_ECOSYSTEMS: &[BuildEcosystem] = &[
    BuildEcosystem {
        tool: Tool::Go,
        builds: &["build", "install", "test"],
        offline: &["-mod=vendor"],
        manifest: "go.mod",
        copy_first: &["go.mod", "go.sum"],
        cache_dirs: &["/go/pkg/mod", "~/go/pkg/mod", "~/.cache/go-build"],
        cache_vars: &[("GOMODCACHE", ""), ("GOPATH", "/pkg/mod"), ("GOCACHE", "")],
        fix: "copy `go.mod` and `go.sum` first and run `go mod download`, then copy the rest; \
              or mount caches: `RUN --mount=type=cache,target=/go/pkg/mod \
              --mount=type=cache,target=/root/.cache/go-build go build …`",
        fetch: Some(Fetch {
            program: "go",
            manifests: &["go.mod", "go.sum"],
            command: "go mod download",
        }),
    },
    BuildEcosystem {
        tool: Tool::Cargo,
        builds: &[
            "build", "b", "install", "test", "t", "check", "c", "clippy", "doc",
        ],
        offline: &["--offline", "--frozen"],
        manifest: "Cargo.toml",
        copy_first: &["Cargo.toml", "Cargo.lock"],
        cache_dirs: &["/usr/local/cargo/registry", "~/.cargo/registry", "./target"],
        cache_vars: &[("CARGO_HOME", "/registry"), ("CARGO_TARGET_DIR", "")],
        fix: "copy `Cargo.toml` and `Cargo.lock` and build the dependencies first (the \
              cargo-chef pattern: `cargo chef prepare`, then `cargo chef cook` before copying the \
              source), then copy the rest; or mount caches on `/usr/local/cargo/registry` and \
              `target`",
        fetch: None,
    },
    BuildEcosystem {
        tool: Tool::Maven,
        builds: &[
            "compile",
            "test-compile",
            "test",
            "package",
            "verify",
            "install",
            "deploy",
        ],
        offline: &["-o", "--offline"],
        manifest: "pom.xml",
        copy_first: &["pom.xml"],
        cache_dirs: &["~/.m2"],
        cache_vars: &[],
        fix: "copy `pom.xml` first and run `mvn dependency:go-offline`, then copy the rest; or \
              mount a cache: `RUN --mount=type=cache,target=/root/.m2 mvn …`",
        fetch: Some(Fetch {
            program: "mvn",
            manifests: &["pom.xml"],
            command: "mvn -B dependency:go-offline",
        }),
    },
    BuildEcosystem {
        tool: Tool::Gradle,
        builds: &[
            "build",
            "assemble",
            "jar",
            "bootJar",
            "bootWar",
            "war",
            "shadowJar",
            "installDist",
            "distTar",
            "distZip",
            "test",
            "check",
        ],
        offline: &["--offline"],
        manifest: "",
        copy_first: &["build.gradle", "settings.gradle", "gradle/"],
        cache_dirs: &["~/.gradle", "/home/gradle/.gradle"],
        cache_vars: &[("GRADLE_USER_HOME", "")],
        fix: "copy the build scripts (`settings.gradle`, `build.gradle`, `gradle/`) first and \
              run `gradle dependencies`, then copy the rest; or mount a cache: \
              `RUN --mount=type=cache,target=/root/.gradle gradle …`",
        fetch: None,
    },
];

/// The build ecosystem of `tool`, if it is one.
pub fn build_ecosystem(tool: Tool) -> Option<&'static BuildEcosystem> {
    BUILD_ECOSYSTEMS.iter().find(|e| e.tool == tool)
}

/// `make` targets that do not build the project: a `make` naming only these is no build.
pub const MAKE_NON_BUILD_TARGETS: &[&str] = &[
    "clean",
    "distclean",
    "lint",
    "fmt",
    "format",
    "help",
    "doc",
    "docs",
    "generate",
    "deps",
    "dependencies",
    "download",
    "vendor",
    "mod",
    "tools",
    "setup",
];

/// What a Makefile's recipes build with: the first build tool whose build command it names.
pub fn build_tool_in_makefile(text: &str) -> Option<Tool> {
    let uses = |needle: &str| {
        text.lines()
            .filter(|l| l.starts_with('\t') || l.starts_with(' '))
            .any(|l| l.contains(needle))
    };
    [
        ("go build", Tool::Go),
        ("go install", Tool::Go),
        ("cargo build", Tool::Cargo),
        ("mvn ", Tool::Maven),
        ("gradle", Tool::Gradle),
    ]
    .into_iter()
    .find(|(n, _)| uses(n))
    .map(|(_, t)| t)
}

/// Files beside `package.json` that an install reads when they exist: workspace layout,
/// registry settings, install hooks, the package manager's own settings. Without them the
/// install still runs, but not as the project set it up.
const INSTALL_CONFIG: &[(Tool, &[&str])] = &[
    (Tool::Npm, &[".npmrc"]),
    (
        Tool::Pnpm,
        &["pnpm-workspace.yaml", ".npmrc", ".pnpmfile.cjs"],
    ),
    (Tool::Yarn, &[".yarnrc.yml", ".yarnrc", ".npmrc"]),
    (Tool::Bun, &["bunfig.toml", ".npmrc"]),
];

/// Files Yarn 1 reads that Yarn 2 and later (a project with `.yarnrc.yml`) ignore.
const YARN_CLASSIC_ONLY: &[&str] = &[".yarnrc", ".npmrc"];

/// The settings files `tool` reads beside the manifest, given whether the project has a
/// `.yarnrc.yml` (which makes `yarn` a modern Yarn).
pub fn install_config(tool: Tool, yarn_berry: bool) -> Vec<&'static str> {
    INSTALL_CONFIG
        .iter()
        .filter(|(t, _)| *t == tool)
        .flat_map(|(_, files)| files.iter().copied())
        .filter(|f| !(tool == Tool::Yarn && yarn_berry && YARN_CLASSIC_ONLY.contains(f)))
        .collect()
}

/// The release a `.yarnrc.yml` runs Yarn from (`yarnPath: .yarn/releases/yarn-4.1.0.cjs`),
/// relative to the file.
pub fn yarn_path(yarnrc: &str) -> Option<String> {
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(yarnrc).ok()?;
    let p = doc.get("yarnPath")?.as_str()?.trim();
    (!p.is_empty()).then(|| p.trim_start_matches("./").to_string())
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    /// The plain recursive definition the matcher must agree with.
    fn glob_reference(pat: &[u8], name: &[u8]) -> bool {
        match (pat.first(), name.first()) {
            (None, None) => true,
            (Some(b'*'), _) => {
                glob_reference(&pat[1..], name)
                    || (!name.is_empty() && glob_reference(pat, &name[1..]))
            }
            (Some(b'['), Some(_)) => match pat.iter().position(|&b| b == b']') {
                Some(end) => glob_reference(&pat[end + 1..], &name[1..]),
                None => false,
            },
            (Some(b'?'), Some(_)) => glob_reference(&pat[1..], &name[1..]),
            (Some(p), Some(n)) => p == n && glob_reference(&pat[1..], &name[1..]),
            _ => false,
        }
    }

    /// Every word of up to `max` letters of `alphabet`.
    fn all_words(alphabet: &[u8], max: usize) -> Vec<Vec<u8>> {
        let mut out = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|w: &Vec<u8>| {
                    alphabet.iter().map(move |&c| {
                        let mut w = w.clone();
                        w.push(c);
                        w
                    })
                })
                .collect();
            out.extend(last.iter().cloned());
        }
        out
    }

    #[test]
    fn glob_agrees_with_the_recursive_definition() {
        let pats = all_words(b"a*?[]", 5);
        let names = all_words(b"ab]", 4);
        for p in &pats {
            for n in &names {
                assert_eq!(glob_match(p, n), glob_reference(p, n), "{p:?} {n:?}");
            }
        }
    }

    #[test]
    fn glob_with_many_stars_is_not_exponential() {
        // Found by fuzzing: 57 stars kept the recursive matcher busy for minutes.
        let pat = format!("{}foo", "*".repeat(57));
        let name = "x".repeat(200);
        assert!(!glob_match(pat.as_bytes(), name.as_bytes()));
        assert!(glob_match(pat.as_bytes(), format!("{name}foo").as_bytes()));
    }
}
