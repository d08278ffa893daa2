//! Chapter 5 · Asking a health endpoint: a minimal HTTP GET, so the
//! container image needs no curl (`ch05-worker probe ready`) and tests and
//! the demo can watch a worker.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::health::{LIVE_PATH, READY_PATH};

/// GET `path` from `addr`; the status code and the body. A listener on
/// 0.0.0.0 (as in a container) is asked on 127.0.0.1.
pub fn get(addr: SocketAddr, path: &str) -> Result<(u16, String)> {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    let timeout = Duration::from_secs(2);
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .with_context(|| format!("connecting to {addr}"))?;
    stream.set_read_timeout(Some(timeout))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .with_context(|| format!("reading the answer of {addr}{path}"))?;
    let status = reply
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("not an HTTP answer: {reply:.60}"))?;
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Ok((status, body.to_owned()))
}

/// The worker's status from `/healthz`.
pub fn status(addr: SocketAddr) -> Result<crate::health::Status> {
    let (code, body) = get(addr, LIVE_PATH)?;
    anyhow::ensure!(code == 200, "/healthz answered {code}");
    serde_json::from_str(&body).context("reading /healthz")
}

/// Whether `/readyz` answers 200.
pub fn is_ready(addr: SocketAddr) -> Result<bool> {
    Ok(get(addr, READY_PATH)?.0 == 200)
}
