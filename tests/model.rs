//! The model's facts on small Dockerfiles: stages and bases, ARG/ENV scoping as BuildKit
//! does it, WORKDIR resolution, and the simulated image filesystem with its origins.

use layerlint::context::BuildContext;
use layerlint::model::{Base, CopyFrom, Model, Origin, Unknown};
use layerlint::syntax::parse;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn context(files: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "layerlint-model-{}-{}",
        std::process::id(),
        files.join("+").replace(['/', '.'], "_")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for f in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        if let Some((path, content)) = f.split_once(':') {
            std::fs::write(dir.join(path), content).unwrap();
        } else {
            std::fs::write(&p, "").unwrap();
        }
    }
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn args(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn stages_bases_and_names() {
    let df = parse(
        "ARG V=3.12\nFROM python:${V}-slim AS Build\nRUN true\nFROM build\nFROM scratch\nFROM 0\n",
    )
    .unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    assert_eq!(m.stages.len(), 4);
    assert_eq!(m.stages[0].base, Base::Image("python:3.12-slim".into()));
    assert_eq!(m.stages[0].name.as_deref(), Some("Build"));
    assert_eq!(
        m.stages[1].base,
        Base::Stage(0),
        "stage names match case-insensitively"
    );
    assert_eq!(m.stages[2].base, Base::Scratch);
    assert_eq!(
        m.stages[3].base,
        Base::Stage(0),
        "a number names a stage by index"
    );
    assert_eq!(
        m.stage_of,
        vec![None, Some(0), Some(0), Some(1), Some(2), Some(3)]
    );
}

#[test]
fn build_args_override_defaults() {
    let df = parse("ARG V=3.12\nFROM python:${V}\n").unwrap();
    let m = Model::build(&df, None, &args(&[("V", "3.13")]));
    assert_eq!(m.stages[0].base, Base::Image("python:3.13".into()));
}

#[test]
fn arg_and_env_scoping() {
    let text = "ARG G=global\nFROM alpine\nRUN a\nARG G\nENV E=$G-env\nARG L=local\nENV L=env-wins\nRUN b\nFROM alpine\nRUN c\n";
    let df = parse(text).unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    // A global ARG is invisible inside a stage until the stage declares it.
    assert_eq!(m.var_at(2, "G"), None);
    assert_eq!(m.var_at(4, "G"), Some("global"));
    assert_eq!(m.var_at(7, "E"), Some("global-env"));
    // ENV beats ARG of the same name.
    assert_eq!(m.var_at(7, "L"), Some("env-wins"));
    // A new stage from an external image starts empty.
    assert_eq!(m.var_at(9, "E"), None);
    // Platform ARGs are predefined in the global scope.
    assert_eq!(m.expand_at(1, "${TARGETARCH}"), "amd64");
}

#[test]
fn env_values_see_the_state_before_their_line() {
    let df = parse("FROM alpine\nENV A=1\nENV A=2 B=$A\nRUN x\n").unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    assert_eq!(m.var_at(3, "B"), Some("1"));
}

#[test]
fn child_stage_inherits_env_workdir_and_cmd() {
    let df = parse("FROM alpine AS base\nENV X=1\nWORKDIR /srv\nCMD [\"x\"]\nFROM base\nRUN y\n")
        .unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    assert_eq!(m.var_at(5, "X"), Some("1"));
    assert_eq!(m.workdir_at(5), "/srv");
    assert_eq!(m.stages[1].cmd, Some(3));
}

#[test]
fn workdir_resolution() {
    let df =
        parse("FROM alpine\nWORKDIR /app\nWORKDIR src\nARG D=/data\nWORKDIR $D/../x\nRUN pwd\n")
            .unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    assert_eq!(m.workdir_at(2), "/app");
    assert_eq!(m.workdir_at(3), "/app/src");
    assert_eq!(m.workdir_at(5), "/x");
    assert_eq!(m.resolve_at(3, "req.txt"), "/app/src/req.txt");
}

#[test]
fn image_filesystem_tracks_copies() {
    let dir = context(&["src/requirements.txt", "src/server.py", "README.md"]);
    let ctx = BuildContext::open(&dir, None).unwrap();
    let text = "FROM scratch\nWORKDIR /app\nCOPY src/requirements.txt .\nCOPY src/ ./code/\nCOPY README.md /docs\nCMD [\"x\"]\n";
    let df = parse(text).unwrap();
    let m = Model::build(&df, Some(&ctx), &BTreeMap::new());
    let l = m.lookup(0, "/app/requirements.txt", 3);
    assert_eq!(
        l.found.unwrap().origin,
        Some(Origin::Context("src/requirements.txt".into()))
    );
    // Before the COPY ran, the file was not there, and nothing unknown could have put it there.
    assert!(m.lookup(0, "/app/requirements.txt", 2).is_absent());
    // A directory copy maps its contents lazily.
    let l = m.lookup(0, "/app/code/server.py", 5);
    assert_eq!(
        l.found.unwrap().origin,
        Some(Origin::Context("src/server.py".into()))
    );
    assert!(m.lookup(0, "/app/code/nope.py", 5).is_absent());
    // A single file to a path without a trailing slash is that path.
    assert!(m.lookup(0, "/docs", 5).is_present());
    assert!(m.lookup(0, "/docs/README.md", 5).is_absent());
    let c = &m.copies[&3];
    assert_eq!(c.from, CopyFrom::Context);
    assert_eq!(c.dest, "/app/code");
    assert_eq!(c.sources[0].matches[0].path, "src");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn unknowns_come_from_base_images_and_runs() {
    let df =
        parse("FROM python:3.12\nCOPY --from=nginx:1 /etc/nginx /etc/nginx\nRUN make\n").unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    let l = m.lookup(0, "/usr/bin/python3", 1);
    assert!(!l.is_present() && !l.is_absent());
    assert!(matches!(l.unknowns[0].1, Unknown::BaseImage(_)));
    let l = m.lookup(0, "/etc/nginx/nginx.conf", 3);
    assert!(l.unknowns.iter().any(|(_, u)| matches!(u, Unknown::Run)));
    assert!(l
        .unknowns
        .iter()
        .any(|(_, u)| matches!(u, Unknown::Image(_))));
}

#[test]
fn copy_from_stage_knows_what_the_stage_produced() {
    let dir = context(&["go.mod", "main.go"]);
    let ctx = BuildContext::open(&dir, None).unwrap();
    let text = "FROM scratch AS build\nCOPY . /src\nFROM scratch\nCOPY --from=build /src/main.go /app/\nCOPY --from=build /src /all\nCMD [\"/app\"]\n";
    let df = parse(text).unwrap();
    let m = Model::build(&df, Some(&ctx), &BTreeMap::new());
    let l = m.lookup(1, "/app/main.go", 5);
    assert_eq!(
        l.found.unwrap().origin,
        Some(Origin::Stage {
            stage: 0,
            path: "/src/main.go".into()
        })
    );
    let l = m.lookup(1, "/all/go.mod", 5);
    assert_eq!(
        l.found.unwrap().origin,
        Some(Origin::Stage {
            stage: 0,
            path: "/src/go.mod".into()
        })
    );
    // What the stage did not produce is not there.
    assert!(m.lookup(0, "/src/main.go", 2).is_present());
    assert!(m.lookup(1, "/all/missing", 5).is_absent());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bind_mounts_are_visible_only_during_their_run() {
    let dir = context(&["requirements.txt"]);
    let ctx = BuildContext::open(&dir, None).unwrap();
    let text = "FROM scratch\nWORKDIR /app\nRUN --mount=type=bind,source=requirements.txt,target=/tmp/req.txt pip install -r /tmp/req.txt\nRUN ls\n";
    let df = parse(text).unwrap();
    let m = Model::build(&df, Some(&ctx), &BTreeMap::new());
    assert!(m.lookup_during_run(2, "/tmp/req.txt").is_present());
    assert!(!m.lookup_during_run(3, "/tmp/req.txt").is_present());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn expansion_applies_to_buildkit_s_instructions_only() {
    use layerlint::model::expands_variables;
    use layerlint::syntax::Keyword;
    for k in [
        Keyword::Copy,
        Keyword::Workdir,
        Keyword::Expose,
        Keyword::From,
        Keyword::Env,
    ] {
        assert!(expands_variables(k), "{k:?}");
    }
    for k in [
        Keyword::Run,
        Keyword::Cmd,
        Keyword::Entrypoint,
        Keyword::Onbuild,
        Keyword::Healthcheck,
    ] {
        assert!(!expands_variables(k), "{k:?}");
    }
}

#[test]
fn context_paths_of_a_copy_carry_their_unset_variables() {
    let df = parse(
        "FROM alpine AS a\nARG SRC\nARG DOC=README.md\nCOPY $SRC $DOC /app/\nADD https://example.com/x.tgz /x/\nCOPY --from=a /etc/hosts /h\n",
    )
    .unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    let paths: Vec<_> = m.copies[&3].context_paths().collect();
    assert_eq!(paths.len(), 2);
    assert_eq!(paths[0].unset_vars, ["SRC"]);
    assert!(paths[1].unset_vars.is_empty());
    assert_eq!(paths[1].expanded, "README.md");
    // URLs and other stages are not read from the context.
    assert_eq!(m.copies[&4].context_paths().count(), 0);
    assert_eq!(m.copies[&5].context_paths().count(), 0);
}

#[test]
fn stage_chain_runs_back_to_the_image() {
    let df = parse("FROM alpine AS a\nFROM a AS b\nFROM debian\nFROM b\n").unwrap();
    let m = Model::build(&df, None, &BTreeMap::new());
    let chain: Vec<usize> = m
        .stage_chain(m.image_stage().unwrap())
        .iter()
        .map(|s| s.index)
        .collect();
    assert_eq!(chain, [3, 1, 0]);
    assert_eq!(m.stage_chain(&m.stages[2]).len(), 1);
}

#[test]
fn the_image_stage_is_the_target_or_the_last() {
    use layerlint::model::Purpose;
    let df = parse("FROM alpine AS Build\nFROM build AS prod\nFROM prod AS test\n").unwrap();
    let for_target = |t: Option<&str>| Purpose {
        target: t.map(str::to_string),
        ..Purpose::default()
    };
    let m = Model::build(&df, None, &BTreeMap::new());
    assert_eq!(m.image_stage().map(|s| s.index), Some(2));
    assert!(!m.builds_target());
    assert_eq!(m.image_stage_phrase(), "the final stage");
    for (target, index, phrase) in [
        ("prod", 1, "the target stage `prod`"),
        ("BUILD", 0, "the target stage `Build`"),
        ("test", 2, "the target stage `test`"),
    ] {
        let m = Model::build_for(&df, None, &BTreeMap::new(), &for_target(Some(target)));
        assert_eq!(m.image_stage().map(|s| s.index), Some(index), "{target}");
        assert!(m.builds_target() && !m.target_missing);
        assert_eq!(m.image_stage_phrase(), phrase);
    }
    // A target that names no stage: the last stage, and the model says the target is missing.
    let m = Model::build_for(&df, None, &BTreeMap::new(), &for_target(Some("release")));
    assert_eq!(m.image_stage().map(|s| s.index), Some(2));
    assert!(m.target_missing && !m.builds_target());
    assert_eq!(m.named_stages(), vec!["Build", "prod", "test"]);
    // No stages at all.
    let empty = parse("ARG X=1\n").unwrap();
    let m = Model::build_for(&empty, None, &BTreeMap::new(), &for_target(Some("x")));
    assert!(m.image_stage().is_none() && m.target_missing);
}
