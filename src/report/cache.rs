//! The output of `layerlint cache`: which build steps a change reruns, as `docker build`
//! progress lines, as JSON (shape in docs/cache.md) or as one GitHub Actions notice.

use super::github::{escape_data, escape_property};
use crate::model::cache::{CacheInput, CachePlan, Change, MapEntry, Outcome, Reason};
use crate::model::Model;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Files listed by name in the cache map; more are counted under their directories.
const FILES_NAMED: usize = 3;

/// One prediction, ready to render.
pub struct CacheReport<'a> {
    pub model: &'a Model<'a>,
    pub plan: &'a CachePlan,
    pub change: &'a Change,
    /// Per needed stage, the outcome of each step.
    pub outcomes: BTreeMap<usize, Vec<Outcome>>,
    /// Without a change: the cache map of the expensive steps.
    pub map: Option<Vec<MapEntry>>,
    /// The Dockerfile and context as given on the command line.
    pub dockerfile: String,
    pub context: Option<String>,
}

fn code(s: &str) -> String {
    format!("`{s}`")
}

fn join_code<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| code(s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl CacheReport<'_> {
    /// `[2/5]` for a one-stage file, `[build 2/5]` otherwise, as `docker build` numbers steps.
    fn step_label(&self, stage: usize, k: usize) -> String {
        let plan = &self.plan.stages[stage];
        let n = plan.steps.len();
        if self.model.stages.len() == 1 {
            format!("[{}/{n}]", k + 1)
        } else {
            format!("[{} {}/{n}]", plan.name, k + 1)
        }
    }

    fn reason_text(&self, r: &Reason) -> String {
        match r {
            Reason::Changed(p) => format!("{} changed", code(p)),
            Reason::BuildArg(a) => format!("build arg {} changed", code(a)),
            Reason::Parent => "an earlier step reruns".to_string(),
            Reason::Stage(s) => format!("stage {} reruns", code(s)),
        }
    }

    /// "a change to `src/server.py`", "a change to build arg `V`".
    fn change_phrase(&self) -> String {
        let mut parts = Vec::new();
        let paths = &self.change.paths;
        if paths.len() > FILES_NAMED {
            parts.push(plural(paths.len(), "path", "paths"));
        } else if !paths.is_empty() {
            parts.push(join_code(paths));
        }
        if !self.change.args.is_empty() {
            let what = if self.change.args.len() == 1 {
                "build arg"
            } else {
                "build args"
            };
            parts.push(format!("{what} {}", join_code(&self.change.args)));
        }
        format!("a change to {}", parts.join(" and "))
    }

    /// The one-sentence answer: what reruns, and which of it is expensive.
    pub fn summary(&self) -> String {
        let mut per_stage = Vec::new();
        let mut expensive = Vec::new();
        for (&s, outcomes) in &self.outcomes {
            let plan = &self.plan.stages[s];
            let reran: Vec<&str> = plan
                .steps
                .iter()
                .zip(outcomes)
                .filter(|(_, o)| matches!(o, Outcome::Run(_)))
                .map(|(step, _)| {
                    if let Some(e) = &step.expensive {
                        expensive.push(e.clone());
                    }
                    step.text.as_str()
                })
                .collect();
            if !reran.is_empty() {
                per_stage.push(format!(
                    "{} in stage {}: {}",
                    plural(reran.len(), "step", "steps"),
                    code(&plan.name),
                    join_code(&reran)
                ));
            }
        }
        if per_stage.is_empty() {
            let why = self.nothing_reason();
            return format!("{} reruns nothing{why}", self.change_phrase());
        }
        let costly = if expensive.is_empty() {
            "and nothing expensive".to_string()
        } else {
            format!("so it reruns {}", join_code(&expensive))
        };
        format!(
            "{} reruns {}, {costly}",
            self.change_phrase(),
            per_stage.join("; ")
        )
    }

    /// Why a changed path reruns nothing, when it is the only change.
    fn nothing_reason(&self) -> String {
        let [p] = self.change.paths.as_slice() else {
            return String::new();
        };
        if !self.change.args.is_empty() {
            return String::new();
        }
        match self.model.context.and_then(|c| c.ignored_reason(p)) {
            Some(r) => format!(" (it is not in the build context: {r})"),
            None => " (no step of the build reads it)".to_string(),
        }
    }

    /// The progress lines, then the summary or the cache map.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let width = self
            .outcomes
            .keys()
            .flat_map(|&s| {
                let plan = &self.plan.stages[s];
                (0..plan.steps.len()).map(move |k| (s, k, plan.steps[k].text.chars().count()))
            })
            .map(|(s, k, n)| self.step_label(s, k).chars().count() + 1 + n)
            .max()
            .unwrap_or(0);
        for (&s, outcomes) in &self.outcomes {
            let plan = &self.plan.stages[s];
            for (k, (step, o)) in plan.steps.iter().zip(outcomes).enumerate() {
                let head = format!("{} {}", self.step_label(s, k), step.text);
                let pad = width.saturating_sub(head.chars().count());
                let status = match o {
                    Outcome::Cached => match moving_tag(&step.inputs) {
                        Some(_) => "CACHED (unless the tag has moved)".to_string(),
                        None => "CACHED".to_string(),
                    },
                    Outcome::Run(r) => format!("RUN    {}", self.reason_text(r)),
                    Outcome::Unknown(u) => format!("?      {} is fetched at build time", code(u)),
                };
                out.push_str(&format!("{head}{}  {status}\n", " ".repeat(pad)));
            }
        }
        out.push('\n');
        match &self.map {
            Some(map) => out.push_str(&self.map_text(map)),
            None => {
                out.push_str(&self.summary());
                out.push('\n');
            }
        }
        out
    }

    fn map_text(&self, map: &[MapEntry]) -> String {
        if map.is_empty() {
            return "no install or build step: nothing expensive reruns\n".to_string();
        }
        let mut out = String::new();
        for e in map {
            let stages: Vec<String> = e
                .stages
                .iter()
                .map(|&t| self.plan.stages[t].name.clone())
                .collect();
            let mut line = format!("{} reruns when ", code(&e.expensive));
            line.push_str(&files_phrase(e));
            if !stages.is_empty() {
                let what = if stages.len() == 1 { "stage" } else { "stages" };
                line.push_str(&format!(", or {what} {} reruns", join_code(&stages)));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    pub fn json(&self) -> Value {
        let stages: Vec<Value> = self
            .outcomes
            .iter()
            .map(|(&s, outcomes)| {
                let plan = &self.plan.stages[s];
                let steps: Vec<Value> = plan
                    .steps
                    .iter()
                    .zip(outcomes)
                    .enumerate()
                    .map(|(k, (step, o))| {
                        let (status, reason) = match o {
                            Outcome::Cached => ("cached", Value::Null),
                            Outcome::Run(r) => ("run", reason_json(r)),
                            Outcome::Unknown(u) => ("unknown", json!({"kind": "remote", "source": u})),
                        };
                        json!({
                            "step": k + 1,
                            "of": plan.steps.len(),
                            "line": self.model.instruction(step.instr).start_line,
                            "instruction": step.text,
                            "status": status,
                            "reason": reason,
                            "expensive": step.expensive,
                            "inputs": step.inputs.iter().map(|i| self.input_json(i)).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                json!({"index": s, "name": plan.name, "steps": steps})
            })
            .collect();
        let map = self.map.as_ref().map(|m| {
            m.iter()
                .map(|e| {
                    json!({
                        "stage": self.plan.stages[e.stage].name,
                        "line": self.model.instruction(e.instr).start_line,
                        "expensive": e.expensive,
                        "files": e.files,
                        "file_count": e.files.len(),
                        "dirs": e.dirs,
                        "stages": e.stages.iter().map(|&t| self.plan.stages[t].name.clone()).collect::<Vec<_>>(),
                    })
                })
                .collect::<Vec<_>>()
        });
        json!({
            "version": 1,
            "tool": {"name": "layerlint", "version": env!("CARGO_PKG_VERSION")},
            "dockerfile": self.dockerfile,
            "context": self.context,
            "target": self.model.purpose.target,
            "changed": {"paths": self.change.paths, "build_args": self.change.args},
            "stages": stages,
            "summary": self.map.is_none().then(|| self.summary()),
            "cache_map": map,
        })
    }

    fn input_json(&self, i: &CacheInput) -> Value {
        match i {
            CacheInput::BaseImage { reference, pinned } => {
                json!({"kind": "image", "reference": reference, "pinned": pinned})
            }
            CacheInput::BaseStage(t) => {
                json!({"kind": "base-stage", "stage": self.plan.stages[*t].name})
            }
            CacheInput::Stage(t) => json!({"kind": "stage", "stage": self.plan.stages[*t].name}),
            CacheInput::Context(r) => json!({
                "kind": "context", "path": r.path, "dir": r.is_dir, "exclude": r.excludes,
            }),
            CacheInput::Text(t) => json!({"kind": "text", "text": t}),
            CacheInput::Remote(u) => json!({"kind": "remote", "source": u}),
        }
    }

    /// One notice for a pull request: what the change reruns (or the cache map).
    pub fn github(&self) -> String {
        let message = match &self.map {
            Some(map) => self.map_text(map).trim_end().to_string(),
            None => self.summary(),
        };
        format!(
            "::notice file={},title={}::{}\n",
            escape_property(&self.dockerfile),
            escape_property("layerlint cache"),
            escape_data(&message)
        )
    }
}

fn reason_json(r: &Reason) -> Value {
    match r {
        Reason::Changed(p) => json!({"kind": "changed", "path": p}),
        Reason::BuildArg(a) => json!({"kind": "build-arg", "name": a}),
        Reason::Parent => json!({"kind": "parent"}),
        Reason::Stage(s) => json!({"kind": "stage", "stage": s}),
    }
}

/// The image reference of a FROM that names a tag rather than a digest.
fn moving_tag(inputs: &[CacheInput]) -> Option<&str> {
    inputs.iter().find_map(|i| match i {
        CacheInput::BaseImage {
            reference,
            pinned: false,
        } => Some(reference.as_str()),
        _ => None,
    })
}

/// "any of 1 file changes: `src/requirements.txt`", "any of 57 files under `src/` changes".
fn files_phrase(e: &MapEntry) -> String {
    let n = e.files.len();
    if n == 0 {
        return "no context file changes (it reads none)".to_string();
    }
    let count = plural(n, "file", "files");
    if n <= FILES_NAMED || e.dirs.is_empty() {
        let shown: Vec<&String> = e.files.iter().take(FILES_NAMED).collect();
        let more = if n > FILES_NAMED {
            format!(" and {} more", n - FILES_NAMED)
        } else {
            String::new()
        };
        format!("any of {count} changes: {}{more}", join_code(&shown))
    } else {
        let dirs: Vec<String> = e
            .dirs
            .iter()
            .map(|d| {
                if d == "." {
                    "./".to_string()
                } else {
                    format!("{d}/")
                }
            })
            .collect();
        format!("any of {count} under {} changes", join_code(&dirs))
    }
}
