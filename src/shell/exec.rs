//! How a shell runs a `-c` command line: whether it replaces itself with the command (exec) or
//! stays in between as its parent, and what an init in front of it does with stop signals.
//! The tables below are measured by `scripts/shell_exec.sh`; `rules/shell-form-cmd.md` quotes it.

use super::{Connector, SimpleCommand};

/// The shell that runs a shell-form command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShellKind {
    /// Debian's and Ubuntu's `/bin/sh`.
    Dash,
    /// Alpine's and BusyBox's `/bin/sh`.
    BusyboxAsh,
    /// `/bin/sh` on Red Hat-like images, or `SHELL ["/bin/bash", ...]`.
    Bash,
    PowerShell,
    /// Windows' `cmd /S /C`.
    Cmd,
    /// A shell whose behaviour is not measured here (zsh, ksh, ...).
    Other,
    /// The image has no shell to run the command at all (scratch, distroless).
    Missing,
    /// The base image is not known, so neither is its `/bin/sh`.
    Unknown,
}

impl ShellKind {
    /// The shell a program name stands for (`SHELL ["/bin/bash", "-c"]` → bash); `sh` is
    /// whatever the image's `/bin/sh` is, so it is not decided here.
    pub fn of_program(program: &str) -> Option<ShellKind> {
        let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
        let base = base.to_ascii_lowercase();
        let base = base.strip_suffix(".exe").unwrap_or(&base);
        Some(match base {
            "sh" => return None,
            "dash" => ShellKind::Dash,
            "ash" | "busybox" => ShellKind::BusyboxAsh,
            "bash" => ShellKind::Bash,
            "powershell" | "pwsh" => ShellKind::PowerShell,
            "cmd" => ShellKind::Cmd,
            _ => ShellKind::Other,
        })
    }

    /// The name a message uses for it.
    pub fn name(self) -> &'static str {
        match self {
            ShellKind::Dash => "dash",
            ShellKind::BusyboxAsh => "busybox ash",
            ShellKind::Bash => "bash",
            ShellKind::PowerShell => "powershell",
            ShellKind::Cmd => "cmd",
            ShellKind::Other | ShellKind::Missing | ShellKind::Unknown => "the shell",
        }
    }

    /// A POSIX-style shell that takes the command with `-c` and knows `exec`.
    pub fn is_posix(self) -> bool {
        !matches!(self, ShellKind::PowerShell | ShellKind::Cmd)
    }

    /// Does the shell replace itself with the program of a command line of this shape, so that
    /// the program receives the container's signals? `None`: not known for this shell.
    ///
    /// Measured (dash 0.5.12, busybox 1.35, bash 5.2): dash never does; busybox ash and bash do
    /// for a single simple command and for the last command of a `;`/`&&`/`||` list, bash not when
    /// that command has a redirection; none does for a pipeline or a command that is not last.
    /// On Windows a shell cannot replace itself.
    ///
    /// Bash has exec-ed a lone simple command for a long time, but the last command of a list
    /// only since the list optimisation of its `-c` string handling (bash 5.1); images still
    /// ship older ones (CentOS 7 and Amazon Linux 2 have 4.2, UBI 8 has 4.4), and the image name
    /// does not tell, so that case is not known.
    pub fn execs(self, shape: CommandShape) -> Option<bool> {
        use CommandShape::*;
        match self {
            ShellKind::Dash | ShellKind::PowerShell | ShellKind::Cmd => Some(false),
            ShellKind::BusyboxAsh => Some(matches!(shape, Simple | LastOfList | LastRedirected)),
            ShellKind::Bash if shape == LastOfList => None,
            ShellKind::Bash => Some(shape == Simple),
            // No measured shell execs these shapes, so none is assumed to.
            ShellKind::Other | ShellKind::Unknown | ShellKind::Missing => {
                matches!(shape, Background | Other).then_some(false)
            }
        }
    }
}

/// The shape of a command line, as far as exec-ing it is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandShape {
    /// One simple command: `python app.py`, `FOO=1 python app.py`.
    Simple,
    /// Commands joined by `;`, `&&` or `||`, the last a simple command: `cd /app && python app.py`.
    LastOfList,
    /// As `Simple` or `LastOfList`, but the command that would be exec-ed has a redirection.
    LastRedirected,
    /// The last command is started in the background (`app &`): the shell exits at once.
    Background,
    /// A pipeline, a compound command (`if`, a loop, `( … )`, `{ …; }`), a command
    /// substitution, or anything else after which the shell has more to do.
    Other,
}

/// The shape of the command line split into `cmds` (as `commands_of_run` gives them).
pub fn command_shape(cmds: &[SimpleCommand]) -> CommandShape {
    let Some(last) = cmds.last() else {
        return CommandShape::Other;
    };
    if last.followed_by == Some(Connector::Background) && last.nesting.is_empty() {
        return CommandShape::Background;
    }
    let listed = cmds.iter().all(|c| {
        c.nesting.is_empty()
            && !c.negated
            && matches!(
                c.preceded_by,
                None | Some(Connector::Seq | Connector::And | Connector::Or)
            )
            && matches!(
                c.followed_by,
                None | Some(Connector::Seq | Connector::And | Connector::Or)
            )
    });
    // The shell runs a builtin itself (`./app; echo stopped`), so nothing is exec-ed.
    let builtin = last.program().is_some_and(runs_in_shell);
    if !listed || builtin || last.argv.is_empty() || last.followed_by.is_some() {
        return CommandShape::Other;
    }
    if !last.redirects.is_empty() {
        CommandShape::LastRedirected
    } else if cmds.len() == 1 {
        CommandShape::Simple
    } else {
        CommandShape::LastOfList
    }
}

/// Shell builtins and keywords: an exec-form argv cannot start with one, and `exec` cannot run
/// one.
pub const BUILTINS: &[&str] = &[
    ".", ":", "[", "alias", "bg", "break", "case", "cd", "command", "continue", "declare", "eval",
    "exec", "exit", "export", "fg", "for", "function", "getopts", "hash", "if", "jobs", "let",
    "local", "popd", "pushd", "read", "readonly", "return", "select", "set", "shift", "source",
    "time", "times", "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset", "until",
    "wait", "while", "{", "(", "!",
];

/// Commands that also exist as programs (so an exec form may start with one) but that the
/// shells run themselves.
const ALSO_BUILTIN: &[&str] = &["echo", "printf", "true", "false", "test", "pwd", "kill"];

/// The shell runs `program` itself, without starting a process.
pub fn runs_in_shell(program: &str) -> bool {
    BUILTINS.contains(&program) || ALSO_BUILTIN.contains(&program)
}

/// How an init in front of the shell passes `docker stop`'s SIGTERM on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitSignals {
    /// To its child only (`tini`).
    Child,
    /// To its child's whole process group (`tini -g`, `dumb-init`).
    Group,
}

/// A known init: `(program, signals by default, option that switches to the other way)`.
const INITS: &[(&str, InitSignals, &[&str])] = &[
    ("tini", InitSignals::Child, &["-g"]),
    ("tini-static", InitSignals::Child, &["-g"]),
    ("docker-init", InitSignals::Child, &["-g"]),
    ("dumb-init", InitSignals::Group, &["-c", "--single-child"]),
];

/// The init that an exec-form ENTRYPOINT starts, and how it passes signals on.
pub fn init_of(argv: &[&str]) -> Option<(&'static str, InitSignals)> {
    let program = argv.first()?;
    let base = program.rsplit('/').next().unwrap_or(program);
    let (name, default, switch) = INITS.iter().find(|(n, _, _)| *n == base)?;
    let options = argv[1..]
        .iter()
        .take_while(|a| a.starts_with('-') && **a != "--");
    let switched = options.into_iter().any(|a| switch.contains(a));
    let signals = match (default, switched) {
        (s, false) => *s,
        (InitSignals::Child, true) => InitSignals::Group,
        (InitSignals::Group, true) => InitSignals::Child,
    };
    Some((name, signals))
}
