//! Web server images (nginx, httpd, caddy) run their own command and read their port from
//! configuration files, which a Dockerfile usually copies from the build context. This reads
//! those files as the server will find them in the image, for the ports it listens on.

use super::images::ImageRef;
use super::{path, Base, CopyFrom, Model, Stage};
use crate::syntax::Keyword;

/// One official web server image and where its configuration lives.
struct Server {
    /// The official image's name.
    image: &'static str,
    /// The program, for messages.
    program: &'static str,
    /// The ports the image EXPOSEs.
    exposes: &'static [u16],
    /// The directory its configuration lives in.
    root: &'static str,
    /// The main file, read as a whole when copied.
    main: &'static str,
    /// What the image's own configuration listens on while `main` is not replaced (and, for
    /// nginx, while `conf.d/default.conf` stays).
    default_port: u16,
    /// The programs a CMD of its own may start while the configuration still applies.
    commands: &'static [&'static str],
}

const SERVERS: &[Server] = &[
    Server {
        image: "nginx",
        program: "nginx",
        exposes: &[80],
        root: "/etc/nginx",
        main: "/etc/nginx/nginx.conf",
        default_port: 80,
        commands: &["nginx", "docker-entrypoint.sh", "/docker-entrypoint.sh"],
    },
    Server {
        image: "httpd",
        program: "httpd",
        exposes: &[80],
        root: "/usr/local/apache2/conf",
        main: "/usr/local/apache2/conf/httpd.conf",
        default_port: 80,
        commands: &["httpd-foreground", "httpd", "apachectl"],
    },
    Server {
        image: "caddy",
        program: "caddy",
        exposes: &[80, 443, 2019],
        root: "/etc/caddy",
        main: "/etc/caddy/Caddyfile",
        default_port: 80,
        commands: &["caddy"],
    },
];

/// A port a configuration file states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigPort {
    pub port: u16,
    /// The context file (relative) and the 1-based line.
    pub file: String,
    pub line: usize,
    /// The directive as written (`listen 8080;`).
    pub text: String,
    /// The COPY that brings the file into the image.
    pub copy: usize,
}

/// What a web server image's configuration listens on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPorts {
    pub program: &'static str,
    /// The base image, as named.
    pub image: String,
    /// The ports the base image exposes.
    pub inherited: &'static [u16],
    /// The ports the copied configuration states.
    pub listens: Vec<ConfigPort>,
    /// The image's own configuration is still in force and listens here too.
    pub default_kept: Option<u16>,
}

/// Files and directories read per image, and bytes per file.
const MAX_FILES: usize = 64;
const MAX_FILE: usize = 256 * 1024;

/// The ports the web server that `stage` runs listens on, when its base is an official web
/// server image whose command still runs and its configuration is copied from the build
/// context. `None` when anything could change the configuration unseen: a RUN that touches
/// it, a copy from another stage or image, a variable in a port.
pub fn server_ports(m: &Model, stage: &Stage) -> Option<ServerPorts> {
    let ctx = m.context?;
    let chain = m.stage_chain(stage);
    let Base::Image(image) = &chain.last()?.base else {
        return None;
    };
    let r = ImageRef::parse(image);
    if r.repository.contains('/') && !r.repository.starts_with("library/") {
        return None;
    }
    let server = SERVERS.iter().find(|s| r.short_name() == s.image)?;
    // A command of its own must still start the server.
    if let Some(cmd) = stage.entrypoint.or(stage.cmd) {
        let runs = super::command::invocations(m, stage).iter().any(|inv| {
            inv.words
                .first()
                .is_some_and(|w| server.commands.contains(&path::base_name(&w.value)))
        });
        if !runs || m.instruction(cmd).error.is_some() {
            return None;
        }
    }
    // The configuration files in the image, image path → (context path, COPY), in order.
    let mut files: Vec<(String, String, usize)> = Vec::new();
    let mut removed_default = false;
    for st in chain.iter().rev() {
        for i in st.instrs.clone() {
            let ins = m.instruction(i);
            if ins.keyword == Keyword::Run {
                let text = m.snippet(ins.span, 4096);
                if text.contains(server.root) || text.contains(path::base_name(server.main)) {
                    // `rm /etc/nginx/conf.d/default.conf` is understood; any other change is not.
                    let only_rm = m.run_steps(i).iter().all(|s| {
                        let words: Vec<&str> =
                            s.cmd.argv.iter().map(|w| w.value.as_str()).collect();
                        let touches = words.iter().any(|w| w.contains(server.root));
                        !touches || words.first() == Some(&"rm")
                    });
                    if !only_rm {
                        return None;
                    }
                    removed_default |=
                        text.contains("conf.d/default.conf") || text.contains("conf.d/*");
                }
                continue;
            }
            let Some(c) = m.copies.get(&i) else { continue };
            if path::strip_dir(&c.dest, server.root).is_none()
                && path::strip_dir(server.root, &c.dest).is_none()
            {
                continue;
            }
            if c.from != CopyFrom::Context {
                // A file another stage copied from the context is that context file.
                let CopyFrom::Stage(_) = c.from else {
                    return None;
                };
                for src in &c.sources {
                    let dest = match c.dest_is_dir {
                        true => path::join(&c.dest, path::base_name(&src.expanded)),
                        false => c.dest.clone(),
                    };
                    files.push((dest.clone(), context_file(m, st.index, &dest, i + 1)?, i));
                }
                continue;
            }
            for src in c.context_paths() {
                for mt in src.matches.iter().filter(|mt| !mt.ignored) {
                    if mt.is_dir {
                        for f in tree_files(ctx, &mt.path) {
                            let rel = path::strip_dir(&f, &mt.path).unwrap_or("").to_string();
                            files.push((path::join(&c.dest, &rel), f, i));
                        }
                    } else {
                        let dest = match c.dest_is_dir {
                            true => path::join(&c.dest, path::base_name(&mt.path)),
                            false => c.dest.clone(),
                        };
                        files.push((dest, mt.path.clone(), i));
                    }
                    if files.len() > MAX_FILES {
                        return None;
                    }
                }
            }
        }
    }
    // The latest copy of each image path wins.
    let mut in_image: Vec<(String, String, usize)> = Vec::new();
    for f in files.into_iter().rev() {
        if !in_image.iter().any(|g| g.0 == f.0) {
            in_image.push(f);
        }
    }
    in_image.reverse();
    let main = in_image.iter().find(|f| f.0 == server.main).cloned();
    let read = |f: &(String, String, usize)| ctx.read_to_string(&f.1, MAX_FILE);
    let mut listens = Vec::new();
    let mut default_kept = None;
    match server.program {
        "nginx" => {
            // The official nginx.conf includes conf.d/*.conf; a copied one says what it includes.
            let includes: Vec<String> = match &main {
                Some(f) => nginx_includes(&read(f)?),
                None => vec!["/etc/nginx/conf.d/*.conf".into()],
            };
            let included = |p: &str| includes.iter().any(|g| glob_match(g, p) || g.as_str() == p);
            // The image's templates become conf.d files when the container starts.
            let as_conf = |p: &str| match p.strip_prefix("/etc/nginx/templates/") {
                Some(t) => t
                    .strip_suffix(".template")
                    .map(|n| format!("/etc/nginx/conf.d/{n}")),
                None => Some(p.to_string()),
            };
            let default = "/etc/nginx/conf.d/default.conf";
            let replaced = in_image
                .iter()
                .any(|f| as_conf(&f.0).as_deref() == Some(default));
            if !removed_default && !replaced && included(default) {
                default_kept = Some(server.default_port);
            }
            for f in &in_image {
                let Some(conf) = as_conf(&f.0) else { continue };
                if conf != server.main && !included(&conf) {
                    continue;
                }
                listens.extend(directives(&read(f)?, "listen", f, nginx_port)?);
            }
        }
        "httpd" => {
            let f = main?;
            listens.extend(directives(&read(&f)?, "Listen", &f, httpd_port)?);
        }
        _ => {
            let f = main?;
            listens.extend(caddy_ports(&read(&f)?, &f)?);
        }
    }
    if listens.is_empty() {
        return None;
    }
    Some(ServerPorts {
        program: server.program,
        image: image.clone(),
        inherited: server.exposes,
        listens,
        default_kept,
    })
}

/// The context file that `p` of stage `stage` is before `before`, through copies between
/// stages; `None` for anything else (a directory, a file a RUN made).
fn context_file(m: &Model, stage: usize, p: &str, before: usize) -> Option<String> {
    let (mut stage, mut p, mut before) = (stage, p.to_string(), before);
    for _ in 0..8 {
        let l = m.lookup(stage, &p, before);
        let f = l.found.filter(|f| !f.is_dir)?;
        match f.origin? {
            super::Origin::Context(rel) => return Some(rel),
            super::Origin::Stage { stage: s, path: sp } => (stage, p, before) = (s, sp, usize::MAX),
            _ => return None,
        }
    }
    None
}

/// The files below a context directory, bounded.
fn tree_files(ctx: &crate::context::BuildContext, dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_string()];
    while let Some(d) = dirs.pop() {
        for e in ctx.list_dir(&d) {
            if e.ignored_by.is_some() {
                continue;
            }
            if e.kind.is_dir() {
                dirs.push(e.path);
            } else {
                out.push(e.path);
            }
            if out.len() + dirs.len() > MAX_FILES {
                return out;
            }
        }
    }
    out
}

/// The `include` globs of an nginx.conf, resolved against /etc/nginx.
fn nginx_includes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let l = strip_comment(line).trim();
        if let Some(rest) = l.strip_prefix("include") {
            if rest.starts_with([' ', '\t']) {
                let p = rest.trim().trim_end_matches(';').trim();
                out.push(path::resolve("/etc/nginx", p));
            }
        }
    }
    out
}

/// A glob of `*` only, matching within one path component.
fn glob_match(glob: &str, p: &str) -> bool {
    let (gd, gn) = glob.rsplit_once('/').unwrap_or(("", glob));
    let (pd, pn) = p.rsplit_once('/').unwrap_or(("", p));
    if gd != pd {
        return false;
    }
    match gn.split_once('*') {
        Some((pre, post)) => {
            pn.len() >= pre.len() + post.len() && pn.starts_with(pre) && pn.ends_with(post)
        }
        None => gn == pn,
    }
}

fn strip_comment(line: &str) -> &str {
    match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    }
}

/// The ports of every `name` directive of a file. `None` when one cannot be read.
fn directives(
    text: &str,
    name: &str,
    f: &(String, String, usize),
    port: fn(&str) -> Option<Option<u16>>,
) -> Option<Vec<ConfigPort>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for stmt in strip_comment(line).split(';') {
            // `server { listen 80; }` on one line: the directive follows the last brace.
            let s = stmt.rsplit(['{', '}']).next().unwrap_or("").trim();
            let Some(rest) = s.strip_prefix(name) else {
                continue;
            };
            if !rest.starts_with([' ', '\t']) {
                continue;
            }
            let value = rest.split_whitespace().next().unwrap_or("");
            match port(value)? {
                Some(p) => out.push(ConfigPort {
                    port: p,
                    file: f.1.clone(),
                    line: n + 1,
                    text: s.to_string() + if name == "listen" { ";" } else { "" },
                    copy: f.2,
                }),
                None => continue,
            }
        }
    }
    Some(out)
}

/// nginx `listen`: `8080`, `[::]:8080`, `127.0.0.1:8080`, `127.0.0.1` (port 80), `unix:…`.
/// `Some(None)` for a socket that is no TCP port; `None` for a value that cannot be read.
fn nginx_port(v: &str) -> Option<Option<u16>> {
    if v.starts_with("unix:") {
        return Some(None);
    }
    if v.contains('$') {
        return None;
    }
    let port = match v.rsplit_once(':') {
        Some((_, p)) if !v.ends_with(']') => p,
        _ if v.bytes().all(|b| b.is_ascii_digit()) => v,
        _ => return Some(Some(80)),
    };
    port.parse::<u16>().ok().filter(|p| *p > 0).map(Some)
}

/// Apache `Listen`: `80`, `0.0.0.0:8080`, `[::]:8080`.
fn httpd_port(v: &str) -> Option<Option<u16>> {
    if v.contains('$') {
        return None;
    }
    let port = v.rsplit_once(':').map_or(v, |(_, p)| p);
    port.parse::<u16>().ok().filter(|p| *p > 0).map(Some)
}

/// The site addresses of a Caddyfile: the words before a top-level `{`. `:8080` and
/// `host:8080` give that port, `http://host` 80, and a host name alone 443 with 80 (Caddy
/// serves HTTPS and redirects HTTP). `None` when one holds a placeholder.
fn caddy_ports(text: &str, f: &(String, String, usize)) -> Option<Vec<ConfigPort>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        let l = strip_comment(line).trim();
        if depth == 0 && l.ends_with('{') && l != "{" {
            let addrs = l.trim_end_matches('{');
            for a in addrs.split([' ', ',']).filter(|a| !a.is_empty()) {
                if a.contains(['{', '$']) {
                    return None;
                }
                let (scheme, rest) = match a.split_once("://") {
                    Some((s, r)) => (Some(s), r),
                    None => (None, a),
                };
                let host_port = rest.split('/').next().unwrap_or("");
                let ports: Vec<u16> = match host_port.rsplit_once(':') {
                    Some((_, p)) => vec![p.parse().ok()?],
                    None => match scheme {
                        Some("http") => vec![80],
                        Some("https") => vec![443],
                        _ if host_port == "localhost" => vec![443],
                        _ => vec![443, 80],
                    },
                };
                for p in ports {
                    out.push(ConfigPort {
                        port: p,
                        file: f.1.clone(),
                        line: n + 1,
                        text: l.to_string(),
                        copy: f.2,
                    });
                }
            }
        }
        depth += l.matches('{').count();
        depth = depth.saturating_sub(l.matches('}').count());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_values() {
        assert_eq!(nginx_port("8080"), Some(Some(8080)));
        assert_eq!(nginx_port("[::]:8080"), Some(Some(8080)));
        assert_eq!(nginx_port("127.0.0.1:81"), Some(Some(81)));
        assert_eq!(nginx_port("127.0.0.1"), Some(Some(80)));
        assert_eq!(nginx_port("unix:/run/nginx.sock"), Some(None));
        assert_eq!(nginx_port("${PORT}"), None);
        assert_eq!(httpd_port("0.0.0.0:8080"), Some(Some(8080)));
        assert!(glob_match(
            "/etc/nginx/conf.d/*.conf",
            "/etc/nginx/conf.d/app.conf"
        ));
        assert!(!glob_match(
            "/etc/nginx/conf.d/*.conf",
            "/etc/nginx/conf.d/app.txt"
        ));
        assert!(!glob_match(
            "/etc/nginx/conf.d/*.conf",
            "/etc/nginx/sites/app.conf"
        ));
        let f = (String::new(), "Caddyfile".to_string(), 0);
        let ports =
            |t: &str| caddy_ports(t, &f).map(|v| v.iter().map(|p| p.port).collect::<Vec<_>>());
        assert_eq!(
            ports("{\n  admin off\n}\n:8080 {\n  respond \"hi\"\n}"),
            Some(vec![8080])
        );
        assert_eq!(
            ports("example.com {\n  reverse_proxy app:3000\n}"),
            Some(vec![443, 80])
        );
        assert_eq!(
            ports("http://:9000, http://localhost {\n}"),
            Some(vec![9000, 80])
        );
        assert_eq!(ports(":{$PORT} {\n}"), None);
    }
}
