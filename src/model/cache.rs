//! The layer cache as BuildKit keys it: what each build step of a stage depends on, and which
//! steps a change to context files or build args reruns, without building anything.

use super::{Base, CopyFrom, Model, SourceKind, VarKind};
use crate::context::{glob_match, BuildContext};
use crate::shell::CommandKind;
use crate::syntax::Keyword;
use std::collections::{BTreeMap, BTreeSet};

/// Longest step text shown, like `docker build`'s progress lines.
const STEP_TEXT_MAX: usize = 72;

/// A context path a step reads: a file, or a directory and everything below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextRead {
    /// Context-relative, `/`-separated; `.` for the whole context.
    pub path: String,
    pub is_dir: bool,
    /// `COPY --exclude` patterns, matched against the path below `path`.
    pub excludes: Vec<String>,
}

impl ContextRead {
    /// Does a change to context path `changed` reach this read?
    fn covers(&self, changed: &str) -> bool {
        let below = if self.path == "." {
            Some(changed)
        } else if changed == self.path {
            Some("")
        } else if self.is_dir {
            changed
                .strip_prefix(self.path.as_str())
                .and_then(|r| r.strip_prefix('/'))
        } else {
            None
        };
        let Some(below) = below else { return false };
        let name = changed.rsplit('/').next().unwrap_or(changed);
        !self
            .excludes
            .iter()
            .any(|x| glob_match(x, below).unwrap_or(false) || glob_match(x, name).unwrap_or(false))
    }
}

/// What a step's cache key is made of, in BuildKit's terms. Every step also depends on its
/// parent (the step before it), except that a `COPY --link` layer does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheInput {
    /// `FROM image`: the reference; a digest pins it, a tag may move to another image.
    BaseImage { reference: String, pinned: bool },
    /// `FROM stage`: every step of that stage.
    BaseStage(usize),
    /// Context files a COPY/ADD or a `RUN --mount=type=bind` reads.
    Context(ContextRead),
    /// `COPY --from=stage` or `--mount=type=bind,from=stage`: that stage's result.
    Stage(usize),
    /// The instruction's own text: RUN's command (heredoc bodies included), COPY's flags
    /// (`--chown`, `--chmod`, `--link`, `--exclude`) and destination.
    Text(String),
    /// A remote source (`ADD <url>`, a git source): BuildKit checks it at build time.
    Remote(String),
}

/// One build step (FROM, RUN, COPY, ADD, WORKDIR: what `docker build` numbers `[n/m]`).
#[derive(Clone, Debug)]
pub struct CacheStep {
    pub instr: usize,
    pub keyword: Keyword,
    /// The instruction on one line, as progress output shows it.
    pub text: String,
    pub inputs: Vec<CacheInput>,
    /// `COPY --link`: its layer does not depend on the steps before it.
    pub link: bool,
    /// The install, build or download command that makes this step costly to rerun.
    pub expensive: Option<String>,
}

/// The steps of one stage.
#[derive(Clone, Debug)]
pub struct StagePlan {
    pub stage: usize,
    /// `AS name`, else `stage-N` as BuildKit calls it.
    pub name: String,
    pub steps: Vec<CacheStep>,
}

/// The cache inputs of every stage the build needs.
#[derive(Clone, Debug)]
pub struct CachePlan {
    pub stages: Vec<StagePlan>,
    /// The stages the build target needs, ascending (BuildKit builds only those).
    pub needed: Vec<usize>,
}

/// Why a step reruns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// A changed context path that the step reads.
    Changed(String),
    /// A build arg whose value changed, first used here.
    BuildArg(String),
    /// An earlier step of the stage reran.
    Parent,
    /// The stage it is built on, or copies from, reran.
    Stage(String),
}

/// What a step will do in the next build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Cached,
    Run(Reason),
    /// Cannot be told without the network (`ADD <url>`).
    Unknown(String),
}

/// A change to predict the effect of.
#[derive(Clone, Debug, Default)]
pub struct Change {
    /// Context-relative paths.
    pub paths: Vec<String>,
    /// Build args whose value differs from the last build.
    pub args: Vec<String>,
}

/// For each expensive step: the context files whose change reruns it.
#[derive(Clone, Debug)]
pub struct MapEntry {
    pub stage: usize,
    pub instr: usize,
    pub expensive: String,
    /// Files (context-relative, sorted), after `.dockerignore`.
    pub files: Vec<String>,
    /// The directories those files were found under, as the COPYs name them.
    pub dirs: Vec<String>,
    /// Another stage the step depends on reruns whenever that stage does.
    pub stages: Vec<usize>,
}

/// `docker build`'s name for a stage without `AS`.
pub fn stage_label(m: &Model, stage: usize) -> String {
    m.stages[stage]
        .name
        .clone()
        .unwrap_or_else(|| format!("stage-{stage}"))
}

/// Whether `text` reads variable `name` (`$NAME`, `${NAME...}`).
fn mentions_var(text: &str, name: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        rest = &rest[at + 1..];
        let r = rest.strip_prefix('{').unwrap_or(rest);
        if let Some(after) = r.strip_prefix(name) {
            if !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                return true;
            }
        }
    }
    false
}

impl CachePlan {
    pub fn new(m: &Model) -> CachePlan {
        let stages: Vec<StagePlan> = (0..m.stages.len()).map(|s| stage_plan(m, s)).collect();
        let mut needed = BTreeSet::new();
        if let Some(img) = m.image_stage() {
            let mut todo = vec![img.index];
            while let Some(s) = todo.pop() {
                if !needed.insert(s) {
                    continue;
                }
                todo.extend(stage_deps(&stages[s]));
            }
        }
        CachePlan {
            stages,
            needed: needed.into_iter().collect(),
        }
    }

    /// What `change` reruns, per needed stage and step (same order as `stages[s].steps`).
    /// Reruns flow along the chain of each stage and into the stages built on or copying from it.
    pub fn outcomes(&self, m: &Model, change: &Change) -> BTreeMap<usize, Vec<Outcome>> {
        let ctx = m.context;
        let changed: Vec<&str> = change
            .paths
            .iter()
            .map(String::as_str)
            .filter(|p| ctx.is_none_or(|c| c.is_ignored(p).is_none()))
            .collect();
        let mut out: BTreeMap<usize, Vec<Outcome>> = BTreeMap::new();
        // Stages come before the stages that use them, so one pass in order sees every rerun.
        for &s in &self.needed {
            let plan = &self.stages[s];
            let arg_start = first_arg_use(m, plan, &change.args);
            let mut dirty = false;
            let mut outcomes = Vec::new();
            for step in &plan.steps {
                let own = own_reason(step, &changed, &out, m);
                let arg = arg_start
                    .as_ref()
                    .filter(|(at, _)| step.instr >= *at)
                    .map(|(_, n)| Reason::BuildArg(n.clone()));
                let outcome = match (own.or(arg), dirty && !step.link) {
                    (Some(r), _) => Outcome::Run(r),
                    (None, true) => Outcome::Run(Reason::Parent),
                    (None, false) => match step.inputs.iter().find_map(|i| match i {
                        CacheInput::Remote(u) => Some(u.clone()),
                        _ => None,
                    }) {
                        Some(u) => Outcome::Unknown(u),
                        None => Outcome::Cached,
                    },
                };
                // A linked layer that stays cached is still placed on a new parent, so the
                // steps after it rerun all the same.
                if matches!(outcome, Outcome::Run(_)) || dirty {
                    dirty = true;
                }
                outcomes.push(outcome);
            }
            out.insert(s, outcomes);
        }
        out
    }

    /// For each expensive step of the needed stages: the context files that rerun it. The
    /// context is walked once, over the directories the steps read.
    pub fn cache_map(&self, m: &Model) -> Vec<MapEntry> {
        let mut reads: BTreeMap<usize, Vec<ContextRead>> = BTreeMap::new();
        let mut stage_deps_of: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        let mut entries = Vec::new();
        for &s in &self.needed {
            let plan = &self.stages[s];
            let mut acc: Vec<ContextRead> = Vec::new();
            let mut deps: BTreeSet<usize> = BTreeSet::new();
            for step in &plan.steps {
                let own: Vec<&ContextRead> = step
                    .inputs
                    .iter()
                    .filter_map(|i| match i {
                        CacheInput::Context(r) => Some(r),
                        _ => None,
                    })
                    .collect();
                for i in &step.inputs {
                    if let CacheInput::BaseStage(t) | CacheInput::Stage(t) = i {
                        deps.insert(*t);
                        deps.extend(stage_deps_of.get(t).into_iter().flatten());
                        if let CacheInput::BaseStage(_) = i {
                            acc.extend(reads.get(t).into_iter().flatten().cloned());
                        }
                    }
                }
                if step.link {
                    // Only its own reads rerun a linked copy; it is never expensive.
                    acc.extend(own.into_iter().cloned());
                    continue;
                }
                acc.extend(own.into_iter().cloned());
                if let Some(e) = &step.expensive {
                    entries.push((s, step.instr, e.clone(), acc.clone(), deps.clone()));
                }
            }
            reads.insert(s, acc);
            stage_deps_of.insert(s, deps);
        }
        let Some(ctx) = m.context else {
            return entries
                .into_iter()
                .map(|(stage, instr, expensive, r, deps)| MapEntry {
                    stage,
                    instr,
                    expensive,
                    files: Vec::new(),
                    dirs: r.iter().map(|r| r.path.clone()).collect(),
                    stages: deps.into_iter().collect(),
                })
                .collect();
        };
        let all: Vec<&ContextRead> = entries.iter().flat_map(|e| e.3.iter()).collect();
        let files = files_read(ctx, &all);
        entries
            .into_iter()
            .map(|(stage, instr, expensive, r, deps)| {
                let mut dirs: Vec<String> = r
                    .iter()
                    .filter(|r| r.is_dir)
                    .map(|r| r.path.clone())
                    .collect();
                dirs.sort();
                dirs.dedup();
                MapEntry {
                    stage,
                    instr,
                    expensive,
                    files: files
                        .iter()
                        .filter(|f| r.iter().any(|r| r.covers(f)))
                        .cloned()
                        .collect(),
                    dirs,
                    stages: deps.into_iter().collect(),
                }
            })
            .collect()
    }
}

/// The stages whose result `plan` uses.
fn stage_deps(plan: &StagePlan) -> Vec<usize> {
    plan.steps
        .iter()
        .flat_map(|s| &s.inputs)
        .filter_map(|i| match i {
            CacheInput::BaseStage(t) | CacheInput::Stage(t) => Some(*t),
            _ => None,
        })
        .collect()
}

/// The context files below the reads, each directory walked once (one inside another is not
/// walked again), sorted.
fn files_read(ctx: &BuildContext, reads: &[&ContextRead]) -> Vec<String> {
    let mut dirs: Vec<&str> = reads
        .iter()
        .filter(|r| r.is_dir)
        .map(|r| r.path.as_str())
        .collect();
    dirs.sort();
    dirs.dedup();
    let top: Vec<&str> = dirs
        .iter()
        .copied()
        .filter(|d| {
            !dirs.iter().any(|o| {
                o != d && (*o == "." || d.strip_prefix(o).is_some_and(|r: &str| r.starts_with('/')))
            })
        })
        .collect();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for d in top {
        out.extend(ctx.files_below(d).iter().cloned());
    }
    for r in reads.iter().filter(|r| !r.is_dir) {
        out.insert(r.path.clone());
    }
    out.into_iter().collect()
}

/// The reason a step's own inputs give it to rerun.
fn own_reason(
    step: &CacheStep,
    changed: &[&str],
    done: &BTreeMap<usize, Vec<Outcome>>,
    m: &Model,
) -> Option<Reason> {
    for input in &step.inputs {
        match input {
            CacheInput::Context(r) => {
                if let Some(p) = changed.iter().find(|p| r.covers(p)) {
                    return Some(Reason::Changed(p.to_string()));
                }
            }
            CacheInput::BaseStage(t) | CacheInput::Stage(t) => {
                let reran = done
                    .get(t)
                    .is_some_and(|o| o.iter().any(|o| matches!(o, Outcome::Run(_))));
                if reran {
                    return Some(Reason::Stage(stage_label(m, *t)));
                }
            }
            _ => {}
        }
    }
    None
}

/// Where a changed build arg first invalidates `plan`: the first instruction after its ARG
/// declaration that uses it (every RUN sees it in its environment, others when they expand
/// it), or FROM when the base reference expands a global ARG.
fn first_arg_use(m: &Model, plan: &StagePlan, args: &[String]) -> Option<(usize, String)> {
    let stage = &m.stages[plan.stage];
    let text = |i: usize| {
        let ins = m.instruction(i);
        m.file.text.get(ins.span.start..ins.span.end).unwrap_or("")
    };
    let mut best: Option<(usize, String)> = None;
    for name in args {
        let mut at = None;
        if mentions_var(text(stage.from_instr), name)
            && m.global_vars.iter().any(|v| v.name == *name)
        {
            at = Some(stage.from_instr);
        }
        let decl = stage
            .vars
            .iter()
            .find(|v| v.kind == VarKind::Arg && v.name == *name && stage.contains(v.instr));
        if let (None, Some(d)) = (at, decl) {
            at = (d.instr + 1..stage.instrs.end).find(|&i| {
                let ins = m.instruction(i);
                ins.keyword == Keyword::Run || mentions_var(text(i), name)
            });
        }
        if let Some(i) = at {
            if best.as_ref().is_none_or(|(b, _)| i < *b) {
                best = Some((i, name.clone()));
            }
        }
    }
    best
}

fn stage_plan(m: &Model, s: usize) -> StagePlan {
    let stage = &m.stages[s];
    let mut steps = Vec::new();
    for i in stage.instrs.clone() {
        let ins = m.instruction(i);
        if ins.error.is_some() {
            continue;
        }
        let mut inputs = Vec::new();
        let mut link = false;
        let mut expensive = None;
        match ins.keyword {
            Keyword::From => match &stage.base {
                Base::Stage(t) => inputs.push(CacheInput::BaseStage(*t)),
                Base::Image(r) => inputs.push(CacheInput::BaseImage {
                    reference: r.clone(),
                    pinned: r.contains("@sha256:"),
                }),
                Base::Scratch => {}
            },
            Keyword::Run => {
                inputs.push(CacheInput::Text(m.snippet(ins.span, usize::MAX)));
                for mount in m.mounts.get(&i).into_iter().flatten() {
                    if mount.kind != "bind" {
                        // Cache, secret, ssh and tmpfs mounts do not key the step.
                        continue;
                    }
                    match &mount.from {
                        CopyFrom::Context => {
                            let src = crate::context::clean(&mount.source);
                            let src = src.trim_start_matches('/');
                            let path = if src.is_empty() { "." } else { src }.to_string();
                            let is_dir = path == "."
                                || m.context
                                    .is_none_or(|c| c.is_dir(&path) || !c.exists(&path));
                            inputs.push(CacheInput::Context(ContextRead {
                                path,
                                is_dir,
                                excludes: Vec::new(),
                            }));
                        }
                        CopyFrom::Stage(t) => inputs.push(CacheInput::Stage(*t)),
                        CopyFrom::Image(r) => inputs.push(CacheInput::BaseImage {
                            reference: r.clone(),
                            pinned: r.contains("@sha256:"),
                        }),
                    }
                }
                expensive = m.run_steps(i).iter().find_map(|rs| {
                    let tc = rs.tool.as_ref()?;
                    matches!(
                        tc.kind,
                        CommandKind::DependencyInstall
                            | CommandKind::WholeSourceStep
                            | CommandKind::PackageInstall
                    )
                    .then(|| m.snippet(tc.span, STEP_TEXT_MAX))
                });
            }
            Keyword::Copy | Keyword::Add => {
                link = ins
                    .flag("link")
                    .is_some_and(|f| f.value.as_deref() != Some("false"));
                inputs.push(CacheInput::Text(m.snippet(ins.span, usize::MAX)));
                let excludes: Vec<String> = ins
                    .flags
                    .iter()
                    .filter(|f| f.name == "exclude")
                    .filter_map(|f| f.value.clone())
                    .collect();
                if let Some(copy) = m.copies.get(&i) {
                    match &copy.from {
                        CopyFrom::Stage(t) => inputs.push(CacheInput::Stage(*t)),
                        CopyFrom::Image(r) => inputs.push(CacheInput::BaseImage {
                            reference: r.clone(),
                            pinned: r.contains("@sha256:"),
                        }),
                        CopyFrom::Context => {}
                    }
                    for src in &copy.sources {
                        match src.kind {
                            SourceKind::Url | SourceKind::Git => {
                                inputs.push(CacheInput::Remote(src.expanded.clone()))
                            }
                            SourceKind::Heredoc => {}
                            SourceKind::Path if copy.from == CopyFrom::Context => {
                                if src.matches.is_empty() {
                                    // Not there now: it would be read if it appeared.
                                    inputs.push(CacheInput::Context(ContextRead {
                                        path: src.cleaned.clone(),
                                        is_dir: true,
                                        excludes: excludes.clone(),
                                    }));
                                }
                                for cm in src.matches.iter().filter(|c| !c.ignored) {
                                    inputs.push(CacheInput::Context(ContextRead {
                                        path: cm.path.clone(),
                                        is_dir: cm.is_dir,
                                        excludes: excludes.clone(),
                                    }));
                                }
                            }
                            SourceKind::Path => {}
                        }
                    }
                }
            }
            Keyword::Workdir => inputs.push(CacheInput::Text(m.snippet(ins.span, usize::MAX))),
            _ => continue,
        }
        steps.push(CacheStep {
            instr: i,
            keyword: ins.keyword,
            text: m.snippet(ins.span, STEP_TEXT_MAX),
            inputs,
            link,
            expensive,
        });
    }
    StagePlan {
        stage: s,
        name: stage_label(m, s),
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn var_mentions() {
        assert!(mentions_var("RUN echo $V", "V"));
        assert!(mentions_var("RUN echo ${V:-x}", "V"));
        assert!(!mentions_var("RUN echo $VERSION", "V"));
        assert!(!mentions_var("RUN echo V", "V"));
    }

    #[test]
    fn reads_cover_paths() {
        let dir = ContextRead {
            path: "src".into(),
            is_dir: true,
            excludes: vec!["*.md".into()],
        };
        assert!(dir.covers("src/a.py"));
        assert!(!dir.covers("src/README.md"));
        assert!(!dir.covers("srcx/a.py"));
        let root = ContextRead {
            path: ".".into(),
            is_dir: true,
            excludes: vec![],
        };
        assert!(root.covers("a/b"));
    }
}
