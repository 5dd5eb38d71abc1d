//! cmd-file-missing: CMD/ENTRYPOINT runs a script or program by path that nothing in the build
//! put into the image, so the container exits at start with "No such file or directory".

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::command::{invocations, Arg, Invocation};
use crate::model::copy_dest::forgotten_destination_of;
use crate::model::images::{default_command, DefaultCommand, ImageRef};
use crate::model::{path, Base, CopyFrom, EntryKind, Model, Origin, Stage, Unknown};
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "cmd-file-missing",
    group: "correctness",
    severity: Severity::Error,
    summary: "CMD or ENTRYPOINT runs a file that is not in the image",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/cmd-file-missing.md"),
    aliases: &[],
    default: true,
    check,
};

/// The word of an invocation that names a file it runs, and the extensions the runner tries.
fn file_operand(inv: &Invocation) -> Option<(&Arg, &'static [&'static str])> {
    let first = inv.words.first()?;
    if first.opaque {
        return None;
    }
    if first.value.contains('/') {
        return Some((first, &[]));
    }
    let prog = path::base_name(&first.value);
    let family = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    // (options that end the search, options that take a value)
    let (stops, with_value, exts): (&[&str], &[&str], &'static [&'static str]) = match family {
        "python" | "pypy" => (&["-m", "-c", "-"], &["-W", "-X", "-Q"], &[]),
        "node" | "nodejs" => (
            &["-e", "--eval", "-p", "--print", "-i", "--interactive"],
            &[
                "-r",
                "--require",
                "--import",
                "--loader",
                "--experimental-loader",
            ],
            &[".js", ".mjs", ".cjs", "/index.js"],
        ),
        "sh" | "bash" | "ash" | "dash" | "zsh" => (&["-c", "-s"], &["-o", "-O"], &[]),
        "ruby" | "perl" => (&["-e"], &["-r", "-I"], &[]),
        "php" => (&["-r", "-S", "-a"], &["-d", "-c"], &[]),
        "java" => {
            let pos = inv.words.iter().position(|w| w.value == "-jar")?;
            return inv.words.get(pos + 1).map(|w| (w, &[] as &[&str]));
        }
        _ => return None,
    };
    let mut i = 1;
    while let Some(w) = inv.words.get(i) {
        if stops.contains(&w.value.as_str()) || w.opaque {
            return None;
        }
        if w.value.starts_with('-') {
            i += if with_value.contains(&w.value.as_str()) {
                2
            } else {
                1
            };
            continue;
        }
        return Some((w, exts));
    }
    None
}

/// Linux's limit on a path handed to the kernel.
const PATH_MAX: usize = 4096;

/// Top-level directories that well-known base images fill; a file there may come with the image.
const SYSTEM_DIRS: &[&str] = &[
    "bin", "sbin", "usr", "lib", "lib32", "lib64", "libx32", "etc", "var", "opt", "root", "proc",
    "sys", "dev", "run", "boot", "mnt", "media", "snap", "tmp", "nix",
];
/// Places under those that official images leave empty for applications.
const APP_DIRS: &[&str] = &["/usr/src/app", "/usr/app", "/var/www", "/opt/app", "/srv"];

/// `abs` is in a directory that this build made and a well-known base image does not fill: the
/// nearest ancestor of `abs` that the image holds is a directory made by an instruction of this
/// Dockerfile (WORKDIR, COPY, a build command's output), outside the system directories.
/// `None` when that ancestor is a file from the context, so that nothing can be below it.
fn in_own_dir(m: &Model, stage: &Stage, abs: &str) -> Option<bool> {
    let top = abs.trim_start_matches('/').split('/').next().unwrap_or("");
    let app = APP_DIRS.iter().any(|d| path::strip_dir(abs, d).is_some());
    let system = SYSTEM_DIRS.contains(&top) && !app;
    let mut dir = abs;
    // Past this depth the answer is "not known to be ours", which only keeps the rule quiet;
    // each step is a lookup, whose cost grows with the path.
    for _ in 0..16 {
        dir = match dir.rsplit_once('/') {
            Some(("", _)) | None => return Some(false),
            Some((p, _)) => p,
        };
        if let Some(f) = m.lookup(stage.index, dir, stage.instrs.end).found {
            // A file copied from the context is certainly a file; what the model took for a
            // file elsewhere may be a directory.
            if !f.is_dir {
                let certain = m.context.is_some() && matches!(f.origin, Some(Origin::Context(_)));
                return if certain { None } else { Some(false) };
            }
            return Some(!system && f.instr != stage.from_instr);
        }
    }
    Some(false)
}

/// The chain's root image is one whose contents layerlint knows (official images do not ship
/// application files).
fn well_known_root(m: &Model, stage: &Stage) -> bool {
    let chain = m.stage_chain(stage);
    let root = chain.last().copied().unwrap_or(stage);
    match &root.base {
        Base::Image(img) => {
            // `myorg/base` shares a short name with an official image but not its contents.
            let r = ImageRef::parse(img);
            let official = !r.repository.contains('/')
                || ["distroless/", "dotnet/", "chainguard/", "ubi8/", "ubi9/"]
                    .iter()
                    .any(|p| r.repository.starts_with(p));
            official && default_command(img) != DefaultCommand::Unknown
        }
        Base::Scratch => true,
        Base::Stage(_) => false,
    }
}

/// Could `abs` be in the image? Yes when an instruction put it there, or when something whose
/// contents the model cannot see (a base image, a RUN, a build output, an external image's
/// layer) could have; no when the only candidates cannot have put a file there: a well-known base
/// image in a directory this build made, or a RUN whose commands write nothing there.
fn maybe_created(m: &Model, stage: &Stage, abs: &str) -> bool {
    let l = m.lookup(stage.index, abs, stage.instrs.end);
    if l.found.is_some() {
        return true;
    }
    if meant_by_broken_copy(m, stage, abs) || from_foreign_context(m, stage, abs) {
        return true;
    }
    let Some(own) = in_own_dir(m, stage, abs) else {
        // Below a file: nothing can be there.
        return false;
    };
    l.unknowns.iter().any(|u| match &u.1 {
        Unknown::BaseImage(_) => !(own && well_known_root(m, stage)),
        // A RUN can put a file in a directory of its own only when one of its commands writes
        // files there; into a system directory, any package install can.
        Unknown::Run => !own || m.could_provide(stage.index, abs, stage.instrs.end, u),
        Unknown::BuildOutput { .. }
        | Unknown::Image(_)
        | Unknown::Extracted
        | Unknown::Unscanned => true,
    })
}

/// A COPY whose source is missing from the context fails the build and gets its own finding
/// (copy-source-missing); what it was meant to bring is not reported a second time. A source
/// whose name is a file's (`servr.py`, `app.jar`) stands for that one file at its destination,
/// or for the names a wildcard matches (`*.py`); a source that may be a directory (`scripts`,
/// `src/`) or an archive that ADD extracts stands for anything below its destination.
fn meant_by_broken_copy(m: &Model, stage: &Stage, abs: &str) -> bool {
    if m.context.is_none() {
        return false;
    }
    m.stage_chain(stage).iter().any(|st| {
        m.copies.range(st.instrs.clone()).any(|(i, c)| {
            let add = m.instruction(*i).keyword == crate::syntax::Keyword::Add;
            c.context_paths()
                .filter(|s| s.matches.is_empty() && !s.escapes_context)
                .any(|s| {
                    let name = path::base_name(&s.cleaned);
                    let names_file = !s.expanded.ends_with('/')
                        && name.contains('.')
                        && name != "."
                        && name != ".."
                        && !(add && crate::model::is_archive(name));
                    if !names_file {
                        return path::strip_dir(abs, &c.dest).is_some_and(|r| !r.is_empty())
                            || abs == c.dest;
                    }
                    if !c.dest_is_dir {
                        return c.dest == abs;
                    }
                    abs.rsplit_once('/').is_some_and(|(dir, file)| {
                        let dir = if dir.is_empty() { "/" } else { dir };
                        dir == c.dest
                            && (file == name
                                || (crate::context::has_wildcards(name)
                                    && crate::context::glob_match(name, file).unwrap_or(true)))
                    })
                })
        })
    })
}

/// A context of Dockerfiles and notes only is not the one the build uses (copy-source-missing
/// says so once, suggesting `--context`): what a COPY from it brings below its destination is
/// not known, so a file there is not reported missing.
fn from_foreign_context(m: &Model, stage: &Stage, abs: &str) -> bool {
    let copies_there = m.stage_chain(stage).iter().any(|st| {
        m.copies.range(st.instrs.clone()).any(|(_, c)| {
            c.from == CopyFrom::Context
                && (abs == c.dest || path::strip_dir(abs, &c.dest).is_some_and(|r| !r.is_empty()))
        })
    });
    copies_there && m.context.is_some_and(|ctx| ctx.holds_only_dockerfiles())
}

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(stage) = m.image_stage() else { return };
    // An image with ONBUILD triggers is a base image: the files its command runs come with
    // the child build, whose context and triggers this file cannot see.
    if !m.onbuild_triggers(stage).is_empty() {
        return;
    }
    for inv in invocations(m, stage) {
        if inv.via_script || inv.workdir.is_empty() {
            continue;
        }
        let Some((arg, exts)) = file_operand(&inv) else {
            continue;
        };
        let v = &arg.value;
        if arg.opaque || v.is_empty() || v.contains(['$', '*', '?', '~', '{']) || v == "." {
            continue;
        }
        let abs = path::resolve(&inv.workdir, v);
        // Longer than the kernel takes, the path runs nothing; the exec error says so.
        if abs.len() > PATH_MAX {
            continue;
        }
        let mut tries = vec![abs.clone()];
        tries.extend(exts.iter().map(|e| format!("{abs}{e}")));
        if tries.iter().any(|t| maybe_created(m, stage, t)) {
            continue;
        }
        out.push(diagnose(m, stage, &inv, arg, &abs));
    }
}

fn diagnose(m: &Model, stage: &Stage, inv: &Invocation, arg: &Arg, abs: &str) -> Diagnostic {
    let name = path::base_name(abs);
    let dir = abs
        .rsplit_once('/')
        .map_or("/", |(p, _)| if p.is_empty() { "/" } else { p });
    let (elsewhere, in_context) = find_elsewhere(m, stage, name);
    let mut message = format!("`{}` is not in {dir}", arg.value);
    let mut help = None;
    let mut secondary = None;
    if let Some(p) = &elsewhere {
        let rel = path::strip_dir(p, &inv.workdir).filter(|r| !r.is_empty());
        message.push_str(&format!("; it was copied to {p}"));
        help = Some(match rel {
            Some(r) => format!(
                "run `{r}` (relative to WORKDIR {}), or copy the file to {abs}",
                inv.workdir
            ),
            None => format!("run `{p}`, or copy the file to {abs}"),
        });
    } else if let Some(f) = in_context
        .as_deref()
        .and_then(|c| forgotten_destination_of(m, stage.index, stage.instrs.end, c))
    {
        message.push_str(&format!(
            "; `{}` copied it to `{}`, taking `{}` as the destination",
            m.snippet(m.instruction(f.instr).span, 60),
            f.copied_to,
            f.dest_word
        ));
        help = Some(format!(
            "end the COPY with a destination: `{}`",
            f.suggestion
        ));
        secondary = Some((
            m.instruction(f.instr).span,
            format!("copies `{}` to `{}`", f.source, f.copied_to),
        ));
    } else if let Some(c) = &in_context {
        message.push_str(&format!(
            "; it is in the build context at `{c}` but never copied"
        ));
        help = Some(format!("copy it into the image, e.g. `COPY {c} {abs}`"));
    } else {
        let near = siblings(m, stage, dir, name);
        if !near.is_empty() {
            let list = near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
            help = Some(match &list[..] {
                [one] => format!("{dir} holds {one}; did you mean it?"),
                _ => format!("{dir} holds {}; did you mean one of them?", list.join(", ")),
            });
        }
    }
    let mut d = Diagnostic::new(RULE.name, RULE.severity, message, arg.span).label(format!(
        "runs {abs}, which no instruction of this build puts there"
    ));
    if let Some(h) = help {
        d = d.help(h);
    }
    if let Some((span, text)) = secondary {
        d = d.secondary(span, text);
    }
    d
}

/// Where a file named `name` is in the image, or else in the context.
fn find_elsewhere(m: &Model, stage: &Stage, name: &str) -> (Option<String>, Option<String>) {
    let ctx_hits = m
        .context
        .map(|c| find_in_context(c, name))
        .unwrap_or_default();
    for s in m.stage_chain(stage) {
        for e in s.fs.iter().rev() {
            match &e.kind {
                EntryKind::Path { dir: false, .. } if path::base_name(&e.path) == name => {
                    return (Some(e.path.clone()), None)
                }
                EntryKind::Tree(Origin::Context(d)) => {
                    for hit in &ctx_hits {
                        if let Some(rel) = path::strip_dir(hit, d).filter(|r| !r.is_empty()) {
                            return (Some(path::join(&e.path, rel)), None);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    (None, ctx_hits.into_iter().next())
}

/// Context paths of files called `name`, breadth first, over a bounded number of entries.
fn find_in_context(ctx: &crate::context::BuildContext, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([String::from(".")]);
    let mut seen = 0;
    while let Some(dir) = queue.pop_front() {
        for e in ctx.list_dir_unfiltered(&dir) {
            seen += 1;
            if seen > 5000 {
                return out;
            }
            if e.name == ".git" || e.name == "node_modules" {
                continue;
            }
            // Linked directories are not entered: a link to `..` would make every path a new
            // one, each longer to resolve than the last.
            if e.kind == crate::context::EntryKind::Dir {
                if ctx.is_ignored(&e.path).is_none() {
                    queue.push_back(e.path);
                }
            } else if e.name == name && ctx.is_ignored(&e.path).is_none() {
                out.push(e.path);
            }
        }
    }
    out
}

/// Files the build put directly in `dir` with the same extension as `name`.
fn siblings(m: &Model, stage: &Stage, dir: &str, name: &str) -> Vec<String> {
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    let mut names = Vec::new();
    for s in m.stage_chain(stage) {
        for e in &s.fs {
            match &e.kind {
                EntryKind::Path { dir: false, .. }
                    if path::strip_dir(&e.path, dir)
                        .is_some_and(|r| !r.contains('/') && !r.is_empty()) =>
                {
                    names.push(path::base_name(&e.path).to_string())
                }
                EntryKind::Tree(Origin::Context(d)) if e.path == dir => {
                    if let Some(c) = m.context {
                        names.extend(
                            c.list_dir(d)
                                .into_iter()
                                .filter(|x| !x.kind.is_dir() && x.ignored_by.is_none())
                                .map(|x| x.name),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    names.retain(|n| n.rsplit_once('.').map(|(_, e)| e) == ext && n != name);
    names.sort();
    names.dedup();
    names.truncate(3);
    names
}

#[cfg(test)]
mod tests {
    use crate::rules::test_context::{context_with, fires, lint_with_args};

    const BASE: &str = "FROM python:3.12-slim\nWORKDIR /app\nCOPY src/ .\n";
    const CTX: &[&str] = &["src/server.py: print(1)", "run.sh: echo"];

    #[test]
    fn table() {
        let cases: &[(&str, usize)] = &[
            ("CMD [\"python\", \"server.py\"]", 0),
            ("CMD [\"python\", \"app.py\"]", 1),
            ("CMD python app.py", 1),
            ("cmd python -u app.py", 1),
            ("CMD cd / && python app/server.py", 0),
            ("CMD cd / && python server.py", 0),
            ("CMD cd /app && python app.py", 1),
            ("CMD [\"sh\", \"-c\", \"exec python app.py\"]", 1),
            ("ENTRYPOINT [\"python\"]\nCMD [\"server.py\"]", 0),
            ("ENTRYPOINT [\"python\"]\nCMD [\"app.py\"]", 1),
            ("CMD [\"python\", \"-m\", \"app\"]", 0),
            ("CMD [\"gunicorn\", \"app:app\"]", 0),
            ("CMD [\"/usr/bin/tini\", \"--\", \"python\", \"app.py\"]", 1),
            ("CMD env A=1 python app.py", 1),
            ("ENV F=app.py\nCMD python $F", 0),
            ("RUN curl -o app.py https://x\nCMD [\"python\", \"app.py\"]", 0),
            ("RUN pip install flask\nCMD [\"python\", \"app.py\"]", 1),
            ("RUN pip install --target . flask\nCMD [\"python\", \"app.py\"]", 0),
            ("RUN <<EOF\ncp server.py app.py\nEOF\nCMD [\"python\", \"app.py\"]", 0),
            ("RUN --mount=type=bind,target=/x pip install -r /x/r.txt\nCMD [\"python\", \"app.py\"]", 1),
            // ONBUILD triggers make it a base image: the child build brings the file.
            ("ONBUILD COPY app.py .\nCMD [\"python\", \"app.py\"]", 0),
            ("ONBUILD RUN true\nCMD [\"./run.sh\"]", 0),
            ("CMD [\"./run.sh\"]", 1),
            ("COPY run.sh .\nCMD [\"./run.sh\"]", 0),
            ("CMD [\"/docker-entrypoint.sh\"]", 0),
            ("CMD [\"/usr/local/bin/start\"]", 0),
        ];
        for (tail, want) in cases {
            let text = format!("{BASE}{tail}\n");
            assert_eq!(fires("cmd-file-missing", &text, CTX), *want, "{text}");
        }
    }

    #[test]
    fn context_of_dockerfiles_only() {
        // `docker/Dockerfile` linted with its own folder as the context: the sources are
        // elsewhere, so what `COPY . .` brings is unknown.
        let df = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
        let only = &[
            "Dockerfile: FROM x",
            "Dockerfile.dev: FROM x",
            "README.md: docs",
        ];
        assert_eq!(fires("cmd-file-missing", df, only), 0);
        assert_eq!(
            fires(
                "cmd-file-missing",
                df,
                &["index.js: x", "Dockerfile: FROM x"]
            ),
            1
        );
        // A file from a builder stage is still judged: the context does not bring it.
        let ms = "FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /out/web\n\
                  FROM scratch\nCOPY --from=build /out/web /web\nENTRYPOINT [\"/server\"]\n";
        assert_eq!(fires("cmd-file-missing", ms, only), 1);
    }

    #[test]
    fn stages_and_unknown_bases() {
        let ms = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/web\n\
                  FROM scratch\nCOPY --from=build /out/web /web\nENTRYPOINT [\"/web\"]\n";
        assert_eq!(fires("cmd-file-missing", ms, &[]), 0);
        let wrong = ms.replace("[\"/web\"]", "[\"/server\"]");
        assert_eq!(fires("cmd-file-missing", &wrong, &[]), 1);
        let unknown = "FROM myorg/base\nWORKDIR /app\nCMD [\"python\", \"app.py\"]\n";
        assert_eq!(fires("cmd-file-missing", unknown, &[]), 0);
        let esc =
            "# escape=`\nFROM python:3.12\nWORKDIR /app\nCOPY src/ .\nCMD python `\n  app.py\n";
        assert_eq!(fires("cmd-file-missing", esc, CTX), 1);
        let jar = "FROM eclipse-temurin:21\nWORKDIR /app\nCOPY target/app.jar app.jar\nCMD [\"java\", \"-jar\", \"app.jar\"]\n";
        assert_eq!(fires("cmd-file-missing", jar, &["target/app.jar: x"]), 0);
        assert_eq!(
            fires(
                "cmd-file-missing",
                &jar.replace("-jar\", \"app", "-jar\", \"svc"),
                &["target/app.jar: x"]
            ),
            1
        );
    }

    /// Each shape as a pair: the Dockerfile that is wrong, and the one that is right or that the
    /// rule cannot judge.
    #[test]
    fn silences_have_reasons() {
        let node = "FROM node:20-alpine\nWORKDIR /app\nCOPY server.js .\n";
        let node_ctx = &["server.js: x", "lib/index.js: x"];
        let py = "FROM python:3.12-slim\nWORKDIR /app\n";
        let py_ctx = &["src/server.py: x", "bin/start: x", "composer.json: {}"];
        let dotnet = "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /source\nCOPY . .\n\
                      RUN dotnet publish -c Release -o /app\n\
                      FROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\n";
        let dn_ctx = &["aspnetapp.csproj: <Project/>", "Program.cs: x"];
        let cases: &[(String, &[&str], usize)] = &[
            // `node index.js` tries index.js, index.js.js, …, index.js/index.js; none can exist
            // below a directory this build made.
            (format!("{node}CMD [\"node\", \"index.js\"]"), node_ctx, 1),
            (format!("{node}CMD [\"node\", \"server.js\"]"), node_ctx, 0),
            (format!("{node}CMD [\"node\", \"server\"]"), node_ctx, 0),
            (format!("{node}COPY lib lib\nCMD [\"node\", \"lib\"]"), node_ctx, 0),
            (format!("{node}CMD [\"node\", \"server.js/index.js\"]"), node_ctx, 1),
            // A package install writes into system directories, not into bin/ of the app.
            (format!("{py}RUN apt-get update && apt-get install -y curl\nCOPY src/ .\nCMD [\"bin/start\"]"), py_ctx, 1),
            (format!("{py}RUN apt-get update && apt-get install -y curl\nCOPY . .\nCMD [\"bin/start\"]"), py_ctx, 0),
            (format!("{py}RUN pip install flask\nCMD [\"/usr/local/bin/flask\"]"), py_ctx, 0),
            (format!("{py}COPY composer.json .\nRUN composer install\nCMD [\"vendor/bin/serve\"]"), py_ctx, 0),
            (format!("{py}COPY composer.json .\nCMD [\"vendor/bin/serve\"]"), py_ctx, 1),
            // A COPY whose source is missing stands only for the file it names.
            (format!("{py}COPY servr.py .\nCMD [\"python\", \"app.py\"]"), py_ctx, 1),
            (format!("{py}COPY app.py .\nCMD [\"python\", \"app.py\"]"), py_ctx, 0),
            (format!("{py}COPY *.py .\nCMD [\"python\", \"app.py\"]"), py_ctx, 0),
            (format!("{py}COPY *.py .\nCMD [\"./start.sh\"]"), py_ctx, 1),
            (format!("{py}COPY scr/ .\nCMD [\"python\", \"app.py\"]"), py_ctx, 0),
            // What a build command writes into its output directory, and a COPY --from of it.
            (format!("{dotnet}COPY --from=build /app .\nENTRYPOINT [\"./aspnetapp\"]"), dn_ctx, 0),
            (format!("{dotnet}COPY --from=build /app ./bin\nENTRYPOINT [\"./aspnetapp\"]"), dn_ctx, 1),
            (format!("{dotnet}COPY --from=build /app ./bin\nENTRYPOINT [\"bin/aspnetapp\"]"), dn_ctx, 0),
            // Below an output directory, a source may be a file or a directory.
            (format!("{dotnet}COPY --from=build /app/aspnetapp.dll .\nENTRYPOINT [\"./aspnetapp\"]"), dn_ctx, 0),
            (
                "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /source\nCOPY . .\n\
                 RUN dotnet publish -c Release\nFROM mcr.microsoft.com/dotnet/runtime:8.0\nWORKDIR /app\n\
                 COPY --from=build /source/bin/Release/net8.0/publish/ .\nENTRYPOINT [\"./aspnetapp\"]"
                    .to_string(),
                dn_ctx,
                0,
            ),
            (
                "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /source\nCOPY . .\n\
                 RUN dotnet publish -c Release\nFROM mcr.microsoft.com/dotnet/runtime:8.0\nWORKDIR /app\n\
                 COPY --from=build /source/bin/Release/net8.0/publish/ bin/\nENTRYPOINT [\"./aspnetapp\"]"
                    .to_string(),
                dn_ctx,
                1,
            ),
            (
                "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\
                 FROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\nCMD [\"node\", \"dist/server.js\"]"
                    .to_string(),
                node_ctx,
                0,
            ),
            (
                "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\
                 FROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./public\nCMD [\"node\", \"dist/server.js\"]"
                    .to_string(),
                node_ctx,
                1,
            ),
            (
                "FROM rust:1.80 AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\n\
                 FROM debian:bookworm-slim\nCOPY --from=build /src/target/release /app\nCMD [\"/app/web\"]"
                    .to_string(),
                node_ctx,
                0,
            ),
            (
                "FROM maven:3-eclipse-temurin-21 AS build\nWORKDIR /src\nCOPY . .\nRUN mvn -B clean package\n\
                 FROM eclipse-temurin:21-jre\nWORKDIR /app\nCOPY --from=build /src/target/ ./\nCMD [\"java\", \"-jar\", \"demo.jar\"]"
                    .to_string(),
                node_ctx,
                0,
            ),
            (
                "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/web .\n\
                 FROM scratch\nCOPY --from=build /out/web /\nENTRYPOINT [\"/server\"]"
                    .to_string(),
                node_ctx,
                1,
            ),
            // A directory that a RUN made is copied as a directory, not as a file of its name.
            (
                "FROM alpine AS build\nRUN mkdir /aurora && cc -o /aurora/sleep sleep.c\n\
                 FROM scratch\nCOPY --from=build /aurora /\nCMD [\"/sleep\"]"
                    .to_string(),
                node_ctx,
                0,
            ),
            (
                "FROM alpine AS build\nRUN mkdir /aurora && cc -o /aurora/sleep sleep.c\n\
                 FROM scratch\nCOPY --from=build /aurora /bin\nCMD [\"/sleep\"]"
                    .to_string(),
                node_ctx,
                1,
            ),
        ];
        for (text, ctx, want) in cases {
            assert_eq!(fires("cmd-file-missing", text, ctx), *want, "{text}");
        }
    }

    /// Found by fuzzing: a link to `..` inside the context made the search for the missing
    /// file enter `src/up/src/up/…`, each path longer to resolve than the last (seconds per file).
    #[cfg(unix)]
    #[test]
    fn a_link_to_the_parent_is_not_followed() {
        let ctx = context_with(&["src/app/main.py", "docs/README.md"]);
        std::os::unix::fs::symlink("..", ctx.path().join("src/up")).expect("link");
        std::os::unix::fs::symlink("/etc", ctx.path().join("abs")).expect("link");
        let got = lint_with_args(
            &ctx,
            "FROM python:3.8-alpine\nADD . /app\nWORKDIR /app\nCMD [\"python3\", \"app.py\"]\n",
            &[],
            "cmd-file-missing",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("`app.py` is not in /app"), "{got:?}");
    }

    #[test]
    fn destination_forgotten() {
        let files = &["app.py: print(1)", "requirements.txt: flask"];
        let bad = "FROM python:3\nWORKDIR /app\nCOPY app.py requirements.txt\nCMD [\"python\", \"app.py\"]\n";
        let d = crate::rules::test_context::run("cmd-file-missing", files, "Dockerfile", bad);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(
            d[0].message.contains("`COPY app.py requirements.txt` copied it to `/app/requirements.txt`, taking `requirements.txt` as the destination"),
            "{}",
            d[0].message
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("end the COPY with a destination: `COPY app.py requirements.txt ./`")
        );
        let good = bad.replace("requirements.txt\n", "requirements.txt ./\n");
        assert!(
            crate::rules::test_context::run("cmd-file-missing", files, "Dockerfile", &good)
                .is_empty()
        );
    }
}
