//! expose-port-mismatch: the service listens on a port that no EXPOSE names, so publishing the
//! exposed port (`docker run -P`, compose) reaches nothing.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::model::ports::{exposed_ports, service, Confidence, ExposedPort, PortEvidence};
use crate::model::webconfig::{server_ports, ServerPorts};
use crate::model::{Model, Stage};
use crate::rules::{FixAvailability, Rule};
use crate::syntax::Span;

pub static RULE: Rule = Rule {
    name: "expose-port-mismatch",
    group: "runtime",
    severity: Severity::Warning,
    summary: "the service listens on a port that no EXPOSE names",
    fix: FixAvailability::Unsafe,
    doc: include_str!("../../../rules/expose-port-mismatch.md"),
    aliases: &[],
    default: true,
    check,
};

fn check(m: &Model, out: &mut Vec<Diagnostic>) {
    let Some(stage) = m.image_stage() else { return };
    // A web server image serves what its copied configuration says.
    if let Some(sp) = server_ports(m, stage) {
        if m.onbuild_triggers(stage).is_empty() {
            out.extend(server_mismatch(m, stage, &sp));
        }
        return;
    }
    let (exposed, all_read) = exposed_ports(m, stage);
    if exposed.is_empty() || !all_read {
        return;
    }
    let covers = |port: u16| exposed.iter().any(|e| e.lo <= port && port <= e.hi);
    // The container ports that compose publishes for the image's own command.
    let published: &[(u16, String)] = match m.purpose.published_runs_image {
        true => &m.purpose.published,
        false => &[],
    };
    let is_published = |port: u16| published.iter().any(|(p, _)| *p == port);
    let svc = service(m, stage);
    let Some(p) = svc.as_ref().and_then(|s| s.port.clone()) else {
        if let Some(d) = compose_mismatch(m, stage, &exposed, published) {
            out.push(d);
        }
        return;
    };
    let Some(svc) = svc else { return };
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
    if covers(p.port) {
        return;
    }
    // Compose publishes a port the image exposes: two witnesses against a port read from code,
    // the environment or a default, any of which compose's `environment:` or a configuration
    // may change. A port in the command's own arguments stands.
    if !matches!(p.evidence, PortEvidence::Arg { .. })
        && published.iter().any(|(port, _)| covers(*port))
    {
        return;
    }
    let Some(last) = exposed.last() else { return };
    let listed = listed(&exposed);
    let (source, secondary): (String, Option<Span>) = match &p.evidence {
        PortEvidence::Arg { span } => match &svc.runs {
            Some(r) => (
                format!("the arguments of `{r}` (`{}`)", p.text),
                Some(*span),
            ),
            None => (format!("its arguments (`{}`)", p.text), Some(*span)),
        },
        PortEvidence::File { path, line } => (format!("`{path}` line {line}: `{}`", p.text), None),
        PortEvidence::Env { instr, .. } => {
            (format!("`{}`", p.text), Some(m.instruction(*instr).span))
        }
        PortEvidence::Default { what } => (what.clone(), None),
    };
    // A default port is an inference: said softly, unless compose publishes that very port.
    let confirmed = published.iter().find(|(port, _)| *port == p.port);
    let (severity, how) = match (p.evidence.confidence(), confirmed) {
        (Confidence::Stated, _) | (Confidence::Default, Some(_)) => (RULE.severity, ""),
        (Confidence::Default, None) => (Severity::Info, " by default"),
    };
    let also = match confirmed {
        Some((_, said)) if !is_published(last.lo) => format!(", and compose publishes it ({said})"),
        _ => String::new(),
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
        "the port {} comes from {source}{also}; expose it, or make the service listen on {listed}",
        p.port
    ));
    if let Some(s) = secondary {
        d = d.secondary(s, format!("listens on {}", p.port));
    }
    // Through a package.json script or a compiled program, say what the command runs.
    if let (true, Some(cmd)) = (
        svc.runs.is_some() || svc.built.is_some(),
        stage.cmd.or(stage.entrypoint),
    ) {
        d = d.secondary(m.instruction(cmd).span, svc.started());
    }
    if let Some(fix) = replace_fix(m, &exposed, p.port) {
        d = d.fix(fix);
    }
    out.push(d);
}

/// Nothing in the image tells the command's port, but the compose service that runs it maps a
/// container port that no EXPOSE names: one of the two is wrong.
fn compose_mismatch(
    m: &Model,
    stage: &Stage,
    exposed: &[ExposedPort],
    published: &[(u16, String)],
) -> Option<Diagnostic> {
    if published.is_empty()
        || published
            .iter()
            .any(|(p, _)| exposed.iter().any(|e| e.lo <= *p && *p <= e.hi))
        || !m.onbuild_triggers(stage).is_empty()
    {
        return None;
    }
    let last = exposed.last()?;
    let ports: Vec<String> = published.iter().map(|(p, _)| p.to_string()).collect();
    let said: Vec<&str> = published.iter().map(|(_, s)| s.as_str()).collect();
    let (noun, verb) = match ports.len() {
        1 => ("port", "is"),
        _ => ("ports", "are"),
    };
    let listed = listed(exposed);
    let mut d = Diagnostic::new(
        RULE.name,
        RULE.severity,
        format!(
            "compose publishes container {noun} {} but the image exposes {listed}",
            ports.join(", ")
        ),
        last.span,
    )
    .label(format!("{noun} {} {verb} not exposed", ports.join(", ")))
    .help(format!(
        "compose maps the container {noun} in {}; expose the port the service listens on, \
         or map {listed} in compose",
        said.join(", ")
    ));
    if let [(port, _)] = published {
        if let Some(fix) = replace_fix(m, exposed, *port) {
            d = d.fix(fix);
        }
    }
    Some(d)
}

/// A web server whose configuration listens only on ports that neither the image's EXPOSE nor
/// its base image's names.
fn server_mismatch(m: &Model, stage: &Stage, sp: &ServerPorts) -> Option<Diagnostic> {
    let (exposed, all_read) = exposed_ports(m, stage);
    if !all_read {
        return None;
    }
    let covers = |port: u16| {
        sp.inherited.contains(&port) || exposed.iter().any(|e| e.lo <= port && port <= e.hi)
    };
    if sp.default_kept.is_some_and(covers) || sp.listens.iter().any(|l| covers(l.port)) {
        return None;
    }
    let first = sp.listens.first()?;
    let mut ports: Vec<u16> = Vec::new();
    for l in &sp.listens {
        if !ports.contains(&l.port) {
            ports.push(l.port);
        }
    }
    let ports_text: Vec<String> = ports.iter().map(u16::to_string).collect();
    let noun = match ports.len() {
        1 => "port",
        _ => "ports",
    };
    let inherited: Vec<String> = sp.inherited.iter().map(u16::to_string).collect();
    let mut all = inherited.clone();
    if !exposed.is_empty() {
        all.push(listed(&exposed));
    }
    let exposes = match exposed.is_empty() {
        true => format!(
            "only {}, which `{}` declares",
            inherited.join(", "),
            sp.image
        ),
        false => format!(
            "{} and, from `{}`, {}",
            listed(&exposed),
            sp.image,
            inherited.join(", ")
        ),
    };
    let copy = m.instruction(first.copy).span;
    let mut d = Diagnostic::new(
        RULE.name,
        RULE.severity,
        format!(
            "`{}` listens on {noun} {} but the image exposes {exposes}",
            sp.program,
            ports_text.join(", "),
        ),
        copy,
    )
    .label(format!(
        "copies `{}`, where {} listens on {}",
        first.file,
        sp.program,
        ports_text.join(", ")
    ))
    .help(format!(
        "the {noun} {} {} from `{}` line {}: `{}`; add `EXPOSE {}`, or listen on {}",
        ports_text.join(", "),
        if ports.len() == 1 { "comes" } else { "come" },
        first.file,
        first.line,
        first.text,
        ports_text.join(" "),
        all.join(", ")
    ));
    if let Some(w) = m
        .stage_chain(stage)
        .last()
        .and_then(|s| s.base_word.as_ref())
    {
        d = d.secondary(w.span, format!("exposes {}", inherited.join(", ")));
    }
    let fix = match (exposed.as_slice(), ports.as_slice()) {
        (_, [port]) if !exposed.is_empty() => replace_fix(m, &exposed, *port),
        ([], _) => Some(Fix {
            title: format!("add `EXPOSE {}`", ports_text.join(" ")),
            applicability: Applicability::Unsafe,
            edits: vec![Edit {
                span: Span::new(copy.end, copy.end),
                content: format!("\nEXPOSE {}", ports_text.join(" ")),
            }],
        }),
        _ => None,
    };
    if let Some(fix) = fix {
        d = d.fix(fix);
    }
    Some(d)
}

/// The exposed ports as a list: `80, 8000-8100`.
fn listed(exposed: &[ExposedPort]) -> String {
    exposed
        .iter()
        .map(|e| {
            if e.lo == e.hi {
                e.lo.to_string()
            } else {
                format!("{}-{}", e.lo, e.hi)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replace the one literal exposed port with `port`.
fn replace_fix(m: &Model, exposed: &[ExposedPort], port: u16) -> Option<Fix> {
    let [last] = exposed else { return None };
    if !last.literal || last.lo != last.hi {
        return None;
    }
    let word = &m.file.text[last.span.start..last.span.end];
    let digits = word.find('/').unwrap_or(word.len());
    Some(Fix {
        title: format!("expose {port} instead of {}", last.lo),
        applicability: Applicability::Unsafe,
        edits: vec![Edit {
            span: Span::new(last.span.start, last.span.start + digits),
            content: port.to_string(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::test_context::fires;

    /// The severities of what the rule reports for `text` in a context of `files`.
    fn sev(text: &str, files: &[&str]) -> Vec<Severity> {
        crate::rules::test_context::run("expose-port-mismatch", files, "Dockerfile", text)
            .iter()
            .map(|d| d.severity)
            .collect()
    }

    #[test]
    fn framework_defaults_speak_softly() {
        let app =
            &["app.py: from flask import Flask\\napp = Flask(__name__)\\napp.run(host='0.0.0.0')"];
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
        // Command-line servers of JavaScript and PHP frameworks.
        let rr = &[
            "package.json: {\"scripts\": {\"start\": \"react-router-serve ./build/server/index.js\"}}",
            "build/server/index.js: x",
        ];
        let node = "FROM node:22\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\nCMD [\"npm\", \"start\"]";
        assert_eq!(sev(node, rr), vec![Severity::Info]);
        assert!(sev(&node.replace("8080", "3000"), rr).is_empty());
        assert!(sev(&node.replace("EXPOSE", "ENV PORT=8080\nEXPOSE"), rr).is_empty());
        let laravel = &["artisan: x", "composer.json: {}"];
        let php = "FROM php:8.3-cli\nWORKDIR /var/www\nCOPY . .\nEXPOSE 80\nCMD php artisan serve --host=0.0.0.0";
        assert_eq!(sev(php, laravel), vec![Severity::Info]);
        assert!(sev(&format!("{php} --port=80"), laravel).is_empty());
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

    #[test]
    fn compose_ports_are_evidence() {
        use crate::model::{Purpose, Runner};
        use crate::rules::test_context::run_for;
        let run = |text: &str, files: &[&str], published: &[u16], runs_image: bool| {
            let purpose = Purpose {
                target: None,
                runner: Runner::Image,
                published: published
                    .iter()
                    .map(|p| (*p, format!("`ports: 9000:{p}` of service `web`")))
                    .collect(),
                published_runs_image: runs_image,
                ..Purpose::default()
            };
            run_for("expose-port-mismatch", text, files, &purpose)
        };
        // A Go binary whose port nothing in the image tells: compose maps 8088, the image
        // exposes 80.
        let bin = "FROM alpine\nCOPY server /server\nEXPOSE 80\nCMD [\"/server\"]";
        let d = run(bin, &["server: x"], &[8088], true);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("8088"), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap_or("").contains("9000:8088"));
        assert!(d[0].fix.is_some());
        // Quiet when compose maps an exposed port, when nothing publishes, and when every
        // service that publishes runs a command of its own.
        assert!(run(bin, &["server: x"], &[80], true).is_empty());
        assert!(run(bin, &["server: x"], &[80, 9229], true).is_empty());
        assert!(run(bin, &["server: x"], &[], true).is_empty());
        assert!(run(bin, &["server: x"], &[8088], false).is_empty());
        // A port read from code, contradicted by compose and EXPOSE together: compose's
        // `environment:` may set `PORT`. The command's own arguments stand.
        let js = &["app.js: const port = process.env.PORT || 3000\\napp.listen(port)"];
        let node = "FROM node:20\nCOPY app.js .\nEXPOSE 8080\nCMD [\"node\", \"app.js\"]";
        assert_eq!(run(node, js, &[], true).len(), 1);
        assert!(run(node, js, &[8080], true).is_empty());
        let args = "FROM python:3.12\nEXPOSE 80\nCMD uvicorn app:app --port 8000";
        assert_eq!(run(args, &["app.py: x"], &[80], true).len(), 1);
        // A framework default that compose publishes is confirmed: a warning, not info.
        let flask_app =
            &["app.py: from flask import Flask\\napp = Flask(__name__)\\napp.run(host='0.0.0.0')"];
        let flask = "FROM python:3.12\nWORKDIR /app\nCOPY app.py .\nEXPOSE 8080\nCMD [\"python\", \"app.py\"]";
        let sev = |published: &[u16]| -> Vec<Severity> {
            run(flask, flask_app, published, true)
                .iter()
                .map(|d| d.severity)
                .collect()
        };
        assert_eq!(sev(&[]), vec![Severity::Info]);
        assert_eq!(sev(&[5000]), vec![Severity::Warning]);
        // Compose maps the exposed port: the default is set elsewhere.
        assert!(sev(&[8080]).is_empty());
    }

    #[test]
    fn web_server_configuration() {
        let conf = |port: &str| {
            format!("server {{\\n    listen {port};\\n    root /usr/share/nginx/html;\\n}}")
        };
        let at = |file: &str, port: &str| format!("{file}: {}", conf(port));
        let n = |text: &str, files: &[&str]| fires("expose-port-mismatch", text, files);
        let replaced = "FROM nginx:alpine\nCOPY default.conf /etc/nginx/conf.d/default.conf\nCOPY dist/ /usr/share/nginx/html/";
        assert_eq!(
            n(replaced, &[&at("default.conf", "8080"), "dist/index.html"]),
            1
        );
        assert_eq!(
            n(replaced, &[&at("default.conf", "80"), "dist/index.html"]),
            0
        );
        assert_eq!(
            n(
                replaced,
                &[&at("default.conf", "[::]:80"), "dist/index.html"]
            ),
            0
        );
        let exposed = replaced.replace("COPY dist", "EXPOSE 8080\nCOPY dist");
        assert_eq!(
            n(&exposed, &[&at("default.conf", "8080"), "dist/index.html"]),
            0
        );
        // An added server beside the image's own default (still on 80).
        let added = "FROM nginx:1.27\nCOPY app.conf /etc/nginx/conf.d/app.conf";
        assert_eq!(n(added, &[&at("app.conf", "8080")]), 0);
        let rm = "FROM nginx:1.27\nRUN rm /etc/nginx/conf.d/default.conf\nCOPY app.conf /etc/nginx/conf.d/app.conf";
        assert_eq!(n(rm, &[&at("app.conf", "8080")]), 1);
        // A RUN that edits the configuration: unknown.
        let sed = "FROM nginx:1.27\nCOPY default.conf /etc/nginx/conf.d/default.conf\nRUN sed -i 's/8080/80/' /etc/nginx/conf.d/default.conf";
        assert_eq!(n(sed, &[&at("default.conf", "8080")]), 0);
        // A whole nginx.conf: what it includes decides whether the default server stays.
        let main = "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/nginx.conf";
        let own = "nginx.conf: events {}\\nhttp {\\n  server { listen 3000; }\\n}";
        let with_default = "nginx.conf: events {}\\nhttp {\\n  include /etc/nginx/conf.d/*.conf;\\n  server { listen 3000; }\\n}";
        assert_eq!(n(main, &[own]), 1);
        assert_eq!(n(main, &[with_default]), 0);
        // Templates become conf.d files; a variable port is unknown.
        let tpl = "FROM nginx:1.27\nCOPY default.conf.template /etc/nginx/templates/";
        assert_eq!(n(tpl, &[&at("default.conf.template", "8080")]), 1);
        assert_eq!(n(tpl, &[&at("default.conf.template", "${PORT}")]), 0);
        // A directory of configuration.
        let dir = "FROM nginx:1.27\nCOPY nginx/ /etc/nginx/conf.d/";
        assert_eq!(n(dir, &[&at("nginx/default.conf", "3000")]), 1);
        // Another command, another image, a copy from a stage: not the server's configuration.
        assert_eq!(
            n(
                &format!("{replaced}\nCMD [\"node\", \"x.js\"]"),
                &[&at("default.conf", "8080"), "dist/index.html"]
            ),
            0
        );
        assert_eq!(
            n(
                &format!("{replaced}\nCMD [\"nginx\", \"-g\", \"daemon off;\"]"),
                &[&at("default.conf", "8080"), "dist/index.html"]
            ),
            1
        );
        assert_eq!(
            n(
                &replaced.replace("nginx:alpine", "bitnami/nginx"),
                &[&at("default.conf", "8080"), "dist/index.html"]
            ),
            0
        );
        // A configuration file that a build stage copied from the context.
        let built = "FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm run build\nFROM nginx:alpine\nCOPY --from=build /app/nginx/default.conf /etc/nginx/conf.d/default.conf";
        assert_eq!(n(built, &[&at("nginx/default.conf", "8080")]), 1);
        assert_eq!(n(built, &[&at("nginx/default.conf", "80")]), 0);
        let staged = "FROM alpine AS conf\nRUN echo x > /x.conf\nFROM nginx:1.27\nCOPY --from=conf /x.conf /etc/nginx/conf.d/default.conf";
        assert_eq!(n(staged, &["a: x"]), 0);
        // httpd and caddy.
        let httpd = "FROM httpd:2.4\nCOPY httpd.conf /usr/local/apache2/conf/httpd.conf";
        assert_eq!(
            n(
                httpd,
                &["httpd.conf: ServerRoot \"/usr/local/apache2\"\\nListen 8080"]
            ),
            1
        );
        assert_eq!(
            n(
                httpd,
                &["httpd.conf: ServerRoot \"/usr/local/apache2\"\\nListen 80"]
            ),
            0
        );
        let caddy = "FROM caddy:2\nCOPY Caddyfile /etc/caddy/Caddyfile";
        assert_eq!(n(caddy, &["Caddyfile: :8080 {\\n  file_server\\n}"]), 1);
        assert_eq!(
            n(
                caddy,
                &["Caddyfile: example.com {\\n  reverse_proxy app:3000\\n}"]
            ),
            0
        );
    }

    #[test]
    fn entrypoint_scripts_are_read() {
        let n = |text: &str, script: &str| {
            let file =
                format!("entrypoint.sh: #!/bin/sh\\nset -e\\npython manage.py migrate\\n{script}");
            fires("expose-port-mismatch", text, &[&file, "app.py: x"])
        };
        let df = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nEXPOSE 80\nENTRYPOINT [\"/app/entrypoint.sh\"]";
        assert_eq!(n(df, "exec gunicorn -b 0.0.0.0:8000 app:app"), 1);
        assert_eq!(
            n(
                &df.replace("80\n", "8000\n"),
                "exec gunicorn -b 0.0.0.0:8000 app:app"
            ),
            0
        );
        // Continuation lines; a branch per role that agrees; branches on different ports.
        assert_eq!(n(df, "exec gunicorn \\\\\\n  -b :8000 app:app"), 1);
        assert_eq!(
            n(
                df,
                "if [ \"$1\" = web ]; then\\n  exec gunicorn -b :8000 app:app\\nfi\\nexec \"$@\""
            ),
            1
        );
        assert_eq!(
            n(df, "if [ \"$DEBUG\" ]; then\\n  exec flask run -p 5000\\nelse\\n  exec gunicorn -b :8000 app:app\\nfi"),
            0
        );
        // `exec "$@"` runs CMD, whose port stands.
        let args = df.replace(
            "ENTRYPOINT",
            "CMD [\"gunicorn\", \"-b\", \":80\", \"app:app\"]\nENTRYPOINT",
        );
        assert_eq!(n(&args, "exec \"$@\""), 0);
        let wrong = df.replace(
            "ENTRYPOINT",
            "CMD [\"gunicorn\", \"-b\", \":9000\", \"app:app\"]\nENTRYPOINT",
        );
        assert_eq!(n(&wrong, "exec \"$@\""), 1);
        // A script that never uses its arguments does not run CMD.
        assert_eq!(n(&wrong, "exec gunicorn -b :80 app:app"), 0);
        // Redirections and variables are no commands.
        assert_eq!(n(df, "exec > /var/log/app.log 2>&1\\nexec $SERVER"), 0);
        // A heredoc script.
        let heredoc = "FROM python:3.12\nWORKDIR /app\nCOPY <<EOF /app/start.sh\n#!/bin/sh\nexec uvicorn app:app --port 8000\nEOF\nEXPOSE 80\nENTRYPOINT [\"/app/start.sh\"]";
        assert_eq!(fires("expose-port-mismatch", heredoc, &["app.py: x"]), 1);
    }

    #[test]
    fn aspnet_core_ports() {
        let app = &[
            "Program.cs: var app = WebApplication.CreateBuilder(args).Build();\\napp.Run();",
            "app.csproj: <Project/>",
        ];
        let df = "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY publish/ .\nEXPOSE 80\nENTRYPOINT [\"dotnet\", \"app.dll\"]";
        // .NET 8 images listen on 8080; before, on 80.
        assert_eq!(sev(df, app), vec![Severity::Info]);
        assert!(sev(&df.replace("EXPOSE 80", "EXPOSE 8080"), app).is_empty());
        assert!(sev(&df.replace(":8.0", ":6.0"), app).is_empty());
        assert_eq!(
            sev(&df.replace(":8.0", ":9.0-noble-chiseled"), app),
            vec![Severity::Info]
        );
        // The Dockerfile's own setting is stated.
        let urls = df.replace("EXPOSE", "ENV ASPNETCORE_URLS=http://+:5000\nEXPOSE");
        assert_eq!(sev(&urls, app), vec![Severity::Warning]);
        let ports = df.replace("EXPOSE", "ENV ASPNETCORE_HTTP_PORTS=80\nEXPOSE");
        assert!(sev(&ports, app).is_empty());
        // The application picks its addresses: quiet.
        let kestrel = &[
            "appsettings.json: {\"Kestrel\": {\"Endpoints\": {}}}",
            "app.csproj: <Project/>",
        ];
        assert!(sev(df, kestrel).is_empty());
        let code = &[
            "Program.cs: builder.WebHost.UseUrls(\"http://*:5005\");",
            "app.csproj: <Project/>",
        ];
        assert!(sev(df, code).is_empty());
        // The plain runtime image runs workers, not web servers.
        assert!(sev(&df.replace("dotnet/aspnet", "dotnet/runtime"), app).is_empty());
    }
}
