//! The command line: clap definitions and the commands `check`, `cache`, `rule`, `rules`, `dump`,
//! `completions`, `man` and `server`.
//! Every command returns an exit code; nothing here panics on user input.

mod baseline;
mod cache;
mod check;
mod discover;
mod fix;

use crate::rules::{self, RULES};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "layerlint",
    version,
    about = "A Dockerfile linter that understands layers, the build context and the image it builds"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint Dockerfiles (files, directories, or `-` for standard input)
    Check(Box<check::CheckArgs>),
    /// Predict which build steps a change reruns, without building (see `layerlint cache --help`)
    Cache(Box<cache::CacheArgs>),
    /// Print a rule's documentation
    Rule {
        /// The rule's name, e.g. `copy-before-install`
        name: String,
    },
    /// List every rule: name, group, default severity, fix, summary
    Rules {
        #[arg(long, value_enum, ignore_case = true, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print the parse tree in BuildKit's Node.Dump format
    Dump {
        /// The Dockerfile to parse (`-` reads standard input)
        file: PathBuf,
    },
    /// Print a shell completion script, e.g. `layerlint completions bash > /etc/bash_completion.d/layerlint`
    Completions {
        #[arg(value_enum, ignore_case = true)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page in roff, e.g. `layerlint man | man -l -` or `layerlint man check`
    Man {
        /// The command whose page to print (default: layerlint itself)
        command: Option<String>,
    },
    /// Run the language server on standard input and output (LSP), for editors
    Server,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

/// Run a parsed command line; the result is the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check::run(*args),
        Command::Cache(args) => cache::run(*args),
        Command::Rule { name } => match rules::find(&name)
            .or_else(|| rules::covering(&name).and_then(|(_, r)| r.first().copied()))
        {
            Some(rule) => print(rule.doc),
            None => {
                let names = RULES.iter().map(|r| r.name);
                match rules::suppress::closest_among(&name, names) {
                    Some(c) => eprintln!("error: unknown rule `{name}` (did you mean `{c}`?)"),
                    None => eprintln!("error: unknown rule `{name}`; `layerlint rules` lists them"),
                }
                EXIT_ERROR
            }
        },
        Command::Rules { format } => print(&list_rules(format)),
        Command::Dump { file } => dump(&file),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "layerlint", &mut out);
            print(&String::from_utf8_lossy(&out))
        }
        Command::Man { command } => man(command.as_deref()),
        Command::Server => crate::server::run(),
    }
}

/// The manual page of `layerlint` or of one of its commands (`layerlint-check(1)`).
fn man(command: Option<&str>) -> i32 {
    let top = <Cli as clap::CommandFactory>::command();
    let page = match command {
        None => clap_mangen::Man::new(top),
        Some(name) => match top.find_subcommand(name) {
            Some(sub) => {
                let title = format!("layerlint-{}", sub.get_name());
                // Cloned from its parent, the version and the full name have to be given again.
                let sub = sub
                    .clone()
                    .version(env!("CARGO_PKG_VERSION"))
                    .bin_name(format!("layerlint {}", sub.get_name()))
                    .display_name(title.clone());
                clap_mangen::Man::new(sub).title(title)
            }
            None => {
                let names: Vec<&str> = top.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!(
                    "error: no command `{name}`; pages exist for {}",
                    names.join(", ")
                );
                return EXIT_ERROR;
            }
        },
    };
    let mut out = Vec::new();
    if let Err(e) = page.render(&mut out) {
        eprintln!("error: writing the manual page: {e}");
        return EXIT_ERROR;
    }
    print(&String::from_utf8_lossy(&out))
}

pub(crate) fn print(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`layerlint rules | head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    EXIT_OK
}

fn list_rules(format: ListFormat) -> String {
    match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.name,
                        "group": r.group,
                        "severity": r.severity.as_str(),
                        "fix": r.fix.as_str(),
                        "summary": r.summary,
                        "aliases": r.aliases,
                        "default": r.default,
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Text => {
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut s = String::new();
            for r in RULES {
                let aliases = match r.aliases {
                    [] => String::new(),
                    a => format!(" (also {})", a.join(", ")),
                };
                let off = if r.default { "" } else { " [off by default]" };
                s.push_str(&format!(
                    "{:width$}  {:11}  {:7}  fix:{:6}  {}{aliases}{off}\n",
                    r.name,
                    r.group,
                    r.severity.as_str(),
                    r.fix.as_str(),
                    r.summary,
                ));
            }
            s
        }
    }
}

fn dump(path: &std::path::Path) -> i32 {
    let read = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| crate::os_message::io_message(&e))
            .and_then(|_| discover::decode(bytes))
    } else {
        discover::read_dockerfile(path)
    };
    let text = match read {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return EXIT_ERROR;
        }
    };
    match crate::syntax::dump_text(&text) {
        Ok(out) => print(&out),
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            EXIT_ERROR
        }
    }
}
