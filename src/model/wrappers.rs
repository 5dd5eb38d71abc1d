//! Package-manager commands that run a script of `package.json` (`npm start`, `npm run dev`,
//! `yarn serve`, `pnpm run start`, `bun run start`): which script, in which directory, with
//! which extra arguments. The script's text, read from the `package.json` the image holds, is
//! what the container runs.

use super::{path, Model, Origin, Stage};

/// `npm run X` and the like, resolved as far as the words go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptCall {
    /// The directory holding `package.json`: `--prefix`, `--cwd`, `-C`/`--dir`, else the
    /// working directory.
    pub dir: String,
    pub name: String,
    /// Words after the script name (`npm start -- --port 80`: `--port 80`), which the package
    /// manager appends to the script.
    pub extra: Vec<String>,
    /// `npm start` with no `start` script runs `node server.js`.
    pub npm_start: bool,
}

/// yarn's own commands: `yarn X` runs the script X only when X is none of these.
const YARN_COMMANDS: &[&str] = &[
    "add",
    "audit",
    "autoclean",
    "bin",
    "cache",
    "check",
    "config",
    "create",
    "dlx",
    "exec",
    "generate-lock-entry",
    "global",
    "help",
    "import",
    "info",
    "init",
    "install",
    "licenses",
    "link",
    "list",
    "login",
    "logout",
    "node",
    "outdated",
    "owner",
    "pack",
    "policies",
    "publish",
    "remove",
    "set",
    "tag",
    "team",
    "unlink",
    "unplug",
    "upgrade",
    "upgrade-interactive",
    "version",
    "versions",
    "why",
    "workspace",
    "workspaces",
    "up",
    "dedupe",
    "explain",
    "npm",
    "patch",
    "plugin",
    "rebuild",
];

/// pnpm's own commands: `pnpm X` runs the script X only when X is none of these.
const PNPM_COMMANDS: &[&str] = &[
    "add", "install", "i", "update", "up", "remove", "rm", "link", "unlink", "import", "rebuild",
    "prune", "fetch", "patch", "audit", "list", "ls", "outdated", "why", "exec", "dlx", "create",
    "env", "store", "publish", "pack", "deploy", "setup", "server", "config", "bin", "root",
    "init", "doctor", "licenses", "test", "t",
];

/// Flags that take the package directory as their value, per package manager.
fn dir_flag(pm: &str, flag: &str) -> bool {
    match pm {
        "npm" => matches!(flag, "--prefix" | "-C"),
        "yarn" => flag == "--cwd",
        "pnpm" => matches!(flag, "-C" | "--dir"),
        "bun" => flag == "--cwd",
        _ => false,
    }
}

/// The script that `words` (a simple command, wrappers removed) runs, if it is a package
/// manager running one. `workdir` is where the command runs.
pub fn script_call(words: &[&str], workdir: &str) -> Option<ScriptCall> {
    let pm = path::base_name(words.first()?);
    if !matches!(pm, "npm" | "yarn" | "pnpm" | "bun") {
        return None;
    }
    let mut dir = workdir.to_string();
    let mut i = 1;
    // Options before the command: the ones that move the package directory count.
    while let Some(w) = words.get(i) {
        if !w.starts_with('-') {
            break;
        }
        if let Some((flag, value)) = w.split_once('=') {
            if dir_flag(pm, flag) {
                dir = path::resolve(&dir, value);
            }
            i += 1;
        } else if dir_flag(pm, w) {
            dir = path::resolve(&dir, words.get(i + 1)?);
            i += 2;
        } else {
            // An option whose value is unknown to us: its value could be read as the command.
            return None;
        }
    }
    let cmd = *words.get(i)?;
    let (name, rest) = match (pm, cmd) {
        (_, "run" | "run-script") => (*words.get(i + 1)?, i + 2),
        ("npm" | "yarn" | "pnpm" | "bun", "start") => ("start", i + 1),
        ("yarn", c) if !YARN_COMMANDS.contains(&c) && !c.starts_with('-') => (c, i + 1),
        ("pnpm", c) if !PNPM_COMMANDS.contains(&c) && !c.starts_with('-') => (c, i + 1),
        _ => return None,
    };
    if name.starts_with('-') {
        return None;
    }
    let mut extra: Vec<String> = words[rest.min(words.len())..]
        .iter()
        .map(|w| w.to_string())
        .collect();
    // npm passes only what follows `--`; yarn, pnpm and bun pass everything after the name.
    if pm == "npm" {
        extra = match extra.iter().position(|w| w == "--") {
            Some(p) => extra[p + 1..].to_vec(),
            None => Vec::new(),
        };
    } else if extra.first().is_some_and(|w| w == "--") {
        extra.remove(0);
    }
    Some(ScriptCall {
        dir,
        name: name.to_string(),
        extra,
        npm_start: pm == "npm" && name == "start",
    })
}

/// The largest `package.json` read.
const MAX_MANIFEST: usize = 512 * 1024;

/// The command line of `call`'s script in the `package.json` that `stage`'s image holds in
/// `call.dir`, extra arguments appended; `None` when the image has no such file from the
/// context or it names no such script.
pub fn script_text(m: &Model, stage: &Stage, call: &ScriptCall) -> Option<String> {
    let manifest = path::resolve(&call.dir, "package.json");
    let found = m.lookup(stage.index, &manifest, stage.instrs.end).found?;
    let Some(Origin::Context(rel)) = found.origin else {
        return None;
    };
    let text = m.context?.read_to_string(&rel, MAX_MANIFEST)?;
    let doc: serde_json::Value = serde_json::from_str(&text).ok()?;
    let script = match doc.get("scripts").and_then(|s| s.get(&call.name)) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => return None,
        // npm's default for a package with a server.js and no start script.
        None if call.npm_start => {
            let server = path::resolve(&call.dir, "server.js");
            m.lookup(stage.index, &server, stage.instrs.end).found?;
            "node server.js".to_string()
        }
        None => return None,
    };
    let mut line = script;
    for w in &call.extra {
        line.push(' ');
        line.push_str(w);
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(line: &str) -> Option<(String, String, Vec<String>)> {
        let words: Vec<&str> = line.split_whitespace().collect();
        script_call(&words, "/app").map(|c| (c.dir, c.name, c.extra))
    }

    #[test]
    fn which_script() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        type Want<'a> = Option<(&'a str, &'a str, Vec<String>)>;
        let cases: &[(&str, Want)] = &[
            ("npm start", Some(("/app", "start", s(&[])))),
            ("npm run dev", Some(("/app", "dev", s(&[])))),
            ("npm run-script serve", Some(("/app", "serve", s(&[])))),
            (
                "npm start -- --port 80",
                Some(("/app", "start", s(&["--port", "80"]))),
            ),
            // npm keeps what comes before `--` for itself.
            ("npm run dev --silent", Some(("/app", "dev", s(&[])))),
            (
                "npm --prefix web start",
                Some(("/app/web", "start", s(&[]))),
            ),
            (
                "npm --prefix=/srv run serve",
                Some(("/srv", "serve", s(&[]))),
            ),
            ("yarn start", Some(("/app", "start", s(&[])))),
            (
                "yarn serve --port 80",
                Some(("/app", "serve", s(&["--port", "80"]))),
            ),
            (
                "yarn --cwd api run start",
                Some(("/app/api", "start", s(&[]))),
            ),
            ("pnpm -C web dev", Some(("/app/web", "dev", s(&[])))),
            ("pnpm run start", Some(("/app", "start", s(&[])))),
            ("bun run start", Some(("/app", "start", s(&[])))),
            ("/usr/local/bin/npm start", Some(("/app", "start", s(&[])))),
            // Not a script.
            ("npm install", None),
            ("npm ci", None),
            ("yarn install", None),
            ("yarn", None),
            ("pnpm install", None),
            ("pnpm exec vite", None),
            ("bun server.ts", None),
            ("npm run", None),
            ("npm --loglevel warn start", None),
            ("node server.js", None),
        ];
        for (line, want) in cases {
            let want = want
                .as_ref()
                .map(|(d, n, e)| (d.to_string(), n.to_string(), e.clone()));
            assert_eq!(call(line), want, "{line}");
        }
    }
}
