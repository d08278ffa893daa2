//! The book server under attack: paths out of the book, and clients that
//! are slow, silent or never stop sending.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

use super::Server;

/// A client's patience: far longer than the server's deadlines, so a test
/// fails on a hang instead of waiting for ever.
const PATIENCE: Duration = Duration::from_secs(60);

/// A book with one page, and a secret beside (not inside) it.
fn book() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().expect("scratch dir");
    let root = dir.path().join("book");
    std::fs::create_dir(&root).expect("book dir");
    std::fs::write(root.join("index.html"), "<p>the book</p>").expect("page");
    std::fs::write(dir.path().join("secret.txt"), "s3cret").expect("secret");
    let server = Server::start(&root, 0).expect("serves");
    (dir, server)
}

fn addr(server: &Server) -> SocketAddr {
    let url = server.url();
    let hostport = url.trim_start_matches("http://").trim_end_matches('/');
    hostport.parse().expect("127.0.0.1:PORT")
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(addr(server)).expect("connects");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    stream
}

/// Send `request` as is and read the whole answer.
fn exchange(server: &Server, request: &[u8]) -> String {
    let mut stream = connect(server);
    stream.write_all(request).expect("sent");
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .expect("an answer before our patience ends");
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(server: &Server, target: &str) -> String {
    exchange(
        server,
        format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
    )
}

#[test]
fn the_book_is_served() {
    let (_dir, server) = book();
    let answer = get(&server, "/");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.ends_with("<p>the book</p>"), "{answer}");
}

#[test]
fn no_path_leads_out_of_the_book() {
    let (dir, server) = book();
    let secret = dir.path().join("secret.txt");
    let absolute = secret.to_string_lossy().into_owned();
    let escaped = absolute.replace('/', "%2f");
    for target in [
        "/../secret.txt",
        "/book/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/.%2e/secret.txt",
        absolute.as_str(),
        &format!("/{absolute}"),
        &format!("/{escaped}"),
        &format!("http://127.0.0.1{absolute}"),
        "/..\\secret.txt",
    ] {
        let answer = get(&server, target);
        assert!(answer.starts_with("HTTP/1.1 404"), "{target}: {answer}");
        assert!(!answer.contains("s3cret"), "{target}: {answer}");
    }
    assert!(Path::new(&absolute).is_file());
}

#[test]
fn a_silent_client_is_dropped_and_others_are_still_served() {
    let (_dir, server) = book();
    let mut silent = connect(&server);
    assert!(
        get(&server, "/").starts_with("HTTP/1.1 200"),
        "served meanwhile"
    );
    // The server gives up on the silent one (408 or a plain close) by
    // itself; our side only waits.
    let mut answer = Vec::new();
    silent
        .read_to_end(&mut answer)
        .expect("closed before our patience ends");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

#[test]
fn an_endless_request_line_is_refused() {
    let (_dir, server) = book();
    let mut stream = connect(&server);
    let line = format!("GET /{}", "a".repeat(64 * 1024));
    // The server may stop reading (and close) before all of it is sent.
    let _ = stream.write_all(line.as_bytes());
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
}

fn threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    let line = status.lines().find(|l| l.starts_with("Threads:"));
    let count = line.and_then(|l| l.split_whitespace().nth(1));
    count.and_then(|n| n.parse().ok()).expect("a thread count")
}

#[test]
fn many_idle_connections_do_not_take_a_thread_each() {
    let (_dir, server) = book();
    let before = threads();
    let idle: Vec<TcpStream> = (0..200).map(|_| connect(&server)).collect();
    std::thread::sleep(Duration::from_millis(500)); // let the server accept
    let grown = threads().saturating_sub(before);
    assert!(
        grown < 100,
        "{grown} more threads for {} idle clients",
        idle.len()
    );
    drop(idle);
}

#[test]
fn a_dropped_server_stops_listening() {
    let (_dir, server) = book();
    let at = addr(&server);
    assert!(
        exchange(&server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").contains("the book")
    );
    drop(server);
    match TcpStream::connect(at) {
        Err(_) => {}
        // Nobody listens, yet Linux connects a socket to itself when the
        // ephemeral port it picks is `at`, rarely. This check failed once in
        // a run of `cargo xtask test`; whether from that or from another
        // test's server on the freed port is not known.
        Ok(stream) => {
            assert_eq!(stream.local_addr().ok(), Some(at), "{at} still answers")
        }
    }
}
