//! Package-manager commands that stop at a confirmation prompt, what answers it on the command
//! line, and the configuration files (written by `echo … > file`) that answer it or turn off
//! recommended packages for every later command.

use super::{Connector, SimpleCommand, Tool, ToolCommand};

/// How to tell a tool yes: the flag, and whether it goes before the subcommand (zypper's global
/// `-n`) or after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AssumeYes {
    pub flag: &'static str,
    pub before_subcommand: bool,
}

/// Subcommands that ask before changing the system, per tool. microdnf is absent: it always
/// assumes yes and accepts `-y` only for compatibility.
const PROMPTING: &[(Tool, &[&str])] = &[
    (Tool::AptGet, &["install", "reinstall", "build-dep"]),
    (
        Tool::Yum,
        &["install", "groupinstall", "localinstall", "reinstall"],
    ),
    (
        Tool::Dnf,
        &["install", "groupinstall", "localinstall", "reinstall", "in"],
    ),
    (Tool::Zypper, &["install", "in"]),
];

/// apt-get flags that answer yes, or that make it not ask (a simulation asks nothing).
const APT_YES: &[&str] = &[
    "-y",
    "--yes",
    "--assume-yes",
    "-s",
    "--simulate",
    "--dry-run",
    "--just-print",
    "--recon",
    "--no-act",
    "--print-uris",
];

/// The flag `tc` lacks to run without asking, when it is a command that asks for confirmation
/// and nothing on its command line answers the question; `None` otherwise.
pub fn missing_assume_yes(tc: &ToolCommand) -> Option<AssumeYes> {
    let sub = tc.subcommand.as_deref()?;
    let (_, subs) = PROMPTING.iter().find(|(t, _)| *t == tc.tool)?;
    if !subs.contains(&sub) {
        return None;
    }
    let answered = match tc.tool {
        Tool::AptGet => tc.has_flag(APT_YES) || apt_quiet_level(tc) >= 2 || apt_option_yes(tc),
        Tool::Yum | Tool::Dnf => {
            tc.has_flag(&["-y", "--assumeyes"])
                || tc
                    .options
                    .iter()
                    .filter(|o| o.name == "--setopt")
                    .filter_map(|o| o.value.as_ref())
                    .any(|w| is_yum_assume_yes(&w.value))
        }
        Tool::Zypper => {
            let sub_at = tc.subcommand_span.map_or(usize::MAX, |s| s.start);
            // `-n` is `--non-interactive` before the subcommand and `--name` after it.
            tc.options.iter().any(|o| {
                (o.span.start < sub_at && matches!(o.name.as_str(), "-n" | "--non-interactive"))
                    || (o.span.start > sub_at && matches!(o.name.as_str(), "-y" | "--no-confirm"))
            })
        }
        _ => true,
    };
    if answered {
        return None;
    }
    Some(match tc.tool {
        Tool::Zypper => AssumeYes {
            flag: "-n",
            before_subcommand: true,
        },
        _ => AssumeYes {
            flag: "-y",
            before_subcommand: false,
        },
    })
}

/// `-q` counts one level, `-qq` two, `-q=2` and `--quiet=2` set it; level 2 implies `-y`.
fn apt_quiet_level(tc: &ToolCommand) -> usize {
    let mut level = 0;
    for (k, o) in tc.options.iter().enumerate() {
        match o.name.as_str() {
            "-q" => {
                // A cluster `-q=2` arrives as `-q`, `-=`, `-2` sharing one span.
                let rest: String = tc.options[k + 1..]
                    .iter()
                    .take_while(|n| n.span == o.span)
                    .map(|n| n.name.trim_start_matches('-'))
                    .collect();
                match rest.strip_prefix('=').and_then(|n| n.parse::<usize>().ok()) {
                    Some(n) => return n,
                    None => level += 1,
                }
            }
            "--quiet" => match o.value.as_ref().and_then(|w| w.value.parse::<usize>().ok()) {
                Some(n) => return n,
                None => level += 1,
            },
            _ => {}
        }
    }
    level
}

fn apt_option_yes(tc: &ToolCommand) -> bool {
    tc.options
        .iter()
        .filter(|o| matches!(o.name.as_str(), "-o" | "--option"))
        .filter_map(|o| o.value.as_ref())
        .any(|w| {
            w.value
                .split_once('=')
                .is_some_and(|(k, v)| k.eq_ignore_ascii_case("APT::Get::Assume-Yes") && is_true(v))
        })
}

fn is_true(v: &str) -> bool {
    let v = v.trim().trim_matches(|c| c == '"' || c == '\'' || c == ';');
    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

fn is_false(v: &str) -> bool {
    let v = v.trim().trim_matches(|c| c == '"' || c == '\'' || c == ';');
    matches!(
        v.to_ascii_lowercase().as_str(),
        "0" | "false" | "no" | "off"
    )
}

/// `assumeyes=1` as yum and dnf read it from `--setopt` or their configuration file.
fn is_yum_assume_yes(line: &str) -> bool {
    line.split_once('=')
        .is_some_and(|(k, v)| k.trim() == "assumeyes" && is_true(v))
}

/// An `-o` option or an apt.conf line that turns off recommended packages.
pub fn disables_recommends(text: &str) -> bool {
    text.split([';', '\n']).any(|item| {
        let item = item.trim();
        let (k, v) = match item.split_once('=') {
            Some(kv) => kv,
            None => match item.split_once(char::is_whitespace) {
                Some(kv) => kv,
                None => return false,
            },
        };
        k.trim().eq_ignore_ascii_case("APT::Install-Recommends") && is_false(v)
    })
}

/// Text written to a file by `echo`/`printf` with `>`/`>>` or piped into `tee`, as
/// (path, text) pairs in the order of the commands.
pub fn file_writes(cmds: &[SimpleCommand]) -> Vec<(String, String)> {
    let printed = |c: &SimpleCommand| -> Option<String> {
        matches!(c.program()?, "echo" | "printf").then(|| {
            c.args()
                .iter()
                .filter(|w| !matches!(w.value.as_str(), "-e" | "-n" | "-ne" | "-en"))
                .map(|w| w.value.replace("\\n", "\n"))
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let mut out = Vec::new();
    for (k, c) in cmds.iter().enumerate() {
        if let Some(text) = printed(c) {
            for r in &c.redirects {
                if matches!(r.op.as_str(), ">" | ">>" | ">|") && r.fd.is_none_or(|fd| fd == 1) {
                    if let Some(t) = &r.target {
                        out.push((t.value.clone(), text.clone()));
                    }
                }
            }
        }
        if c.program() == Some("tee") && c.preceded_by == Some(Connector::Pipe) && k > 0 {
            if let Some(text) = printed(&cmds[k - 1]) {
                for w in c.args().iter().filter(|w| !w.value.starts_with('-')) {
                    out.push((w.value.clone(), text.clone()));
                }
            }
        }
    }
    out
}

/// The tool whose every later command a configuration file written at `path` with `text` tells
/// to assume yes.
pub fn configures_assume_yes(path: &str, text: &str) -> Option<Tool> {
    if path.starts_with("/etc/apt/apt.conf") {
        let yes = text.split([';', '\n']).any(|item| {
            let item = item.trim();
            item.split_once(char::is_whitespace)
                .or_else(|| item.split_once('='))
                .is_some_and(|(k, v)| k.eq_ignore_ascii_case("APT::Get::Assume-Yes") && is_true(v))
        });
        return yes.then_some(Tool::AptGet);
    }
    let tool = match path {
        "/etc/yum.conf" => Tool::Yum,
        "/etc/dnf/dnf.conf" => Tool::Dnf,
        _ => return None,
    };
    text.lines().any(is_yum_assume_yes).then_some(tool)
}

/// A configuration file written at `path` with `text` turns off apt's recommended packages.
pub fn configures_no_recommends(path: &str, text: &str) -> bool {
    path.starts_with("/etc/apt/apt.conf") && disables_recommends(text)
}
