//! Chapter 3 · I/O-bound work: exchange rates fetched sequentially, one
//! thread per pair, and as async futures (the book's `currency.py`).
//!
//! Every request has a deadline, so an unreachable service is an error
//! within seconds, never a hang.

use std::time::Duration;

use anyhow::{Context, Result};
use workbench::rates::{Quote, get_blocking};

/// The deadline of each request.
pub const TIMEOUT: Duration = Duration::from_secs(10);

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .build()
        .into()
}

// ANCHOR: seq
/// One request after another: the total is the sum of the latencies.
pub fn rates_seq(base_url: &str, pairs: &[String]) -> Result<Vec<Quote>> {
    let agent = agent();
    pairs
        .iter()
        .map(|pair| get_blocking(&agent, base_url, pair))
        .collect()
}
// ANCHOR_END: seq

// ANCHOR: threads
/// One thread per pair: the threads spend their time waiting on the
/// network, so they overlap even on one core (in Python, despite the GIL).
pub fn rates_threads(base_url: &str, pairs: &[String]) -> Result<Vec<Quote>> {
    let agent = agent(); // a cheap clone per thread, one connection pool
    std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .iter()
            .map(|pair| {
                let agent = agent.clone();
                scope.spawn(move || get_blocking(&agent, base_url, pair))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| anyhow::anyhow!("a thread panicked"))?)
            .collect()
    })
}
// ANCHOR_END: threads

// ANCHOR: async
/// One future per pair on one thread: while a request waits, the runtime
/// polls the others.
pub fn rates_async(base_url: &str, pairs: &[String]) -> Result<Vec<Quote>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("building a tokio runtime")?;
    runtime.block_on(async {
        let client = reqwest::Client::builder().timeout(TIMEOUT).build()?;
        let requests = pairs.iter().map(|pair| {
            let (client, url) = (&client, format!("{base_url}/rate/{pair}"));
            async move {
                let response = client.get(&url).send().await?.error_for_status()?;
                response
                    .json::<Quote>()
                    .await
                    .with_context(|| format!("GET {url}"))
            }
        });
        futures::future::try_join_all(requests).await
    })
}
// ANCHOR_END: async

#[cfg(test)]
mod tests {
    use super::*;
    use workbench::rates::{self, RateService};

    #[test]
    fn every_variant_gets_the_services_rates() {
        let service = RateService::start(Duration::from_millis(20)).expect("starts");
        let pairs = rates::pairs(5);
        for fetch in [rates_seq, rates_threads, rates_async] {
            let quotes = fetch(&service.base_url(), &pairs).expect("fetches");
            rates::verify(&pairs, &quotes).expect("right rates");
        }
        assert_eq!(service.served(), 15);
    }

    #[test]
    fn an_unknown_pair_is_an_error_naming_it() {
        let service = RateService::start(Duration::ZERO).expect("starts");
        let pairs = vec!["EURUSD".to_string(), "EURXYZ".to_string()];
        for fetch in [rates_seq, rates_threads, rates_async] {
            let err = fetch(&service.base_url(), &pairs).expect_err("404");
            assert!(format!("{err:#}").contains("EURXYZ"), "{err:#}");
        }
    }

    #[test]
    fn an_unreachable_service_fails_fast() {
        let url = rates::unreachable_url().expect("a free port");
        let pairs = vec!["EURUSD".to_string()];
        for fetch in [rates_seq, rates_threads, rates_async] {
            assert!(fetch(&url, &pairs).is_err());
        }
    }
}
