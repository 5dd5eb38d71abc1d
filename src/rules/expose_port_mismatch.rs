//! expose-port-mismatch: the service listens on a port that no EXPOSE names, so publishing the
//! exposed port (`docker run -P`, compose) reaches nothing.

use super::{FixAvailability, Rule};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::ports::{exposed_ports, service, Confidence, PortEvidence};
use crate::model::Model;
use crate::syntax::Span;

pub static RULE: Rule = Rule {
    name: "expose-port-mismatch",
    group: "runtime",
    severity: Severity::Warning,
    summary: "the service listens on a port that no EXPOSE names",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../rules/expose-port-mismatch.md"),
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(stage) = m.image_stage() else { return };
    let (exposed, all_read) = exposed_ports(m, stage);
    if exposed.is_empty() || !all_read {
        return;
    }
    let Some(svc) = service(m, stage) else { return };
    let Some(p) = svc.port.clone() else { return };
    // An image with ONBUILD triggers is a base image: the source its command runs comes with
    // the child build, so a port read from this context's copy of it says nothing. Its own
    // arguments still do.
    if matches!(
        p.evidence,
        PortEvidence::File { .. } | PortEvidence::Default { .. }
    ) && !m.onbuild_triggers(stage).is_empty()
    {
        return;
    }
    if exposed.iter().any(|e| e.lo <= p.port && p.port <= e.hi) {
        return;
    }
    let Some(last) = exposed.last() else { return };
    let listed = exposed
        .iter()
        .map(|e| {
            if e.lo == e.hi {
                e.lo.to_string()
            } else {
                format!("{}-{}", e.lo, e.hi)
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let (source, secondary): (String, Option<Span>) = match &p.evidence {
        PortEvidence::Arg { span } => (format!("its arguments (`{}`)", p.text), Some(*span)),
        PortEvidence::File { path, line } => (format!("`{path}` line {line}: `{}`", p.text), None),
        PortEvidence::Env { instr, .. } => {
            (format!("`{}`", p.text), Some(m.instruction(*instr).span))
        }
        PortEvidence::Default { what } => (what.clone(), None),
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
            "`{}` listens on port {}{how} but the image exposes {listed}",
            svc.program, p.port
        ),
        last.span,
    )
    .label(format!("port {} is not exposed", p.port))
    .help(format!(
        "the port {} comes from {source}; expose it, or make the service listen on {listed}",
        p.port
    ));
    if let Some(s) = secondary {
        d = d.secondary(s, format!("listens on {}", p.port));
    }
    // Through a package.json script, say what the command runs.
    if let (Some(_), Some(cmd)) = (&svc.runs, stage.cmd.or(stage.entrypoint)) {
        d = d.secondary(m.instruction(cmd).span, svc.started());
    }
    if exposed.len() == 1 && last.literal && last.lo == last.hi {
        let word = &m.file.text[last.span.start..last.span.end];
        let digits = word.find('/').unwrap_or(word.len());
        d = d.fix(Fix {
            title: format!("expose {} instead of {}", p.port, last.lo),
            applicability: Applicability::Unsafe,
            edits: vec![Edit {
                span: Span::new(last.span.start, last.span.start + digits),
                content: p.port.to_string(),
            }],
        });
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::super::test_context::fires;

    #[test]
    fn framework_defaults_speak_softly() {
        use crate::diagnostic::Severity;
        let app =
            &["app.py: from flask import Flask\\napp = Flask(__name__)\\napp.run(host='0.0.0.0')"];
        let sev = |text: &str, files: &[&str]| -> Vec<Severity> {
            super::super::test_context::run("expose-port-mismatch", files, "Dockerfile", text)
                .iter()
                .map(|d| d.severity)
                .collect()
        };
        let gunicorn = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\nCMD [\"gunicorn\", \"app:app\"]";
        assert_eq!(sev(gunicorn, app), vec![Severity::Info]);
        // Its default matches, or something in the image may set the port.
        assert!(sev(&gunicorn.replace("8080", "8000"), app).is_empty());
        let conf = &["app.py: x", "gunicorn.conf.py: bind = '0.0.0.0:8080'"];
        assert!(sev(gunicorn, conf).is_empty());
        let opts = gunicorn.replace("EXPOSE", "ENV GUNICORN_CMD_ARGS=\"-b :8080\"\nEXPOSE");
        assert!(sev(&opts, app).is_empty());
        assert!(sev(&gunicorn.replace("EXPOSE", "ENV PORT=8080\nEXPOSE"), app).is_empty());
        // A context of Dockerfiles alone says nothing of the configuration the build copies.
        assert!(sev(gunicorn, &["Dockerfile.prod: FROM python:3.12"]).is_empty());
        // Flask's `app.run()` without a port: 5000.
        let flask = "FROM python:3.12\nWORKDIR /app\nCOPY app.py .\nEXPOSE 8080\nCMD [\"python\", \"app.py\"]";
        assert_eq!(sev(flask, app), vec![Severity::Info]);
        assert!(sev(&flask.replace("8080", "5000"), app).is_empty());
        let stated = &["app.py: from flask import Flask\\napp = Flask(__name__)\\napp.run(host='0.0.0.0', port=8080)"];
        assert!(sev(flask, stated).is_empty());
    }

    #[test]
    fn table() {
        let srv = &[
            "server.py: PORT = 8088\\nHTTPServer(('', PORT), H).serve_forever()",
            "app.js: const port = process.env.PORT || 3000\\napp.listen(port)",
        ];
        let cases: &[(&str, usize)] = &[
            ("FROM python:3.12\nCOPY server.py .\nEXPOSE 8080\nCMD [\"python\", \"server.py\"]", 1),
            ("FROM python:3.12\nCOPY server.py .\nEXPOSE 8088/tcp\nCMD [\"python\", \"server.py\"]", 0),
            ("FROM python:3.12\nCOPY server.py .\nEXPOSE 8000-8100\nCMD [\"python\", \"server.py\"]", 0),
            ("FROM python:3.12\nARG P=8088\nCOPY server.py .\nEXPOSE $P\nCMD [\"python\", \"server.py\"]", 0),
            ("FROM python:3.12\nCOPY server.py .\nEXPOSE 80\nCMD [\"gunicorn\", \"-b\", \":80\", \"server:app\"]", 0),
            ("FROM python:3.12\nEXPOSE 80\nCMD uvicorn app:app --port 8000", 1),
            ("FROM node:20\nCOPY app.js .\nENV PORT=8080\nEXPOSE 8080\nCMD [\"node\", \"app.js\"]", 0),
            ("FROM node:20\nCOPY app.js .\nEXPOSE 8080\nCMD [\"node\", \"app.js\"]", 1),
            ("FROM node:20\nCOPY app.js .\nENV PORT=8080\nEXPOSE 3000\nCMD [\"node\", \"app.js\"]", 1),
            ("FROM python:3.12\nEXPOSE $UNSET\nCMD uvicorn app:app --port 8000", 0),
            // ONBUILD triggers make it a base image: the child's source decides its port, and
            // this context's copy says nothing; the image's own arguments still do.
            ("FROM python:3.12\nONBUILD COPY server.py .\nEXPOSE 8080\nCMD [\"python\", \"server.py\"]", 0),
            ("FROM python:3.12\nONBUILD COPY . .\nEXPOSE 80\nCMD uvicorn app:app --port 8000", 1),
        ];
        for (text, want) in cases {
            assert_eq!(fires("expose-port-mismatch", text, srv), *want, "{text}");
        }
    }
}
