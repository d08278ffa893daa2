//! Chapter 7 · A bug found by simulation: at-least-once deposits whose
//! duplicate filter is wrong only when the network reorders messages.
//!
//! A teller sends numbered deposits to a bank over UDP, one at a time, and
//! sends a deposit again until the bank acknowledges it (at-least-once:
//! a lost acknowledgement means the bank sees the deposit twice). The bank
//! must therefore drop duplicates. [`Dedup::LastOnly`] drops a repeat of
//! the *last* deposit only: right as long as every copy of deposit `k`
//! arrives before deposit `k + 1`, wrong when the network delays a copy
//! past its successor. [`Dedup::UpToLast`] drops every number not above
//! the last one applied, which the one-at-a-time teller makes correct.

use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr};
use std::rc::Rc;
use std::time::Duration;

use anyhow::{Result, anyhow};
use turmoil::net::UdpSocket;

use crate::simulate::hosts::reply_to;

const PORT: u16 = 9100;

/// How the bank recognises a deposit it has applied already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dedup {
    /// The bug: a deposit is a duplicate if it repeats the last one.
    LastOnly,
    /// The fix: a deposit is a duplicate if it is not newer than the last.
    UpToLast,
}

/// The seed that turned up the double deposit (found by
/// [`first_double_deposit`] over seeds 0..; kept as a regression test).
pub const FOUND_SEED: u64 = 2;

/// The congested network of the search: a datagram may take as long as
/// the teller waits for its acknowledgement.
pub const CONGESTED: Duration = Duration::from_millis(100);

/// One simulated day of deposits.
#[derive(Debug, Clone)]
pub struct Day {
    pub seed: u64,
    pub deposits: u32,
    pub dedup: Dedup,
    /// How long the teller waits for an acknowledgement before resending.
    pub timeout: Duration,
    /// The slowest a datagram may be; latencies are mostly short.
    pub max_latency: Duration,
}

impl Day {
    /// A healthy network: datagrams take 1 to 20 ms, the teller waits
    /// 100 ms, so it resends only what was lost.
    pub fn new(seed: u64, dedup: Dedup) -> Self {
        Day {
            seed,
            deposits: 20,
            dedup,
            timeout: Duration::from_millis(100),
            max_latency: Duration::from_millis(20),
        }
    }

    /// A congested network: a datagram may take up to `max_latency`, so a
    /// resent deposit may overtake, or be overtaken by, its original.
    pub fn congested(self, max_latency: Duration) -> Self {
        Day {
            max_latency,
            ..self
        }
    }
}

/// What the bank applied, in order, and what the teller saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Books {
    pub applied: Vec<u32>,
    pub resent: u32,
    pub transcript: Vec<String>,
}

impl Books {
    /// Deposits the bank applied more than once.
    pub fn doubled(&self) -> Vec<u32> {
        let mut seen = std::collections::BTreeMap::new();
        for k in &self.applied {
            *seen.entry(*k).or_insert(0u32) += 1;
        }
        seen.into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(k, _)| k)
            .collect()
    }
}

// ANCHOR: bank
/// The bank: apply each new deposit, acknowledge every copy.
async fn bank(dedup: Dedup, books: Rc<RefCell<Books>>) -> turmoil::Result {
    let any = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    let socket = UdpSocket::bind((any, PORT)).await?;
    let mut last = 0u32;
    let mut buf = [0u8; 32];
    loop {
        let (len, from) = socket.recv_from(&mut buf).await?;
        let Ok(k) = String::from_utf8_lossy(&buf[..len]).parse::<u32>() else {
            continue; // not a deposit number: nothing to apply or answer
        };
        let duplicate = match dedup {
            Dedup::LastOnly => k == last,
            Dedup::UpToLast => k <= last,
        };
        if !duplicate {
            apply(&books, k, last);
            last = k;
        } else {
            note(&books, format!("bank: {k} again, dropped"));
        }
        socket.send_to(k.to_string().as_bytes(), from).await?;
    }
}
// ANCHOR_END: bank

/// Book deposit `k`; say so when it is older than the last one applied.
fn apply(books: &RefCell<Books>, k: u32, last: u32) {
    if k < last {
        note(books, format!("bank: {k} again, APPLIED"));
    }
    books.borrow_mut().applied.push(k);
}

/// A transcript line stamped with the simulated time.
fn note(books: &RefCell<Books>, line: String) {
    let at = turmoil::elapsed().as_millis();
    books
        .borrow_mut()
        .transcript
        .push(format!("{at:>5} ms  {line}"));
}

// ANCHOR: teller
/// The teller: deposit `k` is sent until acknowledged, then `k + 1`.
async fn teller(day: Day, books: Rc<RefCell<Books>>) -> turmoil::Result {
    let any = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    let socket = UdpSocket::bind((any, PORT)).await?;
    for k in 1..=day.deposits {
        for attempt in 1.. {
            socket
                .send_to(k.to_string().as_bytes(), ("bank", PORT))
                .await?;
            let deadline = tokio::time::Instant::now() + day.timeout;
            if reply_to(&socket, k, deadline).await?.is_some() {
                break;
            }
            let at = turmoil::elapsed().as_millis();
            let line =
                format!("{at:>5} ms  teller: no ack for {k}, resent ({attempt})");
            let mut books = books.borrow_mut();
            books.resent += 1;
            books.transcript.push(line);
        }
    }
    Ok(())
}
// ANCHOR_END: teller

/// Run one day to its end on the simulated network.
pub fn simulate(day: &Day) -> Result<Books> {
    let mut sim = turmoil::Builder::new()
        .rng_seed(day.seed)
        .simulation_duration(Duration::from_secs(60))
        .min_message_latency(Duration::from_millis(1))
        .max_message_latency(day.max_latency)
        .build();
    let books = Rc::new(RefCell::new(Books::default()));
    let (dedup, at_bank) = (day.dedup, Rc::clone(&books));
    sim.host("bank", move || bank(dedup, Rc::clone(&at_bank)));
    sim.client("teller", teller(day.clone(), Rc::clone(&books)));
    sim.run().map_err(|e| anyhow!("simulation failed: {e}"))?;
    let mut books = books.take();
    if !books.doubled().is_empty() {
        let line = format!("the bank applied {:?}", books.applied);
        books.transcript.push(line);
    }
    Ok(books)
}

// ANCHOR: search
/// Try seeds in `seeds` with the bank's filter `dedup`; the first seed on
/// which some deposit was applied twice.
pub fn first_double_deposit(
    seeds: std::ops::Range<u64>,
    dedup: Dedup,
) -> Result<Option<u64>> {
    for seed in seeds {
        let day = Day::new(seed, dedup).congested(CONGESTED);
        if !simulate(&day)?.doubled().is_empty() {
            return Ok(Some(seed));
        }
    }
    Ok(None)
}
// ANCHOR_END: search
