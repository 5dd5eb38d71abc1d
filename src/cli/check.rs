//! `layerlint check`: gather the files, lint each with its build context, report in the
//! chosen format, and turn the outcome into an exit code.

use super::discover::{self, Exclude};
use super::fix::{self, FixMode};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::{Overrides, Resolver, RuleLayer, Settings};
use crate::context::{BuildContext, ContextError};
use crate::diagnostic::Severity;
use crate::lint::lint_for;
use crate::project::{Given, Project, Setup};
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
    /// The stage to build, like `docker build --target`: the runtime rules judge its image
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
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
    // Fixes, discovery and parallel linting: the logic is in fix.rs and discover.rs.
    /// Apply safe fixes in place (with `-`: print the fixed text on standard output)
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: also apply fixes that may change what the build does
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change nothing (exit 1 when there is a diff)
    #[arg(long)]
    pub diff: bool,
    /// Skip files and directories matching GLOB (repeatable or comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply --exclude to files named on the command line too (for pre-commit)
    #[arg(long)]
    pub force_exclude: bool,
    /// Lint with N threads (default: LAYERLINT_THREADS, else one per CPU)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
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
    // --- end configuration ---
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
    let exclude = match Exclude::new(&args.exclude) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let fix_mode = match (args.diff, args.fix) {
        (true, _) => FixMode::Diff,
        (false, true) => FixMode::Apply,
        (false, false) if args.unsafe_fixes => {
            eprintln!("error: --unsafe-fixes needs --fix or --diff");
            return EXIT_ERROR;
        }
        (false, false) => FixMode::Off,
    };
    let mut inputs = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin(args.stdin_filename.clone()));
        } else if args.force_exclude && exclude.excludes_given(p) {
            // Named explicitly (as pre-commit names files), yet excluded: skipped.
        } else if p.is_dir() {
            let found = discover::walk(p, &exclude);
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
    // A file named twice (`check Dockerfile .`) is linted, and fixed, once.
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|i| match i {
        Input::File(p) => seen.insert(p.clone()),
        Input::Stdin(_) => true,
    });
    let mut run = Run {
        files: Vec::new(),
        errors,
        file_count: 0,
    };
    // --- configuration: the settings of the config file nearest to each input, resolved
    // here, in order, so that the threads below only read them ---
    let mut settings = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let for_path = match input {
            Input::File(p) => p.clone(),
            Input::Stdin(name) => name.clone().unwrap_or_else(|| PathBuf::from("-")),
        };
        match resolver.settings_for(&for_path) {
            Ok(s) => settings.push(s),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        }
    }
    // --- end configuration ---
    // Standard input is read here, once, before the files are shared out between threads.
    let stdin_text = inputs
        .iter()
        .any(|i| matches!(i, Input::Stdin(_)))
        .then(|| {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| e.to_string())
                .and_then(|_| discover::decode(bytes))
        });
    let project = Project::with_run(
        inputs
            .iter()
            .filter_map(|i| match i {
                Input::File(p) => Some(p.clone()),
                Input::Stdin(_) => None,
            })
            .collect(),
    );
    let jobs: Vec<(&Input, &Settings)> = inputs.iter().zip(&settings).collect();
    let outcomes = discover::parallel_map(&jobs, discover::thread_count(args.threads), |job| {
        let (input, settings) = *job;
        let (path, text) = match input {
            Input::File(p) => match discover::read_dockerfile(p) {
                Ok(t) => (p.clone(), t),
                Err(message) => {
                    return Err(FileError {
                        path: p.display().to_string(),
                        message,
                    })
                }
            },
            Input::Stdin(name) => {
                let path = name.clone().unwrap_or_else(|| PathBuf::from("-"));
                let read = stdin_text.clone();
                match read.unwrap_or_else(|| Err("standard input was not read".into())) {
                    Ok(t) => (path, t),
                    Err(message) => {
                        return Err(FileError {
                            path: path.display().to_string(),
                            message,
                        })
                    }
                }
            }
        };
        let from_stdin = matches!(input, Input::Stdin(_));
        let setup = project.setup(
            &path,
            from_stdin && path.as_os_str() == "-",
            Given {
                context: args.context.as_deref(),
                build_args: &settings.build_args,
                target: args.target.as_deref(),
            },
            &|w| eprintln!("warning: {w}"),
        );
        // Compose files name build args too; the configuration's and the command line's win.
        let mut file_settings = settings.clone();
        file_settings.build_args = setup.build_args.clone();
        // `--fix` lints a file more than once; its warnings are printed once.
        let warned = std::sync::atomic::AtomicBool::new(false);
        let warn_once = |w: String| {
            if !warned.swap(true, std::sync::atomic::Ordering::Relaxed) {
                eprintln!("warning: {w}");
            }
        };
        let lint = |t: &str| {
            lint_one(
                &path,
                t.to_string(),
                use_context.then_some(setup.context.as_deref()),
                from_stdin,
                &file_settings,
                &setup,
                &warn_once,
            )
        };
        fix::run_file(&path, text, from_stdin, fix_mode, args.unsafe_fixes, lint)
            .map(|done| (done, settings.fail_level))
    });
    let mut fixes = fix::Summary::default();
    let mut failing = false;
    for outcome in outcomes {
        run.file_count += 1;
        match outcome {
            Ok((done, fail_level)) => {
                failing |= done
                    .report
                    .diagnostics
                    .iter()
                    .any(|d| d.severity >= fail_level);
                fixes.add(&done);
                run.files.push(done.report);
            }
            Err(e) => run.errors.push(e),
        }
    }
    run.files.sort_by(|a, b| a.path.cmp(&b.path));
    run.errors.sort_by(|a, b| a.path.cmp(&b.path));

    let out = match fix_mode {
        FixMode::Diff => {
            // Standard output is the patch alone; what could not be linted goes to stderr.
            for e in &run.errors {
                eprintln!("error: {}: {}", e.path, e.message);
            }
            eprint!("{}", fixes.diff_note());
            fixes.diff()
        }
        _ => match render(&run, &args) {
            Ok(mut out) => {
                if fix_mode == FixMode::Apply
                    && fixes.applied() > 0
                    && !args.quiet
                    && matches!(args.format, None | Some(Format::Text | Format::Concise))
                {
                    out.push_str(&fixes.line(&run));
                }
                out
            }
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_ERROR;
            }
        },
    };
    // With `-` and --fix, standard output carries the fixed text (the text as read when it
    // could not be linted: an editor replaces its buffer with it), so the report goes to
    // standard error (unless it has a file of its own).
    let stdin_out = match (fix_mode, &stdin_text) {
        (FixMode::Apply, Some(read)) => fixes
            .stdin_output()
            .or(read.as_ref().ok().map(String::as_str)),
        _ => None,
    };
    if let Some(fixed) = stdin_out {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(fixed.as_bytes());
        let _ = stdout.flush();
        if args.output_file.is_none() {
            eprint!("{out}");
        }
    }
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
        None if stdin_out.is_some() => {}
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
    } else if fix_mode == FixMode::Diff {
        if fixes.diff().is_empty() || args.exit_zero {
            EXIT_OK
        } else {
            EXIT_FINDINGS
        }
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
    // `None`: lint without a build context; `Some(None)`: the Dockerfile's own directory.
    context: Option<Option<&Path>>,
    from_stdin: bool,
    settings: &Settings,
    // The target and runner; a target that did not come from `--target` names its source.
    setup: &Setup,
    warn: &dyn Fn(String),
) -> Result<FileReport, FileError> {
    let purpose = &setup.purpose;
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
    let mut linted = lint_for(&text, ctx.as_ref(), &settings.build_args, purpose, &|r| {
        settings.enabled(r)
    })
    .map_err(|e| FileError {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    if let (Some(stages), Some(target)) = (&linted.unknown_target, &purpose.target) {
        let known = match stages.as_slice() {
            [] => "it has no named stages".to_string(),
            names => format!("its stages are {}", names.join(", ")),
        };
        let problem = format!("no stage named `{target}` to build ({known})");
        match &setup.target_source {
            // Like `docker build --target`, a stage that is not there is an error.
            None => {
                return Err(FileError {
                    path: shown,
                    message: format!("--target: {problem}"),
                })
            }
            Some(source) => warn(format!(
                "{shown}: the build target of {source}: {problem}; judging the final stage"
            )),
        }
    }
    settings.apply_severity(&mut linted.diagnostics);
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
