//! Where build tools write what they build (`dotnet publish -o /app`, `go build -o /out/web`,
//! `cargo build` → `target/`), so that the image filesystem holds a RUN's output directories.

use super::installs::RunStep;
use super::path;
use crate::shell::Tool;

/// What one build command writes, and where.
pub struct BuildOutput {
    pub tool: Tool,
    /// The subcommands that build (`publish`; `run build` for a script of package.json). For
    /// tools that take a list of goals (mvn, gradle), any goal of the list.
    pub verbs: &'static [&'static str],
    /// Options whose value names the output.
    pub options: &'static [&'static str],
    /// The option names the output file, which is a directory only when written with a
    /// trailing `/` (`go build -o /out/`).
    pub option_names_file: bool,
    /// Where the output goes without the option, relative to the project directory. For
    /// `npm run build` these are the conventions of the common bundlers; the script may write
    /// elsewhere, which the RUN's own unknown still covers.
    pub default: &'static [&'static str],
    /// `verbs` are matched against every goal, not only the subcommand.
    pub goals: bool,
}

const NONE: &[&str] = &[];

/// The build commands whose output directory is known.
pub const BUILD_OUTPUTS: &[BuildOutput] = &[
    BuildOutput {
        tool: Tool::Dotnet,
        verbs: &["publish", "build"],
        options: &["-o", "--output"],
        option_names_file: false,
        default: &["bin"],
        goals: false,
    },
    BuildOutput {
        tool: Tool::Go,
        verbs: &["build"],
        options: &["-o"],
        option_names_file: true,
        // Without -o, the binary is named after the package, in the directory it runs in.
        default: &["."],
        goals: false,
    },
    BuildOutput {
        tool: Tool::Cargo,
        verbs: &["build", "b"],
        options: &["--target-dir"],
        option_names_file: false,
        default: &["target"],
        goals: false,
    },
    BuildOutput {
        tool: Tool::Cargo,
        verbs: &["install"],
        options: &["--root"],
        option_names_file: false,
        // Without --root, into CARGO_HOME, which base images keep in a system directory.
        default: NONE,
        goals: false,
    },
    BuildOutput {
        tool: Tool::Maven,
        verbs: &[
            "package",
            "install",
            "verify",
            "deploy",
            "spring-boot:repackage",
        ],
        options: NONE,
        option_names_file: false,
        default: &["target"],
        goals: true,
    },
    BuildOutput {
        tool: Tool::Gradle,
        verbs: &[
            "build",
            "assemble",
            "jar",
            "bootJar",
            "shadowJar",
            "installDist",
            "war",
        ],
        options: NONE,
        option_names_file: false,
        default: &["build"],
        goals: true,
    },
    BuildOutput {
        tool: Tool::Npm,
        verbs: &["run build", "run-script build"],
        options: NONE,
        option_names_file: false,
        default: &["dist", "build", ".next", "out"],
        goals: false,
    },
    BuildOutput {
        tool: Tool::Yarn,
        verbs: &["build", "run build"],
        options: NONE,
        option_names_file: false,
        default: &["dist", "build", ".next", "out"],
        goals: false,
    },
    BuildOutput {
        tool: Tool::Pnpm,
        verbs: &["build", "run build"],
        options: NONE,
        option_names_file: false,
        default: &["dist", "build", ".next", "out"],
        goals: false,
    },
    BuildOutput {
        tool: Tool::Bun,
        verbs: &["run build"],
        options: NONE,
        option_names_file: false,
        default: &["dist", "build", ".next", "out"],
        goals: false,
    },
];

/// One place a build command writes to: an absolute path, and whether it is a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputPath {
    pub path: String,
    pub is_dir: bool,
    /// The command, for messages: `dotnet publish`.
    pub by: String,
}

/// The places `step` writes its build output to; empty when it is no known build command, or
/// when the place depends on a variable or on a `cd` this model could not follow.
pub fn outputs_of(step: &RunStep) -> Vec<OutputPath> {
    let (Some(tc), Some(dir)) = (&step.tool, step.dir.as_deref()) else {
        return Vec::new();
    };
    let Some(sub) = tc.subcommand.as_deref() else {
        return Vec::new();
    };
    let first_op = tc.operands.first().map(|w| format!("{sub} {}", w.value));
    let Some(entry) = BUILD_OUTPUTS.iter().find(|e| {
        e.tool == tc.tool
            && e.verbs.iter().any(|v| {
                *v == sub
                    || first_op.as_deref() == Some(*v)
                    || (e.goals
                        && tc
                            .operands
                            .iter()
                            .any(|g| g.value.rsplit(':').next() == Some(*v) || g.value == *v))
            })
    }) else {
        return Vec::new();
    };
    // `mvn -f app/pom.xml` builds the project of that file.
    let pom = (tc.tool == Tool::Maven)
        .then(|| tc.option(&["-f", "--file"]))
        .flatten()
        .and_then(|o| o.value.as_ref());
    let project = match tc.dir.as_ref().or(pom) {
        Some(d) if d.has_expansion() => return Vec::new(),
        Some(d) if d.value.ends_with(".xml") => {
            let f = path::resolve(dir, &d.value);
            f.rsplit_once('/').map_or("/".to_string(), |(p, _)| {
                if p.is_empty() {
                    "/".into()
                } else {
                    p.into()
                }
            })
        }
        Some(d) => path::resolve(dir, &d.value),
        None => dir.to_string(),
    };
    let by = format!("{} {}", tc.tool.as_str(), sub);
    if let Some(o) = tc.option(entry.options) {
        let Some(v) = o.value.as_ref().filter(|v| !v.has_expansion()) else {
            return Vec::new();
        };
        let is_dir = !entry.option_names_file || v.value.ends_with('/');
        return vec![OutputPath {
            path: path::resolve(&project, &v.value),
            is_dir,
            by,
        }];
    }
    entry
        .default
        .iter()
        .map(|d| OutputPath {
            path: path::resolve(&project, d),
            is_dir: true,
            by: by.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::model::{EntryKind, Model, Unknown};
    use crate::syntax;
    use std::collections::BTreeMap;

    /// The output paths the model records for `run` in WORKDIR /src, as `path/` for a directory.
    fn outputs(run: &str) -> Vec<String> {
        let text = format!("FROM alpine\nWORKDIR /src\nRUN {run}\n");
        let file = syntax::parse(&text).expect("parses");
        let m = Model::build(&file, None, &BTreeMap::new());
        m.stages[0]
            .fs
            .iter()
            .filter_map(|e| match &e.kind {
                EntryKind::Unknown(Unknown::BuildOutput { dir, .. }) => {
                    Some(format!("{}{}", e.path, if *dir { "/" } else { "" }))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn where_builds_write() {
        let cases: &[(&str, &[&str])] = &[
            ("dotnet publish -c Release -o /app", &["/app/"]),
            ("dotnet publish -c Release --output out", &["/src/out/"]),
            ("dotnet publish -c Release", &["/src/bin/"]),
            ("dotnet restore", &[]),
            ("go build -o /out/web ./cmd/web", &["/out/web"]),
            ("go build -o /out/ ./...", &["/out/"]),
            ("go build -o $OUT .", &[]),
            ("go mod download", &[]),
            ("cargo build --release", &["/src/target/"]),
            ("cargo build --release --target-dir /build", &["/build/"]),
            ("cargo install --path . --root /app", &["/app/"]),
            ("cargo install --path .", &[]),
            ("mvn -B clean package -DskipTests", &["/src/target/"]),
            ("mvn -f api/pom.xml package", &["/src/api/target/"]),
            ("mvn dependency:go-offline", &[]),
            ("gradle clean bootJar", &["/src/build/"]),
            ("./gradlew build -x test", &["/src/build/"]),
            (
                "npm ci && npm run build",
                &["/src/dist/", "/src/build/", "/src/.next/", "/src/out/"],
            ),
            (
                "cd web && yarn build",
                &[
                    "/src/web/dist/",
                    "/src/web/build/",
                    "/src/web/.next/",
                    "/src/web/out/",
                ],
            ),
            ("npm install build", &[]),
            ("cd $DIR && npm run build", &[]),
        ];
        for (run, want) in cases {
            assert_eq!(outputs(run), *want, "{run}");
        }
    }
}
