//! What each RUN executes, command by command, recognised and placed in the directory it runs
//! in; and which RUNs (and base images) could really have put a given file into the image.

use super::{path, Base, EntryKind, Lookup, Model, Origin, Unknown};
use crate::shell::{self, recognise, CommandKind, SimpleCommand, Tool, ToolCommand};
use crate::syntax::{Instruction, Keyword};

/// How many unknowns `narrow` judges per lookup before it keeps the rest unjudged.
const UNKNOWNS_JUDGED: usize = 256;

/// One simple command of a RUN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunStep {
    pub cmd: SimpleCommand,
    /// What the command is, when it runs a known package manager or build tool.
    pub tool: Option<ToolCommand>,
    /// Absolute directory the command runs in: the WORKDIR joined with any `cd` in force.
    /// `None` when a `cd` went somewhere unknown (`cd $DIR`, `cd ~`).
    pub dir: Option<String>,
}

impl RunStep {
    /// A dependency install from manifests (`pip install -r`, `npm ci`, `go mod download`).
    pub fn is_dependency_install(&self) -> bool {
        self.tool
            .as_ref()
            .is_some_and(|t| t.kind == CommandKind::DependencyInstall)
    }

    /// `path` (absolute) is in or below the directory the command runs in, or that directory
    /// is unknown.
    fn may_touch(&self, p: &str) -> bool {
        match self.dir.as_deref() {
            Some(d) => path::strip_dir(p, d).is_some(),
            None => true,
        }
    }

    /// Could this command create a file at `p`? Package managers that install system-wide,
    /// index updates, cache cleans and commands that only change existing files or metadata
    /// cannot; language tools may write lock files where they run; anything else may.
    pub fn may_create(&self, p: &str) -> bool {
        if self.cmd.redirects.iter().any(writes_file) {
            return true;
        }
        match &self.tool {
            Some(tc) => match (tc.tool, tc.kind) {
                (_, CommandKind::IndexUpdate | CommandKind::CacheClean) => false,
                (
                    Tool::AptGet
                    | Tool::Apk
                    | Tool::Yum
                    | Tool::Dnf
                    | Tool::Microdnf
                    | Tool::Zypper
                    | Tool::Rm
                    | Tool::Gem,
                    _,
                ) => false,
                (_, CommandKind::WholeSourceStep) => true,
                // Global installs write to the tool's own prefix, not where they run.
                (Tool::Go | Tool::Cargo, CommandKind::PackageInstall) => false,
                (_, CommandKind::PackageInstall)
                    if tc.has_flag(&["-g", "--global"])
                        || tc
                            .subcommand
                            .as_deref()
                            .is_some_and(|s| s.starts_with("global")) =>
                {
                    false
                }
                // Installs go to site-packages unless told to put them somewhere else.
                (Tool::Pip, _) => {
                    !matches!(
                        tc.subcommand.as_deref(),
                        Some("install" | "uninstall" | "config")
                    ) || tc.has_flag(&["-t", "--target", "--prefix", "--root", "--src"])
                }
                _ => self.may_touch(p),
            },
            None => !is_inert(&self.cmd),
        }
    }
}

/// `> file`, `>> file`, `&> file`; not `2>&1` nor `> /dev/null`.
fn writes_file(r: &shell::Redirect) -> bool {
    if !r.op.contains('>') {
        return false;
    }
    let Some(t) = &r.target else { return false };
    let dup = r.op.ends_with('&') && t.value.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    !dup && t.value != "/dev/null"
}

/// Commands that create no regular file (beyond what a redirection writes): shell builtins,
/// user and permission changes, `mkdir`, `rm`, and shells whose `-c` script is split into
/// commands of its own.
fn is_inert(cmd: &SimpleCommand) -> bool {
    let Some(prog) = cmd.program() else {
        return true;
    };
    match prog {
        "set"
        | "true"
        | "false"
        | ":"
        | "echo"
        | "printf"
        | "export"
        | "unset"
        | "cd"
        | "pushd"
        | "popd"
        | "test"
        | "["
        | "[["
        | "exit"
        | "return"
        | "useradd"
        | "groupadd"
        | "adduser"
        | "addgroup"
        | "usermod"
        | "groupmod"
        | "userdel"
        | "chmod"
        | "chown"
        | "chgrp"
        | "mkdir"
        | "rm"
        | "rmdir"
        | "sleep"
        | "ls"
        | "cat"
        | "id"
        | "whoami"
        | "pwd"
        | "uname"
        | "which"
        | "ldconfig"
        | "update-ca-certificates"
        | "locale-gen"
        | "apt-mark"
        | "dpkg-reconfigure"
        | "update-alternatives"
        | "sed"
        | "grep"
        | "head"
        | "tail"
        | "wc"
        | "sort"
        | "date"
        | "source"
        | "."
        | "ulimit"
        | "umask"
        | "hash"
        | "type"
        | "shopt"
        | "trap"
        | "wait"
        | "ln"
        | "passwd"
        | "chpasswd" => {
            // `ln` makes a link, which COPY-less reads still see as the file: treat it as a
            // writer when it names a target.
            prog != "ln"
        }
        "find" => !cmd.args().iter().any(|w| {
            matches!(
                w.value.as_str(),
                "-exec" | "-execdir" | "-ok" | "-okdir" | "-fprint" | "-fprintf" | "-fls"
            )
        }),
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" => cmd.args().iter().any(|w| {
            w.value.starts_with('-') && !w.value.starts_with("--") && w.value.contains('c')
        }),
        _ => false,
    }
}

/// Directories that base images commonly ship with contents of their own. A WORKDIR or COPY
/// into one of these does not mean this Dockerfile created it.
fn is_system_dir(d: &str) -> bool {
    const EXACT: &[&str] = &[
        "/",
        "/usr",
        "/usr/local",
        "/usr/src",
        "/usr/share",
        "/etc",
        "/var",
        "/var/www",
        "/var/www/html",
        "/var/lib",
        "/opt",
        "/root",
        "/home",
        "/tmp",
        "/srv",
        "/bin",
        "/sbin",
        "/lib",
        "/lib64",
        "/usr/bin",
        "/usr/lib",
        "/usr/local/bin",
        "/usr/local/lib",
        "/usr/local/share",
        "/usr/local/src",
        "/go",
        "/go/src",
        "/go/bin",
        "/app/vendor",
    ];
    const UNDER: &[&str] = &[
        "/etc/",
        "/usr/bin/",
        "/usr/lib/",
        "/usr/share/",
        "/usr/local/bin/",
        "/usr/local/lib/",
        "/var/lib/",
        "/proc",
        "/sys",
        "/dev",
        "/lib/",
        "/bin/",
        "/sbin/",
    ];
    if EXACT.contains(&d) || UNDER.iter().any(|u| d.starts_with(u)) {
        return true;
    }
    // `/home/node`: a user's home that the base image made.
    d.strip_prefix("/home/").is_some_and(|u| !u.contains('/'))
}

impl<'a> Model<'a> {
    /// The commands of RUN `instr`, each with the directory it runs in.
    pub fn run_steps(&self, instr: usize) -> &[RunStep] {
        self.run_steps.get(&instr).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The commands of RUN `i` (an instruction of a stage, without a parse error), while the
    /// model is being built: the WORKDIR in force before it is known by then.
    pub(super) fn derive_run_steps(&self, i: usize, ins: &Instruction) -> Vec<RunStep> {
        let cmds = shell::commands_of_run_in(ins, &self.file.text);
        let dirs = shell::working_dirs(&cmds);
        let workdir = self.workdir_at(i);
        cmds.into_iter()
            .zip(dirs)
            .map(|(cmd, d)| {
                let dir = match d.as_deref() {
                    None => Some(workdir.to_string()),
                    Some(d) if d.starts_with('~') || d.contains('$') => None,
                    Some(d) => Some(path::resolve(workdir, d)),
                };
                RunStep {
                    tool: recognise(&cmd),
                    cmd,
                    dir,
                }
            })
            .collect()
    }

    /// Could RUN `instr` have created a file at `p` (absolute)? A RUN whose commands could not be
    /// split (an empty list) may have done anything.
    pub fn run_may_create(&self, instr: usize, p: &str) -> bool {
        let steps = self.run_steps(instr);
        steps.is_empty() || steps.iter().any(|s| s.may_create(p))
    }

    /// Could this unknown have put a file at `p` into stage `stage` before `before`? A RUN only
    /// when one of its commands could write files; a base image not when `p` lies in a directory
    /// that this Dockerfile made with WORKDIR or COPY (outside the system directories base
    /// images fill), since an external image's files there would be a coincidence.
    pub fn could_provide(
        &self,
        stage: usize,
        p: &str,
        before: usize,
        u: &(usize, Unknown),
    ) -> bool {
        match &u.1 {
            Unknown::Run => {
                self.file.instructions.get(u.0).map(|i| i.keyword) != Some(Keyword::Run)
                    || self.run_may_create(u.0, p)
            }
            // `-onbuild` images copy the child's context in through their ONBUILD triggers.
            Unknown::BaseImage(img) => {
                img.contains("onbuild")
                    || !(self.made_dir_above(stage, p, before)
                        || super::images::leaves_empty(img, p))
            }
            Unknown::BuildOutput { .. }
            | Unknown::Image(_)
            | Unknown::Extracted
            | Unknown::Unscanned => true,
        }
    }

    /// A WORKDIR, or a COPY of a context directory, of `stage` (or a stage it is built on) made a
    /// non-system directory that holds `p`.
    fn made_dir_above(&self, stage: usize, p: &str, before: usize) -> bool {
        let mut s = Some(stage);
        let mut limit = before;
        let mut depth = 0;
        while let Some(si) = s {
            let Some(st) = self.stages.get(si) else { break };
            let made = st.fs_before(limit).iter().any(|e| {
                let dir_like = matches!(e.kind, EntryKind::Dir)
                    || matches!(&e.kind, EntryKind::Tree(Origin::Context(_)));
                dir_like
                    && !is_system_dir(&e.path)
                    && path::strip_dir(p, &e.path).is_some_and(|r| !r.is_empty())
            });
            if made {
                return true;
            }
            depth += 1;
            s = match st.base {
                Base::Stage(parent) if depth < 16 => Some(parent),
                _ => None,
            };
            limit = usize::MAX;
        }
        false
    }

    /// `lookup`, keeping only the unknowns that could really have put a file at `path`: when the
    /// result `is_absent()`, the file is not there.
    pub fn lookup_file(&self, stage: usize, p: &str, before: usize) -> Lookup {
        let p = path::clean(p);
        let l = self.lookup(stage, &p, before);
        self.narrow(stage, &p, before, l)
    }

    /// `lookup_during_run`, narrowed as `lookup_file` does.
    pub fn lookup_file_during_run(&self, instr: usize, p: &str) -> Lookup {
        let p = path::clean(p);
        let l = self.lookup_during_run(instr, &p);
        match self.stage_of.get(instr).copied().flatten() {
            Some(stage) => self.narrow(stage, &p, instr, l),
            None => l,
        }
    }

    fn narrow(&self, stage: usize, p: &str, before: usize, mut l: Lookup) -> Lookup {
        if l.found.is_none() {
            // Judging is linear in the RUN steps, so past a budget the rest are kept as
            // possible providers: a file with thousands of RUNs before a lookup stays linear,
            // and keeping an unknown only ever makes a rule more cautious.
            let mut judged = 0usize;
            l.unknowns.retain(|u| {
                judged += 1;
                judged > UNKNOWNS_JUDGED || self.could_provide(stage, p, before, u)
            });
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;
    use std::collections::BTreeMap;

    fn model_of(text: &str, f: impl FnOnce(&Model)) {
        let file = syntax::parse(text).expect("parses");
        let m = Model::build(&file, None, &BTreeMap::new());
        f(&m);
    }

    #[test]
    fn steps_carry_workdir_and_cd() {
        model_of(
            "FROM alpine\nWORKDIR /app\nRUN cd web && npm ci && cd $X && ls\n",
            |m| {
                let s = m.run_steps(2);
                let dirs: Vec<_> = s.iter().map(|s| s.dir.as_deref()).collect();
                assert_eq!(
                    dirs,
                    vec![Some("/app"), Some("/app/web"), Some("/app/web"), None]
                );
                assert!(s[1].is_dependency_install());
            },
        );
    }

    #[test]
    fn which_runs_could_create_a_manifest() {
        for (run, creates) in [
            (
                "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
                false,
            ),
            ("pip install --no-cache-dir flask", false),
            ("pip uninstall -y setuptools", false),
            ("pip install --target /app flask", true),
            ("pip install -t/app flask", true),
            ("python -m pip install --prefix=/app flask", true),
            ("useradd -m app && mkdir -p /data && chown app /data", false),
            ("sh -c 'apk add --no-cache git'", false),
            ("echo hi > /dev/null 2>&1", false),
            ("git clone https://example.com/x.git /app", true),
            ("curl -o /app/requirements.txt https://example.com/r", true),
            ("echo flask > requirements.txt", true),
            ("npm install", true),
            ("npm i npm@latest -g && yarn global add serve", false),
            ("npm install express", true),
            ("npm install --prefix /elsewhere", true),
            ("cd /tmp && npm install", false),
            ("./generate.sh", true),
            ("python3 <<EOF\nopen('x','w')\nEOF", true),
            ("ln -s /src/requirements.txt requirements.txt", true),
        ] {
            let text = format!("FROM alpine\nWORKDIR /app\nRUN {run}\n");
            model_of(&text, |m| {
                assert_eq!(
                    m.run_may_create(2, "/app/requirements.txt"),
                    creates,
                    "{run}"
                );
            });
        }
    }

    #[test]
    fn base_image_files_only_outside_made_dirs() {
        model_of(
            "FROM python:3.12\nWORKDIR /app\nRUN apt-get update\nWORKDIR /usr/src\n",
            |m| {
                assert!(m.lookup_file(0, "/app/requirements.txt", 3).is_absent());
                assert!(!m.lookup_file(0, "/requirements.txt", 3).is_absent());
                assert!(!m.lookup_file(0, "/usr/src/requirements.txt", 4).is_absent());
            },
        );
        model_of("FROM python:3-onbuild\nWORKDIR /app\n", |m| {
            assert!(!m.lookup_file(0, "/app/requirements.txt", 2).is_absent());
        });
    }
}
