//! `layerlint cache`: predict, without building, which steps a change to the build context or
//! to build args reruns, or, with no change given, which files rerun each expensive step.

use super::check::{context_message, parse_build_args};
use super::{print, EXIT_ERROR};
use crate::context::{clean, BuildContext};
use crate::model::cache::{CachePlan, Change};
use crate::model::{Model, Purpose};
use crate::report::cache::CacheReport;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CacheFormat {
    Text,
    Json,
    Github,
}

/// Predict which build steps a change reruns, from the Dockerfile and the build context alone.
///
/// Limits: a base image named by tag may have moved since the last build (a digest pins it);
/// `docker build --no-cache` or a pruned builder cache reruns everything; a remote context (a
/// git or tarball URL) is not read; files created in the context before `docker build` runs (by a
/// script or a code generator) are not seen; `ADD <url>` is fetched at build time, so whether it
/// reruns is unknown and shown as `?`.
#[derive(Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct CacheArgs {
    /// The Dockerfile, or a directory holding one [default: Dockerfile]
    pub dockerfile: Option<PathBuf>,
    /// Context paths that changed (relative to the context; repeatable)
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub changed: Vec<String>,
    /// Take as changed what `git diff --name-only GIT_REF` lists, and untracked files
    #[arg(long, value_name = "GIT_REF")]
    pub since: Option<String>,
    /// A build arg whose value differs from the last build, like `docker build --build-arg`
    /// (repeatable)
    #[arg(long = "build-arg", value_name = "KEY=VALUE")]
    pub build_args: Vec<String>,
    /// The stage to build, like `docker build --target`: only the stages it needs are shown
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// The build context [default: the Dockerfile's directory]
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, ignore_case = true, default_value_t = CacheFormat::Text)]
    pub format: CacheFormat,
}

pub fn run(args: CacheArgs) -> i32 {
    match predict(&args) {
        Ok(out) => print(&out),
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_ERROR
        }
    }
}

fn predict(args: &CacheArgs) -> Result<String, String> {
    let given = args
        .dockerfile
        .clone()
        .unwrap_or_else(|| PathBuf::from("Dockerfile"));
    let dockerfile = if given.is_dir() {
        given.join("Dockerfile")
    } else {
        given
    };
    let text = std::fs::read_to_string(&dockerfile).map_err(|e| {
        format!(
            "{}: {}",
            dockerfile.display(),
            crate::os_message::io_message(&e)
        )
    })?;
    let root = match &args.context {
        Some(c) => c.clone(),
        None => match dockerfile.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    let ctx = BuildContext::open(&root, Some(&dockerfile)).map_err(|e| context_message(&e))?;
    let build_args = parse_build_args(&args.build_args)?;
    let file = crate::syntax::parse(&text).map_err(|e| format!("{}: {e}", dockerfile.display()))?;
    let purpose = Purpose {
        target: args.target.clone(),
        ..Purpose::default()
    };
    let model = Model::build_for(&file, Some(&ctx), &build_args, &purpose);
    if model.target_missing {
        return Err(format!(
            "--target {}: no such stage; the stages are {}",
            args.target.as_deref().unwrap_or_default(),
            model.named_stages().join(", ")
        ));
    }
    let mut paths: Vec<String> = args.changed.iter().map(|p| context_path(&ctx, p)).collect();
    if let Some(r) = &args.since {
        paths.extend(git_changes(&root, r)?);
    }
    paths.sort();
    paths.dedup();
    let change = Change {
        paths,
        args: build_args.keys().cloned().collect(),
    };
    let plan = CachePlan::new(&model);
    let outcomes = plan.outcomes(&model, &change);
    let nothing_changed = change.paths.is_empty() && change.args.is_empty();
    let map = (nothing_changed && args.since.is_none()).then(|| plan.cache_map(&model));
    let report = CacheReport {
        model: &model,
        plan: &plan,
        change: &change,
        outcomes,
        map,
        dockerfile: dockerfile.display().to_string(),
        context: Some(root.display().to_string()),
    };
    Ok(match args.format {
        CacheFormat::Text => report.text(),
        CacheFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&report.json()).unwrap_or_default()
        ),
        CacheFormat::Github => report.github(),
    })
}

/// A changed path as the context sees it: relative to the context, or, when that names
/// nothing and the path from the current directory lies inside the context, made relative.
fn context_path(ctx: &BuildContext, p: &str) -> String {
    let rel = clean(p).trim_start_matches('/').to_string();
    if ctx.exists(&rel) {
        return rel;
    }
    let inside = std::fs::canonicalize(p).ok().and_then(|abs| {
        let root = std::fs::canonicalize(ctx.root()).ok()?;
        let r = abs.strip_prefix(root).ok()?;
        Some(r.to_string_lossy().replace('\\', "/"))
    });
    inside.filter(|r| !r.is_empty()).unwrap_or(rel)
}

/// `git diff --name-only REF` and the untracked files, relative to the context directory.
fn git_changes(root: &Path, since: &str) -> Result<Vec<String>, String> {
    let run = |args: &[&str]| -> Result<Vec<String>, String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| {
                format!(
                    "--since: running git: {}",
                    crate::os_message::io_message(&e)
                )
            })?;
        if !out.status.success() {
            return Err(format!(
                "--since {since}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect())
    };
    let mut paths = run(&["diff", "--name-only", "--relative", since, "--"])?;
    paths.extend(run(&["ls-files", "--others", "--exclude-standard"])?);
    Ok(paths)
}
