//! Which of a stage's files end up in the image the build produces, and where a COPY put a
//! given context file: what lets a finding say "only into the build stage `builder`".

use super::fs::EntryKind;
use super::{path, Copy, CopyFrom, Model, Origin, Stage};

/// (stage, path) pairs followed through `COPY --from` before the answer is taken to be yes:
/// real chains are two or three long, and a bound keeps a hostile file linear.
const REACH_STEPS: usize = 64;

impl Stage {
    /// How a message names the stage: its `AS` name, or its index (what `--from=0` takes).
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.index.to_string())
    }
}

impl Model<'_> {
    /// Where the COPY/ADD `instr` put the context file or directory `file` (relative,
    /// cleaned), as an absolute path in its stage.
    pub fn copied_to(&self, instr: usize, file: &str) -> Option<String> {
        let stage = &self.stages[self.stage_of.get(instr).copied().flatten()?];
        let start = stage.fs.partition_point(|e| e.instr < instr);
        stage.fs[start..]
            .iter()
            .take_while(|e| e.instr == instr)
            .find_map(|e| match &e.kind {
                EntryKind::Tree(Origin::Context(dir)) => {
                    below(file, dir).map(|rel| path::join(&e.path, rel))
                }
                EntryKind::Path {
                    origin: Origin::Context(p),
                    ..
                } if p == file => Some(e.path.clone()),
                _ => None,
            })
    }

    /// The stages a build of this file may produce an image of: the last one, and those built
    /// only with `--target` (or a compose `target:`): a stage that sets its own CMD or
    /// ENTRYPOINT, or that no other stage builds on, copies or mounts from.
    pub fn image_stages(&self) -> Vec<usize> {
        let mut used = vec![false; self.stages.len()];
        for s in &self.stages {
            if let super::Base::Stage(p) = s.base {
                used[p] = true;
            }
        }
        let from_stages = self
            .copies
            .values()
            .map(|c| &c.from)
            .chain(self.mounts.values().flatten().map(|m| &m.from));
        for from in from_stages {
            if let CopyFrom::Stage(p) = from {
                if let Some(u) = used.get_mut(*p) {
                    *u = true;
                }
            }
        }
        self.stages
            .iter()
            .filter(|s| {
                s.index + 1 == self.stages.len()
                    || !used[s.index]
                    || s.instrs.clone().any(|i| {
                        matches!(
                            self.instruction(i).keyword,
                            super::Keyword::Cmd | super::Keyword::Entrypoint
                        )
                    })
            })
            .map(|s| s.index)
            .collect()
    }

    /// Whether what stage `stage` holds at `path` (absolute) is in an image the build
    /// produces (see `image_stages`). Those stages and the stages they are built on hold it
    /// outright; any other stage only through a `COPY --from` (or `RUN --mount=from=`) of a
    /// path at or around it by a stage that reaches such an image in turn. Files a RUN moves
    /// around inside a stage are not followed.
    pub fn reaches_final_image(&self, stage: usize, path: &str) -> bool {
        let final_chain: Vec<usize> = self
            .image_stages()
            .into_iter()
            .flat_map(|s| self.stage_chain(&self.stages[s]))
            .map(|s| s.index)
            .collect();
        if final_chain.is_empty() {
            return true;
        }
        let mut queue = vec![(stage, path::clean(path))];
        let mut seen: Vec<(usize, String)> = Vec::new();
        while let Some((s, p)) = queue.pop() {
            if final_chain.contains(&s) {
                return true;
            }
            if seen.iter().any(|(t, q)| *t == s && *q == p) {
                continue;
            }
            if seen.len() >= REACH_STEPS {
                return true;
            }
            for copy in self.copies.values() {
                let (CopyFrom::Stage(from), Some(to)) = (&copy.from, self.stage_of[copy.instr])
                else {
                    continue;
                };
                if !self.built_on(*from, s) {
                    continue;
                }
                for src in &copy.sources {
                    if let Some(dest) = carried(copy, &src.expanded, &p) {
                        queue.push((to, dest));
                    }
                }
            }
            for (instr, mounts) in &self.mounts {
                let Some(to) = self.stage_of[*instr] else {
                    continue;
                };
                for mount in mounts {
                    let CopyFrom::Stage(from) = mount.from else {
                        continue;
                    };
                    let source = path::resolve("/", &mount.source);
                    if self.built_on(from, s) && overlaps(&source, &p) {
                        // What the RUN does with it is unknown: count it as copied in.
                        queue.push((to, mount.target.clone()));
                    }
                }
            }
            seen.push((s, p));
        }
        false
    }

    /// Stage `child` is `ancestor` or built on it (`FROM ancestor`), so holds its files.
    fn built_on(&self, child: usize, ancestor: usize) -> bool {
        self.stages
            .get(child)
            .is_some_and(|c| self.stage_chain(c).iter().any(|s| s.index == ancestor))
    }
}

/// `file` relative to the context directory `dir`, when it is `dir` or below it.
fn below<'a>(file: &'a str, dir: &str) -> Option<&'a str> {
    if dir == "." {
        return Some(file);
    }
    match file.strip_prefix(dir)? {
        "" => Some(""),
        rest => rest.strip_prefix('/'),
    }
}

/// One path lies at or below the other.
fn overlaps(a: &str, b: &str) -> bool {
    path::strip_dir(a, b).is_some() || path::strip_dir(b, a).is_some()
}

/// Where `COPY --from` of the source `source` puts what its stage holds at `p`, when the
/// source covers `p` (or lies inside it: part of `p` is carried). A wildcard source is taken
/// to cover everything in the directory before its first wildcard.
fn carried(copy: &Copy, source: &str, p: &str) -> Option<String> {
    let src = path::resolve("/", source);
    if let Some(star) = src.find(['*', '?', '[']) {
        let dir = src[..star].rsplit_once('/').map_or("/", |(d, _)| d);
        let dir = if dir.is_empty() { "/" } else { dir };
        return overlaps(dir, p).then(|| copy.dest.clone());
    }
    match path::strip_dir(p, &src) {
        Some(rel) if !rel.is_empty() => Some(path::join(&copy.dest, rel)),
        Some(_) => Some(copy.dest.clone()),
        None => path::strip_dir(&src, p).map(|_| copy.dest.clone()),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Model;
    use std::collections::BTreeMap;

    /// Whether stage `stage` of `text` holds `path` in the final image.
    fn reaches(text: &str, stage: usize, path: &str) -> bool {
        let file = crate::syntax::parse(text).expect("parses");
        let m = Model::build(&file, None, &BTreeMap::new());
        m.reaches_final_image(stage, path)
    }

    #[test]
    fn table() {
        let two = "FROM node AS build\nWORKDIR /app\nCOPY . .\nRUN npm run build\n\
                   FROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n";
        let cases: &[(&str, usize, &str, bool)] = &[
            // The final stage, and a stage it is built on.
            (two, 1, "/etc/x", true),
            ("FROM alpine AS base\nCOPY . /src\nFROM base\n", 0, "/src/.env", true),
            // Only `/app/dist` is taken from the build stage.
            (two, 0, "/app/.env", false),
            (two, 0, "/app/dist/main.js", true),
            // A path containing the copied one is carried in part.
            (two, 0, "/app", true),
            // Taken whole, by `/`, by a wildcard, or by index.
            ("FROM a AS b\nFROM c\nCOPY --from=b /app /app\n", 0, "/app/.env", true),
            ("FROM a AS b\nFROM c\nCOPY --from=b / /\n", 0, "/app/.env", true),
            ("FROM a AS b\nFROM c\nCOPY --from=b /app/* /srv/\n", 0, "/app/.env", true),
            ("FROM a AS b\nFROM c\nCOPY --from=0 /app/bin /bin\n", 0, "/app/.env", false),
            // Through an intermediate stage: carried only when each hop covers it.
            (
                "FROM a AS b\nFROM c AS d\nCOPY --from=b /app /src\nFROM e\nCOPY --from=d /src/.env /x\n",
                0,
                "/app/.env",
                true,
            ),
            (
                "FROM a AS b\nFROM c AS d\nCOPY --from=b /app /src\nFROM e\nCOPY --from=d /src/bin /x\n",
                0,
                "/app/.env",
                false,
            ),
            // A stage built on the copied-from one holds its files too.
            ("FROM a AS b\nFROM b AS c\nFROM e\nCOPY --from=c /app /app\n", 0, "/app/.env", true),
            // Mounted into a RUN of the final stage: what the RUN does is unknown.
            (
                "FROM a AS b\nFROM c\nRUN --mount=from=b,source=/app,target=/src cp -r /src /app\n",
                0,
                "/app/.env",
                true,
            ),
            // Copied by no one: a stage built only with `--target`.
            ("FROM a AS b\nFROM c\n", 0, "/app/.env", true),
            // A stage meant to run (its own CMD) is a target too, and so what it is built on.
            (
                "FROM a AS dev\nCOPY . /app\nCMD [\"x\"]\nFROM dev AS build\nRUN b\nFROM c\nCOPY --from=build /app/dist /d\n",
                0,
                "/app/.env",
                true,
            ),
            (
                "FROM a AS base\nCOPY . /code\nFROM base AS development\nFROM base AS builder\nRUN b\nFROM c\nCOPY --from=builder /code/bin /bin\n",
                0,
                "/code/.env",
                true,
            ),
        ];
        for (text, stage, path, want) in cases {
            assert_eq!(reaches(text, *stage, path), *want, "{text} {stage} {path}");
        }
    }

    #[test]
    fn copied_to_follows_the_destination() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("certs")).expect("mkdir");
        std::fs::write(dir.path().join("certs/server.key"), "k").expect("write");
        std::fs::write(dir.path().join(".env"), "X=1").expect("write");
        let ctx = crate::context::BuildContext::open(dir.path(), None).expect("context");
        let text =
            "FROM a\nWORKDIR /app\nCOPY . .\nCOPY certs/server.key /etc/nginx/\nADD certs /c\n";
        let file = crate::syntax::parse(text).expect("parses");
        let m = Model::build(&file, Some(&ctx), &BTreeMap::new());
        assert_eq!(m.copied_to(2, ".env").as_deref(), Some("/app/.env"));
        assert_eq!(m.copied_to(2, ".git").as_deref(), Some("/app/.git"));
        assert_eq!(
            m.copied_to(3, "certs/server.key").as_deref(),
            Some("/etc/nginx/server.key")
        );
        assert_eq!(
            m.copied_to(4, "certs/server.key").as_deref(),
            Some("/c/server.key")
        );
        assert_eq!(m.copied_to(3, ".env"), None);
    }
}
