//! Chapter 2 · Waiting, measured: many requests to the local exchange-rate
//! service (latency 50 ms), sequentially, on threads, as async tasks and
//! from worker processes ([`crate::fetch::dist`]). This file: the blocking
//! clients; the async ones are in [`crate::fetch::asynchronous`].
//!
//! Every client keeps its connections open between requests (HTTP/1.1
//! keep-alive) and is kept between runs, as a long-lived program would.
//! One variant, `async-fresh`, opens a new connection per request instead:
//! on this machine a burst of hundreds of new loopback connections loses
//! SYNs and waits for the one-second retransmission (MACHINE-NOTES.md).
//! Every request has a deadline, so nothing hangs.

pub mod asynchronous;
pub mod dist;
pub mod figure;
pub mod h2;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Result;
use workbench::rates::{Quote, get_blocking};

/// The deadline of every request.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// The deadline for opening a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Threads in the bounded pool.
pub const POOL_THREADS: usize = 100;
/// At most this many requests in flight at once in the async variants.
pub const ASYNC_LIMIT: usize = 1000;
/// HTTP/2 connections of the `async-h2` variant (the server accepts 200
/// concurrent streams on each).
pub const H2_CONNECTIONS: usize = 8;

/// A blocking client that keeps up to 1,000 idle connections for reuse.
pub fn blocking_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .max_idle_connections(ASYNC_LIMIT)
        .max_idle_connections_per_host(ASYNC_LIMIT)
        .build()
        .into()
}

// ANCHOR: seq
/// `seq`: one request after another; the total is the sum of the waits.
pub fn fetch_seq(
    agent: &ureq::Agent,
    base_url: &str,
    pairs: &[String],
) -> Result<Vec<Quote>> {
    pairs
        .iter()
        .map(|pair| get_blocking(agent, base_url, pair))
        .collect()
}
// ANCHOR_END: seq

// ANCHOR: threads
/// `threads`: one thread per request, all waiting at once. Each thread
/// has its own stack and kernel bookkeeping: that is the memory it costs.
pub fn fetch_threads(
    agent: &ureq::Agent,
    base_url: &str,
    pairs: &[String],
) -> Result<Vec<Quote>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .iter()
            .map(|pair| scope.spawn(move || get_blocking(agent, base_url, pair)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a request thread panicked"))?
            })
            .collect()
    })
}
// ANCHOR_END: threads

// ANCHOR: pool
/// `pool`: a bounded pool of `threads` threads taking the next request
/// from a shared counter; at most `threads` requests wait at once.
pub fn fetch_pool(
    agent: &ureq::Agent,
    base_url: &str,
    pairs: &[String],
    threads: usize,
) -> Result<Vec<Quote>> {
    let next = AtomicUsize::new(0);
    let mut answers: Vec<(usize, Quote)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.clamp(1, pairs.len().max(1)))
            .map(|_| {
                scope.spawn(|| -> Result<Vec<(usize, Quote)>> {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(pair) = pairs.get(i) else {
                            break Ok(mine);
                        };
                        mine.push((i, get_blocking(agent, base_url, pair)?));
                    }
                })
            })
            .collect();
        let mut all = Vec::new();
        for handle in handles {
            all.extend(
                handle
                    .join()
                    .map_err(|_| anyhow::anyhow!("a pool thread panicked"))??,
            );
        }
        anyhow::Ok(all)
    })?;
    answers.sort_by_key(|&(i, _)| i);
    Ok(answers.into_iter().map(|(_, quote)| quote).collect())
}
// ANCHOR_END: pool

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::asynchronous::AsyncClient;
    use workbench::rates::{self, RateService};

    #[test]
    fn every_variant_gets_the_services_rates() {
        let service = RateService::start(Duration::from_millis(5)).expect("starts");
        let (url, pairs) = (service.base_url(), rates::pairs(30));
        let agent = blocking_agent();
        let check = |quotes: Result<Vec<Quote>>| {
            rates::verify(&pairs, &quotes.expect("fetches")).expect("right")
        };
        check(fetch_seq(&agent, &url, &pairs));
        check(fetch_threads(&agent, &url, &pairs));
        check(fetch_pool(&agent, &url, &pairs, 4));
        check(
            AsyncClient::keep_alive()
                .expect("client")
                .fetch(&url, &pairs, 8),
        );
        check(
            AsyncClient::fresh_connections()
                .expect("client")
                .fetch(&url, &pairs, 8),
        );
        assert_eq!(service.served(), 5 * 30);
    }

    #[test]
    fn an_unreachable_service_fails_fast_and_says_where() {
        let url = rates::unreachable_url().expect("a free port");
        let pairs = rates::pairs(3);
        let err = fetch_seq(&blocking_agent(), &url, &pairs).expect_err("refused");
        assert!(format!("{err:#}").contains(&url), "{err:#}");
        let client = AsyncClient::keep_alive().expect("client");
        let err = client.fetch(&url, &pairs, 3).expect_err("refused");
        assert!(format!("{err:#}").contains(&url), "{err:#}");
    }
}
