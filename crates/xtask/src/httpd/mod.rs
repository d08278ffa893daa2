//! A small static file server on 127.0.0.1 for the rendered book.
//!
//! Used by `cargo xtask book --serve` and by the browser test. GET and HEAD
//! only, `Connection: close`; enough for one reader or one headless
//! browser, and it never leaves loopback. A client gets [`HEAD_DEADLINE`]
//! to send a request head of at most [`MAX_HEAD`] bytes, and at most
//! [`MAX_CONNECTIONS`] are served at once (a thread each); the rest are
//! told 503 at once. A path that leaves the book is a 404.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::linkcheck::percent_decode;

/// How long a client may take to send its request line and headers.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(5);

/// The longest request head (request line and headers) read.
pub const MAX_HEAD: u64 = 8 * 1024;

/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 32;

/// How long a client may take to read its answer.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// A running server; it stops when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

/// Counts a connection in for as long as it lives.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Server {
    /// Serve `root` on 127.0.0.1:`port` (0: any free port).
    pub fn start(root: &Path, port: u16) -> Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .with_context(|| format!("binding 127.0.0.1:{port}"))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let root = Arc::new(root.to_path_buf());
        let stopping = Arc::clone(&stop);
        let active = Arc::new(AtomicUsize::new(0));
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
                if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    active.fetch_sub(1, Ordering::SeqCst);
                    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                    let busy = b"too many connections\n";
                    let _ = reply(
                        &mut stream,
                        "503 Service Unavailable",
                        "text/plain",
                        busy,
                        true,
                    );
                    continue;
                }
                let slot = Slot(Arc::clone(&active));
                let root = Arc::clone(&root);
                std::thread::spawn(move || {
                    let _ = respond(&root, stream);
                    drop(slot);
                });
            }
        });
        Ok(Server {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Reads from a stream until a deadline for the whole, not for each read:
/// a client sending one byte every few seconds still runs out of time.
struct Deadline<'a> {
    stream: &'a TcpStream,
    until: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut stream = self.stream;
        stream.read(buf)
    }
}

/// The request line, after the head was read within its deadline and size.
fn read_head(stream: &TcpStream) -> std::result::Result<String, &'static str> {
    let deadline = Deadline {
        stream,
        until: Instant::now() + HEAD_DEADLINE,
    };
    let mut reader = BufReader::new(deadline.take(MAX_HEAD));
    let mut request = String::new();
    line_of(&mut reader, &mut request)?;
    if request.trim_end().is_empty() {
        return Err("400 Bad Request");
    }
    let mut header = String::new();
    loop {
        header.clear();
        line_of(&mut reader, &mut header)?;
        if header.trim_end().is_empty() {
            return Ok(request);
        }
    }
}

/// One whole line; a head cut short (too long, or the client left) is a 400.
fn line_of(
    reader: &mut impl BufRead,
    line: &mut String,
) -> std::result::Result<(), &'static str> {
    match reader.read_line(line) {
        Ok(_) if line.ends_with('\n') => Ok(()),
        Ok(_) => Err("400 Bad Request"),
        Err(err) if is_timeout(&err) => Err("408 Request Timeout"),
        Err(_) => Err("400 Bad Request"),
    }
}

fn is_timeout(err: &std::io::Error) -> bool {
    matches!(err.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock)
}

/// Answer one request on `stream`.
fn respond(root: &Path, stream: TcpStream) -> Result<()> {
    let mut stream = stream;
    let request = match read_head(&stream) {
        Ok(request) => request,
        Err(status) => {
            return reply(&mut stream, status, "text/plain", b"", true);
        }
    };
    let mut words = request.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return reply(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"",
            true,
        );
    }
    let body_wanted = method == "GET";
    match file_for(root, target) {
        Some(path) => {
            let bytes = std::fs::read(&path)?;
            reply(
                &mut stream,
                "200 OK",
                content_type(&path),
                &bytes,
                body_wanted,
            )
        }
        None => reply(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found\n",
            true,
        ),
    }
}

fn reply(
    stream: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    with_body: bool,
) -> Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()?;
    Ok(())
}

/// The file a request target names inside `root`, if any.
fn file_for(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let mut file = root.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(name) => file.push(name),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
