//! Typed descriptions of package-manager and build-tool commands: what they install, which
//! manifests they read, and whether they need only manifests or the whole source.

use super::{ShellWord, SimpleCommand};
use crate::syntax::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    Pip,
    Uv,
    Poetry,
    Pipenv,
    Pdm,
    Conda,
    Npm,
    Yarn,
    Pnpm,
    Bun,
    Go,
    Bundler,
    Gem,
    Composer,
    Maven,
    Gradle,
    Dotnet,
    Mix,
    Cargo,
    AptGet,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    /// `rm` of a known package-manager cache directory.
    Rm,
}

impl Tool {
    pub fn as_str(&self) -> &'static str {
        match self {
            Tool::Pip => "pip",
            Tool::Uv => "uv",
            Tool::Poetry => "poetry",
            Tool::Pipenv => "pipenv",
            Tool::Pdm => "pdm",
            Tool::Conda => "conda",
            Tool::Npm => "npm",
            Tool::Yarn => "yarn",
            Tool::Pnpm => "pnpm",
            Tool::Bun => "bun",
            Tool::Go => "go",
            Tool::Bundler => "bundle",
            Tool::Gem => "gem",
            Tool::Composer => "composer",
            Tool::Maven => "mvn",
            Tool::Gradle => "gradle",
            Tool::Dotnet => "dotnet",
            Tool::Mix => "mix",
            Tool::Cargo => "cargo",
            Tool::AptGet => "apt-get",
            Tool::Apk => "apk",
            Tool::Yum => "yum",
            Tool::Dnf => "dnf",
            Tool::Microdnf => "microdnf",
            Tool::Zypper => "zypper",
            Tool::Rm => "rm",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// Installs dependencies from manifests alone (`pip install -r`, `npm ci`, bare `yarn`).
    DependencyInstall,
    /// Needs the project source (`pip install .`, `npm run build`, `go build`).
    WholeSourceStep,
    /// Installs packages named on the command line (`apt-get install curl`, `pip install flask`).
    PackageInstall,
    /// Refreshes package indexes (`apt-get update`, `apk update`, `dnf makecache`).
    IndexUpdate,
    /// Removes a package-manager cache (`apt-get clean`, `rm -rf /var/lib/apt/lists/*`).
    CacheClean,
    /// A known tool doing something else (`npm config set`, `apt-get remove`).
    Other,
}

/// A cache that a command removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CacheTarget {
    AptLists,
    AptArchives,
    Apk,
    Pip,
    Uv,
    Poetry,
    Conda,
    Npm,
    Yarn,
    Pnpm,
    Bun,
    Go,
    Composer,
    Yum,
    Dnf,
    Zypper,
    NuGet,
}

/// An option as written: `name` is `--index-url`, `-r`, `-y` (a cluster `-yq` gives one per
/// letter); `value` is its argument, attached (`--x=v`, `-rfile`) or the next word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt {
    pub name: String,
    pub value: Option<ShellWord>,
    pub span: Span,
}

/// A file the command reads, relative to the working directory (or absolute when written so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestRead {
    /// Any one of these satisfies the read (`package-lock.json` or `npm-shrinkwrap.json`).
    /// Entries may be globs (`*.csproj`).
    pub candidates: Vec<String>,
    /// False when the tool works without it (`yarn.lock` for `yarn install`).
    pub required: bool,
    /// Where the command names the file (`-r requirements.txt`); `None` when the tool implies it,
    /// in which case the command's span is the place to point at.
    pub span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolCommand {
    pub tool: Tool,
    /// `install`, `ci`, `mod download`, `env create`, `pip install` (uv), the first goal (mvn).
    pub subcommand: Option<String>,
    /// Where the subcommand is written, from its first word to its last.
    pub subcommand_span: Option<Span>,
    pub kind: CommandKind,
    pub options: Vec<Opt>,
    /// Positional words after the subcommand.
    pub operands: Vec<ShellWord>,
    /// Packages named for installation (versions and extras kept: `flask==2.0`).
    pub packages: Vec<ShellWord>,
    pub reads: Vec<ManifestRead>,
    pub cleans: Vec<CacheTarget>,
    /// Directory the tool was pointed at (`npm --prefix app`, `go -C dir`); implied manifests
    /// in `reads` already include it.
    pub dir: Option<ShellWord>,
    /// `NAME=value` words in force for the tool: the command's prefixes and those given to
    /// `env`/`sudo` (`env PIP_NO_CACHE_DIR=1 pip …`).
    pub env: Vec<ShellWord>,
    /// The whole command.
    pub span: Span,
    /// Index in argv of the tool's own word (after `sudo`, `env`, `python -m`).
    pub argv_start: usize,
}

impl ToolCommand {
    /// The command empties the tool's package cache.
    fn clean(&mut self, target: CacheTarget) {
        self.kind = CommandKind::CacheClean;
        self.cleans.push(target);
    }

    /// True when any of `names` was given (`has_flag(&["--no-cache-dir"])`).
    pub fn has_flag(&self, names: &[&str]) -> bool {
        self.options
            .iter()
            .any(|o| names.contains(&o.name.as_str()))
    }

    /// The value of `NAME` in `env`, the last one written winning.
    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env.iter().rev().find_map(|w| {
            let (k, v) = w.value.split_once('=')?;
            (k == name).then_some(v)
        })
    }

    /// The first option with one of `names`.
    pub fn option(&self, names: &[&str]) -> Option<&Opt> {
        self.options
            .iter()
            .find(|o| names.contains(&o.name.as_str()))
    }
}

/// What `cmd` is, when it runs a known tool; `None` for anything else.
pub fn recognise(cmd: &SimpleCommand) -> Option<ToolCommand> {
    let start = skip_wrappers(&cmd.argv);
    let first = cmd.argv.get(start)?;
    let prog = basename(&first.value);
    let (tool, args_at) = if is_versioned(prog, "python") {
        // `python3 -m pip install …`
        let m = cmd.argv.get(start + 1)?;
        let module = cmd.argv.get(start + 2)?;
        if m.value != "-m" {
            return None;
        }
        let tool = match module.value.as_str() {
            "pip" | "pip3" => Tool::Pip,
            "pipenv" => Tool::Pipenv,
            "poetry" => Tool::Poetry,
            "pdm" => Tool::Pdm,
            "uv" => Tool::Uv,
            _ => return None,
        };
        (tool, start + 3)
    } else {
        (tool_of(prog)?, start + 1)
    };
    let args = cmd.argv.get(args_at..).unwrap_or(&[]);
    let mut tc = ToolCommand {
        tool,
        subcommand: None,
        subcommand_span: None,
        kind: CommandKind::Other,
        options: Vec::new(),
        operands: Vec::new(),
        packages: Vec::new(),
        reads: Vec::new(),
        cleans: Vec::new(),
        dir: None,
        env: cmd
            .assignments
            .iter()
            .chain(cmd.argv[..start].iter().filter(|w| is_env_word(&w.value)))
            .cloned()
            .collect(),
        span: cmd.span,
        argv_start: if args_at > start + 1 {
            args_at - 1
        } else {
            start
        },
    };
    let ok = match tool {
        Tool::Pip => pip(&mut tc, args, false),
        Tool::Uv => uv(&mut tc, args),
        Tool::Poetry => poetry(&mut tc, args),
        Tool::Pipenv => pipenv(&mut tc, args),
        Tool::Pdm => pdm(&mut tc, args),
        Tool::Conda => conda(&mut tc, args),
        Tool::Npm => npm(&mut tc, args),
        Tool::Yarn => yarn(&mut tc, args),
        Tool::Pnpm => pnpm(&mut tc, args),
        Tool::Bun => bun(&mut tc, args),
        Tool::Go => go(&mut tc, args),
        Tool::Bundler => bundle(&mut tc, args),
        Tool::Gem => gem(&mut tc, args),
        Tool::Composer => composer(&mut tc, args),
        Tool::Maven => maven(&mut tc, args),
        Tool::Gradle => gradle(&mut tc, args),
        Tool::Dotnet => dotnet(&mut tc, args),
        Tool::Mix => mix(&mut tc, args),
        Tool::Cargo => cargo(&mut tc, args),
        Tool::AptGet => apt(&mut tc, args),
        Tool::Apk => apk(&mut tc, args),
        Tool::Yum | Tool::Dnf | Tool::Microdnf => yum(&mut tc, args),
        Tool::Zypper => zypper(&mut tc, args),
        Tool::Rm => rm(&mut tc, args),
    };
    ok.then_some(tc)
}

fn basename(v: &str) -> &str {
    let v = v.trim_end_matches('/');
    v.rsplit('/').next().unwrap_or(v)
}

/// `pip`, `pip3`, `pip3.11` for stem `pip`.
fn is_versioned(prog: &str, stem: &str) -> bool {
    prog.strip_prefix(stem)
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

fn tool_of(prog: &str) -> Option<Tool> {
    if is_versioned(prog, "pip") {
        return Some(Tool::Pip);
    }
    Some(match prog {
        "uv" => Tool::Uv,
        "poetry" => Tool::Poetry,
        "pipenv" => Tool::Pipenv,
        "pdm" => Tool::Pdm,
        "conda" | "mamba" | "micromamba" => Tool::Conda,
        "npm" => Tool::Npm,
        "yarn" | "yarnpkg" => Tool::Yarn,
        "pnpm" => Tool::Pnpm,
        "bun" => Tool::Bun,
        "go" => Tool::Go,
        "bundle" | "bundler" => Tool::Bundler,
        "gem" => Tool::Gem,
        "composer" | "composer.phar" => Tool::Composer,
        "mvn" | "mvnw" | "mvnd" => Tool::Maven,
        "gradle" | "gradlew" => Tool::Gradle,
        "dotnet" => Tool::Dotnet,
        "mix" => Tool::Mix,
        "cargo" => Tool::Cargo,
        "apt-get" | "apt" => Tool::AptGet,
        "apk" => Tool::Apk,
        "yum" => Tool::Yum,
        "dnf" => Tool::Dnf,
        "microdnf" => Tool::Microdnf,
        "zypper" => Tool::Zypper,
        "rm" => Tool::Rm,
        _ => return None,
    })
}

fn is_env_word(v: &str) -> bool {
    v.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty()
            && !k.starts_with(|c: char| c.is_ascii_digit())
            && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// Index of the first word after `sudo`, `env X=1`, `exec`, `command`, `nohup`, `time`, `nice`.
fn skip_wrappers(argv: &[ShellWord]) -> usize {
    let mut k = 0;
    while let Some(w) = argv.get(k) {
        let takes: &[&str] = match basename(&w.value) {
            "sudo" => &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"],
            "env" => &["-u", "-C", "-S"],
            "nice" => &["-n"],
            "xargs" => &["-n", "-I", "-a", "-P", "-d", "-L", "-s", "-E"],
            "exec" | "command" | "nohup" | "time" | "stdbuf" => &[],
            _ => return k,
        };
        // `env` and `sudo` both accept `NAME=value` before the command.
        let is_env = matches!(basename(&w.value), "env" | "sudo");
        k += 1;
        while let Some(a) = argv.get(k) {
            let v = a.value.as_str();
            if v.starts_with('-') && v.len() > 1 {
                k += if takes.contains(&v) { 2 } else { 1 };
            } else if is_env && is_env_word(v) {
                k += 1;
            } else {
                break;
            }
        }
    }
    k
}

/// How a tool's options are read.
struct Grammar<'a> {
    /// Options that take a value, long (`--index-url`) and short (`-r`).
    takes: &'a [&'a str],
    /// `-yq` is `-y -q`; false for tools with single-dash long options (go, mvn, gradle).
    clusters: bool,
}

fn sub_word(w: &ShellWord, from: usize) -> ShellWord {
    let value = w.value.get(from..).unwrap_or("").to_string();
    // A plain word maps byte for byte; otherwise point at the whole word.
    let span = if w.raw == w.value && w.span.end.saturating_sub(w.span.start) == w.raw.len() {
        Span::new(w.span.start + from, w.span.end)
    } else {
        w.span
    };
    ShellWord {
        raw: value.clone(),
        value,
        span,
        offsets: None,
    }
}

/// Split words into options and positionals.
fn parse_opts(words: &[ShellWord], g: &Grammar) -> (Vec<Opt>, Vec<ShellWord>) {
    let mut opts = Vec::new();
    let mut pos = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let w = &words[k];
        let v = w.value.as_str();
        k += 1;
        if v == "--" {
            pos.extend(words[k..].iter().cloned());
            break;
        }
        if !v.starts_with('-') || v.len() < 2 || v.starts_with("-$") {
            pos.push(w.clone());
            continue;
        }
        if let Some(eq) = v.find('=').filter(|_| v.starts_with("--") || !g.clusters) {
            opts.push(Opt {
                name: v[..eq].to_string(),
                value: Some(sub_word(w, eq + 1)),
                span: w.span,
            });
            continue;
        }
        if v.starts_with("--") || !g.clusters {
            let value = if g.takes.contains(&v) {
                k += 1;
                words.get(k - 1).cloned()
            } else {
                None
            };
            opts.push(Opt {
                name: v.to_string(),
                value,
                span: w.span,
            });
            continue;
        }
        // A short cluster: each letter is a flag until one that takes a value.
        for (i, c) in v.char_indices().skip(1) {
            let name = format!("-{c}");
            if g.takes.contains(&name.as_str()) {
                let at = i + c.len_utf8();
                let value = if at < v.len() {
                    Some(sub_word(w, at))
                } else {
                    k += 1;
                    words.get(k - 1).cloned()
                };
                opts.push(Opt {
                    name,
                    value,
                    span: w.span,
                });
                break;
            }
            opts.push(Opt {
                name,
                value: None,
                span: w.span,
            });
        }
    }
    (opts, pos)
}

fn values<'a>(opts: &'a [Opt], names: &[&str]) -> impl Iterator<Item = &'a ShellWord> {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    opts.iter()
        .filter(move |o| names.contains(&o.name))
        .filter_map(|o| o.value.as_ref())
}

fn explicit(w: &ShellWord) -> ManifestRead {
    ManifestRead {
        candidates: vec![w.value.clone()],
        required: true,
        span: Some(w.span),
    }
}

fn implied(tc: &ToolCommand, names: &[&str], required: bool) -> ManifestRead {
    let prefix = tc
        .dir
        .as_ref()
        .map(|d| d.value.trim_end_matches('/').to_string())
        .filter(|d| !d.is_empty() && d != ".");
    ManifestRead {
        candidates: names
            .iter()
            .map(|n| match &prefix {
                Some(p) => format!("{p}/{n}"),
                None => n.to_string(),
            })
            .collect(),
        required,
        span: None,
    }
}

/// `.`, `./src`, `/app`, `.[dev]`: a local project directory rather than a package name.
fn is_source_path(v: &str) -> bool {
    let archive = [".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2", ".egg"]
        .iter()
        .any(|e| v.ends_with(e));
    if archive || v.contains("://") || v.contains('@') {
        return false;
    }
    v == "."
        || v == ".."
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with(".[")
        || v.starts_with('/')
        || v.contains('/')
}

/// Shared by tools: apply `-C DIR`-style options, record options and operands.
fn setup(tc: &mut ToolCommand, args: &[ShellWord], g: &Grammar, dir: &[&str]) -> Vec<ShellWord> {
    let (opts, pos) = parse_opts(args, g);
    tc.dir = values(&opts, dir).next().cloned();
    tc.options = opts;
    pos
}

fn set_sub(tc: &mut ToolCommand, pos: &[ShellWord], n: usize) -> Vec<ShellWord> {
    let n = n.min(pos.len());
    if n > 0 {
        let s: Vec<&str> = pos[..n].iter().map(|w| w.value.as_str()).collect();
        tc.subcommand = Some(s.join(" "));
        tc.subcommand_span = Some(Span::new(pos[0].span.start, pos[n - 1].span.end));
    }
    tc.operands = pos[n..].to_vec();
    tc.operands.clone()
}

const PIP_TAKES: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--src",
    "--upgrade-strategy",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--only-binary",
    "--no-binary",
    "--progress-bar",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--proxy",
    "--timeout",
    "--retries",
    "--log",
    "--log-file",
    "--cache-dir",
    "--exists-action",
    "--global-option",
    "--install-option",
    "-C",
    "--config-settings",
    "--report",
    "--root-user-action",
    "--use-feature",
    "--use-deprecated",
    "--python",
    "-p",
    "--keyring-provider",
    "--group",
    "-d",
    "--dest",
    "-w",
    "--wheel-dir",
    "--build",
    "--index-strategy",
    "--extra",
    "--target-dir",
    "--default-index",
    "--index",
];

/// pip (and `uv pip`): `uv_mode` when the subcommand words were already consumed.
fn pip(tc: &mut ToolCommand, args: &[ShellWord], uv_mode: bool) -> bool {
    let g = Grammar {
        takes: PIP_TAKES,
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let operands = if uv_mode {
        let o = pos.clone();
        tc.operands = o.clone();
        o
    } else {
        let ops = set_sub(tc, &pos, 1);
        if tc.subcommand.as_deref() == Some("cache") {
            if first_is(&ops, &["purge", "remove"]) {
                tc.clean(CacheTarget::Pip);
            }
            return true;
        }
        ops
    };
    let sub = tc.subcommand.clone().unwrap_or_default();
    let sub = sub.rsplit(' ').next().unwrap_or("");
    if uv_mode && sub == "sync" {
        // `uv pip sync requirements.txt`: the operands are requirement files.
        tc.reads = operands.iter().map(explicit).collect();
        tc.kind = CommandKind::DependencyInstall;
        return true;
    }
    if !matches!(sub, "install" | "download" | "wheel") {
        return true;
    }
    let mut reads: Vec<ManifestRead> =
        values(&tc.options, &["-r", "--requirement", "-c", "--constraint"])
            .map(explicit)
            .collect();
    let mut source = false;
    let mut packages = Vec::new();
    for w in values(&tc.options, &["-e", "--editable"]) {
        if is_source_path(&w.value) {
            source = true;
        } else {
            packages.push(w.clone());
        }
    }
    for w in &operands {
        if is_source_path(&w.value) {
            source = true;
        } else {
            packages.push(w.clone());
        }
    }
    if uv_mode {
        reads.extend(
            tc.options
                .iter()
                .filter(|o| o.name == "-r" || o.name == "--requirements")
                .filter_map(|o| o.value.as_ref())
                .filter(|w| !reads.iter().any(|r| r.span == Some(w.span)))
                .map(explicit)
                .collect::<Vec<_>>(),
        );
    }
    tc.kind = if source {
        CommandKind::WholeSourceStep
    } else if !reads.is_empty() {
        CommandKind::DependencyInstall
    } else if !packages.is_empty() {
        CommandKind::PackageInstall
    } else {
        CommandKind::Other
    };
    tc.reads = reads;
    tc.packages = packages;
    true
}

fn uv(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let mut takes: Vec<&str> = PIP_TAKES.to_vec();
    takes.extend([
        "--directory",
        "--project",
        "--extra",
        "--group",
        "--only-group",
    ]);
    let g = Grammar {
        takes: &takes,
        clusters: true,
    };
    let (opts, pos) = parse_opts(args, &g);
    let first = pos.first().map(|w| w.value.as_str()).unwrap_or("");
    if first == "pip" {
        // Re-read after `pip SUB` so that the pip grammar applies to the rest.
        let sub = pos.get(1).map(|w| w.value.clone()).unwrap_or_default();
        let at = args
            .iter()
            .position(|w| w.value == sub && !sub.is_empty())
            .map(|k| k + 1)
            .unwrap_or(args.len());
        tc.subcommand = Some(format!("pip {sub}"));
        return pip(tc, args.get(at..).unwrap_or(&[]), true);
    }
    tc.dir = values(&opts, &["--directory", "--project"]).next().cloned();
    tc.options = opts;
    let n = if matches!(first, "tool" | "cache") {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    match tc.subcommand.as_deref().unwrap_or("") {
        "sync" => {
            let locked = tc.has_flag(&["--locked", "--frozen"]);
            tc.reads = vec![
                implied(tc, &["pyproject.toml"], true),
                implied(tc, &["uv.lock"], locked),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        "add" | "tool install" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "cache clean" | "cache prune" => {
            tc.clean(CacheTarget::Uv);
        }
        "build" => tc.kind = CommandKind::WholeSourceStep,
        _ => {}
    }
    true
}

fn poetry(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-C",
            "--directory",
            "-P",
            "--project",
            "--with",
            "--without",
            "--only",
            "-E",
            "--extras",
            "-f",
            "--format",
            "-o",
            "--output",
            "-G",
            "--group",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &["-C", "--directory", "-P", "--project"]);
    let n = if pos
        .first()
        .is_some_and(|w| matches!(w.value.as_str(), "cache" | "self" | "env"))
    {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    match tc.subcommand.as_deref().unwrap_or("") {
        "install" | "sync" => {
            tc.reads = vec![
                implied(tc, &["pyproject.toml"], true),
                implied(tc, &["poetry.lock"], false),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        "add" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "build" => tc.kind = CommandKind::WholeSourceStep,
        "cache clear" => {
            tc.clean(CacheTarget::Poetry);
        }
        _ => {}
    }
    true
}

fn pipenv(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "--python",
            "-r",
            "--requirements",
            "--categories",
            "--pypi-mirror",
            "-i",
            "--index",
            "--extra-index-url",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let ops = set_sub(tc, &pos, 1);
    match tc.subcommand.as_deref().unwrap_or("") {
        "install" => {
            let files: Vec<ManifestRead> = values(&tc.options, &["-r", "--requirements"])
                .map(explicit)
                .collect();
            if !files.is_empty() {
                tc.reads = files;
                tc.kind = CommandKind::DependencyInstall;
            } else if !ops.is_empty() {
                tc.kind = if ops.iter().any(|w| is_source_path(&w.value)) {
                    CommandKind::WholeSourceStep
                } else {
                    CommandKind::PackageInstall
                };
                tc.packages = ops;
            } else {
                let locked = tc.has_flag(&["--deploy", "--ignore-pipfile"]);
                tc.reads = vec![
                    implied(tc, &["Pipfile"], true),
                    implied(tc, &["Pipfile.lock"], locked),
                ];
                tc.kind = CommandKind::DependencyInstall;
            }
        }
        "sync" => {
            tc.reads = vec![
                implied(tc, &["Pipfile"], true),
                implied(tc, &["Pipfile.lock"], true),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        _ => {}
    }
    true
}

fn pdm(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-G",
            "--group",
            "-p",
            "--project",
            "-L",
            "--lockfile",
            "-v",
            "--venv",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &["-p", "--project"]);
    let n = if pos.first().is_some_and(|w| w.value == "cache") {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    match tc.subcommand.as_deref().unwrap_or("") {
        "install" | "sync" => {
            let lock = match values(&tc.options, &["-L", "--lockfile"]).next() {
                Some(w) => explicit(w),
                None => implied(tc, &["pdm.lock"], tc.subcommand.as_deref() == Some("sync")),
            };
            tc.reads = vec![implied(tc, &["pyproject.toml"], true), lock];
            tc.kind = CommandKind::DependencyInstall;
        }
        "add" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "build" => tc.kind = CommandKind::WholeSourceStep,
        "cache clear" => tc.kind = CommandKind::CacheClean,
        _ => {}
    }
    true
}

fn conda(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-n",
            "--name",
            "-p",
            "--prefix",
            "-c",
            "--channel",
            "-f",
            "--file",
            "--solver",
            "-r",
            "--root-prefix",
            "--platform",
            "--subdir",
            "--repodata-fn",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let n = if pos.first().is_some_and(|w| w.value == "env") {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    let files: Vec<ManifestRead> = values(&tc.options, &["-f", "--file"])
        .map(explicit)
        .collect();
    match tc.subcommand.as_deref().unwrap_or("") {
        "env create" | "env update" => {
            tc.reads = if files.is_empty() {
                vec![implied(tc, &["environment.yml", "environment.yaml"], true)]
            } else {
                files
            };
            tc.kind = CommandKind::DependencyInstall;
        }
        "install" | "create" | "update" => {
            if !files.is_empty() {
                tc.reads = files;
                tc.kind = CommandKind::DependencyInstall;
            } else if !ops.is_empty() {
                tc.kind = CommandKind::PackageInstall;
            }
            tc.packages = ops;
        }
        "clean" => {
            tc.clean(CacheTarget::Conda);
        }
        _ => {}
    }
    true
}

fn npm(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "--prefix",
            "-C",
            "--registry",
            "--cache",
            "--omit",
            "--include",
            "--loglevel",
            "-w",
            "--workspace",
            "--userconfig",
            "--tag",
            "--only",
            "--location",
            "--install-strategy",
            "--fetch-timeout",
            "--fetch-retries",
            "--script-shell",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &["--prefix", "-C"]);
    let ops = set_sub(tc, &pos, 1);
    match tc.subcommand.as_deref().unwrap_or("") {
        "ci" | "clean-install" | "install-clean" | "ic" => {
            tc.reads = vec![
                implied(tc, &["package.json"], true),
                implied(tc, &["package-lock.json", "npm-shrinkwrap.json"], true),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        "install" | "i" | "add" | "in" | "isntall" => {
            if ops.is_empty() {
                tc.reads = vec![
                    implied(tc, &["package.json"], true),
                    implied(tc, &["package-lock.json", "npm-shrinkwrap.json"], false),
                ];
                tc.kind = CommandKind::DependencyInstall;
            } else {
                tc.kind = if ops.iter().any(|w| is_source_path(&w.value)) {
                    CommandKind::WholeSourceStep
                } else {
                    CommandKind::PackageInstall
                };
                tc.packages = ops;
            }
        }
        "run" | "run-script" | "rum" | "urn" | "test" | "t" | "tst" | "build" | "pack"
        | "publish" | "start" | "rebuild" => tc.kind = CommandKind::WholeSourceStep,
        "cache" if first_is(&ops, &["clean", "clear"]) => tc.clean(CacheTarget::Npm),
        _ => {}
    }
    true
}

/// Whether the first operand is one of `words` (`npm cache clean`, `apk cache purge`).
fn first_is(ops: &[ShellWord], words: &[&str]) -> bool {
    ops.first()
        .is_some_and(|w| words.contains(&w.value.as_str()))
}

fn yarn(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "--cwd",
            "--cache-folder",
            "--modules-folder",
            "--network-timeout",
            "--registry",
            "--mutex",
            "--network-concurrency",
            "--global-folder",
            "--link-folder",
            "--preferred-cache-folder",
            "--mode",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &["--cwd"]);
    let n = if pos
        .first()
        .is_some_and(|w| matches!(w.value.as_str(), "global" | "cache" | "workspaces"))
    {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    if tc.has_flag(&["--version", "-v", "--help", "-h"]) {
        return true;
    }
    match tc.subcommand.as_deref() {
        None | Some("install") | Some("workspaces focus") => {
            let locked = tc.has_flag(&["--frozen-lockfile", "--immutable", "--pure-lockfile"]);
            tc.reads = vec![
                implied(tc, &["package.json"], true),
                implied(tc, &["yarn.lock"], locked),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        Some("add") | Some("global add") => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        Some("cache clean") | Some("cache clear") => {
            tc.clean(CacheTarget::Yarn);
        }
        Some(
            "config" | "set" | "policies" | "plugin" | "info" | "why" | "remove" | "upgrade"
            | "autoclean" | "cache" | "global" | "workspaces" | "init" | "login" | "link"
            | "unlink" | "licenses" | "list" | "outdated" | "owner" | "import" | "version"
            | "versions" | "dlx" | "node" | "bin" | "dedupe" | "npm" | "constraints",
        ) => {}
        // Anything else runs a script of package.json, which needs the source.
        Some(_) => tc.kind = CommandKind::WholeSourceStep,
    }
    true
}

fn pnpm(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-C",
            "--dir",
            "--filter",
            "-F",
            "--store-dir",
            "--registry",
            "--reporter",
            "--workspace-concurrency",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &["-C", "--dir"]);
    let n = if pos.first().is_some_and(|w| w.value == "store") {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    let locked = tc.has_flag(&["--frozen-lockfile"]);
    match tc.subcommand.as_deref().unwrap_or("") {
        "install" | "i" => {
            tc.reads = vec![
                implied(tc, &["package.json"], true),
                implied(tc, &["pnpm-lock.yaml"], locked),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        "fetch" => {
            tc.reads = vec![implied(tc, &["pnpm-lock.yaml"], true)];
            tc.kind = CommandKind::DependencyInstall;
        }
        "add" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "store prune" => {
            tc.clean(CacheTarget::Pnpm);
        }
        "" | "config" | "env" | "setup" | "store" | "--version" | "dlx" | "licenses" | "why"
        | "list" | "ls" | "outdated" | "audit" | "remove" | "rm" | "prune" | "link" => {}
        _ => tc.kind = CommandKind::WholeSourceStep,
    }
    true
}

fn bun(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "--cwd",
            "-c",
            "--config",
            "--registry",
            "--backend",
            "--cache-dir",
            "--filter",
            "--outdir",
            "--target",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &["--cwd"]);
    let n = if pos.first().is_some_and(|w| w.value == "pm") {
        3
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    match tc.subcommand.as_deref().unwrap_or("") {
        "install" | "i" if ops.is_empty() => {
            let locked = tc.has_flag(&["--frozen-lockfile"]);
            tc.reads = vec![
                implied(tc, &["package.json"], true),
                implied(tc, &["bun.lock", "bun.lockb"], locked),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        "install" | "i" | "add" | "a" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "run" | "build" | "test" => tc.kind = CommandKind::WholeSourceStep,
        "pm cache rm" => {
            tc.clean(CacheTarget::Bun);
        }
        _ => {}
    }
    true
}

fn go(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-C",
            "-o",
            "-ldflags",
            "-gcflags",
            "-asmflags",
            "-tags",
            "-mod",
            "-modfile",
            "-p",
            "-buildmode",
            "-compiler",
            "-installsuffix",
            "-overlay",
            "-pkgdir",
            "-toolexec",
            "-pgo",
            "-exec",
            "-run",
            "-coverprofile",
            "-timeout",
            "-bench",
            "-count",
            "-covermode",
            "-coverpkg",
        ],
        clusters: false,
    };
    let pos = setup(tc, args, &g, &["-C"]);
    let n = if pos.first().is_some_and(|w| w.value == "mod") {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    match tc.subcommand.as_deref().unwrap_or("") {
        "mod download" => {
            tc.reads = vec![
                implied(tc, &["go.mod"], true),
                implied(tc, &["go.sum"], false),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        "install" | "get" if !ops.is_empty() && ops.iter().all(|w| !is_go_local(&w.value)) => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "build" | "install" | "get" | "test" | "generate" | "vet" | "run" | "mod tidy"
        | "mod vendor" => tc.kind = CommandKind::WholeSourceStep,
        "clean" if tc.has_flag(&["-modcache", "-cache"]) => {
            tc.clean(CacheTarget::Go);
        }
        _ => {}
    }
    true
}

/// `./...`, `.`, `./cmd/app`: a package of the module being built.
fn is_go_local(v: &str) -> bool {
    v == "."
        || v.starts_with("./")
        || v.starts_with("../")
        || (!v.contains('.') && !v.contains('@'))
}

fn bundle(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "--gemfile",
            "--jobs",
            "-j",
            "--retry",
            "--path",
            "--without",
            "--with",
            "--binstubs",
            "--shebang",
            "--trust-policy",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    set_sub(tc, &pos, 1);
    if tc.has_flag(&["--version", "-v", "--help", "-h"]) {
        return true;
    }
    match tc.subcommand.as_deref() {
        None | Some("install" | "i") => {
            let locked = tc.has_flag(&["--deployment", "--frozen"]);
            tc.reads = match values(&tc.options, &["--gemfile"]).next() {
                Some(w) => vec![
                    explicit(w),
                    ManifestRead {
                        candidates: vec![format!("{}.lock", w.value)],
                        required: locked,
                        span: Some(w.span),
                    },
                ],
                None => vec![
                    implied(tc, &["Gemfile", "gems.rb"], true),
                    implied(tc, &["Gemfile.lock", "gems.locked"], locked),
                ],
            };
            tc.kind = CommandKind::DependencyInstall;
        }
        Some("exec") => tc.kind = CommandKind::WholeSourceStep,
        _ => {}
    }
    true
}

fn gem(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-v",
            "--version",
            "-i",
            "--install-dir",
            "-n",
            "--bindir",
            "-s",
            "--source",
            "--platform",
            "-g",
            "--file",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let ops = set_sub(tc, &pos, 1);
    if tc.subcommand.as_deref() == Some("install") {
        let files: Vec<ManifestRead> = values(&tc.options, &["-g", "--file"])
            .map(explicit)
            .collect();
        if !files.is_empty() {
            tc.reads = files;
            tc.kind = CommandKind::DependencyInstall;
        } else if !ops.is_empty() {
            tc.kind = CommandKind::PackageInstall;
        }
        tc.packages = ops;
    }
    true
}

fn composer(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-d",
            "--working-dir",
            "--prefer-install",
            "--ignore-platform-req",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &["-d", "--working-dir"]);
    let n = if pos.first().is_some_and(|w| w.value == "global") {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    match tc.subcommand.as_deref().unwrap_or("") {
        "install" | "i" => {
            tc.reads = vec![
                implied(tc, &["composer.json"], true),
                implied(tc, &["composer.lock"], false),
            ];
            tc.kind = CommandKind::DependencyInstall;
        }
        "update" | "u" | "upgrade" if ops.is_empty() => {
            tc.reads = vec![implied(tc, &["composer.json"], true)];
            tc.kind = CommandKind::DependencyInstall;
        }
        "require" | "global require" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "dump-autoload" | "dumpautoload" | "run-script" | "run" => {
            tc.kind = CommandKind::WholeSourceStep
        }
        "clear-cache" | "clearcache" | "cc" => {
            tc.clean(CacheTarget::Composer);
        }
        _ => {}
    }
    true
}

fn maven(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-f",
            "--file",
            "-s",
            "--settings",
            "-gs",
            "--global-settings",
            "-P",
            "--activate-profiles",
            "-pl",
            "--projects",
            "-T",
            "--threads",
            "-rf",
            "--resume-from",
            "-l",
            "--log-file",
            "-t",
            "--toolchains",
            "-b",
            "--builder",
            "-D",
        ],
        clusters: false,
    };
    let (opts, goals) = parse_opts(args, &g);
    tc.options = opts;
    tc.subcommand = goals.first().map(|w| w.value.clone());
    tc.operands = goals.clone();
    let pom = match values(&tc.options, &["-f", "--file"]).next() {
        Some(w) if w.value.ends_with(".xml") => explicit(w),
        Some(w) => ManifestRead {
            candidates: vec![format!("{}/pom.xml", w.value.trim_end_matches('/'))],
            required: true,
            span: Some(w.span),
        },
        None => implied(tc, &["pom.xml"], true),
    };
    let mut deps = false;
    let mut source = false;
    for g in &goals {
        let v = g.value.as_str();
        if v.starts_with("dependency:") || v.contains("go-offline") {
            deps = true;
        } else if !matches!(v, "clean" | "help:effective-pom" | "validate") {
            source = true;
        }
    }
    if source {
        tc.kind = CommandKind::WholeSourceStep;
    } else if deps {
        tc.kind = CommandKind::DependencyInstall;
        tc.reads = vec![pom];
    }
    true
}

fn gradle(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-p",
            "--project-dir",
            "-b",
            "--build-file",
            "-c",
            "--settings-file",
            "-x",
            "--exclude-task",
            "-D",
            "-P",
            "-g",
            "--gradle-user-home",
            "-I",
            "--init-script",
            "--console",
            "--max-workers",
            "--warning-mode",
        ],
        clusters: false,
    };
    let pos = setup(tc, args, &g, &["-p", "--project-dir"]);
    tc.subcommand = pos.first().map(|w| w.value.clone());
    tc.operands = pos.clone();
    let mut deps = false;
    let mut source = false;
    for t in &pos {
        let v = t.value.as_str();
        let task = v.rsplit(':').next().unwrap_or(v);
        match task {
            "dependencies"
            | "androidDependencies"
            | "resolveDependencies"
            | "downloadDependencies"
            | "buildEnvironment" => deps = true,
            "clean" | "help" | "tasks" | "wrapper" | "--version" => {}
            _ => source = true,
        }
    }
    if source {
        tc.kind = CommandKind::WholeSourceStep;
    } else if deps {
        tc.kind = CommandKind::DependencyInstall;
        tc.reads = match values(&tc.options, &["-b", "--build-file"]).next() {
            Some(w) => vec![explicit(w)],
            None => vec![implied(tc, &["build.gradle", "build.gradle.kts"], true)],
        };
    }
    true
}

fn dotnet(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-c",
            "--configuration",
            "-o",
            "--output",
            "-r",
            "--runtime",
            "-s",
            "--source",
            "-f",
            "--framework",
            "-a",
            "--arch",
            "--os",
            "-v",
            "--verbosity",
            "--packages",
            "--configfile",
            "--version-suffix",
            "--tool-path",
            "--version",
            "-p",
            "--property",
            "-e",
        ],
        clusters: false,
    };
    let pos = setup(tc, args, &g, &[]);
    let n = match pos.first().map(|w| w.value.as_str()) {
        Some("tool" | "add") => 2,
        Some("nuget") => 3,
        _ => 1,
    };
    let ops = set_sub(tc, &pos, n);
    match tc.subcommand.as_deref().unwrap_or("") {
        "restore" => {
            tc.reads = match ops.first() {
                Some(w) if w.value.contains('.') && !w.value.ends_with('/') => vec![explicit(w)],
                Some(w) => {
                    tc.dir = Some(w.clone());
                    vec![implied(
                        tc,
                        &["*.csproj", "*.fsproj", "*.vbproj", "*.sln", "*.slnx"],
                        true,
                    )]
                }
                None => vec![implied(
                    tc,
                    &["*.csproj", "*.fsproj", "*.vbproj", "*.sln", "*.slnx"],
                    true,
                )],
            };
            tc.kind = CommandKind::DependencyInstall;
        }
        "publish" | "build" | "test" | "pack" | "run" | "msbuild" => {
            tc.kind = CommandKind::WholeSourceStep
        }
        "tool install" | "tool update" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "nuget locals all" if tc.has_flag(&["--clear", "-c"]) => {
            tc.clean(CacheTarget::NuGet);
        }
        _ => {}
    }
    true
}

fn mix(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &["--only", "--target"],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let ops = set_sub(tc, &pos, 1);
    let mut tasks: Vec<String> = Vec::new();
    if let Some(s) = &tc.subcommand {
        tasks.push(s.clone());
    }
    if tc.subcommand.as_deref() == Some("do") {
        // `mix do deps.get, compile`
        tasks = ops
            .iter()
            .flat_map(|w| w.value.split(',').map(|t| t.trim().to_string()))
            .filter(|t| !t.is_empty() && !t.starts_with('-') && t.contains('.') || t == "compile")
            .collect();
    }
    let mut deps = false;
    let mut source = false;
    for t in &tasks {
        match t.as_str() {
            "deps.get" | "deps.compile" => deps = true,
            "compile" | "release" | "phx.digest" | "assets.deploy" | "test" | "escript.build"
            | "distillery.release" => source = true,
            _ => {}
        }
    }
    if source {
        tc.kind = CommandKind::WholeSourceStep;
    } else if deps {
        tc.reads = vec![
            implied(tc, &["mix.exs"], true),
            implied(tc, &["mix.lock"], false),
        ];
        tc.kind = CommandKind::DependencyInstall;
    }
    true
}

fn cargo(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "--manifest-path",
            "--target",
            "-p",
            "--package",
            "--features",
            "-F",
            "-j",
            "--jobs",
            "--target-dir",
            "--bin",
            "--example",
            "--profile",
            "--root",
            "--version",
            "--git",
            "--branch",
            "--tag",
            "--rev",
            "--path",
            "--recipe-path",
            "--config",
            "-Z",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let n = if pos.first().is_some_and(|w| w.value == "chef") {
        2
    } else {
        1
    };
    let ops = set_sub(tc, &pos, n);
    let manifest = || match values(&tc.options, &["--manifest-path"]).next() {
        Some(w) => explicit(w),
        None => implied(tc, &["Cargo.toml"], true),
    };
    match tc.subcommand.as_deref().unwrap_or("") {
        "fetch" | "vendor" => {
            tc.reads = vec![manifest(), implied(tc, &["Cargo.lock"], false)];
            tc.kind = CommandKind::DependencyInstall;
        }
        "chef cook" => {
            tc.reads = match values(&tc.options, &["--recipe-path"]).next() {
                Some(w) => vec![explicit(w)],
                None => vec![implied(tc, &["recipe.json"], true)],
            };
            tc.kind = CommandKind::DependencyInstall;
        }
        "install" if tc.option(&["--path"]).is_none() && !ops.is_empty() => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "build" | "b" | "test" | "t" | "run" | "r" | "check" | "c" | "doc" | "clippy"
        | "install" | "chef prepare" => tc.kind = CommandKind::WholeSourceStep,
        _ => {}
    }
    true
}

fn apt(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-o",
            "--option",
            "-c",
            "--config-file",
            "-t",
            "--target-release",
            "--default-release",
            "-a",
            "--host-architecture",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let ops = set_sub(tc, &pos, 1);
    match tc.subcommand.as_deref().unwrap_or("") {
        "update" => tc.kind = CommandKind::IndexUpdate,
        "install" | "reinstall" | "build-dep" => {
            tc.reads = ops
                .iter()
                .filter(|w| w.value.ends_with(".deb") && is_source_path(&w.value))
                .map(explicit)
                .collect();
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "clean" | "autoclean" | "auto-clean" => {
            tc.clean(CacheTarget::AptArchives);
        }
        // Since apt 2.7 `dist-clean` also removes the package lists.
        "dist-clean" => {
            tc.kind = CommandKind::CacheClean;
            tc.cleans
                .extend([CacheTarget::AptArchives, CacheTarget::AptLists]);
        }
        _ => {}
    }
    true
}

fn apk(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-X",
            "--repository",
            "-t",
            "--virtual",
            "-p",
            "--root",
            "--arch",
            "--cache-dir",
            "--keys-dir",
            "--repositories-file",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let ops = set_sub(tc, &pos, 1);
    match tc.subcommand.as_deref().unwrap_or("") {
        "add" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "update" => tc.kind = CommandKind::IndexUpdate,
        "cache" if first_is(&ops, &["clean", "purge"]) => tc.clean(CacheTarget::Apk),
        _ => {}
    }
    true
}

fn yum(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "--enablerepo",
            "--disablerepo",
            "--setopt",
            "--installroot",
            "--releasever",
            "-x",
            "--exclude",
            "--repo",
            "--repoid",
            "-c",
            "--config",
            "--downloaddir",
            "--destdir",
            "-d",
            "--debuglevel",
            "-e",
            "--errorlevel",
            "--repofrompath",
            "--forcearch",
            "--setopt",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let ops = set_sub(tc, &pos, 1);
    // microdnf keeps its metadata where yum does.
    let target = if tc.tool == Tool::Dnf {
        CacheTarget::Dnf
    } else {
        CacheTarget::Yum
    };
    match tc.subcommand.as_deref().unwrap_or("") {
        "install" | "groupinstall" | "localinstall" | "reinstall" | "in" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "makecache" => tc.kind = CommandKind::IndexUpdate,
        // `clean packages` leaves the metadata, which is most of the cache.
        "clean" if first_is(&ops, &["all", "metadata"]) => tc.clean(target),
        _ => {}
    }
    true
}

fn zypper(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[
            "-r",
            "--repo",
            "--root",
            "-D",
            "--reposd-dir",
            "-t",
            "--type",
        ],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    let ops = set_sub(tc, &pos, 1);
    match tc.subcommand.as_deref().unwrap_or("") {
        "install" | "in" => {
            tc.packages = ops;
            tc.kind = CommandKind::PackageInstall;
        }
        "refresh" | "ref" => tc.kind = CommandKind::IndexUpdate,
        // Plain `zypper clean` removes only downloaded packages, which zypper does not keep
        // by default; the metadata goes with `--all` or `--metadata`.
        "clean" | "cc"
            if tc.has_flag(&["-a", "--all", "-m", "--metadata", "-M", "--raw-metadata"]) =>
        {
            tc.clean(CacheTarget::Zypper)
        }
        _ => {}
    }
    true
}

/// Which cache a removed path is. Paths are compared without a trailing `/*` or `/`.
fn cache_of_path(v: &str) -> Option<CacheTarget> {
    let p = v.trim_end_matches('*').trim_end_matches('/');
    let p = p
        .strip_prefix("~")
        .or_else(|| p.strip_prefix("$HOME"))
        .or_else(|| p.strip_prefix("${HOME}"))
        .or_else(|| p.strip_prefix("/root"))
        .map(|rest| format!("~{rest}"))
        .unwrap_or_else(|| p.to_string());
    Some(match p.as_str() {
        "/var/lib/apt/lists" => CacheTarget::AptLists,
        "/var/cache/apt" | "/var/cache/apt/archives" | "/var/cache/apt/archives/*.deb" => {
            CacheTarget::AptArchives
        }
        "/var/cache/apk" | "/etc/apk/cache" => CacheTarget::Apk,
        "~/.cache/pip" | "~/.cache" | "/tmp/pip-cache" => CacheTarget::Pip,
        "~/.cache/uv" => CacheTarget::Uv,
        "~/.cache/pypoetry" => CacheTarget::Poetry,
        "~/.npm" | "~/.npm/_cacache" => CacheTarget::Npm,
        "/usr/local/share/.cache/yarn" | "~/.cache/yarn" | "~/.yarn-cache" | "~/.yarn/cache" => {
            CacheTarget::Yarn
        }
        "~/.local/share/pnpm/store" | "~/.pnpm-store" => CacheTarget::Pnpm,
        "~/.bun/install/cache" => CacheTarget::Bun,
        "/var/cache/yum" => CacheTarget::Yum,
        "/var/cache/dnf" | "/var/cache/libdnf5" => CacheTarget::Dnf,
        "/var/cache/zypp" => CacheTarget::Zypper,
        "/opt/conda/pkgs" | "~/.conda/pkgs" => CacheTarget::Conda,
        "~/.cache/go-build" | "/go/pkg/mod" => CacheTarget::Go,
        "~/.composer/cache" | "~/.cache/composer" => CacheTarget::Composer,
        "~/.nuget/packages" => CacheTarget::NuGet,
        _ => return None,
    })
}

fn rm(tc: &mut ToolCommand, args: &[ShellWord]) -> bool {
    let g = Grammar {
        takes: &[],
        clusters: true,
    };
    let pos = setup(tc, args, &g, &[]);
    tc.operands = pos.clone();
    for w in &pos {
        if let Some(t) = cache_of_path(&w.value) {
            if !tc.cleans.contains(&t) {
                tc.cleans.push(t);
            }
        }
    }
    tc.kind = CommandKind::CacheClean;
    !tc.cleans.is_empty()
}

#[cfg(test)]
mod tests;
