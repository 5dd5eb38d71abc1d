//! Which of a stage's files end up in the image the build produces, and where a COPY put a
//! given context file: what lets a finding say "only into the build stage `builder`".

use super::fs::EntryKind;
use super::{path, Copy, CopyFrom, Model, Origin, Stage};

/// (stage, path) pairs one question follows through `COPY --from` before the answer is taken
/// to be yes: real chains are two or three long.
const REACH_STEPS: usize = 64;
/// Steps all questions of one file may take together, beyond one per byte of the file: a
/// file with thousands of stages and copies stays linear.
pub(super) const REACH_BUDGET: usize = 1 << 16;

/// How files move between stages: derived once per file.
#[derive(Debug, Default)]
pub(super) struct ReachIndex {
    /// The stage is, or is built on by, a stage the build may produce an image of.
    in_image: Vec<bool>,
    /// Stages built on each stage (`FROM <stage>`): they hold its files at the same paths.
    children: Vec<Vec<usize>>,
    /// `COPY --from=<stage>` instructions (by index) taking from each stage.
    copies_from: Vec<Vec<usize>>,
    /// `RUN --mount=from=<stage>` mounts taking from each stage: (RUN instruction, mount).
    mounts_from: Vec<Vec<(usize, usize)>>,
    /// Steps one visit of each stage takes: an edge or copy source looked at is one.
    cost: Vec<usize>,
}

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

    /// The ONBUILD instructions of `stage`: the image it makes is a base image, and what they
    /// copy and run belongs to the child build (its context, its files). Triggers of a stage
    /// this one is built on ran while building this one, and are not its own.
    pub fn onbuild_triggers(&self, stage: &Stage) -> Vec<usize> {
        stage
            .instrs
            .clone()
            .filter(|&i| self.instruction(i).keyword == super::Keyword::Onbuild)
            .collect()
    }

    /// Which stages `docker build` runs for the stage it builds (the target, else the last):
    /// that stage and every stage it is built on, copies from or mounts, transitively.
    /// BuildKit skips the others, so what would fail in them does not fail the build.
    pub fn built_stages(&self) -> Vec<bool> {
        let n = self.stages.len();
        let mut built = vec![false; n];
        let mut todo: Vec<usize> = self.image_stage().map(|s| s.index).into_iter().collect();
        while let Some(si) = todo.pop() {
            if si >= n || built[si] {
                continue;
            }
            built[si] = true;
            let stage = &self.stages[si];
            if let super::Base::Stage(p) = stage.base {
                todo.push(p);
            }
            for i in stage.instrs.clone() {
                if let Some(CopyFrom::Stage(p)) = self.copies.get(&i).map(|c| &c.from) {
                    todo.push(*p);
                }
                for mount in self.mounts.get(&i).into_iter().flatten() {
                    if let CopyFrom::Stage(p) = mount.from {
                        todo.push(p);
                    }
                }
            }
        }
        built
    }

    /// The stages a build of this file may produce an image of: the last one, and those built
    /// only with `--target` (or a compose `target:`): a stage that sets its own CMD or
    /// ENTRYPOINT, or that no other stage builds on, copies or mounts from. With a target
    /// that names a stage, that stage alone.
    pub fn image_stages(&self) -> Vec<usize> {
        self.image_stages_with(self.reach_index())
    }

    fn image_stages_with(&self, index: &ReachIndex) -> Vec<usize> {
        if self.builds_target() {
            return self.image_stage().map(|s| s.index).into_iter().collect();
        }
        self.stages
            .iter()
            .filter(|s| {
                let i = s.index;
                let used = !index.children[i].is_empty()
                    || !index.copies_from[i].is_empty()
                    || !index.mounts_from[i].is_empty();
                i + 1 == self.stages.len()
                    || !used
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

    fn reach_index(&self) -> &ReachIndex {
        self.reach_index.get_or_init(|| {
            let n = self.stages.len();
            let mut index = ReachIndex {
                in_image: vec![false; n],
                children: vec![Vec::new(); n],
                copies_from: vec![Vec::new(); n],
                mounts_from: vec![Vec::new(); n],
                cost: vec![1; n],
            };
            for s in &self.stages {
                if let super::Base::Stage(p) = s.base {
                    if let (Some(c), Some(cost)) =
                        (index.children.get_mut(p), index.cost.get_mut(p))
                    {
                        c.push(s.index);
                        *cost += 1;
                    }
                }
            }
            for copy in self.copies.values() {
                if let CopyFrom::Stage(p) = copy.from {
                    if let Some(c) = index.copies_from.get_mut(p) {
                        c.push(copy.instr);
                        index.cost[p] = index.cost[p].saturating_add(copy.sources.len());
                    }
                }
            }
            for (instr, mounts) in &self.mounts {
                for (k, mount) in mounts.iter().enumerate() {
                    if let CopyFrom::Stage(p) = mount.from {
                        if let Some(c) = index.mounts_from.get_mut(p) {
                            c.push((*instr, k));
                            index.cost[p] = index.cost[p].saturating_add(1);
                        }
                    }
                }
            }
            for s in self.image_stages_with(&index) {
                // A parent always comes earlier in the file, so the walk ends.
                let mut cur = Some(s);
                while let Some(c) = cur {
                    if index.in_image[c] {
                        break;
                    }
                    index.in_image[c] = true;
                    cur = match self.stages[c].base {
                        super::Base::Stage(p) => Some(p),
                        _ => None,
                    };
                }
            }
            index
        })
    }

    /// Whether what stage `stage` holds at `path` (absolute) is in an image the build
    /// produces (see `image_stages`). Those stages and the stages they are built on hold it
    /// outright; any other stage only through a `COPY --from` (or `RUN --mount=from=`) of a
    /// path at or around it by a stage that reaches such an image in turn, or through a stage
    /// built on it. Files a RUN moves around inside a stage are not followed.
    pub fn reaches_final_image(&self, stage: usize, path: &str) -> bool {
        let index = self.reach_index();
        let mut queue = vec![(stage, path::clean(path))];
        let mut seen: Vec<(usize, String)> = Vec::new();
        while let Some((s, p)) = queue.pop() {
            if index.in_image.get(s).copied().unwrap_or(true) {
                return true;
            }
            if seen.iter().any(|(t, q)| *t == s && *q == p) {
                continue;
            }
            let cost = index.cost[s];
            let budget = self.reach_budget.get();
            if budget < cost || seen.len() >= REACH_STEPS {
                return true;
            }
            self.reach_budget.set(budget - cost);
            for &child in &index.children[s] {
                queue.push((child, p.clone()));
            }
            for &instr in &index.copies_from[s] {
                let (Some(copy), Some(to)) = (
                    self.copies.get(&instr),
                    self.stage_of.get(instr).copied().flatten(),
                ) else {
                    continue;
                };
                for src in &copy.sources {
                    if let Some(dest) = carried(copy, &src.expanded, &p) {
                        queue.push((to, dest));
                    }
                }
            }
            for &(instr, k) in &index.mounts_from[s] {
                let (Some(mount), Some(to)) = (
                    self.mounts.get(&instr).and_then(|ms| ms.get(k)),
                    self.stage_of.get(instr).copied().flatten(),
                ) else {
                    continue;
                };
                if overlaps(&path::resolve("/", &mount.source), &p) {
                    // What the RUN does with it is unknown: count it as copied in.
                    queue.push((to, mount.target.clone()));
                }
            }
            seen.push((s, p));
        }
        false
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
    use crate::model::{Model, Purpose};
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
    fn a_target_is_the_only_image() {
        // `dev` sets its own CMD, so without a target it may be an image; with `--target prod`
        // only `prod` and what it is built from are.
        let text = "FROM node AS dev\nCOPY .env /app/.env\nCMD [\"npm\", \"run\", \"dev\"]\n\
                    FROM node AS prod\nCOPY app /app\nCMD [\"node\", \"/app\"]\n";
        let file = crate::syntax::parse(text).expect("parses");
        let untargeted = Model::build(&file, None, &BTreeMap::new());
        assert!(untargeted.reaches_final_image(0, "/app/.env"));
        let purpose = Purpose {
            target: Some("prod".into()),
            ..Purpose::default()
        };
        let targeted = Model::build_for(&file, None, &BTreeMap::new(), &purpose);
        assert!(!targeted.reaches_final_image(0, "/app/.env"));
        assert!(targeted.reaches_final_image(1, "/app/index.js"));
        let dev = Purpose {
            target: Some("dev".into()),
            ..Purpose::default()
        };
        let dev_build = Model::build_for(&file, None, &BTreeMap::new(), &dev);
        assert!(dev_build.reaches_final_image(0, "/app/.env"));
    }

    #[test]
    fn questions_past_the_budget_are_answered_yes() {
        // A stage that thousands of copies take from: every question about it looks at all
        // of them, so the shared budget runs out and later answers err towards "reaches".
        let k = 2000;
        let mut text = String::from("FROM a AS b\nRUN x\nFROM c\n");
        for i in 0..k {
            text.push_str(&format!("COPY --from=b /x{i} /y{i}\n"));
        }
        let file = crate::syntax::parse(&text).expect("parses");
        let m = Model::build(&file, None, &BTreeMap::new());
        let answers: Vec<bool> = (0..k)
            .map(|_| m.reaches_final_image(0, "/app/.env"))
            .collect();
        assert!(!answers[0]);
        assert!(answers[k - 1]);
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
