//! missing-expose: the image runs a network service but declares no EXPOSE, so `docker run -P`,
//! compose and readers of the image cannot tell which port to publish.

use super::{FixAvailability, Rule};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::images::{default_command, DefaultCommand};
use crate::model::ports::{service, PortEvidence};
use crate::model::{Base, Model};

pub static RULE: Rule = Rule {
    name: "missing-expose",
    group: "runtime",
    severity: Severity::Warning,
    summary: "the final stage runs a network service but declares no EXPOSE",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/missing-expose.md"),
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(stage) = m.final_stage() else { return };
    // An image with ONBUILD triggers is a base image: the child build that runs them brings
    // the service and declares its ports.
    if !m.onbuild_triggers(stage).is_empty() {
        return;
    }
    if !stage.exposes.is_empty() {
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
            };
            let mut d = Diagnostic::new(
                RULE.name,
                RULE.severity,
                format!(
                    "`{}` listens on port {} but the image declares no EXPOSE",
                    svc.program, p.port
                ),
                m.instruction(cmd).span,
            )
            .label(format!("starts `{}`", svc.program))
            .help(format!(
                "add `EXPOSE {}` (the port comes from {where_})",
                p.port
            ));
            if span != m.instruction(cmd).span {
                d = d.secondary(span, format!("port {} set here", p.port));
            }
            d
        }
        None => Diagnostic::new(
            RULE.name,
            Severity::Info,
            format!(
                "`{}` is a network service but the image declares no EXPOSE",
                svc.program
            ),
            span,
        )
        .label(format!("starts `{}`", svc.program))
        .help("add `EXPOSE <port>` with the port the service listens on"),
    };
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::super::test_context::fires;

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
    }
}
