//! `layerlint server`: the language server, LSP 3.17 over stdio. A face like `cli`: it turns
//! requests into calls of `lint::lint_for` with the context and configuration `check` would use.
//!
//! Synchronous, on one message thread: linting a Dockerfile takes far less than a keystroke's
//! interval, so the work happens when the queue of messages is empty (a burst of changes is
//! linted once), and requests queued behind a `$/cancelRequest` are answered as cancelled.

mod position;
mod transport;

use crate::config::{Overrides, Resolver, Settings};
use crate::context::BuildContext;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::lint_for;
use crate::model::Purpose;
use crate::project::{Given, Project};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use position::{Encoding, LineIndex};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use transport::Incoming;

/// The page of a rule, as `codeDescription.href` and in hovers.
pub fn rule_url(rule: &str) -> String {
    format!("https://github.com/layerlint/layerlint/blob/main/rules/{rule}.md")
}

/// Environment variable that makes a lint of a text containing `PANIC-TEST` panic, so that the
/// tests can show a panic inside a lint does not take the server down.
const TEST_PANIC_VAR: &str = "LAYERLINT_SERVER_TEST_PANIC";

struct Document {
    text: String,
    version: i32,
}

#[derive(PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

struct Server {
    phase: Phase,
    encoding: Encoding,
    docs: HashMap<lsp::Url, Document>,
    /// Open documents changed since they were last published.
    dirty: BTreeSet<lsp::Url>,
    resolver: Resolver,
    project: Project,
    /// A panic inside a lint is logged once per server, not once per keystroke.
    panic_logged: bool,
    /// Contexts that could not be opened, logged once each.
    context_logged: HashSet<PathBuf>,
}

/// Run the server on stdin and stdout until `exit`; the process exit code.
pub fn run() -> i32 {
    let rx = transport::spawn_reader();
    let mut server = Server::new();
    loop {
        // Everything that has arrived, then the work it leaves: a burst is linted once.
        let Ok(first) = rx.recv() else {
            // The client went away without `exit`.
            return 1;
        };
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let cancelled: HashSet<RequestId> = batch
            .iter()
            .filter_map(|m| match m {
                Incoming::Message(Message::Notification(n)) if n.method == "$/cancelRequest" => n
                    .params
                    .get("id")
                    .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok()),
                _ => None,
            })
            .collect();
        for item in batch {
            match item {
                Incoming::Malformed(problem) => server.log(
                    lsp::MessageType::ERROR,
                    &format!("ignored a message: {problem}"),
                ),
                // `shutdown` is carried out whatever: whether a cancellation arrives in the same
                // read as the request is a matter of timing, and the client must be able to rely
                // on the state it asked for.
                Incoming::Message(Message::Request(req))
                    if cancelled.contains(&req.id) && req.method != "shutdown" =>
                {
                    transport::write(Message::Response(Response::new_err(
                        req.id,
                        ErrorCode::RequestCanceled as i32,
                        "cancelled".into(),
                    )))
                }
                Incoming::Message(Message::Request(req)) => server.request(req),
                Incoming::Message(Message::Notification(n)) => {
                    if n.method == "exit" {
                        return if server.phase == Phase::ShutDown {
                            0
                        } else {
                            1
                        };
                    }
                    server.notification(n)
                }
                // Answers to our own requests (dynamic registration) need nothing.
                Incoming::Message(Message::Response(_)) => {}
            }
        }
        server.publish_dirty();
    }
}

fn params<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

impl Server {
    fn new() -> Server {
        Server {
            phase: Phase::Uninitialized,
            encoding: Encoding::Utf16,
            docs: HashMap::new(),
            dirty: BTreeSet::new(),
            resolver: fresh_resolver(),
            project: Project::new(),
            panic_logged: false,
            context_logged: HashSet::new(),
        }
    }

    fn log(&self, kind: lsp::MessageType, message: &str) {
        notify(
            "window/logMessage",
            json!({"type": kind, "message": format!("layerlint: {message}")}),
        );
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let result = match (&self.phase, req.method.as_str()) {
            (Phase::Uninitialized, "initialize") => self.initialize(req.params),
            (Phase::Uninitialized, _) => Err((
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized".to_string(),
            )),
            (Phase::ShutDown, _) => Err((
                ErrorCode::InvalidRequest as i32,
                "the server is shut down".to_string(),
            )),
            (Phase::Running, "initialize") => Err((
                ErrorCode::InvalidRequest as i32,
                "the server is already initialized".to_string(),
            )),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                Ok(Value::Null)
            }
            (Phase::Running, method) => self.handle(method, req.params),
        };
        let response = match result {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code, message),
        };
        transport::write(Message::Response(response));
    }

    fn handle(&mut self, method: &str, p: Value) -> Result<Value, (i32, String)> {
        let invalid = |e: String| (ErrorCode::InvalidParams as i32, e);
        match method {
            "textDocument/diagnostic" => {
                let p: lsp::DocumentDiagnosticParams = params(p).map_err(invalid)?;
                let items = self.diagnostics_for(&p.text_document.uri);
                Ok(json!({"kind": "full", "items": items}))
            }
            _ => Err((
                ErrorCode::MethodNotFound as i32,
                format!("no method `{method}`"),
            )),
        }
    }

    fn initialize(&mut self, p: Value) -> Result<Value, (i32, String)> {
        // Lenient: a client's capabilities we cannot read are taken as none.
        let offered: Vec<String> = p
            .pointer("/capabilities/general/positionEncodings")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        if offered.iter().any(|e| e == "utf-8") {
            self.encoding = Encoding::Utf8;
        }
        self.phase = Phase::Running;
        let encoding = match self.encoding {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        };
        Ok(json!({
            "capabilities": {
                "positionEncoding": encoding,
                "textDocumentSync": {"openClose": true, "change": 2},
                "diagnosticProvider": {
                    "identifier": "layerlint",
                    "interFileDependencies": true,
                    "workspaceDiagnostics": false,
                },
            },
            "serverInfo": {"name": "layerlint", "version": env!("CARGO_PKG_VERSION")},
        }))
    }

    fn notification(&mut self, n: Notification) {
        if self.phase != Phase::Running {
            return;
        }
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.docs.insert(
                        uri.clone(),
                        Document {
                            text: p.text_document.text,
                            version: p.text_document.version,
                        },
                    );
                    self.dirty.insert(uri);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    let encoding = self.encoding;
                    let Some(doc) = self.docs.get_mut(&uri) else {
                        self.log(
                            lsp::MessageType::WARNING,
                            &format!("a change to {uri}, which is not open, was ignored"),
                        );
                        return;
                    };
                    for change in p.content_changes {
                        apply_change(&mut doc.text, change, encoding);
                    }
                    doc.version = p.text_document.version;
                    self.dirty.insert(uri);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.docs.remove(&uri);
                    self.dirty.remove(&uri);
                    notify(
                        "textDocument/publishDiagnostics",
                        json!({"uri": uri, "diagnostics": []}),
                    );
                }
            }
            _ => {}
        }
    }

    fn publish_dirty(&mut self) {
        for uri in std::mem::take(&mut self.dirty) {
            let Some(version) = self.docs.get(&uri).map(|d| d.version) else {
                continue;
            };
            let items = self.diagnostics_for(&uri);
            notify(
                "textDocument/publishDiagnostics",
                json!({"uri": uri, "version": version, "diagnostics": items}),
            );
        }
    }

    /// The findings of an open document's text, or of the file on disk for one not open.
    fn diagnostics_for(&mut self, uri: &lsp::Url) -> Vec<lsp::Diagnostic> {
        let text = match self.docs.get(uri) {
            Some(d) => d.text.clone(),
            None => match uri
                .to_file_path()
                .ok()
                .and_then(|p| std::fs::read_to_string(p).ok())
            {
                Some(t) => t,
                None => return Vec::new(),
            },
        };
        let found = self.lint(uri, &text);
        let index = LineIndex::new(&text, self.encoding);
        found.iter().map(|d| to_lsp(d, uri, &index)).collect()
    }

    /// `text` as the file of `uri`, with the context and configuration `check` gives it.
    fn lint(&mut self, uri: &lsp::Url, text: &str) -> Vec<Diagnostic> {
        let path = uri.to_file_path().ok();
        let for_config = path.clone().unwrap_or_else(|| PathBuf::from("Dockerfile"));
        let settings = match self.resolver.settings_for(&for_config) {
            Ok(s) => s,
            Err(e) => {
                self.log(lsp::MessageType::ERROR, &e.to_string());
                Settings::new(None, &Overrides::default(), &for_config)
            }
        };
        let warnings = std::cell::RefCell::new(Vec::new());
        let setup = self.project.setup(
            path.as_deref().unwrap_or(Path::new("-")),
            path.is_none(),
            Given {
                context: settings.context.as_deref(),
                build_args: &settings.build_args,
                target: None,
            },
            &|w| warnings.borrow_mut().push(w),
        );
        let ctx_dir = setup.context.clone().or_else(|| {
            path.as_ref()
                .and_then(|p| p.parent().map(Path::to_path_buf))
        });
        let ctx = ctx_dir.and_then(|dir| match BuildContext::open(&dir, path.as_deref()) {
            Ok(c) => Some(c),
            Err(e) => {
                // A context directory deleted under an open file: linted without it.
                if self.context_logged.insert(dir.clone()) {
                    self.log(
                        lsp::MessageType::WARNING,
                        &format!("{}: linted without its build context: {e}", dir.display()),
                    );
                }
                None
            }
        });
        let mut file_settings = settings.clone();
        file_settings.build_args = setup.build_args.clone();
        let purpose = Purpose {
            trusted_registries: settings.trusted_registries.clone(),
            label_schema: settings.label_schema.clone(),
            strict_labels: settings.strict_labels,
            ..setup.purpose.clone()
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if std::env::var_os(TEST_PANIC_VAR).is_some() && text.contains("PANIC-TEST") {
                panic!("a panic asked for by {TEST_PANIC_VAR}");
            }
            lint_for(
                text,
                ctx.as_ref(),
                &file_settings.build_args,
                &purpose,
                &|r| file_settings.enabled(r),
            )
        }));
        match run {
            Ok(Ok(mut linted)) => {
                file_settings.apply_severity(&mut linted.diagnostics);
                linted.diagnostics
            }
            // No instructions yet: a file being written.
            Ok(Err(_)) => Vec::new(),
            Err(panic) => {
                if !self.panic_logged {
                    self.panic_logged = true;
                    let what = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    self.log(
                        lsp::MessageType::ERROR,
                        &format!("an internal error while linting {uri}: {what}"),
                    );
                }
                Vec::new()
            }
        }
    }
}

fn fresh_resolver() -> Resolver {
    // Without `--config`, a resolver never fails; `isolated` and `--config` are not ours.
    Resolver::new(Overrides::default(), None, false).unwrap_or_else(|_| unreachable!())
}

fn notify(method: &str, params: Value) {
    transport::write(Message::Notification(Notification::new(
        method.to_string(),
        params,
    )));
}

fn apply_change(text: &mut String, change: lsp::TextDocumentContentChangeEvent, enc: Encoding) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let index = LineIndex::new(text, enc);
            let start = index.offset(range.start);
            let end = index.offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

fn to_lsp(d: &Diagnostic, uri: &lsp::Url, index: &LineIndex) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .map(|l| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), index.range(l.span.start, l.span.end)),
            message: l.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: index.range(d.primary.span.start, d.primary.span.end),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(d.rule.to_string())),
        code_description: lsp::Url::parse(&rule_url(d.rule))
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("layerlint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.rule == "unused-suppression").then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}
