//! The build as layerlint understands it: stages, ARG/ENV scopes and expansion, WORKDIR,
//! and a simulated image filesystem per stage. Rules ask it questions; they never re-derive.

pub mod binaries;
pub mod cache;
pub mod command;
pub mod copy_dest;
pub mod deps;
pub mod expand;
pub mod frameworks;
pub mod fs;
pub mod images;
pub mod installs;
pub mod outputs;
pub mod path;
pub mod ports;
pub mod purpose;
pub mod reach;
pub mod vars;
pub mod webconfig;
pub mod wrappers;

use crate::context::BuildContext;
use crate::shell::exec::ShellKind;
use crate::syntax::{Args, Dockerfile, Instruction, Keyword, Span, Word};
pub use expand::ExpandError;
use expand::{Lexer, Vars};
pub use fs::{EntryKind, Found, FsEntry, Lookup, Origin, Unknown};
pub use installs::RunStep;
pub use purpose::{LabelKind, Purpose, Runner};
use std::collections::BTreeMap;
pub use vars::{Metered, Scope, VarDef, VarIndex, VarKind, PLATFORM_ARGS};

/// The shell that runs a shell-form instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellInForce {
    pub kind: ShellKind,
    /// The words Docker puts before the command (`/bin/sh -c`, or the SHELL instruction's).
    pub argv: Vec<String>,
    /// The external image the stage is built on, if any (`None` for scratch).
    pub image: Option<String>,
}

/// What a stage is built on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    Scratch,
    /// An earlier stage of this Dockerfile, by index.
    Stage(usize),
    /// An external image, as named after ARG expansion.
    Image(String),
}

/// The state in force before an instruction runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Absolute, cleaned WORKDIR; shared, since every instruction keeps a copy of the state.
    pub workdir: std::sync::Arc<str>,
    pub user: Option<String>,
    pub shell: Vec<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            workdir: "/".into(),
            user: None,
            shell: vec!["/bin/sh".into(), "-c".into()],
        }
    }
}

/// Where a COPY/ADD takes its sources from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyFrom {
    Context,
    Stage(usize),
    Image(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Path,
    Url,
    Git,
    Heredoc,
}

/// One source argument of a COPY/ADD, and what it matched in the build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopySource {
    pub word: Word,
    /// After ARG/ENV expansion.
    pub expanded: String,
    pub kind: SourceKind,
    /// Context paths it matched (relative, sorted), each with whether it is a directory and
    /// whether `.dockerignore` excludes it. Empty for non-context sources.
    pub matches: Vec<ContextMatch>,
    /// The source cleaned as BuildKit does (`..` clamped at the context root).
    pub cleaned: String,
    /// The source tried to leave the context (`../x`).
    pub escapes_context: bool,
    /// Variables the source names that have no value here (`COPY $SRC .` without a default):
    /// the real build passes values this model does not know, so `expanded` is a guess.
    pub unset_vars: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextMatch {
    pub path: String,
    pub is_dir: bool,
    pub ignored: bool,
}

/// A COPY or ADD as the model understood it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copy {
    pub instr: usize,
    pub from: CopyFrom,
    pub sources: Vec<CopySource>,
    /// Absolute, cleaned destination.
    pub dest: String,
    /// The destination is a directory that the sources go into.
    pub dest_is_dir: bool,
    pub dest_word: Option<Word>,
}

impl Copy {
    /// The sources it takes from the build context by path: none for `--from`, and no URL, git
    /// or heredoc source.
    pub fn context_paths(&self) -> impl Iterator<Item = &CopySource> {
        let from_context = self.from == CopyFrom::Context;
        self.sources
            .iter()
            .filter(move |s| from_context && s.kind == SourceKind::Path)
    }
}

/// A `RUN --mount=...`: visible only while that RUN runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// `bind`, `cache`, `secret`, `ssh`, `tmpfs`.
    pub kind: String,
    /// Absolute target path in the container.
    pub target: String,
    /// Source path (relative to the context or the `from` stage's root).
    pub source: String,
    pub from: CopyFrom,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, as written.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    /// The FROM instruction.
    pub from_instr: usize,
    /// The image word of FROM, as written.
    pub base_word: Option<Word>,
    pub base: Base,
    /// What the stage is built on at the end of its `FROM <stage>` chain: scratch or an image.
    pub root: Base,
    /// Indices of the instructions of this stage, FROM first.
    pub instrs: std::ops::Range<usize>,
    /// ARG and ENV definitions in order (inherited ENV first).
    pub vars: Vec<VarDef>,
    pub fs: Vec<FsEntry>,
    /// The CMD and ENTRYPOINT in force at the end (possibly from a base stage).
    pub cmd: Option<usize>,
    pub entrypoint: Option<usize>,
    /// EXPOSE instructions in force at the end (including a base stage's).
    pub exposes: Vec<usize>,
    /// State at the end of the stage.
    pub end_state: State,
}

impl Stage {
    pub fn contains(&self, instr: usize) -> bool {
        self.instrs.contains(&instr)
    }

    /// The filesystem entries made by instructions before `before` (entries are in
    /// instruction order).
    pub fn fs_before(&self, before: usize) -> &[FsEntry] {
        &self.fs[..self.fs.partition_point(|e| e.instr < before)]
    }
}

/// Facts about one Dockerfile, its build context and build arguments.
pub struct Model<'a> {
    pub file: &'a Dockerfile,
    pub context: Option<&'a BuildContext>,
    pub lexer: Lexer,
    pub build_args: BTreeMap<String, String>,
    /// ARGs before the first FROM, plus the predefined platform ARGs.
    pub global_vars: Vec<VarDef>,
    pub stages: Vec<Stage>,
    /// For each top-level instruction, the stage it belongs to.
    pub stage_of: Vec<Option<usize>>,
    /// For each top-level instruction, the state in force before it.
    pub states: Vec<State>,
    pub copies: BTreeMap<usize, Copy>,
    pub mounts: BTreeMap<usize, Vec<Mount>>,
    /// The commands of each RUN (see `run_steps`).
    run_steps: BTreeMap<usize, Vec<RunStep>>,
    /// The commands of each top-level instruction, split on first use (see `commands`): several
    /// rules read every RUN, and the body is split once.
    commands: Vec<std::cell::OnceCell<Vec<crate::shell::SimpleCommand>>>,
    /// The compound constructs of each top-level instruction, read on first use (`constructs`).
    constructs: Vec<std::cell::OnceCell<Vec<crate::shell::Construct>>>,
    /// Lookup indexes for `global_vars` and each stage's `vars`, kept in step as they grow.
    global_index: VarIndex,
    stage_index: Vec<VarIndex>,
    /// Stage indexes (ascending) by lower-cased stage name, for `stage_by_name`.
    stage_names: std::collections::HashMap<String, Vec<usize>>,
    /// Bytes that expansions may still add beyond the words expanded (see `expand_with`).
    expansion_budget: std::cell::Cell<usize>,
    /// Which stages hand their files to which, derived on first use (see `reaches_final_image`).
    reach_index: std::cell::OnceCell<reach::ReachIndex>,
    /// The network service of the image stage (see `ports::service`), found once: it may read
    /// source files of the build context, and several rules ask.
    image_service: std::cell::OnceCell<Option<ports::Service>>,
    /// Steps that `reaches_final_image` may still take over all its calls; past it, it says yes.
    reach_budget: std::cell::Cell<usize>,
    /// Which stage is built and who runs it.
    pub purpose: Purpose,
    /// The stage whose image the build produces (see `image_stage`).
    image_stage: Option<usize>,
    /// `purpose.target` names no stage of this file.
    pub target_missing: bool,
    /// RUN bodies are split into commands (see `build_outline`).
    split_runs: bool,
}

/// Does BuildKit expand ARG/ENV variables in this instruction's arguments? RUN, CMD,
/// ENTRYPOINT, SHELL and HEALTHCHECK are left to the shell at run time; ONBUILD is expanded in
/// the child build.
pub fn expands_variables(keyword: Keyword) -> bool {
    matches!(
        keyword,
        Keyword::Add
            | Keyword::Arg
            | Keyword::Copy
            | Keyword::Env
            | Keyword::Expose
            | Keyword::From
            | Keyword::Label
            | Keyword::Stopsignal
            | Keyword::User
            | Keyword::Volume
            | Keyword::Workdir
    )
}

/// Expansion may add this much, plus a multiple of the file's size, before words are left as
/// written: far beyond any real Dockerfile, far below what a hostile one could demand.
const EXPANSION_BUDGET: usize = 64 << 20;

/// How many filesystem entries of a stage a lookup reads, latest first; beyond them it reports
/// `Unknown::Unscanned`, which rules take as "might be there". The most any stage of 3,206 real
/// Dockerfiles makes is 116.
const LOOKUP_REACH: usize = 1024;

/// How many stages, and filesystem entries, `shell_at` reads up a stage chain for a shell copied
/// into an image that has none: real scratch stages make a handful.
const SHELL_COPY_REACH: usize = 64;

/// Linux's limit on a path handed to the kernel.
const PATH_MAX: usize = 4096;

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn is_git(s: &str) -> bool {
    s.starts_with("git@")
        || s.starts_with("git://")
        || (is_url(s)
            && s.split(['?', '#'])
                .next()
                .is_some_and(|p| p.ends_with(".git")))
}

/// A name that ADD extracts rather than copies (`rootfs.tar.xz`).
pub fn is_archive(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ]
    .iter()
    .any(|ext| l.ends_with(ext))
}

impl<'a> Model<'a> {
    pub fn build(
        file: &'a Dockerfile,
        context: Option<&'a BuildContext>,
        build_args: &BTreeMap<String, String>,
    ) -> Model<'a> {
        Model::build_for(file, context, build_args, &Purpose::default())
    }

    /// The stages, their bases, variables, copies and mounts, without splitting RUN bodies
    /// into commands (so without `run_steps` and what the commands write): the outline that
    /// reading many other Dockerfiles of a project needs, at a fraction of the cost.
    pub fn build_outline(file: &'a Dockerfile, build_args: &BTreeMap<String, String>) -> Model<'a> {
        Model::build_with(file, None, build_args, &Purpose::default(), false)
    }

    /// The model of a build of `purpose.target` (the last stage when none is given or no stage
    /// has that name; `target_missing` then says so).
    pub fn build_for(
        file: &'a Dockerfile,
        context: Option<&'a BuildContext>,
        build_args: &BTreeMap<String, String>,
        purpose: &Purpose,
    ) -> Model<'a> {
        Model::build_with(file, context, build_args, purpose, true)
    }

    fn build_with(
        file: &'a Dockerfile,
        context: Option<&'a BuildContext>,
        build_args: &BTreeMap<String, String>,
        purpose: &Purpose,
        split_runs: bool,
    ) -> Model<'a> {
        let mut m = Model {
            file,
            context,
            lexer: Lexer::new(file.escape),
            build_args: build_args.clone(),
            global_vars: Vec::new(),
            stages: Vec::new(),
            stage_of: vec![None; file.instructions.len()],
            states: Vec::with_capacity(file.instructions.len()),
            copies: BTreeMap::new(),
            mounts: BTreeMap::new(),
            run_steps: BTreeMap::new(),
            commands: vec![std::cell::OnceCell::new(); file.instructions.len()],
            constructs: vec![std::cell::OnceCell::new(); file.instructions.len()],
            global_index: VarIndex::default(),
            stage_index: Vec::new(),
            stage_names: Default::default(),
            expansion_budget: std::cell::Cell::new(
                EXPANSION_BUDGET.saturating_add(file.text.len().saturating_mul(16)),
            ),
            reach_index: std::cell::OnceCell::new(),
            image_service: std::cell::OnceCell::new(),
            reach_budget: std::cell::Cell::new(reach::REACH_BUDGET.saturating_add(file.text.len())),
            purpose: purpose.clone(),
            image_stage: None,
            target_missing: false,
            split_runs,
        };
        for (name, value) in PLATFORM_ARGS {
            let value = build_args
                .get(*name)
                .cloned()
                .unwrap_or_else(|| value.to_string());
            m.global_vars.push(VarDef {
                name: name.to_string(),
                value: Some(value),
                kind: VarKind::Arg,
                instr: 0,
            });
        }
        let mut state = State::default();
        for (i, ins) in file.instructions.iter().enumerate() {
            m.global_index.sync(&m.global_vars);
            if ins.keyword == Keyword::From {
                state = m.start_stage(i, ins);
            }
            m.stage_index.resize_with(m.stages.len(), VarIndex::default);
            if let (Some(stage), Some(index)) = (m.stages.last(), m.stage_index.last_mut()) {
                index.sync(&stage.vars);
            }
            m.states.push(state.clone());
            let Some(si) = m.stages.len().checked_sub(1) else {
                if ins.keyword == Keyword::Arg {
                    m.global_arg(i, ins);
                }
                continue;
            };
            m.stage_of[i] = Some(si);
            m.stages[si].instrs.end = i + 1;
            if ins.error.is_some() {
                continue;
            }
            m.apply(si, i, ins, &mut state);
            m.stages[si].end_state = state.clone();
        }
        m.global_index.sync(&m.global_vars);
        for (stage, index) in m.stages.iter().zip(&mut m.stage_index) {
            index.sync(&stage.vars);
            debug_assert!(stage.fs.windows(2).all(|w| w[0].instr <= w[1].instr));
        }
        let target = purpose.target.as_deref().map(|t| {
            m.stage_names
                .get(&t.to_ascii_lowercase())
                .and_then(|ids| ids.last().copied())
        });
        m.target_missing = matches!(target, Some(None));
        m.image_stage = target.flatten().or(m.stages.len().checked_sub(1));
        m
    }

    fn global_arg(&mut self, i: usize, ins: &Instruction) {
        let Args::KeyValues(kvs) = &ins.args else {
            return;
        };
        for kv in kvs {
            let name = kv.key.value.clone();
            let value = match (self.build_args.get(&name), &kv.value) {
                (Some(v), _) => Some(v.clone()),
                (None, Some(v)) => Some(self.expand_with(
                    &v.value,
                    &Scope {
                        defs: &self.global_vars,
                        before: i,
                        index: Some(&self.global_index),
                    },
                )),
                (None, None) => None,
            };
            self.global_vars.push(VarDef {
                name,
                value,
                kind: VarKind::Arg,
                instr: i,
            });
        }
    }

    fn start_stage(&mut self, i: usize, ins: &Instruction) -> State {
        let index = self.stages.len();
        let words: &[Word] = match &ins.args {
            Args::Words(w) => w,
            _ => &[],
        };
        let base_word = words.first().cloned();
        let (name, name_span) = match words {
            [_, as_kw, name, ..] if as_kw.value.eq_ignore_ascii_case("as") => {
                (Some(name.value.clone()), Some(name.span))
            }
            _ => (None, None),
        };
        let image = base_word
            .as_ref()
            .map(|w| {
                self.expand_with(
                    &w.value,
                    &Scope {
                        defs: &self.global_vars,
                        before: i + 1,
                        index: Some(&self.global_index),
                    },
                )
            })
            .unwrap_or_default();
        let base = if image.eq_ignore_ascii_case("scratch") {
            Base::Scratch
        } else if let Some(s) = self.stage_by_name(&image, index) {
            Base::Stage(s)
        } else {
            Base::Image(image.clone())
        };
        let mut stage = Stage {
            index,
            name,
            name_span,
            from_instr: i,
            base_word,
            root: match &base {
                Base::Stage(p) => self.stages[*p].root.clone(),
                b => b.clone(),
            },
            base: base.clone(),
            instrs: i..i + 1,
            vars: Vec::new(),
            fs: Vec::new(),
            cmd: None,
            entrypoint: None,
            exposes: Vec::new(),
            end_state: State::default(),
        };
        let mut state = State::default();
        match &base {
            Base::Stage(parent) => {
                let p = &self.stages[*parent];
                // A child stage inherits the image config of its parent: ENV, WORKDIR, USER,
                // SHELL, CMD, ENTRYPOINT, EXPOSE. ARGs are not part of an image, but BuildKit
                // keeps those with a value in the build state the child starts from, so they
                // expand there (and RUN sees them) as they did in the parent.
                for d in p
                    .vars
                    .iter()
                    .filter(|d| d.kind == VarKind::Env || d.value.is_some())
                {
                    stage.vars.push(VarDef {
                        instr: i,
                        ..d.clone()
                    });
                }
                state = p.end_state.clone();
                stage.cmd = p.cmd;
                stage.entrypoint = p.entrypoint;
                stage.exposes = p.exposes.clone();
            }
            Base::Image(img) => stage.fs.push(FsEntry {
                path: "/".into(),
                kind: EntryKind::Unknown(Unknown::BaseImage(img.clone())),
                instr: i,
            }),
            Base::Scratch => {}
        }
        stage.end_state = state.clone();
        if let Some(name) = &stage.name {
            self.stage_names
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push(self.stages.len());
        }
        self.stages.push(stage);
        state
    }

    /// The stage called `name` (case-insensitive) or with that index, defined before `before`.
    pub fn stage_by_name(&self, name: &str, before: usize) -> Option<usize> {
        let limit = before.min(self.stages.len());
        let by_name = self
            .stage_names
            .get(&name.to_ascii_lowercase())
            .and_then(|ids| ids[..ids.partition_point(|&s| s < limit)].last().copied());
        by_name.or_else(|| {
            name.parse::<usize>()
                .ok()
                .filter(|n| *n < before.min(self.stages.len()))
        })
    }

    fn apply(&mut self, si: usize, i: usize, ins: &Instruction, state: &mut State) {
        match ins.keyword {
            Keyword::Arg => {
                let Args::KeyValues(kvs) = &ins.args else {
                    return;
                };
                for kv in kvs {
                    let name = kv.key.value.clone();
                    let value = if let Some(v) = self.build_args.get(&name) {
                        Some(v.clone())
                    } else if let Some(v) = &kv.value {
                        Some(self.expand_at(i, &v.value))
                    } else {
                        // `ARG NAME` in a stage takes the global default of the same name.
                        Scope {
                            defs: &self.global_vars,
                            before: usize::MAX,
                            index: Some(&self.global_index),
                        }
                        .get(&name)
                        .map(str::to_string)
                    };
                    self.stages[si].vars.push(VarDef {
                        name,
                        value,
                        kind: VarKind::Arg,
                        instr: i,
                    });
                }
            }
            Keyword::Env => {
                let Args::KeyValues(kvs) = &ins.args else {
                    return;
                };
                // Every value of one ENV line sees the variables as they were before the line.
                let defs: Vec<VarDef> = kvs
                    .iter()
                    .map(|kv| VarDef {
                        name: kv.key.value.clone(),
                        value: Some(
                            kv.value
                                .as_ref()
                                .map(|v| self.expand_at(i, &v.value))
                                .unwrap_or_default(),
                        ),
                        kind: VarKind::Env,
                        instr: i,
                    })
                    .collect();
                self.stages[si].vars.extend(defs);
            }
            Keyword::Workdir => {
                if let Some(w) = self.single_word(ins) {
                    let p = self.expand_at(i, &w);
                    let dir = path::resolve(&state.workdir, &p);
                    // Longer than PATH_MAX, the build fails to create it; the previous one stays.
                    if dir.len() > PATH_MAX {
                        return;
                    }
                    state.workdir = dir.as_str().into();
                    self.stages[si].fs.push(FsEntry {
                        path: dir,
                        kind: EntryKind::Dir,
                        instr: i,
                    });
                }
            }
            Keyword::User => {
                if let Some(w) = self.single_word(ins) {
                    state.user = Some(self.expand_at(i, &w));
                }
            }
            Keyword::Shell => {
                if let Args::Exec(words) = &ins.args {
                    state.shell = words.iter().map(|w| w.value.clone()).collect();
                }
            }
            Keyword::Cmd => self.stages[si].cmd = Some(i),
            Keyword::Entrypoint => {
                self.stages[si].entrypoint = Some(i);
                // BuildKit resets an inherited CMD when ENTRYPOINT is set in this stage.
                if self.stages[si]
                    .cmd
                    .is_some_and(|c| !self.stages[si].contains(c))
                {
                    self.stages[si].cmd = None;
                }
            }
            Keyword::Expose => self.stages[si].exposes.push(i),
            Keyword::Run => self.run(si, i, ins),
            Keyword::Copy | Keyword::Add => self.copy(si, i, ins, state),
            _ => {}
        }
    }

    fn single_word(&self, ins: &Instruction) -> Option<String> {
        match &ins.args {
            Args::Words(w) if !w.is_empty() => Some(
                w.iter()
                    .map(|w| w.value.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        }
    }

    fn run(&mut self, si: usize, i: usize, ins: &Instruction) {
        let mut mounts = Vec::new();
        for f in ins.flags.iter().filter(|f| f.name == "mount") {
            let Some(v) = &f.value else { continue };
            let v = self.expand_at(i, v);
            let mut kind = "bind".to_string();
            let (mut target, mut source, mut from) = (String::new(), String::new(), None);
            for part in v.split(',') {
                let (k, val) = part.split_once('=').unwrap_or((part, ""));
                match k.trim().to_ascii_lowercase().as_str() {
                    "type" => kind = val.to_ascii_lowercase(),
                    "target" | "dst" | "destination" => target = val.to_string(),
                    "source" | "src" => source = val.to_string(),
                    "from" => from = Some(val.to_string()),
                    _ => {}
                }
            }
            let state = &self.states[i];
            let target = if target.is_empty() && kind == "secret" {
                String::from("/run/secrets")
            } else {
                path::resolve(&state.workdir, &target)
            };
            let from = match from {
                None => CopyFrom::Context,
                Some(name) => match self.stage_by_name(&name, si) {
                    Some(s) => CopyFrom::Stage(s),
                    None => CopyFrom::Image(name),
                },
            };
            mounts.push(Mount {
                kind,
                target,
                source: if source.is_empty() {
                    ".".into()
                } else {
                    source
                },
                from,
                span: f.span,
            });
        }
        if !mounts.is_empty() {
            self.mounts.insert(i, mounts);
        }
        self.stages[si].fs.push(FsEntry {
            path: "/".into(),
            kind: EntryKind::Unknown(Unknown::Run),
            instr: i,
        });
        if !self.split_runs {
            return;
        }
        let steps = self.derive_run_steps(i, ins);
        // What a build command writes is known to be a directory (for `COPY --from` of it) and
        // to hold files of unknown names.
        for out in steps.iter().flat_map(outputs::outputs_of) {
            if out.path.len() > PATH_MAX {
                continue;
            }
            if out.is_dir {
                self.stages[si].fs.push(FsEntry {
                    path: out.path.clone(),
                    kind: EntryKind::Dir,
                    instr: i,
                });
            }
            self.stages[si].fs.push(FsEntry {
                path: out.path,
                kind: EntryKind::Unknown(Unknown::BuildOutput {
                    by: out.by,
                    dir: out.is_dir,
                }),
                instr: i,
            });
        }
        self.run_steps.insert(i, steps);
    }

    fn copy(&mut self, si: usize, i: usize, ins: &Instruction, state: &State) {
        let words: &[Word] = match &ins.args {
            Args::Words(w) | Args::Exec(w) => w,
            _ => return,
        };
        let Some((dest_word, srcs)) = words.split_last() else {
            return;
        };
        if srcs.is_empty() {
            return;
        }
        let from = match ins.flag("from").and_then(|f| f.value.as_deref()) {
            None => CopyFrom::Context,
            Some(v) => {
                let name = self.expand_at(i, v);
                match self.stage_by_name(&name, si) {
                    Some(s) => CopyFrom::Stage(s),
                    None => CopyFrom::Image(name),
                }
            }
        };
        let dest_raw = self.expand_at(i, &dest_word.value);
        let dest = path::resolve(&state.workdir, &dest_raw);
        let mut sources = Vec::new();
        for w in srcs {
            let expanded = self.expand_at(i, &w.value);
            let kind = if w.value.starts_with("<<") && !ins.heredocs.is_empty() {
                SourceKind::Heredoc
            } else if ins.keyword == Keyword::Add && is_git(&expanded) {
                SourceKind::Git
            } else if ins.keyword == Keyword::Add && is_url(&expanded) {
                SourceKind::Url
            } else {
                SourceKind::Path
            };
            let mut src = CopySource {
                word: w.clone(),
                expanded: expanded.clone(),
                kind,
                matches: Vec::new(),
                cleaned: expanded.clone(),
                escapes_context: false,
                unset_vars: self.unset_vars_at(i, &w.value),
            };
            if kind == SourceKind::Path && from == CopyFrom::Context {
                if let Some(ctx) = self.context {
                    let sm = ctx.resolve_source(&expanded);
                    src.cleaned = sm.cleaned;
                    src.escapes_context = sm.escaped_root;
                    src.matches = sm
                        .matches
                        .into_iter()
                        .map(|mp| ContextMatch {
                            path: mp.path,
                            is_dir: mp.is_dir,
                            ignored: mp.ignored_by.is_some(),
                        })
                        .collect();
                }
            }
            sources.push(src);
        }
        let lookup_dir = self.lookup(si, &dest, i).found.is_some_and(|f| f.is_dir);
        let multiple = sources.len() > 1 || sources.iter().any(|s| s.matches.len() > 1);
        let dest_is_dir = dest_raw.ends_with('/')
            || dest_raw == "."
            || dest_raw.ends_with("/.")
            || multiple
            || lookup_dir;
        let mut entries = Vec::new();
        let file_dest = |name: &str| {
            if dest_is_dir {
                path::join(&dest, path::base_name(name))
            } else {
                dest.clone()
            }
        };
        for s in &sources {
            match (s.kind, &from) {
                (SourceKind::Heredoc, _) => {
                    let name = s
                        .word
                        .value
                        .trim_start_matches("<<")
                        .trim_start_matches('-');
                    let name = name.trim_matches(|c| c == '"' || c == '\'');
                    entries.push(FsEntry {
                        path: file_dest(name),
                        kind: EntryKind::Path {
                            origin: Origin::Heredoc(name.to_string()),
                            dir: false,
                        },
                        instr: i,
                    });
                }
                (SourceKind::Url, _) => entries.push(FsEntry {
                    path: file_dest(s.expanded.split(['?', '#']).next().unwrap_or_default()),
                    kind: EntryKind::Path {
                        origin: Origin::Url(s.expanded.clone()),
                        dir: false,
                    },
                    instr: i,
                }),
                (SourceKind::Git, _) => entries.push(FsEntry {
                    path: dest.clone(),
                    kind: EntryKind::Unknown(Unknown::Extracted),
                    instr: i,
                }),
                (SourceKind::Path, CopyFrom::Context) => {
                    if self.context.is_none() {
                        // Without a context nothing can be checked; assume the copy worked.
                        entries.push(FsEntry {
                            path: file_dest(&s.expanded),
                            kind: EntryKind::Path {
                                origin: Origin::Context(s.expanded.clone()),
                                dir: false,
                            },
                            instr: i,
                        });
                    }
                    for mp in s.matches.iter().filter(|m| !m.ignored) {
                        if mp.is_dir {
                            entries.push(FsEntry {
                                path: dest.clone(),
                                kind: EntryKind::Tree(Origin::Context(mp.path.clone())),
                                instr: i,
                            });
                        } else if ins.keyword == Keyword::Add && is_archive(&mp.path) {
                            entries.push(FsEntry {
                                path: dest.clone(),
                                kind: EntryKind::Unknown(Unknown::Extracted),
                                instr: i,
                            });
                        } else {
                            entries.push(FsEntry {
                                path: file_dest(&mp.path),
                                kind: EntryKind::Path {
                                    origin: Origin::Context(mp.path.clone()),
                                    dir: false,
                                },
                                instr: i,
                            });
                        }
                    }
                }
                (SourceKind::Path, CopyFrom::Stage(st)) => {
                    let src_path = path::resolve("/", &s.expanded);
                    let found = self.lookup(*st, &src_path, usize::MAX);
                    let origin = Origin::Stage {
                        stage: *st,
                        path: src_path.clone(),
                    };
                    // A source that an unknown (a RUN, the base image) may have made could be a
                    // directory as well as a file; a tree keeps both open, since lookups below it
                    // ask that stage. Only a build command's output file is known to be a file.
                    let is_dir = match &found.found {
                        Some(f) => f.is_dir,
                        None => !found.unknowns.is_empty() && !self.is_output_file(*st, &src_path),
                    };
                    if is_dir || s.expanded.contains(['*', '?', '[']) {
                        entries.push(FsEntry {
                            path: dest.clone(),
                            kind: EntryKind::Tree(origin),
                            instr: i,
                        });
                    } else {
                        entries.push(FsEntry {
                            path: file_dest(&src_path),
                            kind: EntryKind::Path { origin, dir: false },
                            instr: i,
                        });
                    }
                }
                (SourceKind::Path, CopyFrom::Image(img)) => entries.push(FsEntry {
                    path: dest.clone(),
                    kind: EntryKind::Unknown(Unknown::Image(img.clone())),
                    instr: i,
                }),
            }
        }
        self.stages[si].fs.extend(entries);
        self.copies.insert(
            i,
            Copy {
                instr: i,
                from,
                sources,
                dest,
                dest_is_dir,
                dest_word: Some(dest_word.clone()),
            },
        );
    }

    /// `p` is where a build command of stage `stage` writes its output file (`go build -o
    /// /out/web`). Reads the stage's latest entries only, as `lookup` does.
    fn is_output_file(&self, stage: usize, p: &str) -> bool {
        self.stages.get(stage).is_some_and(|st| {
            st.fs.iter().rev().take(LOOKUP_REACH).any(|e| {
                matches!(
                    &e.kind,
                    EntryKind::Unknown(Unknown::BuildOutput { dir: false, .. })
                ) && e.path == p
            })
        })
    }

    /// Expands `word`; a malformed word, or one expanded after the model's expansion budget
    /// is spent, stays as written. The budget keeps memory and time linear in the file even
    /// when each line's value feeds on the previous one.
    fn expand_with(&self, word: &str, vars: &dyn Vars) -> String {
        let left = self.expansion_budget.get();
        if left == 0 {
            return word.to_string();
        }
        let metered = Metered::new(vars, left);
        match self.lexer.process_word(word, &metered) {
            Ok(_) | Err(_) if metered.exhausted() => {
                self.expansion_budget.set(0);
                word.to_string()
            }
            Ok(e) => {
                self.expansion_budget
                    .set(left.saturating_sub(e.value.len().saturating_sub(word.len())));
                e.value
            }
            Err(_) => word.to_string(),
        }
    }

    /// The variables visible to instruction `instr` (global ARGs for a FROM line).
    pub fn scope_at(&self, instr: usize) -> Scope<'_> {
        match self.stage_of.get(instr).copied().flatten() {
            Some(s) if self.stages[s].from_instr != instr => Scope {
                defs: &self.stages[s].vars,
                before: instr,
                index: self.stage_index.get(s),
            },
            _ => Scope {
                defs: &self.global_vars,
                before: instr,
                index: Some(&self.global_index),
            },
        }
    }

    /// Expand `word` with the ARG/ENV values in force at `instr`; on a malformed word, the
    /// word as written.
    pub fn expand_at(&self, instr: usize, word: &str) -> String {
        if !word.contains('$') && !word.contains(['\'', '"', self.file.escape]) {
            return word.to_string();
        }
        self.expand_with(word, &self.scope_at(instr))
    }

    /// The error BuildKit's expansion of `word` at `instr` stops the build with (an unterminated
    /// quote, a bad substitution), if any. `${V:?message}` is not among them: the build may
    /// pass `V`. Nor is a word whose expansion runs past the model's budget.
    pub fn expand_error_at(&self, instr: usize, word: &str) -> Option<ExpandError> {
        if !word.contains(['$', '\'', '"', self.file.escape]) {
            return None;
        }
        let left = self.expansion_budget.get();
        if left == 0 {
            return None;
        }
        let scope = self.scope_at(instr);
        let metered = Metered::new(&scope, left);
        let (_, err) = self.lexer.process_word_partial(word, &metered);
        if metered.exhausted() {
            return None;
        }
        err.filter(|e| {
            !matches!(
                e.cause(),
                ExpandError::Required { .. } | ExpandError::TooDeep(_)
            )
        })
    }

    /// The variables that `word` refers to but that have no value at `instr` (an `ARG` without
    /// default or `--build-arg`, or never declared). A path built from them is not what the
    /// real build will use, so rules that check such paths stay quiet.
    pub fn unset_vars_at(&self, instr: usize, word: &str) -> Vec<String> {
        if !word.contains('$') {
            return Vec::new();
        }
        let (expanded, _) = self.lexer.process_word_partial(word, &self.scope_at(instr));
        expanded.unmatched
    }

    /// The value of variable `name` at `instr`, if set.
    pub fn var_at(&self, instr: usize, name: &str) -> Option<&str> {
        self.scope_at(instr)
            .def(name)
            .and_then(|d| d.value.as_deref())
    }

    pub fn workdir_at(&self, instr: usize) -> &str {
        self.states.get(instr).map(|s| &*s.workdir).unwrap_or("/")
    }

    /// Resolve an image path against the WORKDIR in force at `instr`.
    pub fn resolve_at(&self, instr: usize, p: &str) -> String {
        path::resolve(self.workdir_at(instr), p)
    }

    /// The source text of `span` on one line, for messages: continuation escapes dropped,
    /// whitespace collapsed, cut to `max` characters with an ellipsis.
    pub fn snippet(&self, span: Span, max: usize) -> String {
        let text = self.file.text.get(span.start..span.end).unwrap_or("");
        let escape = self.file.escape;
        let mut words: Vec<&str> = Vec::new();
        for line in text.lines() {
            let line = line.trim_end();
            let line = line.strip_suffix(escape).unwrap_or(line);
            words.extend(line.split_whitespace());
        }
        let one = words.join(" ");
        if one.chars().count() > max {
            let cut: String = one.chars().take(max).collect();
            format!("{cut}…")
        } else {
            one
        }
    }

    pub fn instruction(&self, i: usize) -> &Instruction {
        &self.file.instructions[i]
    }

    /// The shell commands of top-level instruction `i` (a RUN, or a shell-form CMD or
    /// ENTRYPOINT), with spans in the Dockerfile's text: those of `run_steps` when the model
    /// made them, split once otherwise.
    pub fn commands(&self, i: usize) -> &[crate::shell::SimpleCommand] {
        let Some(cell) = self.commands.get(i) else {
            return &[];
        };
        cell.get_or_init(|| match self.run_steps.get(&i) {
            Some(steps) => steps.iter().map(|s| s.cmd.clone()).collect(),
            None => crate::shell::commands_of_run_in(&self.file.instructions[i], &self.file.text),
        })
    }

    /// The compound constructs (`if`, `for ((`, `function`, `[[`, `|&`, ...) of the script that
    /// top-level instruction `i` runs, nested scripts included.
    pub fn constructs(&self, i: usize) -> &[crate::shell::Construct] {
        let Some(cell) = self.constructs.get(i) else {
            return &[];
        };
        cell.get_or_init(|| {
            crate::shell::script_of_run_in(&self.file.instructions[i], &self.file.text).constructs
        })
    }

    /// The top-level instructions of one keyword that parsed, with their indices.
    pub fn instructions_of(&self, kw: Keyword) -> impl Iterator<Item = (usize, &Instruction)> {
        self.file
            .instructions
            .iter()
            .enumerate()
            .filter(move |(_, ins)| ins.keyword == kw && ins.error.is_none())
    }

    /// The RUN instructions that ran before `instr` in its stage and in the stages it is built
    /// on, earliest first: what they wrote to the image is there when `instr` runs.
    pub fn runs_before(&self, instr: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.stage_of.get(instr).copied().flatten();
        let mut seen = Vec::new();
        while let Some(s) = at {
            if seen.contains(&s) {
                break;
            }
            seen.push(s);
            let stage = &self.stages[s];
            let mut here: Vec<usize> = stage
                .instrs
                .clone()
                .filter(|&i| i < instr)
                .filter(|&i| {
                    let ins = self.instruction(i);
                    ins.keyword == Keyword::Run && ins.error.is_none()
                })
                .collect();
            here.append(&mut out);
            out = here;
            at = match stage.base {
                Base::Stage(p) => Some(p),
                _ => None,
            };
        }
        out
    }

    /// The stage whose image the build produces: the build target, else the last one. Stages
    /// after the target are not built.
    pub fn image_stage(&self) -> Option<&Stage> {
        self.image_stage.and_then(|i| self.stages.get(i))
    }

    /// Is the image stage a build target that names one of this file's stages?
    pub fn builds_target(&self) -> bool {
        self.purpose.target.is_some() && !self.target_missing
    }

    /// How messages name the image stage: "the final stage", or "the target stage `prod`".
    pub fn image_stage_phrase(&self) -> String {
        match self.image_stage() {
            Some(s) if self.builds_target() => {
                format!(
                    "the target stage `{}`",
                    s.name.as_deref().unwrap_or_default()
                )
            }
            _ => "the final stage".to_string(),
        }
    }

    /// The names of the stages, in order, for a message about a target that is not one of them.
    pub fn named_stages(&self) -> Vec<&str> {
        self.stages
            .iter()
            .filter_map(|s| s.name.as_deref())
            .collect()
    }

    /// `stage` and the stages it is built on (`FROM <stage>`), nearest first: the last one is
    /// built on an image or scratch. A parent always comes earlier in the file, so this ends.
    pub fn stage_chain<'s>(&'s self, stage: &'s Stage) -> Vec<&'s Stage> {
        let mut chain = vec![stage];
        let mut s = stage;
        while let Base::Stage(p) = s.base {
            s = &self.stages[p];
            chain.push(s);
        }
        chain
    }

    /// The shell that runs shell-form instruction `instr` of `stage` (a CMD, ENTRYPOINT or RUN):
    /// the SHELL in force there, and what it is, judged by the base image when it is `/bin/sh`.
    pub fn shell_at(&self, stage: &Stage, instr: usize) -> ShellInForce {
        let default = State::default().shell;
        let mut argv = self
            .states
            .get(instr)
            .map_or_else(|| default.clone(), |s| s.shell.clone());
        let image = match &stage.root {
            Base::Image(i) => Some(i.clone()),
            _ => None,
        };
        let image_sh = image.as_deref().map_or(ShellKind::Missing, images::bin_sh);
        let Some(program) = argv.first().cloned() else {
            return ShellInForce {
                kind: ShellKind::Unknown,
                argv,
                image,
            };
        };
        let mut kind = ShellKind::of_program(&program).unwrap_or(image_sh);
        if image_sh == ShellKind::Cmd && argv == default {
            // Windows images run the shell form with `cmd /S /C`, not /bin/sh.
            argv = vec!["cmd".into(), "/S".into(), "/C".into()];
            kind = ShellKind::Cmd;
        }
        if image_sh == ShellKind::Missing && kind.is_posix() {
            // An image without a shell may still have had one copied in.
            let path = if program.starts_with('/') {
                program.as_str()
            } else {
                "/bin/sh"
            };
            let found = self.lookup(stage.index, path, stage.instrs.end);
            let only_base = found.unknowns.iter().all(|(_, u)| {
                matches!(u, Unknown::BaseImage(i) if images::bin_sh(i) == ShellKind::Missing)
            });
            // A COPY onto the shell's path or a parent of it may bring one, even where the
            // lookup cannot tell a copied file from a copied directory.
            // Read a few dozen entries up the chain; beyond them, anything may have been copied.
            let mut chain = std::iter::successors(Some(stage), |s| match s.base {
                Base::Stage(p) => self.stages.get(p),
                _ => None,
            });
            let mut entries = chain
                .by_ref()
                .take(SHELL_COPY_REACH)
                .flat_map(|s| s.fs.iter().rev());
            let copied_over = entries.by_ref().take(SHELL_COPY_REACH).any(|e| {
                !matches!(
                    e.kind,
                    EntryKind::Dir | EntryKind::Unknown(Unknown::BaseImage(_))
                ) && path::strip_dir(path, &e.path).is_some()
            }) || entries.next().is_some()
                || chain.next().is_some();
            kind = if found.found.is_none() && only_base && !copied_over {
                ShellKind::Missing
            } else {
                ShellKind::Unknown
            };
        }
        ShellInForce { kind, argv, image }
    }

    /// Is `path` (absolute) present in stage `stage` before instruction `before`, and from where?
    pub fn lookup(&self, stage: usize, path: &str, before: usize) -> Lookup {
        self.lookup_depth(stage, &path::clean(path), before, 0)
    }

    fn lookup_depth(&self, stage: usize, p: &str, before: usize, depth: usize) -> Lookup {
        let mut out = Lookup::default();
        let Some(st) = self.stages.get(stage) else {
            return out;
        };
        if depth > 16 {
            return out;
        }
        if p == "/" {
            out.found = Some(Found {
                instr: st.from_instr,
                origin: None,
                is_dir: true,
            });
            return out;
        }
        // Context trees already looked into and missed: `COPY . .` repeated gives the same answer.
        let mut missed: Vec<(&str, &str)> = Vec::new();
        let entries = st.fs_before(before);
        let unscanned = entries
            .len()
            .checked_sub(LOOKUP_REACH + 1)
            .map(|k| entries[k].instr);
        for e in entries.iter().rev().take(LOOKUP_REACH) {
            let rel = path::strip_dir(p, &e.path);
            match &e.kind {
                EntryKind::Unknown(why) => {
                    if rel.is_some() {
                        out.unknowns.push((e.instr, why.clone()));
                    }
                }
                EntryKind::Dir => {
                    if rel == Some("") || path::strip_dir(&e.path, p).is_some() {
                        out.found = Some(Found {
                            instr: e.instr,
                            origin: None,
                            is_dir: true,
                        });
                        return out;
                    }
                }
                EntryKind::Path { origin, dir } => {
                    if rel == Some("") {
                        out.found = Some(Found {
                            instr: e.instr,
                            origin: Some(origin.clone()),
                            is_dir: *dir,
                        });
                        return out;
                    }
                    if path::strip_dir(&e.path, p).is_some() {
                        // A parent directory of a copied file exists.
                        out.found = Some(Found {
                            instr: e.instr,
                            origin: None,
                            is_dir: true,
                        });
                        return out;
                    }
                }
                EntryKind::Tree(origin) => {
                    if path::strip_dir(&e.path, p).is_some_and(|r| !r.is_empty()) {
                        out.found = Some(Found {
                            instr: e.instr,
                            origin: None,
                            is_dir: true,
                        });
                        return out;
                    }
                    let Some(rel) = rel else { continue };
                    match origin {
                        Origin::Context(dir) => {
                            if missed.contains(&(e.path.as_str(), dir.as_str())) {
                                continue;
                            }
                            if missed.len() < 16 {
                                missed.push((&e.path, dir));
                            }
                            let cp = path::join(dir, rel);
                            if rel.is_empty() {
                                out.found = Some(Found {
                                    instr: e.instr,
                                    origin: Some(Origin::Context(cp)),
                                    is_dir: true,
                                });
                                return out;
                            }
                            if let Some(ctx) = self.context {
                                if ctx.exists(&cp) && ctx.is_ignored(&cp).is_none() {
                                    let is_dir = ctx.is_dir(&cp);
                                    out.found = Some(Found {
                                        instr: e.instr,
                                        origin: Some(Origin::Context(cp)),
                                        is_dir,
                                    });
                                    return out;
                                }
                            }
                        }
                        Origin::Stage { stage: s, path: sp } => {
                            let sub =
                                self.lookup_depth(*s, &path::join(sp, rel), usize::MAX, depth + 1);
                            if let Some(f) = sub.found {
                                let origin = Some(Origin::Stage {
                                    stage: *s,
                                    path: path::join(sp, rel),
                                });
                                out.found = Some(Found {
                                    instr: e.instr,
                                    origin,
                                    is_dir: f.is_dir,
                                });
                                return out;
                            }
                            out.unknowns
                                .extend(sub.unknowns.into_iter().map(|(_, u)| (e.instr, u)));
                        }
                        _ => {}
                    }
                }
            }
        }
        if let Some(instr) = unscanned {
            out.unknowns.push((instr, Unknown::Unscanned));
        }
        if let Base::Stage(parent) = st.base {
            let sub = self.lookup_depth(parent, p, usize::MAX, depth + 1);
            if sub.found.is_some() {
                return Lookup {
                    found: sub.found,
                    unknowns: out.unknowns,
                };
            }
            out.unknowns.extend(sub.unknowns);
        }
        out
    }

    /// Like `lookup`, but during RUN `instr`, where its `--mount`s are visible too.
    pub fn lookup_during_run(&self, instr: usize, path: &str) -> Lookup {
        let Some(stage) = self.stage_of.get(instr).copied().flatten() else {
            return Lookup::default();
        };
        let p = path::clean(path);
        for m in self.mounts.get(&instr).into_iter().flatten() {
            let Some(rel) = path::strip_dir(&p, &m.target) else {
                continue;
            };
            match (&m.kind[..], &m.from) {
                ("bind", CopyFrom::Context) => {
                    if let Some(ctx) = self.context {
                        let cp = path::join(&m.source, rel);
                        if ctx.exists(&cp) && ctx.is_ignored(&cp).is_none() {
                            return Lookup {
                                found: Some(Found {
                                    instr,
                                    origin: Some(Origin::Context(cp.clone())),
                                    is_dir: ctx.is_dir(&cp),
                                }),
                                unknowns: vec![],
                            };
                        }
                    }
                }
                ("bind", CopyFrom::Stage(s)) => {
                    let sub = self.lookup(
                        *s,
                        &path::join(&path::resolve("/", &m.source), rel),
                        usize::MAX,
                    );
                    if sub.found.is_some() {
                        return Lookup {
                            found: sub.found.map(|f| Found { instr, ..f }),
                            unknowns: vec![],
                        };
                    }
                }
                _ => {
                    return Lookup {
                        found: None,
                        unknowns: vec![(instr, Unknown::Run)],
                    };
                }
            }
        }
        self.lookup(stage, &p, instr)
    }
}
