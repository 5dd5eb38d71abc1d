//! `layerlint server` driven over stdio with real JSON-RPC, as an editor drives it.

use proptest::prelude::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for something else.
    seen: Vec<Value>,
}

impl Client {
    fn spawn() -> Client {
        Client::spawn_with(&[])
    }

    fn spawn_with(env: &[(&str, &str)]) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_layerlint"));
        cmd.arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
                        len = v.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("a Content-Length header")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            seen: Vec::new(),
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn start(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The next message that satisfies `want`; the others are kept in `seen`.
    fn wait(&mut self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let end = Instant::now() + WAIT;
        if let Some(i) = self.seen.iter().position(&want) {
            return self.seen.remove(i);
        }
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(v) if want(&v) => return v,
                Ok(v) => self.seen.push(v),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no {what} within {WAIT:?}: {:?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output waiting for {what}")
                }
            }
        }
    }

    fn response(&mut self, id: i64) -> Value {
        self.wait(&format!("response {id}"), |v| {
            v["id"] == id && v.get("method").is_none()
        })
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.start(method, params);
        self.response(id)
    }

    fn initialize(&mut self, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn published(&mut self, uri: &str) -> Value {
        let uri = uri.to_string();
        self.wait("publishDiagnostics", move |v| {
            v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
        self.published(uri)
    }

    fn stop(mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.exit_code()
    }

    fn exit_code(&mut self) -> Option<i32> {
        let end = Instant::now() + WAIT;
        while Instant::now() < end {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        panic!("the server did not exit");
    }
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn rules_of(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn context(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

#[test]
fn lifecycle_initialize_shutdown_exit() {
    let mut c = Client::spawn();
    let early = c.request("textDocument/diagnostic", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    let init = c.initialize(json!({}));
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert_eq!(caps["diagnosticProvider"]["identifier"], "layerlint");
    assert_eq!(init["result"]["serverInfo"]["name"], "layerlint");
    let again = c.request("initialize", json!({"capabilities": {}}));
    assert_eq!(again["error"]["code"], -32600, "{again}");
    let shut = c.request("shutdown", Value::Null);
    assert_eq!(shut["result"], Value::Null);
    let after = c.request("textDocument/diagnostic", json!({}));
    assert_eq!(after["error"]["code"], -32600, "{after}");
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_exit_code_one() {
    let mut c = Client::spawn();
    c.initialize(json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.exit_code(), Some(1));
}

#[test]
fn push_diagnostics_on_open_carry_rule_page_source_and_help() {
    let dir = context(&[("Dockerfile", "FROM ubuntu:22.04\nCMD echo hi\n")]);
    let uri = uri_of(&dir.path().join("Dockerfile"));
    let mut c = Client::spawn();
    c.initialize(json!({}));
    // The editor's text, not the file on disk, is what is linted.
    let p = c.open(
        &uri,
        "FROM ubuntu:22.04\nRUN apt-get install curl\nCMD python app.py\n",
    );
    assert_eq!(p["version"], 1);
    let d = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "install-without-yes")
        .unwrap_or_else(|| panic!("{p}"))
        .clone();
    assert_eq!(d["source"], "layerlint");
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/layerlint/layerlint/blob/main/rules/install-without-yes.md"
    );
    assert_eq!(d["severity"], 2);
    assert_eq!(d["range"]["start"], json!({"line": 1, "character": 4}));
    assert!(d["message"].as_str().unwrap().contains("\nhelp: "), "{d}");
    assert!(rules_of(&p).contains(&"shell-form-cmd".to_string()), "{p}");
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn secondary_labels_are_related_information() {
    let dir = context(&[
        ("src/requirements.txt", "flask==3.0.0\n"),
        ("src/server.py", "print(1)\n"),
    ]);
    let text = "FROM python:3.12-slim\nWORKDIR /app\nCOPY src/ .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"server.py\"]\n";
    let uri = uri_of(&dir.path().join("Dockerfile"));
    let mut c = Client::spawn();
    c.initialize(json!({}));
    let p = c.open(&uri, text);
    let d = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "copy-before-install")
        .unwrap_or_else(|| panic!("the context makes copy-before-install fire: {p}"))
        .clone();
    let related = d["relatedInformation"]
        .as_array()
        .expect("related information");
    assert_eq!(related[0]["location"]["uri"], uri.as_str());
    assert_eq!(related[0]["location"]["range"]["start"]["line"], 3);
    assert!(!related[0]["message"].as_str().unwrap().is_empty());
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn unused_suppression_is_tagged_unnecessary() {
    let mut c = Client::spawn();
    c.initialize(json!({}));
    let p = c.open(
        "untitled:Dockerfile",
        "FROM ubuntu:22.04\n# layerlint ignore=install-without-yes\nRUN echo hi\n",
    );
    let d = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unused-suppression")
        .unwrap_or_else(|| panic!("{p}"))
        .clone();
    assert_eq!(d["tags"], json!([1]));
    assert_eq!(c.stop(), Some(0));
}

const NON_ASCII: &str = "FROM ubuntu:22.04\nRUN echo \"héllo wörld 😀\" && apt-get install curl\n";

fn install_start(p: &Value) -> Value {
    p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "install-without-yes")
        .unwrap_or_else(|| panic!("{p}"))["range"]["start"]
        .clone()
}

#[test]
fn columns_are_utf16_code_units_by_default() {
    let mut c = Client::spawn();
    let init = c.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    let p = c.open("untitled:a", NON_ASCII);
    // 28 characters before `apt-get`, one of them outside the BMP: 29 UTF-16 units.
    assert_eq!(install_start(&p), json!({"line": 1, "character": 29}));
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn columns_are_bytes_when_utf8_is_offered() {
    let mut c = Client::spawn();
    let init = c.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let p = c.open("untitled:a", NON_ASCII);
    assert_eq!(install_start(&p), json!({"line": 1, "character": 33}));
    // Changes are read in the same units: replacing `apt-get install curl` with `true`.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "untitled:a", "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 33}, "end": {"line": 1, "character": 53}}, "text": "true"}
        ]}),
    );
    let p = c.published("untitled:a");
    assert_eq!(p["version"], 2);
    assert!(
        !rules_of(&p).contains(&"install-without-yes".to_string()),
        "{p}"
    );
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn changes_are_relinted_from_the_editor_text() {
    let mut c = Client::spawn();
    c.initialize(json!({}));
    let p = c.open("untitled:b", "FROM ubuntu:22.04\nRUN echo hi\n");
    assert!(!rules_of(&p).contains(&"install-without-yes".to_string()));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "untitled:b", "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 11}}, "text": "apt-get install curl"}
        ]}),
    );
    let p = c.published("untitled:b");
    assert_eq!(p["version"], 2);
    assert!(
        rules_of(&p).contains(&"install-without-yes".to_string()),
        "{p}"
    );
    // A whole-text change replaces the text.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "untitled:b", "version": 3}, "contentChanges": [{"text": "FROM ubuntu:22.04\n"}]}),
    );
    let p = c.published("untitled:b");
    assert_eq!(p["version"], 3);
    assert!(
        !rules_of(&p).contains(&"install-without-yes".to_string()),
        "{p}"
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "untitled:b"}}),
    );
    let p = c.published("untitled:b");
    assert_eq!(p["diagnostics"], json!([]));
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn pull_diagnostics_for_open_and_unopened_files() {
    let dir = context(&[(
        "Dockerfile",
        "FROM ubuntu:22.04\nRUN apt-get install curl\n",
    )]);
    let uri = uri_of(&dir.path().join("Dockerfile"));
    let mut c = Client::spawn();
    c.initialize(json!({}));
    let r = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(r["result"]["kind"], "full");
    let codes: Vec<&str> = r["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"install-without-yes"), "{r}");
    c.open(&uri, "FROM ubuntu:22.04\nRUN echo hi\n");
    let r = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(
        !r["result"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "install-without-yes"),
        "the open text wins over the disk: {r}"
    );
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn the_build_context_of_the_path_is_used() {
    let dir = context(&[("app/requirements.txt", "flask\n")]);
    let text = "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n";
    let uri = uri_of(&dir.path().join("Dockerfile"));
    let mut c = Client::spawn();
    c.initialize(json!({}));
    let p = c.open(&uri, text);
    let missing = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("requirements.txt"))
        .unwrap_or_else(|| panic!("a finding about the missing file: {p}"))
        .clone();
    assert!(
        missing["message"]
            .as_str()
            .unwrap()
            .contains("app/requirements.txt"),
        "{missing}"
    );
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn unknown_methods_and_malformed_messages_do_not_stop_it() {
    let mut c = Client::spawn();
    c.initialize(json!({}));
    let r = c.request("textDocument/noSuchThing", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    c.notify("$/noSuchNotification", json!({}));
    c.raw(b"Content-Length: 9\r\n\r\n{not json");
    c.raw(b"Content-Length: nope\r\n\r\n");
    c.raw(b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc");
    c.send(json!({"jsonrpc": "2.0", "id": 99, "method": "textDocument/diagnostic", "params": {"nonsense": true}}));
    let bad = c.response(99);
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    let log = c.wait("a log message", |v| v["method"] == "window/logMessage");
    assert!(log["params"]["message"]
        .as_str()
        .unwrap()
        .contains("ignored a message"));
    // A change to a document never opened is ignored.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "untitled:never", "version": 2}, "contentChanges": [{"text": "FROM x\n"}]}),
    );
    let p = c.open(
        "untitled:c",
        "FROM ubuntu:22.04\nRUN apt-get install curl\n",
    );
    assert!(rules_of(&p).contains(&"install-without-yes".to_string()));
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn a_huge_document_is_linted() {
    let mut text = String::from("FROM ubuntu:22.04\n");
    for i in 0..20_000 {
        text.push_str(&format!("ENV V{i}=value{i}\n"));
    }
    text.push_str("RUN apt-get install curl\n");
    let mut c = Client::spawn();
    c.initialize(json!({}));
    let p = c.open("untitled:huge", &text);
    assert!(rules_of(&p).contains(&"install-without-yes".to_string()));
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn a_deleted_context_directory_is_survived() {
    let dir = context(&[("requirements.txt", "flask\n")]);
    let uri = uri_of(&dir.path().join("Dockerfile"));
    let mut c = Client::spawn();
    c.initialize(json!({}));
    c.open(&uri, "FROM ubuntu:22.04\nRUN apt-get install curl\n");
    let path = dir.path().to_path_buf();
    drop(dir);
    assert!(!path.exists());
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "FROM ubuntu:22.04\nRUN apt-get install wget\n"}]}),
    );
    let p = c.published(&uri);
    assert_eq!(p["version"], 2);
    assert!(
        rules_of(&p).contains(&"install-without-yes".to_string()),
        "{p}"
    );
    let log = c.wait("a log message", |v| v["method"] == "window/logMessage");
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("without its build context"),
        "{log}"
    );
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn a_panic_inside_a_lint_is_logged_once_and_the_server_goes_on() {
    let mut c = Client::spawn_with(&[("LAYERLINT_SERVER_TEST_PANIC", "1")]);
    c.initialize(json!({}));
    let p = c.open("untitled:p", "FROM ubuntu:22.04\n# PANIC-TEST\n");
    assert_eq!(p["diagnostics"], json!([]));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "untitled:p", "version": 2}, "contentChanges": [{"text": "FROM ubuntu:22.04\n# PANIC-TEST again\n"}]}),
    );
    c.published("untitled:p");
    let p = c.open(
        "untitled:q",
        "FROM ubuntu:22.04\nRUN apt-get install curl\n",
    );
    assert!(rules_of(&p).contains(&"install-without-yes".to_string()));
    let logs: Vec<Value> = c
        .seen
        .iter()
        .filter(|v| v["method"] == "window/logMessage")
        .cloned()
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert!(logs[0]["params"]["message"]
        .as_str()
        .unwrap()
        .contains("internal error"));
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn a_cancelled_request_is_answered_as_cancelled_or_as_usual() {
    let mut c = Client::spawn();
    c.initialize(json!({}));
    // Both in one write: when the server sees them together, the request is cancelled.
    let req = json!({"jsonrpc": "2.0", "id": 50, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": "untitled:z"}}}).to_string();
    let cancel =
        json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 50}}).to_string();
    c.raw(
        format!(
            "Content-Length: {}\r\n\r\n{req}Content-Length: {}\r\n\r\n{cancel}",
            req.len(),
            cancel.len()
        )
        .as_bytes(),
    );
    let r = c.response(50);
    assert!(
        r["error"]["code"] == -32800 || r["result"]["kind"] == "full",
        "{r}"
    );
    // Cancelling what was answered long ago is harmless.
    c.notify("$/cancelRequest", json!({"id": 1}));
    let r = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": "untitled:z"}}),
    );
    assert_eq!(r["result"]["kind"], "full");
    assert_eq!(c.stop(), Some(0));
}

#[derive(Debug, Clone)]
enum Step {
    Open(u8, String),
    Change(u8, u32, u32, u32, u32, String),
    Full(u8, String),
    Close(u8),
    Pull(u8),
    Unknown,
    Garbage(Vec<u8>),
    Cancel(i64),
    Shutdown,
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "FROM ubuntu:22.04\n",
            "FROM alpine AS build\n",
            "RUN apt-get install curl\n",
            "COPY --from=build /a /b\n",
            "CMD echo é😀\n",
            "# layerlint ignore=install-without-yes\n",
            "RUN <<EOF\necho hi\nEOF\n",
            "\\\n",
            "\r\n",
            "ÿ",
        ]),
        0..6,
    )
    .prop_map(|v| v.concat())
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3u8, text()).prop_map(|(d, t)| Step::Open(d, t)),
        (0..3u8, 0..5u32, 0..40u32, 0..5u32, 0..40u32, text())
            .prop_map(|(d, a, b, e, f, t)| Step::Change(d, a, b, e, f, t)),
        (0..3u8, text()).prop_map(|(d, t)| Step::Full(d, t)),
        (0..3u8).prop_map(Step::Close),
        (0..3u8).prop_map(Step::Pull),
        Just(Step::Unknown),
        prop::collection::vec(any::<u8>(), 0..30).prop_map(Step::Garbage),
        (0..20i64).prop_map(Step::Cancel),
        Just(Step::Shutdown),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_message_sequences_never_take_it_down(steps in prop::collection::vec(step(), 0..25)) {
        let mut c = Client::spawn();
        c.initialize(json!({}));
        let uri = |d: u8| format!("untitled:doc{d}");
        let mut shut = false;
        for s in &steps {
            match s {
                Step::Open(d, t) => c.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri(*d), "languageId": "dockerfile", "version": 1, "text": t}})),
                Step::Change(d, a, b, e, f, t) => c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri(*d), "version": 2}, "contentChanges": [{"range": {"start": {"line": a, "character": b}, "end": {"line": e, "character": f}}, "text": t}]})),
                Step::Full(d, t) => c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri(*d), "version": 3}, "contentChanges": [{"text": t}]})),
                Step::Close(d) => c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri(*d)}})),
                Step::Pull(d) => { c.start("textDocument/diagnostic", json!({"textDocument": {"uri": uri(*d)}})); }
                Step::Unknown => { c.start("workspace/whatever", json!([1, 2])); }
                Step::Garbage(bytes) => {
                    let mut frame = format!("Content-Length: {}\r\n\r\n", bytes.len()).into_bytes();
                    frame.extend(bytes);
                    c.raw(&frame);
                }
                Step::Cancel(id) => c.notify("$/cancelRequest", json!({"id": id})),
                Step::Shutdown => {
                    shut = true;
                    c.start("shutdown", Value::Null);
                }
            }
        }
        // Still answering: every request gets its response (one no step cancelled).
        c.next_id = 10_000;
        let id = c.start("textDocument/diagnostic", json!({"textDocument": {"uri": uri(0)}}));
        let r = c.response(id);
        if shut {
            prop_assert_eq!(&r["error"]["code"], -32600);
        } else {
            prop_assert_eq!(&r["result"]["kind"], "full");
            c.request("shutdown", Value::Null);
        }
        c.notify("exit", Value::Null);
        prop_assert_eq!(c.exit_code(), Some(0));
    }
}
