//! Compiled programs traced back to their source: a binary that a `go build` or `cargo build`
//! of some stage wrote, copied into the image with `COPY --from`, comes from the source tree that
//! stage copied from the build context. Reading that tree (bounded) tells what the program
//! listens on.

use super::fs::{Origin, Unknown};
use super::ports::{port_in_source, SourcePort};
use super::{path, CopyFrom, Model};
use crate::shell::Tool;

/// A program built from the build context by a RUN of some stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltBinary {
    /// The build command, for messages: `go build`.
    pub by: String,
    pub tool: Tool,
    /// The RUN that builds it.
    pub run: usize,
    /// The context directory (relative, `.` for the root) of the package or crate it is built
    /// from.
    pub source: String,
}

/// How far a trace follows `COPY --from` chains.
const MAX_DEPTH: usize = 6;

/// The build of the program at `abs` in stage `stage` at its end, when a known build command
/// of this Dockerfile made it from files of the build context.
pub fn built_binary(m: &Model, stage: usize, abs: &str) -> Option<BuiltBinary> {
    trace(m, stage, &path::clean(abs), usize::MAX, 0)
}

fn trace(m: &Model, stage: usize, p: &str, before: usize, depth: usize) -> Option<BuiltBinary> {
    if depth > MAX_DEPTH {
        return None;
    }
    let l = m.lookup(stage, p, before);
    if let Some(f) = &l.found {
        // Copied as a file from another stage: ask that stage. Anything else (a context file,
        // an image's, a directory) was not built here.
        return match &f.origin {
            Some(Origin::Stage { stage: s, path: sp }) => trace(m, *s, sp, usize::MAX, depth + 1),
            _ => None,
        };
    }
    // Not known to exist: a build command may have written it, here or in the stage a
    // directory was copied from. The latest such instruction decides.
    let (instr, _) = l
        .unknowns
        .iter()
        .find(|(_, u)| matches!(u, Unknown::BuildOutput { .. }))?;
    if let Some(c) = m.copies.get(instr) {
        let CopyFrom::Stage(s) = c.from else {
            return None;
        };
        let rel = path::strip_dir(p, &c.dest)?;
        for src in &c.sources {
            let sp = path::resolve("/", &src.expanded);
            let mut candidates = vec![path::join(&sp, rel)];
            if c.dest_is_dir && rel == path::base_name(&sp) {
                candidates.push(sp.clone());
            }
            for cand in candidates {
                if let Some(b) = trace(m, s, &cand, usize::MAX, depth + 1) {
                    return Some(b);
                }
            }
        }
        return None;
    }
    built_by_run(m, *instr, p)
}

/// The build by RUN `run` that writes `p`, with the context directory of its source.
fn built_by_run(m: &Model, run: usize, p: &str) -> Option<BuiltBinary> {
    let stage = m.stage_of.get(run).copied().flatten()?;
    for step in m.run_steps(run) {
        let Some(tc) = &step.tool else { continue };
        if !matches!(tc.tool, Tool::Go | Tool::Cargo) {
            continue;
        }
        let writes = super::outputs::outputs_of(step)
            .iter()
            .any(|o| path::strip_dir(p, &o.path).is_some());
        if !writes {
            continue;
        }
        let dir = step.dir.as_deref()?;
        let project = match &tc.dir {
            Some(d) if d.has_expansion() => return None,
            Some(d) => path::resolve(dir, &d.value),
            None => dir.to_string(),
        };
        let package = match tc.tool {
            // `go build -o /out/web ./cmd/web`: the package named, else the directory itself.
            Tool::Go => match tc.operands.iter().find(|o| !o.value.starts_with('-')) {
                Some(o) if o.has_expansion() => return None,
                Some(o) if o.value.ends_with(".go") => {
                    let f = path::resolve(&project, &o.value);
                    f.rsplit_once('/')
                        .map(|(d, _)| if d.is_empty() { "/".into() } else { d.into() })
                        .unwrap_or(project.clone())
                }
                Some(o) if !o.value.contains("...") && !o.value.contains('@') => {
                    path::resolve(&project, &o.value)
                }
                _ => project.clone(),
            },
            _ => path::join(&project, "src"),
        };
        let source = context_dir(m, stage, &package, run)?;
        return Some(BuiltBinary {
            by: format!(
                "{} {}",
                tc.tool.as_str(),
                tc.subcommand.as_deref().unwrap_or("")
            ),
            tool: tc.tool,
            run,
            source,
        });
    }
    None
}

/// The context directory that the image directory `dir` of `stage` mirrors before `before`.
fn context_dir(m: &Model, stage: usize, dir: &str, before: usize) -> Option<String> {
    let l = m.lookup(stage, dir, before);
    match l.found.and_then(|f| f.origin.filter(|_| f.is_dir)) {
        Some(Origin::Context(rel)) => Some(rel),
        _ => None,
    }
}

/// Directories of a source tree that hold no code of the program itself.
const SKIP_DIRS: &[&str] = &[
    "vendor",
    "testdata",
    "node_modules",
    "target",
    "examples",
    "example",
    "test",
    "tests",
    "benches",
    "docs",
];
/// At most this many source files are read, each up to `MAX_FILE` bytes, `MAX_TOTAL` in all.
const MAX_FILES: usize = 300;
const MAX_FILE: usize = 256 * 1024;
const MAX_TOTAL: usize = 4 * 1024 * 1024;

/// What the source of a compiled program says about its port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BinaryPort {
    /// A listen call states it: the file and what was found there.
    Source(String, SourcePort),
    /// A framework that listens on its default unless `env` (or a file it reads) says
    /// otherwise: Rocket (8000), gin's `Run()` (8080).
    Default {
        port: u16,
        env: &'static str,
        what: String,
    },
}

/// The port the program built by `b` listens on, read from its source files. Quiet (`None`)
/// when the files state different ports, since which one the program serves is then unknown.
pub fn binary_port(m: &Model, b: &BuiltBinary, env_port: Option<u16>) -> Option<BinaryPort> {
    let ctx = m.context?;
    let ext = match b.tool {
        Tool::Go => ".go",
        _ => ".rs",
    };
    let mut found: Option<(String, SourcePort)> = None;
    let mut default: Option<BinaryPort> = None;
    let mut dirs = vec![b.source.clone()];
    let (mut files, mut total) = (0usize, 0usize);
    while let Some(d) = dirs.pop() {
        for e in ctx.list_dir(&d) {
            if e.ignored_by.is_some() || e.name.starts_with('.') {
                continue;
            }
            if e.kind.is_dir() {
                // A Go package is one directory: its subdirectories are other packages.
                if b.tool != Tool::Go && !SKIP_DIRS.contains(&e.name.as_str()) {
                    dirs.push(e.path);
                }
                continue;
            }
            if !e.name.ends_with(ext) || e.name.ends_with("_test.go") {
                continue;
            }
            files += 1;
            if files > MAX_FILES || total > MAX_TOTAL {
                return found.map(|(f, sp)| BinaryPort::Source(f, sp));
            }
            let Some(text) = ctx.read_to_string(&e.path, MAX_FILE) else {
                continue;
            };
            total += text.len();
            if default.is_none() {
                default = framework_default(ctx, b, &e.path, &text);
            }
            let Some(sp) = port_in_source(&text, env_port) else {
                continue;
            };
            match &found {
                Some((_, f)) if f.port != sp.port => return None,
                Some(_) => {}
                None => found = Some((e.path, sp)),
            }
        }
    }
    match found {
        Some((f, sp)) => Some(BinaryPort::Source(f, sp)),
        None => default,
    }
}

/// A Rocket application (8000, or `Rocket.toml` and `ROCKET_PORT`) or a gin router run with no
/// address (8080, or `PORT`), in the source file `path`.
fn framework_default(
    ctx: &crate::context::BuildContext,
    b: &BuiltBinary,
    path: &str,
    text: &str,
) -> Option<BinaryPort> {
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|n| n + 1);
    match b.tool {
        Tool::Cargo => {
            let line = line_of("#[launch]")
                .or_else(|| line_of("rocket::build()"))
                .or_else(|| line_of("rocket::ignite()"))?;
            // The crate root holds the configuration Rocket reads.
            let root = b.source.rsplit_once('/').map_or(".", |(r, _)| r);
            if ctx.exists(&path::join(root, "Rocket.toml")) {
                return None;
            }
            Some(BinaryPort::Default {
                port: 8000,
                env: "ROCKET_PORT",
                what: format!(
                    "Rocket's default port: a Rocket application at `{path}` line {line} and no `Rocket.toml`"
                ),
            })
        }
        Tool::Go => {
            if !text.contains("gin.Default()") && !text.contains("gin.New()") {
                return None;
            }
            let line = line_of(".Run()")?;
            Some(BinaryPort::Default {
                port: 8080,
                env: "PORT",
                what: format!(
                    "gin's default port: `Run()` with no address at `{path}` line {line}"
                ),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::BuildContext;
    use std::collections::BTreeMap;

    fn traced(text: &str, files: &[(&str, &str)], program: &str) -> Option<(String, String)> {
        let dir = tempfile::tempdir().expect("tempdir");
        for (p, c) in files {
            let f = dir.path().join(p);
            std::fs::create_dir_all(f.parent().expect("parent")).expect("dir");
            std::fs::write(f, c).expect("write");
        }
        let ctx = BuildContext::open(dir.path(), None).expect("context");
        let file = crate::syntax::parse(text).expect("parses");
        let m = Model::build(&file, Some(&ctx), &BTreeMap::new());
        let last = m.stages.len() - 1;
        let b = built_binary(&m, last, program)?;
        Some((b.by, b.source))
    }

    const GO: &[(&str, &str)] = &[
        ("go.mod", "module x"),
        ("main.go", "package main"),
        ("cmd/web/main.go", "package main"),
    ];

    #[test]
    fn binaries_lead_back_to_their_source() {
        let go = |build: &str, copy: &str, program: &str| {
            let text = format!(
                "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN {build}\n\
                 FROM alpine\n{copy}\nCMD [\"{program}\"]\n"
            );
            traced(&text, GO, program).map(|(by, s)| format!("{by} {s}"))
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            go(
                "go build -o /out/server .",
                "COPY --from=build /out/server /server",
                "/server"
            ),
            some("go build .")
        );
        assert_eq!(
            go(
                "CGO_ENABLED=0 go build -o /out/web ./cmd/web",
                "COPY --from=build /out/web /usr/local/bin/web",
                "/usr/local/bin/web"
            ),
            some("go build cmd/web")
        );
        // A directory of outputs copied whole.
        assert_eq!(
            go(
                "go build -o /out/ ./cmd/web",
                "COPY --from=build /out/ /app/",
                "/app/web"
            ),
            some("go build cmd/web")
        );
        // Not built: a file of the context, or of an image.
        assert_eq!(
            go(
                "go vet ./...",
                "COPY --from=build /src/main.go /main.go",
                "/main.go"
            ),
            None
        );
        assert_eq!(
            go(
                "go build -o /out/server .",
                "COPY --from=golang:1.23 /usr/local/go/bin/go /go",
                "/go"
            ),
            None
        );
        // Built from source the model cannot place.
        assert_eq!(
            go(
                "go build -o /out/server $PKG",
                "COPY --from=build /out/server /server",
                "/server"
            ),
            None
        );
        // Rust: the crate's `src/`.
        let rust = "FROM rust:1.80 AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n\
                    FROM debian:bookworm-slim\nCOPY --from=build /app/target/release/api /usr/local/bin/api\n";
        assert_eq!(
            traced(
                rust,
                &[("Cargo.toml", "[package]"), ("src/main.rs", "fn main() {}")],
                "/usr/local/bin/api"
            ),
            Some(("cargo build".into(), "src".into()))
        );
        // Built in the image stage itself.
        let single =
            "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app ./cmd/web\n";
        assert_eq!(
            traced(single, GO, "/bin/app"),
            Some(("go build".into(), "cmd/web".into()))
        );
    }
}
