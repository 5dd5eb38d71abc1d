//! missing-expose: the image runs a network service but declares no EXPOSE, so `docker run -P`,
//! compose and readers of the image cannot tell which port to publish.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::images::{default_command, DefaultCommand};
use crate::model::ports::{service, Confidence, PortEvidence};
use crate::model::{Base, Model};
use crate::rules::{FixAvailability, Rule};

pub static RULE: Rule = Rule {
    name: "missing-expose",
    group: "runtime",
    severity: Severity::Warning,
    summary: "the final stage runs a network service but declares no EXPOSE",
    fix: FixAvailability::None,
    doc: include_str!("../../../rules/missing-expose.md"),
    aliases: &[],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(stage) = m.image_stage() else { return };
    // An image with ONBUILD triggers is a base image: the child build that runs them brings
    // the service and declares its ports.
    if !m.onbuild_triggers(stage).is_empty() {
        return;
    }
    if !m.purpose.declares_ports() || !stage.exposes.is_empty() {
        return;
    }
    // A server image (nginx, httpd, …) at the root of the chain brings its own EXPOSE.
    let chain = m.stage_chain(stage);
    let root = chain.last().copied().unwrap_or(stage);
    if let Base::Image(img) = &root.base {
        if default_command(img) == DefaultCommand::Service {
            return;
        }
    }
    let Some(svc) = service(m, stage) else { return };
    let Some(cmd) = stage.cmd.or(stage.entrypoint) else {
        return;
    };
    let span = m.instruction(cmd).span;
    let d = match &svc.port {
        Some(p) => {
            let (where_, span) = match &p.evidence {
                PortEvidence::Arg { span } => (format!("`{}`", p.text), *span),
                PortEvidence::File { path, line } => (format!("`{path}` line {line}"), span),
                PortEvidence::Env { instr, .. } => {
                    (format!("`{}`", p.text), m.instruction(*instr).span)
                }
                PortEvidence::Default { what } => (what.clone(), span),
            };
            // A default port is an inference: said softly.
            let (severity, how) = match p.evidence.confidence() {
                Confidence::Stated => (RULE.severity, ""),
                Confidence::Default => (Severity::Info, " by default"),
            };
            let mut d = Diagnostic::new(
                RULE.name,
                severity,
                format!(
                    "`{}` listens on port {}{how} but the image declares no EXPOSE",
                    svc.program, p.port
                ),
                m.instruction(cmd).span,
            )
            .label(svc.started())
            .help(format!(
                "add `EXPOSE {}` (the port comes from {where_})",
                p.port
            ));
            if span != m.instruction(cmd).span {
                d = d.secondary(span, format!("port {} set here", p.port));
            }
            d
        }
        None => {
            let d = Diagnostic::new(
                RULE.name,
                Severity::Info,
                format!(
                    "`{}` is a network service but the image declares no EXPOSE",
                    svc.program
                ),
                span,
            )
            .label(svc.started());
            // The compose service that runs the image says which container port it serves.
            match m.purpose.published.as_slice() {
                [] => d.help("add `EXPOSE <port>` with the port the service listens on"),
                published => {
                    let ports: Vec<String> = published.iter().map(|(p, _)| p.to_string()).collect();
                    let from: Vec<&str> = published.iter().map(|(_, w)| w.as_str()).collect();
                    d.help(format!(
                        "add `EXPOSE {}` (compose publishes it: {})",
                        ports.join(" "),
                        from.join(", ")
                    ))
                }
            }
        }
    };
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::model::{Purpose, Runner};
    use crate::rules::test_context::{fires, fires_for, run_for};

    #[test]
    fn table() {
        let srv = &["server.py: from http.server import HTTPServer\\nPORT = 8088\\nHTTPServer(('', PORT), H).serve_forever()"];
        let cases: &[(&str, usize)] = &[
            ("FROM python:3.12\nCOPY server.py .\nCMD [\"python\", \"server.py\"]", 1),
            ("FROM python:3.12\nCOPY server.py .\nEXPOSE 8088\nCMD [\"python\", \"server.py\"]", 0),
            ("FROM python:3.12 AS base\nEXPOSE 8088\nFROM base\nCMD [\"gunicorn\", \"-b\", \":8088\", \"a:b\"]", 0),
            ("FROM python:3.12\nCMD [\"gunicorn\", \"a:b\"]", 1),
            ("FROM python:3.12\nCMD gunicorn --bind 0.0.0.0:$PORT a:b", 1),
            ("FROM python:3.12\nCMD [\"python\", \"migrate.py\"]", 0),
            ("FROM python:3.12\nCOPY server.py .", 0),
            ("FROM nginx:alpine\nCMD [\"nginx\", \"-g\", \"daemon off;\"]", 0),
            // ONBUILD triggers make it a base image: the child build declares its ports.
            ("FROM python:3.12\nonbuild EXPOSE 80\ncmd uvicorn app:app --port 80", 0),
            ("FROM python:3.12\nONBUILD COPY . /app\nCOPY server.py .\nCMD [\"python\", \"server.py\"]", 0),
            // A base stage's triggers ran while building the final stage: not a base image.
            ("FROM python:3.12 AS base\nONBUILD COPY . /app\nFROM base\nCOPY server.py .\nCMD [\"python\", \"server.py\"]", 1),
        ];
        for (text, want) in cases {
            assert_eq!(fires("missing-expose", text, srv), *want, "{text}");
        }
        // Package-manager commands, followed into the package.json the image holds.
        let node = &[
            "package.json: {\"scripts\": {\"start\": \"cross-env A=1 node app.js\", \"web\": \"npm run start\", \"lint\": \"eslint .\"}}",
            "app.js: const app = require('express')();\\napp.listen(5000);",
            "plain/package.json: {\"name\": \"x\"}",
            "plain/server.js: require('http').createServer(h);\\nserver.listen(7000);",
        ];
        let cases: &[(&str, usize)] = &[
            (
                "FROM node:22\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"start\"]",
                1,
            ),
            ("FROM node:22\nWORKDIR /app\nCOPY . .\nCMD npm run web", 1),
            (
                "FROM node:22\nWORKDIR /app\nCOPY . .\nCMD [\"yarn\", \"web\"]",
                1,
            ),
            (
                "FROM node:22\nWORKDIR /app\nCOPY . .\nEXPOSE 5000\nCMD [\"npm\", \"start\"]",
                0,
            ),
            // Not a server, or no such script.
            (
                "FROM node:22\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"run\", \"lint\"]",
                0,
            ),
            (
                "FROM node:22\nWORKDIR /app\nCOPY . .\nCMD [\"npm\", \"run\", \"nope\"]",
                0,
            ),
            // The image has no package.json: nothing is known of the script.
            (
                "FROM node:22\nWORKDIR /app\nCOPY app.js .\nCMD [\"npm\", \"start\"]",
                0,
            ),
            // `npm start` without a start script runs `node server.js`.
            (
                "FROM node:22\nWORKDIR /app\nCOPY plain/ .\nCMD [\"npm\", \"start\"]",
                1,
            ),
            (
                "FROM node:22\nWORKDIR /app\nCOPY plain/package.json .\nCMD [\"npm\", \"start\"]",
                0,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(fires("missing-expose", text, node), *want, "{text}");
        }
        // A base image and a dev container declare no ports of their own; the stage that a
        // target builds is the one judged.
        let gunicorn = "FROM python:3.12\nCMD [\"gunicorn\", \"a:b\"]";
        for (runner, want) in [
            (Runner::Image, 1),
            (
                Runner::Compose {
                    service: "web".into(),
                },
                1,
            ),
            (
                Runner::BaseOf {
                    consumer: "app/Dockerfile".into(),
                },
                0,
            ),
            (
                Runner::DevContainer {
                    config: "devcontainer.json".into(),
                },
                0,
            ),
        ] {
            let purpose = Purpose {
                target: None,
                runner,
                ..Purpose::default()
            };
            assert_eq!(
                fires_for("missing-expose", gunicorn, srv, &purpose),
                want,
                "{purpose:?}"
            );
        }
        let staged = "FROM python:3.12 AS web\nCMD [\"gunicorn\", \"a:b\"]\nFROM python:3.12 AS job\nCMD [\"python\", \"job.py\"]";
        for (target, want) in [(None, 0), (Some("web"), 1), (Some("job"), 0)] {
            let purpose = Purpose {
                target: target.map(str::to_string),
                runner: Runner::Image,
                ..Purpose::default()
            };
            assert_eq!(
                fires_for("missing-expose", staged, srv, &purpose),
                want,
                "{target:?}"
            );
        }
    }

    #[test]
    fn compose_ports_name_the_port_to_expose() {
        // The service's port is unknown from the image alone; compose publishes 8088.
        let text = "FROM python:3.12\nCMD gunicorn --bind 0.0.0.0:$PORT a:b";
        let help = |published: Vec<(u16, String)>| {
            let purpose = Purpose {
                target: None,
                runner: Runner::Image,
                published,
                published_runs_image: true,
                ..Purpose::default()
            };
            let d = run_for("missing-expose", text, &["a.py"], &purpose);
            assert_eq!(d.len(), 1, "{d:?}");
            d[0].help.clone().unwrap_or_default()
        };
        let by_compose = help(vec![(8088, "`ports: 8097:8088` of service `web`".into())]);
        assert!(by_compose.contains("`EXPOSE 8088`"), "{by_compose}");
        assert!(by_compose.contains("8097:8088"), "{by_compose}");
        let alone = help(Vec::new());
        assert!(alone.contains("`EXPOSE <port>`"), "{alone}");
    }

    #[test]
    fn compiled_servers_are_read_from_their_source() {
        let df = "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app ./cmd/app\n\
                  FROM alpine\nCOPY --from=build /out/app /usr/local/bin/app\nCMD [\"app\"]";
        let listens =
            "cmd/app/main.go: package main\\nfunc main() { http.ListenAndServe(\":8080\", nil) }";
        assert_eq!(fires("missing-expose", df, &[listens]), 1);
        assert_eq!(
            fires(
                "missing-expose",
                &df.replace("CMD", "EXPOSE 8080\nCMD"),
                &[listens]
            ),
            0
        );
        // A worker that listens on nothing; another package's server; two ports in one package.
        let worker = "cmd/app/main.go: package main\\nfunc main() { run() }";
        let other =
            "cmd/api/main.go: package main\\nfunc main() { http.ListenAndServe(\":8080\", nil) }";
        assert_eq!(fires("missing-expose", df, &[worker, other]), 0);
        let second =
            "cmd/app/metrics.go: package main\\nfunc m() { http.ListenAndServe(\":9090\", nil) }";
        assert_eq!(fires("missing-expose", df, &[listens, second]), 0);
        // Test files and the source of another stage's binary say nothing.
        let test =
            "cmd/app/main_test.go: package main\\nfunc T() { http.ListenAndServe(\":8080\", nil) }";
        assert_eq!(fires("missing-expose", df, &[worker, test]), 0);
    }

    #[test]
    fn compiled_framework_defaults() {
        use crate::diagnostic::Severity;
        let sev = |text: &str, files: &[&str]| -> Vec<Severity> {
            crate::rules::test_context::run("missing-expose", files, "Dockerfile", text)
                .iter()
                .map(|d| d.severity)
                .collect()
        };
        let rust = "FROM rust:1.80 AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n\
                    FROM debian:bookworm-slim\nCOPY --from=build /app/target/release/api /api\nCMD [\"/api\"]";
        let rocket = "src/main.rs: #[macro_use] extern crate rocket;\\n#[launch]\\nfn rocket() -> _ { rocket::build() }";
        assert_eq!(
            sev(rust, &["Cargo.toml: [package]", rocket]),
            vec![Severity::Info]
        );
        assert!(sev(
            rust,
            &[
                "Cargo.toml: [package]",
                "Rocket.toml: [default]\\nport = 9000",
                rocket
            ]
        )
        .is_empty());
        let set = rust.replace("CMD", "ENV ROCKET_PORT=9000\nCMD");
        assert_eq!(
            sev(&set, &["Cargo.toml: [package]", rocket]),
            vec![Severity::Warning]
        );
        assert!(sev(
            &set.replace("CMD", "EXPOSE 9000\nCMD"),
            &["Cargo.toml: [package]", rocket]
        )
        .is_empty());
        let go = "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n\
                  FROM alpine\nCOPY --from=build /out/app /app\nCMD [\"/app\"]";
        let gin = "main.go: package main\\nfunc main() {\\n\\tr := gin.Default()\\n\\tr.Run()\\n}";
        assert_eq!(sev(go, &["go.mod: module x", gin]), vec![Severity::Info]);
        // A CLI with no server says nothing.
        assert!(sev(
            go,
            &[
                "go.mod: module x",
                "main.go: package main\\nfunc main() { run() }"
            ]
        )
        .is_empty());
    }

    /// Spring Boot: a web starter means an embedded server on 8080; the Boot plugin alone
    /// (a Kafka consumer, a batch job) does not.
    #[test]
    fn spring_boot_needs_a_web_starter() {
        let df = "FROM eclipse-temurin:21-jre\nCOPY target/app.jar app.jar\nCMD [\"java\", \"-jar\", \"app.jar\"]";
        let pom = |deps: &str| {
            format!(
                "pom.xml: <project><parent><artifactId>spring-boot-starter-parent</artifactId></parent>\
                 <dependencies>{deps}</dependencies><build><plugins><plugin>\
                 <artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>"
            )
        };
        let web = pom("<dependency><artifactId>spring-boot-starter-web</artifactId></dependency>");
        let flux =
            pom("<dependency><artifactId>spring-boot-starter-webflux</artifactId></dependency>");
        let kafka = pom(
            "<dependency><artifactId>spring-kafka</artifactId></dependency>\
                         <dependency><artifactId>spring-boot-starter</artifactId></dependency>",
        );
        let gradle_web = "build.gradle: plugins { id 'org.springframework.boot' version '3.2.0' }\n\
                          dependencies { implementation 'org.springframework.boot:spring-boot-starter-web' }";
        let gradle_batch = "build.gradle: plugins { id 'org.springframework.boot' version '3.2.0' }\n\
                            dependencies { implementation 'org.springframework.boot:spring-boot-starter-batch' }";
        let cases: &[(&str, usize)] = &[
            (&web, 1),
            (&flux, 1),
            (gradle_web, 1),
            (&kafka, 0),
            (gradle_batch, 0),
        ];
        for (build, want) in cases {
            assert_eq!(
                fires("missing-expose", df, &[build, "target/app.jar: x"]),
                *want,
                "{build}"
            );
            let exposed = df.replace("CMD", "EXPOSE 8080\nCMD");
            assert_eq!(
                fires("missing-expose", &exposed, &[build, "target/app.jar: x"]),
                0
            );
        }
    }
}
