//! `layerlint check`: gather the files, lint each with its build context, report in the
//! chosen format, and turn the outcome into an exit code.

use super::discover::{self, Exclude};
use super::fix::{self, FixMode};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::{Overrides, Resolver, RuleLayer, Settings};
use crate::context::{BuildContext, ContextError};
use crate::diagnostic::Severity;
use crate::lint::lint_for;
use crate::model::Purpose;
use crate::project::{Given, Project, Setup};
use crate::report::{self, FileError, FileReport, Run};
use crate::rules::{self, RULES};
use clap::{Args, ValueEnum};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint (default: `.`, or `-` with --stdin-filename; `-` reads
    /// standard input)
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
    /// Output format (names in any case)
    #[arg(
        short = 'f',
        long,
        visible_alias = "output-format",
        value_enum,
        ignore_case = true
    )]
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
    /// The path the text on standard input stands for (reads standard input)
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
    /// Also apply fixes that may change what the build does (with --fix or --diff), and count
    /// them among the fixable findings
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change nothing (exit 1 when there is a diff)
    #[arg(long)]
    pub diff: bool,
    /// Write a `# layerlint ignore=` comment above every instruction with findings (with
    /// --diff, show them), so that the linter can be turned on now and the findings fixed later
    #[arg(long, conflicts_with_all = ["fix", "unsafe_fixes"])]
    pub add_suppressions: bool,
    /// Skip files and directories matching GLOB (repeatable or comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply --exclude to files named on the command line too (for pre-commit)
    #[arg(long)]
    pub force_exclude: bool,
    /// Say on standard error which files are linted, with which context and configuration
    #[arg(short, long)]
    pub verbose: bool,
    /// Print the settings each file would be linted with (configuration, context, rules), and
    /// lint nothing
    #[arg(long)]
    pub show_settings: bool,
    /// Lint with N threads (default: LAYERLINT_THREADS, else one per CPU)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Annotated source snippets and a summary (also `tty`)
    #[value(alias = "tty")]
    Text,
    /// `file:line:col: severity[rule]: message`, one line each (also `gnu`)
    #[value(alias = "gnu")]
    Concise,
    /// The JSON contract of the documentation
    Json,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// GitHub Actions annotations (workflow commands)
    Github,
    /// GitLab Code Quality report (also `codeclimate`)
    #[value(alias = "codeclimate")]
    Gitlab,
    /// Checkstyle XML
    Checkstyle,
    /// JUnit XML
    Junit,
    /// SonarQube generic issue import
    Sonarqube,
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

pub(super) fn parse_build_args(list: &[String]) -> Result<BTreeMap<String, String>, String> {
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

/// Where a Dockerfile's build context comes from, in order of precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ContextSource {
    CommandLine,
    Config,
    Compose,
    /// The Dockerfile's directory (for unnamed standard input, the current directory).
    OwnDirectory,
}

/// The build of one Dockerfile: its context (and where it comes from), build args and target.
struct FileContext {
    setup: Setup,
    source: ContextSource,
}

impl FileContext {
    /// `--context`, else the configuration's `[contexts]`, else a compose service or dev
    /// container that builds this Dockerfile, else its own directory.
    fn resolve(
        path: &Path,
        from_stdin: bool,
        args: &CheckArgs,
        settings: &Settings,
        project: &Project,
    ) -> FileContext {
        let given = args.context.as_deref().or(settings.context.as_deref());
        let setup = project.setup(
            path,
            from_stdin && path.as_os_str() == "-",
            Given {
                context: given,
                build_args: &settings.build_args,
                target: args.target.as_deref(),
            },
            &|w| eprintln!("warning: {w}"),
        );
        let source = if args.context.is_some() {
            ContextSource::CommandLine
        } else if settings.context.is_some() {
            ContextSource::Config
        } else if setup.context.is_some() {
            ContextSource::Compose
        } else {
            ContextSource::OwnDirectory
        };
        FileContext { setup, source }
    }

    /// One line for `--verbose`: the file, its context and why, and its configuration.
    fn describe(&self, path: &Path, settings: &Settings) -> String {
        // Paths the configuration resolved are absolute; below the current directory they are
        // shown relative to it, as the user would type them.
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown = |p: &Path| report::display_path(&p.display().to_string(), &cwd);
        let dir = match &self.setup.context {
            Some(d) => shown(d),
            None => match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
                _ => ".".into(),
            },
        };
        let why = match self.source {
            ContextSource::CommandLine => "--context".to_string(),
            ContextSource::Config => match &settings.config_file {
                Some(c) => format!("[contexts] in {}", shown(c)),
                None => "[contexts]".into(),
            },
            ContextSource::Compose => "a compose service or dev container builds it".into(),
            ContextSource::OwnDirectory if path.as_os_str() == "-" => {
                "the current directory".into()
            }
            ContextSource::OwnDirectory => "the Dockerfile's directory".into(),
        };
        let config = match &settings.config_file {
            Some(c) => shown(c),
            None => "none".into(),
        };
        format!(
            "linting {}: context {dir} ({why}), config {config}",
            path.display()
        )
    }
}

/// `--show-settings` for one file: what it would be linted with.
fn show_settings(path: &Path, ctx: &FileContext, settings: &Settings) -> String {
    let line = ctx.describe(path, settings);
    let mut out = format!("{}\n", line.strip_prefix("linting ").unwrap_or(&line));
    let fail_level = match settings.no_fail {
        true => "none",
        false => settings.fail_level.as_str(),
    };
    out.push_str(&format!("  fail-level: {fail_level}\n"));
    out.push_str(&format!(
        "  rules: {}\n",
        settings.enabled_rules().join(", ")
    ));
    let severities: Vec<String> = settings
        .severity_overrides()
        .map(|(r, s)| format!("{r} = {}", s.as_str()))
        .collect();
    if !severities.is_empty() {
        out.push_str(&format!("  severity: {}\n", severities.join(", ")));
    }
    let (ignored, rated) = settings.alias_settings();
    if !ignored.is_empty() {
        out.push_str(&format!("  ignored codes: {}\n", ignored.join(", ")));
    }
    if !rated.is_empty() {
        let rated: Vec<String> = rated
            .iter()
            .map(|(c, s)| format!("{c} = {}", s.as_str()))
            .collect();
        out.push_str(&format!("  code severity: {}\n", rated.join(", ")));
    }
    if let Some(target) = &ctx.setup.purpose.target {
        out.push_str(&format!("  target: {target}\n"));
    }
    if !ctx.setup.build_args.is_empty() {
        let args: Vec<String> = ctx
            .setup
            .build_args
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        out.push_str(&format!("  build-args: {}\n", args.join(", ")));
    }
    out
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
    // `--select "a, b"` is `a,b`: a shell user's space around a comma is no part of a name.
    let names = |list: &[String]| -> Vec<String> {
        list.iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect()
    };
    let overrides = Overrides {
        rules: RuleLayer {
            select: (!args.select.is_empty()).then(|| names(&args.select)),
            extend_select: names(&args.extend_select),
            ignore: names(&[args.ignore.as_slice(), args.extend_ignore.as_slice()].concat()),
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
    // A `--context` that cannot be used is a usage error, before any finding: linting without
    // the context the user asked for would give context rules' findings no one can trust.
    if let Some(ctx) = &args.context {
        let problem = match std::fs::metadata(ctx) {
            Ok(m) if m.is_dir() => match std::fs::read_dir(ctx) {
                Ok(_) => None,
                Err(e) => Some(discover::io_message(&e)),
            },
            Ok(_) => Some("not a directory".to_string()),
            Err(e) => Some(discover::io_message(&e)),
        };
        if let Some(problem) = problem {
            eprintln!("error: --context {}: {problem}", ctx.display());
            return EXIT_ERROR;
        }
    }
    let mut errors = Vec::new();
    let exclude = match Exclude::new(&args.exclude) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    let fix_mode = match (args.diff, args.fix || args.add_suppressions) {
        (true, _) => FixMode::Diff,
        (false, true) => FixMode::Apply,
        (false, false) => FixMode::Off,
    };
    // `--stdin-filename` names the text on standard input, as in ruff: alone it reads standard
    // input; beside paths it needs `-` among them, or it would be silently ignored.
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(PathBuf::from(if args.stdin_filename.is_some() {
            "-"
        } else {
            "."
        }));
    } else if args.stdin_filename.is_some() && !paths.iter().any(|p| p.as_os_str() == "-") {
        eprintln!(
            "error: --stdin-filename names the text on standard input, but no `-` is among the paths"
        );
        return EXIT_ERROR;
    }
    let mut inputs = Vec::new();
    for p in &paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin(args.stdin_filename.clone()));
        } else if args.force_exclude && exclude.excludes_given(p) {
            // Named explicitly (as pre-commit names files), yet excluded: skipped.
        } else if p.is_dir() {
            let (found, failed) = discover::walk(p, &exclude);
            if found.is_empty() && failed.is_empty() {
                errors.push(FileError {
                    path: p.display().to_string(),
                    message: "no Dockerfile found in this directory".into(),
                });
            }
            errors.extend(failed.into_iter().map(|(path, message)| FileError {
                path: path.display().to_string(),
                message,
            }));
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            inputs.push(Input::File(p.clone()));
        }
    }
    // An input named twice (`check Dockerfile ./Dockerfile .`, `check - -`) is linted, and
    // fixed, once: files are the same when their canonical paths are.
    let mut seen = std::collections::HashSet::new();
    let mut stdin_seen = false;
    inputs.retain(|i| match i {
        Input::File(p) => seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
        Input::Stdin(_) => !std::mem::replace(&mut stdin_seen, true),
    });
    let mut run = Run {
        files: Vec::new(),
        errors,
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
    let project = Project::with_run(
        inputs
            .iter()
            .filter_map(|i| match i {
                Input::File(p) => Some(p.clone()),
                Input::Stdin(_) => None,
            })
            .collect(),
    );
    if args.show_settings {
        let mut out = String::new();
        for (input, s) in inputs.iter().zip(&settings) {
            let (path, from_stdin) = match input {
                Input::File(p) => (p.clone(), false),
                Input::Stdin(name) => (name.clone().unwrap_or_else(|| PathBuf::from("-")), true),
            };
            let ctx = FileContext::resolve(&path, from_stdin, &args, s, &project);
            out.push_str(&show_settings(&path, &ctx, s));
        }
        return super::print(&out);
    }
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
    let jobs: Vec<(usize, &Input, &Settings)> = inputs
        .iter()
        .zip(&settings)
        .enumerate()
        .map(|(i, (input, s))| (i, input, s))
        .collect();
    // --verbose lines, by input, printed in order whatever order the threads finish in.
    let notes = std::sync::Mutex::new(BTreeMap::new());
    let threads = match jobs.len() {
        0 | 1 => 1,
        _ => discover::thread_count(args.threads),
    };
    let outcomes = discover::parallel_map(&jobs, threads, |job| {
        let (index, input, settings) = *job;
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
        let ctx = FileContext::resolve(&path, from_stdin, &args, settings, &project);
        if args.verbose {
            if let Ok(mut n) = notes.lock() {
                n.insert(index, ctx.describe(&path, settings));
            }
        }
        // Compose files name build args too; the configuration's and the command line's win.
        let mut file_settings = settings.clone();
        file_settings.build_args = ctx.setup.build_args.clone();
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
                &ctx,
                from_stdin,
                &file_settings,
                &warn_once,
            )
        };
        fix::run_file(
            &path,
            text,
            from_stdin,
            fix_mode,
            args.unsafe_fixes,
            args.add_suppressions,
            lint,
        )
        .map(|done| (done, settings))
    });
    for note in notes.into_inner().unwrap_or_default().values() {
        eprintln!("{note}");
    }
    let mut fixes = fix::Summary::default();
    let mut failing = false;
    for outcome in outcomes {
        match outcome {
            Ok((mut done, settings)) => {
                run.errors.extend(done.write_error.take());
                failing |= done
                    .report
                    .diagnostics
                    .iter()
                    .any(|d| settings.fails_on(d.severity));
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
            if args.add_suppressions {
                eprint!("{}", fixes.suppression_note(true));
            } else {
                eprint!("{}", fixes.diff_note());
            }
            fixes.diff()
        }
        _ => {
            let human = matches!(args.format, None | Some(Format::Text | Format::Concise));
            // After --fix, the human formats end with one summary that counts the fixed
            // findings too, instead of a second line that disagrees with the first.
            let one_summary =
                fix_mode == FixMode::Apply && !args.add_suppressions && human && !args.statistics;
            if args.add_suppressions && !args.quiet {
                eprint!("{}", fixes.suppression_note(false));
            }
            match render(&run, &args, args.quiet || one_summary) {
                Ok(mut out) => {
                    if one_summary && !args.quiet {
                        out.push_str(&run.summary_with(Some(fixes.applied())));
                    }
                    if human && !args.quiet && !args.statistics {
                        out.push_str(
                            &run.fixable_line(args.unsafe_fixes, fix_mode == FixMode::Apply),
                        );
                    }
                    out
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_ERROR;
                }
            }
        }
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
fn render(run: &Run, args: &CheckArgs, quiet: bool) -> Result<String, String> {
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
        Format::Text => report::text::render(run, color, quiet),
        Format::Concise => report::concise::render(run, quiet),
        Format::Json => report::json::render(run, &rules::group_of),
        Format::Sarif => report::sarif::render(run, RULES, &cwd),
        Format::Github => report::github::render(run, &cwd),
        Format::Gitlab => report::gitlab::render(run, &cwd),
        Format::Checkstyle => report::checkstyle::render(run),
        Format::Junit => report::junit::render(run),
        Format::Sonarqube => report::sonarqube::render(run, &cwd),
    })
}

fn lint_one(
    path: &Path,
    text: String,
    // The context, target and runner; a target that did not come from `--target` names its
    // source.
    file: &FileContext,
    from_stdin: bool,
    settings: &Settings,
    warn: &dyn Fn(String),
) -> Result<FileReport, FileError> {
    let setup = &file.setup;
    let purpose = &setup.purpose;
    // The context was not given: where it does not exist (a new buffer in a new folder, named
    // by --stdin-filename), the file is linted without one.
    let optional = file.source == ContextSource::OwnDirectory;
    let shown = path.display().to_string();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let ctx_dir = setup.context.clone().unwrap_or(dir);
    let dockerfile = if from_stdin && path.as_os_str() == "-" {
        None
    } else {
        Some(path)
    };
    let ctx = match BuildContext::open(&ctx_dir, dockerfile) {
        Ok(ctx) => Some(ctx),
        Err(ContextError::Root { source, .. })
            if optional && from_stdin && source.kind() == std::io::ErrorKind::NotFound =>
        {
            None
        }
        Err(e) => {
            return Err(FileError {
                path: shown.clone(),
                message: context_message(&e),
            })
        }
    };
    let with_registries;
    let purpose = if settings.trusted_registries.is_empty() && settings.label_schema.is_empty() {
        purpose
    } else {
        with_registries = Purpose {
            trusted_registries: settings.trusted_registries.clone(),
            label_schema: settings.label_schema.clone(),
            strict_labels: settings.strict_labels,
            ..purpose.clone()
        };
        &with_registries
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
pub(super) fn context_message(e: &ContextError) -> String {
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
        ContextError::Root { path, source } => format!(
            "build context {}: {}",
            path.display(),
            discover::io_message(source)
        ),
        ContextError::NotADirectory(path) => {
            format!("build context {} is not a directory", path.display())
        }
    }
}
