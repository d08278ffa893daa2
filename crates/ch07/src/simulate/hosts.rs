//! Chapter 7 · Simulate components: the two programs on the simulated
//! network — a rates server, and a client that retries until answered.
//!
//! They use turmoil's UDP socket where a real build would use tokio's;
//! the code is otherwise what one would deploy.

use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr};
use std::rc::Rc;

use turmoil::net::UdpSocket;

use crate::simulate::simulation::{Outcome, Scenario};

/// The port the rates server listens on.
pub const PORT: u16 = 9000;

// ANCHOR: server
/// The server: answer `k` with `k:quote` for every datagram, forever.
pub async fn rates_server() -> turmoil::Result {
    let socket = UdpSocket::bind((IpAddr::V4(Ipv4Addr::UNSPECIFIED), PORT)).await?;
    let mut buf = [0u8; 64];
    loop {
        let (len, from) = socket.recv_from(&mut buf).await?;
        let request = String::from_utf8_lossy(&buf[..len]).to_string();
        let quote = 1.0 + request.parse::<u32>().unwrap_or(0) as f64 / 1000.0;
        socket
            .send_to(format!("{request}:{quote}").as_bytes(), from)
            .await?;
    }
}
// ANCHOR_END: server

// ANCHOR: client
// ANCHOR: retrying_client
/// The client: each request is sent until an answer with its number comes
/// back within `timeout`, at most `max_attempts` times.
pub async fn retrying_client(
    scenario: Scenario,
    log: Rc<RefCell<Outcome>>,
) -> turmoil::Result {
    let socket = UdpSocket::bind((IpAddr::V4(Ipv4Addr::UNSPECIFIED), PORT)).await?;
    let note = |line: String| transcribe(&log, line);
    for k in 1..=scenario.requests {
        let mut answered = 0;
        for attempt in 1..=scenario.max_attempts {
            socket
                .send_to(k.to_string().as_bytes(), ("rates", PORT))
                .await?;
            let deadline = tokio::time::Instant::now() + scenario.timeout;
            if let Some(reply) = reply_to(&socket, k, deadline).await? {
                note(format!("request {k}: {reply} (attempt {attempt})"));
                answered = attempt;
                break;
            }
            note(format!(
                "request {k}: no answer in time (attempt {attempt})"
            ));
        }
        log.borrow_mut().attempts.push(answered);
    }
    Ok(())
}
// ANCHOR_END: retrying_client

/// Add a line to the transcript, stamped with the simulated time.
pub fn transcribe(log: &RefCell<Outcome>, line: String) {
    let at = turmoil::elapsed().as_millis();
    log.borrow_mut()
        .transcript
        .push(format!("{at:>6} ms  {line}"));
}

/// Wait for the answer to request `k` until `deadline`, dropping late
/// answers to earlier attempts; `None` when the time is up.
pub async fn reply_to(
    socket: &UdpSocket,
    k: u32,
    deadline: tokio::time::Instant,
) -> Result<Option<String>, std::io::Error> {
    let mut buf = [0u8; 64];
    loop {
        let received =
            tokio::time::timeout_at(deadline, socket.recv_from(&mut buf)).await;
        let Ok(result) = received else {
            return Ok(None);
        };
        let (len, _) = result?;
        let reply = String::from_utf8_lossy(&buf[..len]).to_string();
        if reply.split(':').next() == Some(k.to_string().as_str()) {
            return Ok(Some(reply));
        }
    }
}
// ANCHOR_END: client
