//! Runtime facts about ports: which port the container's command listens on (from its
//! arguments, the source file it runs, or `ENV PORT`) and which ports the image EXPOSEs.

use super::command::{env_at_end, env_def, expand_env, invocations, Invocation};
use super::{path, Model, Origin, Stage};
use crate::syntax::{Args, Span};

/// Where a listening port was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortEvidence {
    /// A CMD/ENTRYPOINT argument.
    Arg { span: Span },
    /// A line of a source file in the build context (1-based).
    File { path: String, line: usize },
    /// An `ENV` value the program reads.
    Env { instr: usize, name: String },
    /// Nothing states the port: it is the server's or framework's default (`what` says whose,
    /// and why it applies), and no configuration file that could change it is in the image.
    Default { what: String },
}

/// How sure an inference about the running container is; rules speak with a severity to
/// match (a port the command, its configuration or its code states is a warning, a
/// framework's default is info unless something confirms it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Nothing states it: a program's or framework's default, taken because nothing else says.
    Default,
    /// Written in the command, the environment, a configuration or source file.
    Stated,
}

impl PortEvidence {
    pub fn confidence(&self) -> Confidence {
        match self {
            PortEvidence::Arg { .. } | PortEvidence::File { .. } | PortEvidence::Env { .. } => {
                Confidence::Stated
            }
            PortEvidence::Default { .. } => Confidence::Default,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenPort {
    pub port: u16,
    pub evidence: PortEvidence,
    /// What was found, as written (`--port 8000`, `HTTPServer(("", PORT), Hello)`).
    pub text: String,
}

/// The network service a container runs, as far as its command tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// The program, or the program and its file (`python server.py`); for a `package.json`
    /// script, the package-manager command that runs it (`npm start`).
    pub program: String,
    /// For a `package.json` script: the program of the script (`node server.js`).
    pub runs: Option<String>,
    /// For a compiled program: how the build made it (`` `go build` compiled it from `cmd/web` ``).
    pub built: Option<String>,
    pub port: Option<ListenPort>,
    /// A port is configured but its value could not be worked out (`--port $P` with P unset).
    pub port_unresolved: bool,
}

impl Service {
    /// What starts the service, for a label: "starts `npm start`, which runs `node server.js`".
    pub fn started(&self) -> String {
        match (&self.runs, &self.built) {
            (Some(r), _) => format!("starts `{}`, which runs `{r}`", self.program),
            (None, Some(b)) => format!("starts `{}`, which {b}", self.program),
            (None, None) => format!("starts `{}`", self.program),
        }
    }
}

/// Programs that are servers whatever their arguments, with the ENV variable they take their
/// port from, if any.
const SERVERS: &[(&str, Option<&str>)] = &[
    ("gunicorn", Some("PORT")),
    ("uvicorn", Some("UVICORN_PORT")),
    ("hypercorn", None),
    ("daphne", None),
    ("waitress-serve", None),
    ("uwsgi", None),
    ("granian", None),
    ("nginx", None),
    ("httpd", None),
    ("httpd-foreground", None),
    ("apache2-foreground", None),
    ("apache2ctl", None),
    ("caddy", None),
    ("puma", Some("PORT")),
    ("unicorn", None),
    ("thin", None),
    ("rackup", None),
    ("php-fpm", None),
    ("http-server", Some("PORT")),
    ("serve", Some("PORT")),
    ("traefik", None),
    ("haproxy", None),
    ("envoy", None),
    ("tensorboard", None),
    ("react-router-serve", Some("PORT")),
    ("remix-serve", Some("PORT")),
];

/// `program subcommand` pairs that start a server.
const SERVER_SUBCOMMANDS: &[(&str, &str, Option<&str>)] = &[
    ("flask", "run", Some("FLASK_RUN_PORT")),
    ("rails", "server", Some("PORT")),
    ("rails", "s", Some("PORT")),
    ("manage.py", "runserver", None),
    ("streamlit", "run", Some("STREAMLIT_SERVER_PORT")),
    ("next", "start", Some("PORT")),
    ("jupyter", "notebook", None),
    ("jupyter", "lab", None),
    ("hugo", "server", None),
    ("mkdocs", "serve", None),
    ("mlflow", "server", None),
    ("vite", "preview", None),
    ("nuxt", "start", Some("PORT")),
    ("nuxt", "preview", Some("PORT")),
    ("nuxi", "preview", Some("PORT")),
    ("astro", "preview", None),
    ("ng", "serve", None),
    ("artisan", "serve", None),
    ("mix", "phx.server", Some("PORT")),
];

const PORT_FLAGS: &[&str] = &[
    "--port",
    "-p",
    "--http-port",
    "--server.port",
    "--server-port",
    "--listen-port",
];
const ADDR_FLAGS: &[&str] = &[
    "--bind",
    "-b",
    "--listen",
    "-l",
    "--http",
    "--addr",
    "--address",
    "--host",
    "-S",
];

fn parse_port(s: &str) -> Option<u16> {
    let s = s.trim();
    if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u16>().ok().filter(|p| *p > 0)
}

/// The port of `host:port`, `:port`, `tcp://host:port` or a bare port.
fn port_of_address(s: &str) -> Option<u16> {
    let s = s.trim_matches(|c| c == '"' || c == '\'');
    if s.starts_with("unix:") || s.starts_with('/') {
        return None;
    }
    match s.rsplit_once(':') {
        Some((_, p)) => parse_port(p.trim_end_matches('/')),
        None => parse_port(s),
    }
}

/// What the arguments of a command say about its port: `Some(Ok((port, index)))` for a port
/// found at word `index`, `Some(Err(index))` for a port flag whose value is not a number.
pub fn port_in_args(words: &[&str]) -> Option<Result<(u16, usize), usize>> {
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v)),
            _ => (w, None),
        };
        if let Some(prop) = flag.strip_prefix("-Dserver.port") {
            if prop.is_empty() {
                return Some(inline.and_then(parse_port).map(|p| (p, i)).ok_or(i));
            }
        }
        let is_port = PORT_FLAGS.contains(&flag);
        let is_addr = ADDR_FLAGS.contains(&flag);
        if is_port || is_addr {
            let (value, at) = match inline {
                Some(v) => (Some(v), i),
                None => (words.get(i + 1).copied(), i + 1),
            };
            let value = value?;
            let port = if is_port {
                parse_port(value)
            } else {
                port_of_address(value)
            };
            match port {
                Some(p) => return Some(Ok((p, at))),
                // `--host 0.0.0.0` names no port; `--port $X` names one we cannot read.
                None if is_port || value.contains('$') => return Some(Err(at)),
                None => {}
            }
            i = at + 1;
            continue;
        }
        // Positional forms: `http.server 8000`, `runserver 0.0.0.0:8000`.
        if matches!(w, "http.server" | "SimpleHTTPServer" | "runserver") {
            if let Some(next) = words.get(i + 1).filter(|n| !n.starts_with('-')) {
                if let Some(p) = port_of_address(next) {
                    return Some(Ok((p, i + 1)));
                }
            }
        }
        i += 1;
    }
    None
}

/// A port found in a source file: the port, the 1-based line, and the line's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourcePort {
    pub port: u16,
    pub line: usize,
    pub text: String,
    /// The port comes from the `PORT` environment variable the file reads.
    pub from_env: bool,
}

const LISTEN_CALLS: &[&str] = &[
    "HTTPServer(",
    "ThreadingHTTPServer(",
    "TCPServer(",
    "ThreadingTCPServer(",
    "ListenAndServe(",
    "ListenAndServeTLS(",
    ".listen(",
    ".run(",
    ".Run(",
    "run_app(",
    "serve(",
    "Listen(",
    "make_server(",
    "uvicorn.run(",
    "createServer(",
    // Go's echo (`e.Start(":1323")`), Rust's actix and tokio (`.bind(("0.0.0.0", 8080))`,
    // `TcpListener::bind("0.0.0.0:3000")`).
    ".Start(",
    ".bind(",
    "::bind(",
];

/// The port a server source file listens on, read line by line: a listen call with a literal,
/// a `port=` keyword, or a name assigned a literal or `process.env.PORT || 3000` elsewhere in
/// the file. `env_port` is the container's `PORT`, for files that read it.
pub fn port_in_source(text: &str, env_port: Option<u16>) -> Option<SourcePort> {
    let lines: Vec<&str> = text.lines().collect();
    let mut seen_listen = false;
    for (n, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        // Every call on the line, in order: `createServer(handler).listen(8080)` states its port
        // in the second.
        let mut calls: Vec<usize> = LISTEN_CALLS
            .iter()
            .flat_map(|c| line.match_indices(c).map(|(p, _)| p))
            .collect();
        if calls.is_empty() {
            continue;
        }
        calls.sort_unstable();
        calls.dedup();
        // A line is judged by its first few calls, so that a long line costs no more than a few.
        calls.truncate(4);
        seen_listen = true;
        for pos in calls {
            if let Some(found) = port_of_call(&line[pos..], &lines, env_port) {
                return Some(SourcePort {
                    port: found.0,
                    line: n + 1,
                    text: line.to_string(),
                    from_env: found.1,
                });
            }
        }
    }
    if !seen_listen {
        return None;
    }
    // A server file with a `PORT = 8088` constant that the listen call reaches indirectly.
    for (n, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if let Some(rhs) = assignment_of(line, "PORT") {
            if let Some((port, from_env)) = eval(rhs, &lines, env_port) {
                return Some(SourcePort {
                    port,
                    line: n + 1,
                    text: line.to_string(),
                    from_env,
                });
            }
        }
    }
    None
}

/// The port a listen call starting at `call` states, if it is a literal or resolves to one
/// (`(port, from_env)`).
fn port_of_call(call: &str, lines: &[&str], env_port: Option<u16>) -> Option<(u16, bool)> {
    let args = &call[call.find('(').map_or(0, |p| p + 1)..];
    let found = match keyword_port(args) {
        Some(expr) => eval(expr, lines, env_port),
        None => {
            // The first argument, or the second of a `(host, port)` tuple.
            let first = args.trim_start_matches(['(', '{', ' ']);
            let first_arg = split_arg(first);
            let tuple = args.trim_start().starts_with('(');
            let second = || split_arg(first.get(first_arg.len() + 1..).unwrap_or(""));
            let expr = if tuple { second() } else { first_arg };
            // `net.Listen("tcp", ":8080")`: a network name first, the address second.
            let network = ["\"tcp\"", "\"tcp4\"", "\"tcp6\""].contains(&first_arg.trim());
            let expr = if network && !tuple { second() } else { expr };
            eval(expr.trim(), lines, env_port)
        }
    };
    // Small numbers in a listen call are socket backlogs (`sock.listen(5)`), not ports.
    found.filter(|(p, _)| *p >= 80)
}

/// The expression of `port=5000`, `port: 3000`, `Port = p` inside call arguments.
fn keyword_port(args: &str) -> Option<&str> {
    let lower = args.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find("port") {
        let at = from + p + 4;
        let before_ok = from + p == 0
            || !lower.as_bytes()[from + p - 1].is_ascii_alphanumeric()
                && lower.as_bytes()[from + p - 1] != b'_';
        let rest = args[at..].trim_start();
        if before_ok {
            if let Some(v) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) {
                if !v.starts_with('=') {
                    return Some(split_arg(v.trim_start()).trim());
                }
            }
        }
        from = at;
    }
    None
}

/// The text of the first argument of a call (up to a top-level `,` or `)`).
fn split_arg(s: &str) -> &str {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return &s[..i],
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => return &s[..i],
            _ => {}
        }
    }
    s
}

/// The right-hand side of `name = …`, `const name = …`, `name := …` on this line.
fn assignment_of<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let l = line
        .trim_start_matches("export ")
        .trim_start_matches("const ")
        .trim_start_matches("let ")
        .trim_start_matches("var ")
        .trim_start();
    let rest = l.strip_prefix(name)?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix(":=")
        .or_else(|| rest.strip_prefix('=').filter(|r| !r.starts_with('=')))?;
    Some(rest.trim().trim_end_matches(';').trim())
}

/// Evaluate a port expression: a literal, `":8080"`, a name assigned in the file, or an
/// environment lookup of `PORT` with a default.
fn eval(expr: &str, lines: &[&str], env_port: Option<u16>) -> Option<(u16, bool)> {
    eval_depth(expr, lines, env_port, 0)
}

fn eval_depth(
    expr: &str,
    lines: &[&str],
    env_port: Option<u16>,
    depth: usize,
) -> Option<(u16, bool)> {
    let e = expr.trim().trim_end_matches(';').trim();
    if depth > 3 || e.is_empty() {
        return None;
    }
    if let Some(p) = parse_port(e) {
        return Some((p, false));
    }
    let unquoted = e.trim_matches(|c| c == '"' || c == '\'' || c == '`');
    if unquoted.len() + 2 == e.len() && !unquoted.contains(['$', '{']) {
        return port_of_address(unquoted).map(|p| (p, false));
    }
    let reads_env = e.contains("process.env.PORT")
        || e.contains("environ")
        || e.contains("getenv")
        || e.contains("Getenv")
        || e.contains("ENV[");
    if reads_env {
        if !e.contains("PORT") {
            return None;
        }
        if let Some(p) = env_port {
            return Some((p, true));
        }
        // The default: the last number in the expression (`|| 3000`, `, 8080)`).
        let digits: Vec<&str> = e
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .collect();
        return digits
            .last()
            .and_then(|d| parse_port(d))
            .map(|p| (p, false));
    }
    // `":" + port`, `"0.0.0.0:" + port`: an address built from a host and a port.
    if let Some((host, rest)) = e.split_once('+') {
        let host = host.trim();
        if host.len() >= 3 && host.starts_with('"') && host.ends_with(":\"") && !rest.contains('+')
        {
            return eval_depth(rest, lines, env_port, depth + 1);
        }
    }
    // `fmt.Sprintf(":%d", port)`, `format!("0.0.0.0:{}", port)`.
    for fmt in ["fmt.Sprintf(", "format!("] {
        if let Some(inner) = e.strip_prefix(fmt) {
            let pattern = split_arg(inner);
            let ends = [":%d\"", ":%s\"", ":%v\"", ":{}\""];
            if ends.iter().any(|end| pattern.trim().ends_with(end)) {
                let arg = split_arg(inner.get(pattern.len() + 1..).unwrap_or(""));
                return eval_depth(arg, lines, env_port, depth + 1);
            }
        }
    }
    // `int(PORT)`, `Number(port)`: look through a conversion.
    for conv in ["int(", "Number(", "parseInt(", "str("] {
        if let Some(inner) = e.strip_prefix(conv) {
            return eval_depth(split_arg(inner), lines, env_port, depth + 1);
        }
    }
    let ident = e.trim_start_matches("self.");
    if !ident.is_empty() && ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        for l in lines {
            if let Some(rhs) = assignment_of(l.trim(), ident) {
                if let Some(v) = eval_depth(rhs, lines, env_port, depth + 1) {
                    return Some(v);
                }
            }
        }
    }
    None
}

/// One port or range of an EXPOSE instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExposedPort {
    pub instr: usize,
    pub span: Span,
    pub lo: u16,
    pub hi: u16,
    /// The word as written has no variable, so a fix may replace its port.
    pub literal: bool,
}

/// The ports a stage EXPOSEs (ARG/ENV expanded), and whether every word could be read.
pub fn exposed_ports(m: &Model, stage: &Stage) -> (Vec<ExposedPort>, bool) {
    let mut out = Vec::new();
    let mut all = true;
    for &i in &stage.exposes {
        let Args::Words(words) = &m.instruction(i).args else {
            all = false;
            continue;
        };
        for w in words {
            let v = m.expand_at(i, &w.value);
            let port = v.split('/').next().unwrap_or_default();
            let (lo, hi) = match port.split_once('-') {
                Some((a, b)) => (parse_port(a), parse_port(b)),
                None => (parse_port(port), parse_port(port)),
            };
            match (lo, hi) {
                (Some(lo), Some(hi)) => out.push(ExposedPort {
                    instr: i,
                    span: w.span,
                    lo,
                    hi,
                    literal: !w.value.contains('$'),
                }),
                _ => all = false,
            }
        }
    }
    (out, all)
}

/// Interpreters that run a source file given as their first operand.
const SOURCE_RUNNERS: &[&str] = &[
    "python", "python3", "python2", "pypy3", "node", "nodejs", "bun", "deno", "ts-node", "tsx",
    "nodemon", "ruby", "go",
];

/// The network service the container of `stage` runs, if its command shows one.
pub fn service(m: &Model, stage: &Stage) -> Option<Service> {
    if m.image_stage().is_some_and(|s| s.index == stage.index) {
        return m
            .image_service
            .get_or_init(|| find_service(m, stage))
            .clone();
    }
    find_service(m, stage)
}

fn find_service(m: &Model, stage: &Stage) -> Option<Service> {
    let invs = invocations(m, stage);
    let mut best: Option<Service> = None;
    let mut with_port: Option<Service> = None;
    for inv in &invs {
        if let Some(mut s) = service_of(m, stage, inv) {
            if let Some(via) = &inv.via {
                s.runs = Some(std::mem::replace(&mut s.program, via.clone()));
            }
            let Some(port) = s.port.as_ref().map(|p| p.port) else {
                best.get_or_insert(s);
                continue;
            };
            match &with_port {
                // Servers on different ports (an entrypoint script's branches, two servers
                // started together): which one the container serves is unknown.
                Some(w) if w.port.as_ref().map(|p| p.port) != Some(port) => {
                    return Some(Service {
                        port: None,
                        port_unresolved: true,
                        ..w.clone()
                    });
                }
                Some(_) => {}
                None => with_port = Some(s),
            }
        }
    }
    with_port.or(best)
}

fn service_of(m: &Model, stage: &Stage, inv: &Invocation) -> Option<Service> {
    let mut words: Vec<String> = Vec::new();
    for w in &inv.words {
        let v = if w.opaque && w.value.contains('$') {
            expand_env(m, stage, &w.value).unwrap_or_else(|| w.value.clone())
        } else {
            w.value.clone()
        };
        words.push(v);
    }
    // Launchers in front of the real program: `python -m uvicorn`, `bundle exec`, `npx`.
    let mut start = 0;
    loop {
        let prog = words.get(start).map(|w| path::base_name(w)).unwrap_or("");
        let next = words.get(start + 1).map(String::as_str);
        if (is_python(prog) && next == Some("-m"))
            || (prog == "bundle" && next == Some("exec"))
            || (prog == "poetry" && next == Some("run"))
            || (prog == "uv" && next == Some("run"))
            || (prog == "pipenv" && next == Some("run"))
        {
            start += 2;
        } else if matches!(prog, "npx" | "pnpx" | "bunx") {
            start += 1;
        } else {
            break;
        }
    }
    let rest: Vec<&str> = words[start.min(words.len())..]
        .iter()
        .map(String::as_str)
        .collect();
    let prog = rest.first().map(|w| path::base_name(w)).unwrap_or("");
    let sub = rest.get(1).copied().unwrap_or("");
    let script_sub = rest.get(2).copied().unwrap_or("");
    // `python manage.py runserver`, `php artisan serve`: an interpreter, a script, a subcommand.
    let script_host = is_python(prog) || prog == "php";
    let env_name = SERVERS
        .iter()
        .find(|(p, _)| *p == prog)
        .map(|(_, e)| *e)
        .or_else(|| {
            SERVER_SUBCOMMANDS
                .iter()
                .find(|(p, s, _)| {
                    (*p == prog && *s == sub)
                        || (script_host && path::base_name(sub) == *p && *s == script_sub)
                })
                .map(|(_, _, e)| *e)
        })
        .or_else(|| (prog == "http.server" || (prog == "php" && sub == "-S")).then_some(None));
    let by_sub = SERVER_SUBCOMMANDS
        .iter()
        .find(|(p, s, _)| *p == prog && *s == sub);
    let label = match by_sub {
        Some((p, s, _)) => format!("{p} {s}"),
        None if script_host
            && SERVER_SUBCOMMANDS
                .iter()
                .any(|(p, s, _)| path::base_name(sub) == *p && *s == script_sub) =>
        {
            format!("{} {script_sub}", path::base_name(sub))
        }
        None => prog.to_string(),
    };
    let offset = start;
    match port_in_args(&rest) {
        Some(Ok((port, at))) => {
            let a = &inv.words[offset + at];
            let text = if at > 0 && !rest[at].starts_with('-') && rest[at - 1].starts_with('-') {
                format!("{} {}", rest[at - 1], rest[at])
            } else {
                rest[at].to_string()
            };
            return Some(Service {
                program: label,
                port: Some(ListenPort {
                    port,
                    evidence: PortEvidence::Arg { span: a.span },
                    text,
                }),
                port_unresolved: false,
                runs: None,
                built: None,
            });
        }
        Some(Err(_)) => {
            return Some(Service {
                program: label,
                port: None,
                port_unresolved: true,
                runs: None,
                built: None,
            })
        }
        None => {}
    }
    if prog == "http.server" {
        return Some(Service {
            program: label,
            port: Some(ListenPort {
                port: 8000,
                evidence: PortEvidence::Arg {
                    span: inv.words[offset].span,
                },
                text: "http.server".into(),
            }),
            port_unresolved: false,
            runs: None,
            built: None,
        });
    }
    if let Some(env) = env_name {
        let set = env.is_some_and(|name| env_at_end(m, stage, name).is_some());
        let port = env.and_then(|name| env_port(m, stage, name)).or_else(|| {
            (!set)
                .then(|| default_port_of(m, stage, inv, &label))
                .flatten()
        });
        return Some(Service {
            program: label,
            port,
            port_unresolved: false,
            runs: None,
            built: None,
        });
    }
    if start == 0
        && SOURCE_RUNNERS.contains(&prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.'))
    {
        let file = rest[1..]
            .iter()
            .filter(|w| !w.starts_with('-'))
            .find(|w| *w != &"run")?;
        let abs = path::resolve(&inv.workdir, file);
        let l = m.lookup(stage.index, &abs, stage.instrs.end);
        let Some(Origin::Context(rel)) = l.found.and_then(|f| f.origin) else {
            return None;
        };
        let text = m.context?.read_to_string(&rel, 256 * 1024)?;
        let env = env_at_end(m, stage, "PORT").and_then(parse_port);
        let Some(sp) = port_in_source(&text, env) else {
            // Flask's `app.run()` with no port: 5000.
            let (line, call) = super::frameworks::flask_run_default(&text)?;
            return Some(Service {
                program: format!("{prog} {file}"),
                port: Some(ListenPort {
                    port: 5000,
                    evidence: PortEvidence::Default {
                        what: format!(
                            "Flask's default port: no `port=` in `{call}` at `{rel}` line {line}"
                        ),
                    },
                    text: call,
                }),
                port_unresolved: false,
                runs: None,
                built: None,
            });
        };
        let port = if sp.from_env {
            env_port(m, stage, "PORT")
        } else {
            None
        };
        return Some(Service {
            program: format!("{prog} {file}"),
            port: Some(port.unwrap_or(ListenPort {
                port: sp.port,
                evidence: PortEvidence::File {
                    path: rel,
                    line: sp.line,
                },
                text: sp.text,
            })),
            port_unresolved: false,
            runs: None,
            built: None,
        });
    }
    if prog == "java" {
        return spring_service(m, stage, &rest);
    }
    if start == 0 {
        if let Some(s) = aspnet_service(m, stage, &rest) {
            return Some(s);
        }
        return binary_service(m, stage, inv);
    }
    None
}

/// The port of an ASP.NET Core application: `ASPNETCORE_URLS` or `ASPNETCORE_HTTP_PORTS` set by
/// the Dockerfile, else what the `mcr.microsoft.com/dotnet/aspnet` image sets (8080 since
/// .NET 8, 80 before), unless the application's own settings or code choose its addresses.
fn aspnet_service(m: &Model, stage: &Stage, rest: &[&str]) -> Option<Service> {
    let prog = rest.first().copied()?;
    let dll = path::base_name(prog) == "dotnet" && rest.get(1).is_some_and(|f| f.ends_with(".dll"));
    let root = m.stage_chain(stage).last().map(|s| s.base.clone());
    let aspnet_image = match &root {
        Some(super::Base::Image(img)) => {
            let r = super::images::ImageRef::parse(img);
            r.repository
                .ends_with("dotnet/aspnet")
                .then_some((img.clone(), r.tag))
        }
        _ => None,
    };
    let urls = env_port_of(m, stage, "ASPNETCORE_URLS", |v| {
        v.split(';')
            .find_map(|u| port_of_address(u.trim().trim_end_matches('/')))
    });
    let ports = env_port_of(m, stage, "ASPNETCORE_HTTP_PORTS", |v| {
        v.split([';', ',']).find_map(parse_port)
    });
    let program = if dll {
        format!("dotnet {}", rest[1])
    } else {
        prog.to_string()
    };
    let service = |port: Option<ListenPort>| Service {
        program: program.clone(),
        runs: None,
        built: None,
        port_unresolved: port.is_none(),
        port,
    };
    // Set by the Dockerfile: stated, or configured to a value this cannot read.
    match (urls, ports) {
        (Some(Some(p)), _) | (None, Some(Some(p))) => return Some(service(Some(p))),
        (Some(None), _) | (None, Some(None)) => return Some(service(None)),
        (None, None) => {}
    }
    let (image, tag) = aspnet_image?;
    if !dll && !path::base_name(prog).starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let major: u32 = tag.split(['.', '-']).next().and_then(|v| v.parse().ok())?;
    let port = if major >= 8 { 8080 } else { 80 };
    if aspnet_configures_urls(m) {
        return None;
    }
    let var = if major >= 8 {
        "ASPNETCORE_HTTP_PORTS=8080"
    } else {
        "ASPNETCORE_URLS=http://+:80"
    };
    Some(service(Some(ListenPort {
        port,
        evidence: PortEvidence::Default {
            what: format!("ASP.NET Core's default in `{image}`, which sets `{var}`"),
        },
        text: var.to_string(),
    })))
}

/// The port an ENV variable of the image gives, read by `parse`: `None` when it is not set,
/// `Some(None)` when its value names no port.
fn env_port_of(
    m: &Model,
    stage: &Stage,
    name: &str,
    parse: impl Fn(&str) -> Option<u16>,
) -> Option<Option<ListenPort>> {
    // An empty value unsets what the base image set.
    let v = env_at_end(m, stage, name).filter(|v| !v.trim().is_empty())?;
    let Some(port) = parse(v) else {
        return Some(None);
    };
    let d = env_def(m, stage, name)?;
    Some(Some(ListenPort {
        port,
        evidence: PortEvidence::Env {
            instr: d.instr,
            name: name.to_string(),
        },
        text: format!("{name}={v}"),
    }))
}

/// The application chooses its own addresses: Kestrel endpoints or `Urls` in an
/// `appsettings*.json`, or `UseUrls`/`Listen…`/`app.Urls` in its C# code, near the top of
/// the build context. A context of Dockerfiles alone cannot tell, and counts as yes.
fn aspnet_configures_urls(m: &Model) -> bool {
    let Some(ctx) = m.context else { return true };
    if ctx.holds_only_dockerfiles() {
        return true;
    }
    let mut dirs = vec![(String::from("."), 0usize)];
    let mut read = 0usize;
    while let Some((d, depth)) = dirs.pop() {
        for e in ctx.list_dir(&d) {
            if e.ignored_by.is_some() || e.name.starts_with('.') {
                continue;
            }
            if e.kind.is_dir() {
                if depth < 2
                    && !matches!(e.name.as_str(), "bin" | "obj" | "node_modules" | "wwwroot")
                {
                    dirs.push((e.path, depth + 1));
                }
                continue;
            }
            let settings = e.name.starts_with("appsettings") && e.name.ends_with(".json");
            if !settings && !e.name.ends_with(".cs") {
                continue;
            }
            read += 1;
            if read > 100 {
                return true;
            }
            let Some(text) = ctx.read_to_string(&e.path, 256 * 1024) else {
                continue;
            };
            let found = if settings {
                text.contains("\"Kestrel\"")
                    || text.contains("\"Urls\"")
                    || text.contains("\"urls\"")
            } else {
                [
                    "UseUrls(",
                    ".Listen(",
                    "ListenAnyIP(",
                    "ListenLocalhost(",
                    "app.Urls",
                    ".Run(\"http",
                ]
                .iter()
                .any(|c| text.contains(c))
            };
            if found {
                return true;
            }
        }
    }
    false
}

/// Directories of the default `PATH`, where a command named without a slash is found.
const PATH_DIRS: &[&str] = &[
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
];

/// A program that a `go build` or `cargo build` of this Dockerfile compiled from the build
/// context: its port, read from that source.
fn binary_service(m: &Model, stage: &Stage, inv: &Invocation) -> Option<Service> {
    let word = inv.words.first().filter(|w| !w.opaque)?;
    let candidates: Vec<String> = if word.value.contains('/') {
        vec![path::resolve(&inv.workdir, &word.value)]
    } else {
        PATH_DIRS
            .iter()
            .map(|d| path::join(d, &word.value))
            .collect()
    };
    let built = candidates
        .iter()
        .find_map(|abs| super::binaries::built_binary(m, stage.index, abs))?;
    let env = env_at_end(m, stage, "PORT").and_then(parse_port);
    let port = match super::binaries::binary_port(m, &built, env)? {
        super::binaries::BinaryPort::Source(file, sp) => {
            let from_env = match sp.from_env {
                true => env_port(m, stage, "PORT"),
                false => None,
            };
            from_env.unwrap_or(ListenPort {
                port: sp.port,
                evidence: PortEvidence::File {
                    path: file,
                    line: sp.line,
                },
                text: sp.text,
            })
        }
        super::binaries::BinaryPort::Default { port, env, what } => {
            // The variable the framework reads, when the image sets it, else its default.
            match env_at_end(m, stage, env) {
                Some(_) => env_port(m, stage, env)?,
                None => ListenPort {
                    port,
                    evidence: PortEvidence::Default { what },
                    text: env.to_string(),
                },
            }
        }
    };
    let from = match built.source.as_str() {
        "." => "the context's root".to_string(),
        dir => format!("`{dir}/`"),
    };
    Some(Service {
        program: word.value.clone(),
        runs: None,
        built: Some(format!("`{}` compiled from {from}", built.by)),
        port: Some(port),
        port_unresolved: false,
    })
}

/// The default port of the server `label`, when nothing in the image could change it: none of
/// its configuration files in the working directory, no variable passing it options.
fn default_port_of(m: &Model, stage: &Stage, inv: &Invocation, label: &str) -> Option<ListenPort> {
    let (port, files) = super::frameworks::default_port(label)?;
    // A context of Dockerfiles alone (a docker/ folder linted by itself) cannot say which
    // configuration files the real build copies.
    if inv.workdir.is_empty() || m.context.is_none_or(|c| c.holds_only_dockerfiles()) {
        return None;
    }
    let configured = files.iter().any(|f| {
        let abs = path::resolve(&inv.workdir, f);
        !m.lookup_file(stage.index, &abs, stage.instrs.end)
            .is_absent()
    });
    let options = super::frameworks::OPTION_VARIABLES
        .iter()
        .any(|(s, var)| *s == label && env_at_end(m, stage, var).is_some());
    if configured || options {
        return None;
    }
    Some(ListenPort {
        port,
        evidence: PortEvidence::Default {
            what: format!("`{label}`'s default port, as nothing in the image sets another"),
        },
        text: label.to_string(),
    })
}

fn is_python(p: &str) -> bool {
    p.starts_with("python") || p.starts_with("pypy")
}

fn env_port(m: &Model, stage: &Stage, name: &str) -> Option<ListenPort> {
    env_port_of(m, stage, name, parse_port).flatten()
}

/// The Spring Boot starters that bring an embedded web server. The Boot plugin or parent alone
/// does not: a Kafka consumer or a batch job is a Boot application without one.
const SPRING_WEB_STARTERS: &[&str] = &[
    "spring-boot-starter-web",
    "spring-boot-starter-webflux",
    // These depend on spring-boot-starter-web.
    "spring-boot-starter-web-services",
    "spring-boot-starter-websocket",
    "spring-boot-starter-jersey",
];

/// A build file (pom.xml, build.gradle) that depends on a Spring web starter, named as a whole
/// word (`spring-boot-starter-webflux` is not `spring-boot-starter-web`).
fn names_web_starter(build_file: &str) -> bool {
    build_file
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .any(|w| SPRING_WEB_STARTERS.contains(&w))
}

/// `java -jar app.jar` of a Spring Boot web project: `server.port` from its properties, else
/// 8080.
fn spring_service(m: &Model, stage: &Stage, rest: &[&str]) -> Option<Service> {
    if !rest.contains(&"-jar") {
        return None;
    }
    let ctx = m.context?;
    let mut dirs = vec![String::from(".")];
    dirs.extend(
        ctx.list_dir(".")
            .into_iter()
            .filter(|e| e.kind.is_dir() && e.ignored_by.is_none() && !e.name.starts_with('.'))
            .map(|e| e.path)
            .take(50),
    );
    for d in dirs {
        let build = ["pom.xml", "build.gradle", "build.gradle.kts"]
            .iter()
            .filter_map(|f| ctx.read_to_string(&path::join(&d, f), 256 * 1024))
            .any(|t| names_web_starter(&t));
        if !build {
            continue;
        }
        let props = path::join(&d, "src/main/resources/application.properties");
        let mut port = None;
        if let Some(t) = ctx.read_to_string(&props, 256 * 1024) {
            for (n, l) in t.lines().enumerate() {
                if let Some(v) = l.trim().strip_prefix("server.port") {
                    let v = v.trim_start().trim_start_matches(['=', ':']).trim();
                    port = Some(match parse_port(v) {
                        Some(p) => ListenPort {
                            port: p,
                            evidence: PortEvidence::File {
                                path: props.clone(),
                                line: n + 1,
                            },
                            text: l.trim().to_string(),
                        },
                        None => {
                            return Some(Service {
                                program: "spring boot".into(),
                                port: None,
                                port_unresolved: true,
                                runs: None,
                                built: None,
                            })
                        }
                    });
                }
            }
        }
        let yml = ["application.yml", "application.yaml"]
            .iter()
            .map(|f| path::join(&d, &format!("src/main/resources/{f}")))
            .find(|p| ctx.exists(p));
        let mut yml_unread = false;
        if let (None, Some(y)) = (&port, &yml) {
            match ctx
                .read_to_string(y, 256 * 1024)
                .map(|t| spring_yaml_port(&t))
            {
                Some(Ok(Some((p, line, text)))) => {
                    port = Some(ListenPort {
                        port: p,
                        evidence: PortEvidence::File {
                            path: y.clone(),
                            line,
                        },
                        text,
                    })
                }
                Some(Ok(None)) => {}
                _ => yml_unread = true,
            }
        }
        if port.is_none() && (env_at_end(m, stage, "SERVER_PORT").is_some() || yml_unread) {
            return Some(Service {
                program: "spring boot".into(),
                port: env_port(m, stage, "SERVER_PORT"),
                port_unresolved: env_port(m, stage, "SERVER_PORT").is_none(),
                runs: None,
                built: None,
            });
        }
        // Nothing sets it: Spring Boot's embedded server takes 8080.
        let port = port.or_else(|| {
            Some(ListenPort {
                port: 8080,
                evidence: PortEvidence::Default {
                    what: format!(
                        "Spring Boot's default port: no `server.port` in `{d}`'s application properties"
                    ),
                },
                text: "server.port".into(),
            })
        });
        return Some(Service {
            program: "spring boot".into(),
            port,
            port_unresolved: false,
            runs: None,
            built: None,
        });
    }
    None
}

/// `server.port` of a Spring `application.yml`: `Ok(None)` when it sets none, `Err` when it
/// cannot be read as one value (several profile documents that set it, a placeholder without
/// a default). A `${PORT:8080}` placeholder gives its default.
fn spring_yaml_port(text: &str) -> Result<Option<(u16, usize, String)>, ()> {
    let docs: Vec<&str> = text.split("\n---").collect();
    let mut found = None;
    for (i, doc) in docs.iter().enumerate() {
        let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(doc).map_err(|_| ())?;
        let port = v
            .get("server")
            .and_then(|s| s.get("port"))
            .or_else(|| v.get("server.port"));
        let Some(port) = port else { continue };
        if found.is_some() || i > 0 {
            return Err(());
        }
        let value = match port {
            serde_yaml_ng::Value::Number(n) => n.to_string(),
            serde_yaml_ng::Value::String(s) => s.clone(),
            _ => return Err(()),
        };
        // `${PORT:8080}`: the default after the colon.
        let literal = match value.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
            Some(inner) => inner
                .split_once(':')
                .map(|(_, d)| d.to_string())
                .ok_or(())?,
            None => value.clone(),
        };
        let p = parse_port(&literal).ok_or(())?;
        let line = text
            .lines()
            .position(|l| {
                let t = l.trim_start();
                (t.starts_with("port:") || t.starts_with("server.port:")) && l.contains(&value)
            })
            .map_or(1, |n| n + 1);
        let shown = text.lines().nth(line - 1).unwrap_or("").trim().to_string();
        found = Some((p, line, shown));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spring_yaml_ports() {
        let port = |t: &str| spring_yaml_port(t).map(|o| o.map(|(p, l, _)| (p, l)));
        assert_eq!(
            port("spring:\n  application:\n    name: x\nserver:\n  port: 8081\n"),
            Ok(Some((8081, 5)))
        );
        assert_eq!(port("server:\n  port: ${PORT:9090}\n"), Ok(Some((9090, 2))));
        assert_eq!(port("server.port: 7070\n"), Ok(Some((7070, 1))));
        assert_eq!(port("spring:\n  main:\n    banner-mode: off\n"), Ok(None));
        assert_eq!(port("server:\n  port: ${PORT}\n"), Err(()));
        assert_eq!(port("server:\n  port: 8081\n---\nspring.config.activate.on-profile: prod\nserver:\n  port: 80\n"), Err(()));
        assert_eq!(port("server: [\n"), Err(()));
    }

    fn args(s: &str) -> Option<Result<u16, ()>> {
        let w: Vec<&str> = s.split_whitespace().collect();
        port_in_args(&w).map(|r| r.map(|(p, _)| p).map_err(|_| ()))
    }

    #[test]
    fn ports_in_arguments() {
        assert_eq!(
            args("uvicorn app:app --host 0.0.0.0 --port 80"),
            Some(Ok(80))
        );
        assert_eq!(args("uvicorn app:app --port=8000"), Some(Ok(8000)));
        assert_eq!(args("gunicorn -b 0.0.0.0:8000 app:app"), Some(Ok(8000)));
        assert_eq!(args("gunicorn --bind=:5000 app:app"), Some(Ok(5000)));
        assert_eq!(args("flask run -p 5001"), Some(Ok(5001)));
        assert_eq!(args("python -m http.server 8000"), Some(Ok(8000)));
        assert_eq!(args("rails s -p 3000 -b 0.0.0.0"), Some(Ok(3000)));
        assert_eq!(args("java -Dserver.port=9090 -jar app.jar"), Some(Ok(9090)));
        assert_eq!(
            args("python manage.py runserver 0.0.0.0:8000"),
            Some(Ok(8000))
        );
        assert_eq!(args("uvicorn app:app --host 0.0.0.0"), None);
        assert_eq!(args("gunicorn --bind unix:/tmp/s.sock app:app"), None);
        assert_eq!(args("uvicorn app:app --port $PORT"), Some(Err(())));
        assert_eq!(args("python worker.py"), None);
    }

    fn src(s: &str, env: Option<u16>) -> Option<(u16, usize)> {
        port_in_source(s, env).map(|p| (p.port, p.line))
    }

    #[test]
    fn ports_in_sources() {
        let py = "PORT = 8088\n\nif __name__ == '__main__':\n    HTTPServer((\"\", PORT), Hello).serve_forever()\n";
        assert_eq!(src(py, None), Some((8088, 4)));
        assert_eq!(
            src("app.run(host='0.0.0.0', port=5000)", None),
            Some((5000, 1))
        );
        assert_eq!(src("app.listen(3000, () => {})", None), Some((3000, 1)));
        let chained = "require(\"http\").createServer(handler).listen(8080);";
        assert_eq!(src(chained, None), Some((8080, 1)));
        assert_eq!(
            src(
                "require(\"http\").createServer(handler).listen(port);",
                None
            ),
            None
        );
        let js = "const port = process.env.PORT || 3000;\napp.listen(port);";
        assert_eq!(src(js, None), Some((3000, 2)));
        assert_eq!(src(js, Some(8080)).map(|p| p.0), Some(8080));
        assert_eq!(
            src("log.Fatal(http.ListenAndServe(\":8080\", nil))", None),
            Some((8080, 1))
        );
        let env = "port = int(os.environ.get('PORT', 5000))\napp.run(host='0.0.0.0', port=port)";
        assert_eq!(src(env, None).map(|p| p.0), Some(5000));
        assert_eq!(src("# app.listen(3000)\nprint('hi')", None), None);
        assert_eq!(src("PORT = 8088\nprint(PORT)", None), None);
        // Go and Rust servers.
        let go = "port := os.Getenv(\"PORT\")\nif port == \"\" {\n\tport = \"8080\"\n}\nlog.Fatal(http.ListenAndServe(\":\"+port, nil))";
        assert_eq!(src(go, None), Some((8080, 5)));
        assert_eq!(src(go, Some(9000)).map(|p| p.0), Some(9000));
        let sprintf = "addr := fmt.Sprintf(\":%d\", 8088)\nhttp.ListenAndServe(addr, mux)";
        assert_eq!(src(sprintf, None), Some((8088, 2)));
        assert_eq!(
            src("ln, err := net.Listen(\"tcp\", \":7070\")", None),
            Some((7070, 1))
        );
        assert_eq!(
            src("e.Logger.Fatal(e.Start(\":1323\"))", None),
            Some((1323, 1))
        );
        assert_eq!(src("r.Run(\":8081\")", None), Some((8081, 1)));
        assert_eq!(
            src("    .bind((\"0.0.0.0\", 8080))?", None),
            Some((8080, 1))
        );
        let axum = "let listener = tokio::net::TcpListener::bind(\"0.0.0.0:3000\").await.unwrap();";
        assert_eq!(src(axum, None), Some((3000, 1)));
        // Not ports: a method bound to an object, a backlog.
        assert_eq!(src("this.handler = this.handler.bind(this);", None), None);
        assert_eq!(src("fmt.Sprintf(\"%s:%d\", a, b)", None), None);
    }
}
