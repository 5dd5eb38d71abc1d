//! JSON-RPC over stdio with `Content-Length` framing. Our own reader, not lsp-server's, because
//! that one stops at the first malformed message; here a bad frame is reported and skipped.

use lsp_server::Message;
use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{Receiver, Sender};

/// Frames larger than this are skipped rather than held in memory.
const MAX_FRAME: usize = 256 * 1024 * 1024;

pub enum Incoming {
    Message(Message),
    /// A frame that is not a JSON-RPC message, with what was wrong.
    Malformed(String),
}

pub fn spawn_reader() -> Receiver<Incoming> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        read_all(&mut input, &tx);
    });
    rx
}

fn read_all(input: &mut impl BufRead, tx: &Sender<Incoming>) {
    loop {
        let item = match read_frame(input) {
            Ok(Some(Ok(body))) => match serde_json::from_slice::<Message>(&body) {
                Ok(m) => Incoming::Message(m),
                Err(e) => Incoming::Malformed(format!("not a JSON-RPC message: {e}")),
            },
            Ok(Some(Err(problem))) => Incoming::Malformed(problem),
            Ok(None) | Err(_) => return,
        };
        if tx.send(item).is_err() {
            return;
        }
    }
}

/// One frame's body; `None` at the end of input.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Result<Vec<u8>, String>>> {
    let mut size: Option<usize> = None;
    let mut bad_header = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if size.is_some() || bad_header.is_some() {
                break;
            }
            continue;
        }
        match text.split_once(':') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("content-length") => {
                match v.trim().parse() {
                    Ok(n) => size = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", v.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header line `{text}`")),
        }
    }
    let Some(size) = size else {
        return Ok(Some(Err(
            bad_header.unwrap_or_else(|| "no Content-Length".into())
        )));
    };
    if size > MAX_FRAME {
        io::copy(&mut input.by_ref().take(size as u64), &mut io::sink())?;
        return Ok(Some(Err(format!("a message of {size} bytes is too large"))));
    }
    let mut body = vec![0; size];
    input.read_exact(&mut body)?;
    Ok(Some(Ok(body)))
}

pub fn write(msg: Message) {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    // The client has gone if this fails; the reader then sees the end of input.
    let _ = msg.write(&mut out);
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_frame_is_skipped_and_the_next_read() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: 5\r\n\r\n{{bad}}Content-Length: x\r\n\r\nContent-Length: {}\r\n\r\n{ok}",
            ok.len()
        );
        let (tx, rx) = std::sync::mpsc::channel();
        read_all(&mut input.as_bytes(), &tx);
        drop(tx);
        let got: Vec<Incoming> = rx.into_iter().collect();
        assert_eq!(got.len(), 3);
        assert!(matches!(got[0], Incoming::Malformed(_)));
        assert!(matches!(got[1], Incoming::Malformed(_)));
        assert!(matches!(got[2], Incoming::Message(_)));
    }
}
