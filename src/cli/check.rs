//! `layerlint check`: gather the files, lint each with its build context, report in the
//! chosen format, and turn the outcome into an exit code.

use super::discover;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::context::{BuildContext, ContextError};
use crate::diagnostic::Severity;
use crate::lint::lint_text;
use crate::report::{self, FileError, FileReport, Run};
use crate::rules::{self, Rule};
use clap::{Args, ValueEnum};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint (`-` reads standard input)
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The build context for every linted Dockerfile (default: the Dockerfile's directory)
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// A value for ARG expansion, like `docker build --build-arg` (repeatable)
    #[arg(long = "build-arg", value_name = "KEY=VALUE")]
    pub build_args: Vec<String>,
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Only these rules or groups (comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules or groups (comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = Level::Warning)]
    pub fail_level: Level,
    /// With `-`: the path the text on standard input stands for
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// When to use colour
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Exit 0 even when there are findings (2 still means an error)
    #[arg(long)]
    pub exit_zero: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

fn use_color(choice: Color) -> bool {
    let env_set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    match choice {
        Color::Never => false,
        Color::Always => true,
        Color::Auto => {
            if env_set("NO_COLOR") {
                false
            } else if env_set("CLICOLOR_FORCE") {
                true
            } else {
                std::io::stdout().is_terminal()
            }
        }
    }
}

/// Which rules run: `--select` narrows to rules or groups, `--ignore` removes them.
struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    fn new(args: &CheckArgs) -> Result<Selection, String> {
        let groups = rules::groups();
        for name in args.select.iter().chain(&args.ignore) {
            if rules::find(name).is_none() && !groups.contains(&name.as_str()) && name != "all" {
                return Err(format!(
                    "unknown rule or group `{name}`; `layerlint rules` lists them"
                ));
            }
        }
        Ok(Selection {
            select: args.select.clone(),
            ignore: args.ignore.clone(),
        })
    }

    fn enabled(&self, r: &Rule) -> bool {
        let hit = |list: &[String]| {
            list.iter()
                .any(|n| n == "all" || n == r.name || n == r.group)
        };
        (self.select.is_empty() || hit(&self.select)) && !hit(&self.ignore)
    }
}

fn parse_build_args(list: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for item in list {
        match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                out.insert(k.to_string(), v.to_string());
            }
            // Like `docker build --build-arg NAME`: the value comes from the environment.
            _ if !item.is_empty() && !item.contains('=') => {
                if let Ok(v) = std::env::var(item) {
                    out.insert(item.clone(), v);
                }
            }
            _ => return Err(format!("invalid --build-arg `{item}`: expected KEY=VALUE")),
        }
    }
    Ok(out)
}

/// One input: a path on disk, or standard input standing for a path.
enum Input {
    File(PathBuf),
    Stdin(Option<PathBuf>),
}

pub fn run(args: CheckArgs) -> i32 {
    let selection = match Selection::new(&args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let build_args = match parse_build_args(&args.build_args) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let mut errors = Vec::new();
    // A bad `--context` is reported like an unreadable file, and every Dockerfile is still
    // linted without a context, so the rules that need none still report and JSON stays whole.
    let mut use_context = true;
    if let Some(ctx) = &args.context {
        let problem = match std::fs::metadata(ctx) {
            Ok(m) if m.is_dir() => None,
            Ok(_) => Some("not a directory".to_string()),
            Err(e) => Some(discover::io_message(&e)),
        };
        if let Some(problem) = problem {
            errors.push(FileError {
                path: ctx.display().to_string(),
                message: format!("--context: {problem}"),
            });
            use_context = false;
        }
    }
    let mut inputs = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin(args.stdin_filename.clone()));
        } else if p.is_dir() {
            let found = discover::walk(p);
            if found.is_empty() {
                errors.push(FileError {
                    path: p.display().to_string(),
                    message: "no Dockerfile found in this directory".into(),
                });
            }
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            inputs.push(Input::File(p.clone()));
        }
    }
    let mut run = Run {
        files: Vec::new(),
        errors,
        file_count: 0,
    };
    for input in inputs {
        run.file_count += 1;
        let (path, text) = match &input {
            Input::File(p) => match discover::read_dockerfile(p) {
                Ok(t) => (p.clone(), t),
                Err(message) => {
                    run.errors.push(FileError {
                        path: p.display().to_string(),
                        message,
                    });
                    continue;
                }
            },
            Input::Stdin(name) => {
                let mut bytes = Vec::new();
                let path = name.clone().unwrap_or_else(|| PathBuf::from("-"));
                if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
                    run.errors.push(FileError {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    });
                    continue;
                }
                match discover::decode(bytes) {
                    Ok(t) => (path, t),
                    Err(message) => {
                        run.errors.push(FileError {
                            path: path.display().to_string(),
                            message,
                        });
                        continue;
                    }
                }
            }
        };
        match lint_one(
            &path,
            text,
            use_context.then_some(args.context.as_deref()),
            matches!(input, Input::Stdin(_)),
            &build_args,
            &selection,
        ) {
            Ok(report) => run.files.push(report),
            Err(e) => run.errors.push(e),
        }
    }
    run.files.sort_by(|a, b| a.path.cmp(&b.path));
    run.errors.sort_by(|a, b| a.path.cmp(&b.path));

    let format = args.format.unwrap_or(Format::Text);
    let out = match format {
        Format::Text => report::text::render(&run, use_color(args.color)),
        Format::Json => report::json::render(&run, &rules::group_of),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();

    let threshold = match args.fail_level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    };
    if !run.errors.is_empty() {
        EXIT_ERROR
    } else if !args.exit_zero
        && run
            .files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .any(|d| d.severity >= threshold)
    {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn lint_one(
    path: &Path,
    text: String,
    // `None`: lint without a build context; `Some(None)`: the Dockerfile's own directory.
    context: Option<Option<&Path>>,
    from_stdin: bool,
    build_args: &BTreeMap<String, String>,
    selection: &Selection,
) -> Result<FileReport, FileError> {
    let shown = path.display().to_string();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let ctx = match context {
        None => None,
        Some(given) => {
            let ctx_dir = given.map(Path::to_path_buf).unwrap_or(dir);
            let dockerfile = if from_stdin && path.as_os_str() == "-" {
                None
            } else {
                Some(path)
            };
            let ctx = BuildContext::open(&ctx_dir, dockerfile).map_err(|e| FileError {
                path: shown.clone(),
                message: context_message(&e),
            })?;
            Some(ctx)
        }
    };
    let linted =
        lint_text(&text, ctx.as_ref(), build_args, &|r| selection.enabled(r)).map_err(|e| {
            FileError {
                path: shown.clone(),
                message: e.to_string(),
            }
        })?;
    Ok(FileReport {
        path: shown,
        text,
        diagnostics: linted.diagnostics,
    })
}

/// Names the ignore file by its full path: with several Dockerfiles in one run, a bare
/// `.dockerignore:2` would not say which one.
fn context_message(e: &ContextError) -> String {
    match e {
        ContextError::Ignore(i) => {
            format!(
                "build context: {}:{}: {}",
                i.path.display(),
                i.line,
                i.problem
            )
        }
        ContextError::ReadIgnore { path, source } => format!(
            "build context: reading {}: {}",
            path.display(),
            discover::io_message(source)
        ),
        _ => format!("build context: {e}"),
    }
}
