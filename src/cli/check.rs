//! `layerlint check`: gather the files, lint each with its build context, report in the
//! chosen format, and turn the outcome into an exit code.

use super::discover;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::{Overrides, Resolver, RuleLayer, Settings};
use crate::context::BuildContext;
use crate::diagnostic::Severity;
use crate::lint::lint_text;
use crate::report::{self, FileError, FileReport, Run};
use crate::rules::{self, RULES};
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
    /// Only these rules or groups (comma-separated); replaces the configuration's selection
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules or groups (comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    // --- configuration (src/config.rs) ---
    /// Add these rules or groups to the selection (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Skip these rules or groups as well (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_ignore: Vec<String>,
    /// Use this configuration file for every input instead of the nearest one
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    pub isolated: bool,
    // --- end configuration ---
    /// The lowest severity that makes the exit code 1 [default: warning, or the configuration's]
    #[arg(long, value_enum)]
    pub fail_level: Option<Level>,
    /// With `-`: the path the text on standard input stands for
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// When to use colour
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Exit 0 even when there are findings (2 still means an error)
    #[arg(long)]
    pub exit_zero: bool,
    /// Write the report to this file instead of standard output
    #[arg(short = 'o', long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Print how often each rule fired instead of the findings (text or json)
    #[arg(long)]
    pub statistics: bool,
    /// Print only the findings, without the summary line
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Annotated source snippets and a summary
    Text,
    /// `file:line:col: severity[rule]: message`, one line each
    Concise,
    /// The JSON contract of the documentation
    Json,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// GitHub Actions annotations (workflow commands)
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// Checkstyle XML
    Checkstyle,
    /// JUnit XML
    Junit,
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
    let build_args = match parse_build_args(&args.build_args) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    // --- configuration: command-line overrides and the resolver of config files ---
    let overrides = Overrides {
        rules: RuleLayer {
            select: (!args.select.is_empty()).then(|| args.select.clone()),
            extend_select: args.extend_select.clone(),
            ignore: args
                .ignore
                .iter()
                .chain(&args.extend_ignore)
                .cloned()
                .collect(),
        },
        fail_level: args.fail_level.map(|l| match l {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
        }),
        build_args,
    };
    if let Err(e) = overrides.check() {
        eprintln!("error: {e}");
        return EXIT_ERROR;
    }
    let mut resolver = match Resolver::new(overrides, args.config.as_deref(), args.isolated) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let mut failing = false;
    // --- end configuration ---
    if let Some(ctx) = &args.context {
        if !ctx.is_dir() {
            eprintln!("error: --context {}: not a directory", ctx.display());
            return EXIT_ERROR;
        }
    }
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
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
        // --- configuration: the settings of the config file nearest to this input ---
        let for_path = match &input {
            Input::File(p) => p.clone(),
            Input::Stdin(name) => name.clone().unwrap_or_else(|| PathBuf::from("-")),
        };
        let settings = match resolver.settings_for(&for_path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        };
        // --- end configuration ---
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
            args.context.as_deref(),
            matches!(input, Input::Stdin(_)),
            &settings,
        ) {
            Ok(report) => {
                failing |= report
                    .diagnostics
                    .iter()
                    .any(|d| d.severity >= settings.fail_level);
                run.files.push(report)
            }
            Err(e) => run.errors.push(e),
        }
    }
    run.files.sort_by(|a, b| a.path.cmp(&b.path));
    run.errors.sort_by(|a, b| a.path.cmp(&b.path));

    let out = match render(&run, &args) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    match &args.output_file {
        Some(path) => {
            if let Err(e) = std::fs::write(path, out.as_bytes()) {
                eprintln!(
                    "error: cannot write {}: {}",
                    path.display(),
                    discover::io_message(&e)
                );
                return EXIT_ERROR;
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`layerlint check | head`) is not an error worth a message.
            let _ = stdout.write_all(out.as_bytes());
            let _ = stdout.flush();
        }
    }

    // Each file is judged by the fail level of its own configuration.
    if !run.errors.is_empty() {
        EXIT_ERROR
    } else if !args.exit_zero && failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The report in the chosen format. Paths in CI formats are made relative to the current
/// directory, which is the checkout in every CI system these formats are for.
fn render(run: &Run, args: &CheckArgs) -> Result<String, String> {
    let format = args.format.unwrap_or(Format::Text);
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if args.statistics {
        return match format {
            Format::Text | Format::Concise => Ok(report::statistics::render_text(run, RULES)),
            Format::Json => Ok(report::statistics::render_json(run, RULES)),
            other => Err(format!(
                "--statistics prints text or json, not {}",
                other
                    .to_possible_value()
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default()
            )),
        };
    }
    // Colour only ever goes to a terminal, never into a file.
    let color = match (&args.output_file, args.color) {
        (Some(_), Color::Always) => true,
        (Some(_), _) => false,
        (None, c) => use_color(c),
    };
    Ok(match format {
        Format::Text => report::text::render(run, color, args.quiet),
        Format::Concise => report::concise::render(run, args.quiet),
        Format::Json => report::json::render(run, &rules::group_of),
        Format::Sarif => report::sarif::render(run, RULES, &cwd),
        Format::Github => report::github::render(run, &cwd),
        Format::Gitlab => report::gitlab::render(run, &cwd),
        Format::Checkstyle => report::checkstyle::render(run),
        Format::Junit => report::junit::render(run),
    })
}

fn lint_one(
    path: &Path,
    text: String,
    context: Option<&Path>,
    from_stdin: bool,
    settings: &Settings,
) -> Result<FileReport, FileError> {
    let shown = path.display().to_string();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let ctx_dir = context.map(Path::to_path_buf).unwrap_or(dir);
    let dockerfile = if from_stdin && path.as_os_str() == "-" {
        None
    } else {
        Some(path)
    };
    let ctx = BuildContext::open(&ctx_dir, dockerfile).map_err(|e| FileError {
        path: shown.clone(),
        message: format!("build context: {e}"),
    })?;
    let mut linted = lint_text(&text, Some(&ctx), &settings.build_args, &|r| {
        settings.enabled(r)
    })
    .map_err(|e| FileError {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    settings.apply_severity(&mut linted.diagnostics);
    Ok(FileReport {
        path: shown,
        text,
        diagnostics: linted.diagnostics,
    })
}
