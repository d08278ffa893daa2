//! Chapter 2 · Waiting, measured: the async clients — HTTP/1.1 keep-alive,
//! HTTP/2 multiplexing, and a fresh connection per request.
//!
//! Each keeps its runtime and its connections between runs, as a
//! long-lived program would.

use anyhow::{Context, Result};
use futures::StreamExt;
use workbench::rates::Quote;

use crate::fetch::{CONNECT_TIMEOUT, TIMEOUT};

/// An async HTTP client and the runtime it runs on (two threads, one per
/// core here), kept together so its pooled connections survive between
/// runs.
#[derive(Debug)]
pub struct AsyncClient {
    runtime: tokio::runtime::Runtime,
    clients: Vec<reqwest::Client>,
}

impl AsyncClient {
    // ANCHOR: clients
    /// HTTP/1.1 keep-alive: a finished connection waits in the pool for the
    /// next request, so only the first run pays for connecting.
    pub fn keep_alive() -> Result<Self> {
        Self::with(1, reqwest::Client::builder)
    }

    /// A new connection for every request: nothing is kept idle.
    pub fn fresh_connections() -> Result<Self> {
        Self::with(1, || reqwest::Client::builder().pool_max_idle_per_host(0))
    }

    /// HTTP/2 without negotiation: each client multiplexes its requests as
    /// streams of one connection. The server takes at most 200 streams per
    /// connection at once, hence several clients.
    pub fn http2(connections: usize) -> Result<Self> {
        Self::with(connections, || {
            reqwest::Client::builder().http2_prior_knowledge()
        })
    }
    // ANCHOR_END: clients

    fn with(
        connections: usize,
        builder: impl Fn() -> reqwest::ClientBuilder,
    ) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("building a tokio runtime")?;
        let clients = (0..connections.max(1))
            .map(|_| {
                builder()
                    .timeout(TIMEOUT)
                    .connect_timeout(CONNECT_TIMEOUT)
                    .build()
                    .context("building an HTTP client")
            })
            .collect::<Result<_>>()?;
        Ok(AsyncClient { runtime, clients })
    }

    /// `async`: every request as a future, at most `limit` in flight;
    /// request i goes through client i mod (number of clients).
    pub fn fetch(
        &self,
        base_url: &str,
        pairs: &[String],
        limit: usize,
    ) -> Result<Vec<Quote>> {
        self.runtime
            .block_on(fetch_all(&self.clients, base_url, pairs, limit))
    }
}

// ANCHOR: async
async fn get_async(
    client: &reqwest::Client,
    base_url: &str,
    pair: &str,
) -> Result<Quote> {
    let url = format!("{base_url}/rate/{pair}");
    let response = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let response = response
        .error_for_status()
        .with_context(|| format!("GET {url}"))?;
    response
        .json()
        .await
        .with_context(|| format!("decoding the answer of {url}"))
}

/// The requests as futures, at most `limit` polled at once, answers in
/// the order asked. While one waits, the runtime polls the others.
pub async fn fetch_all(
    clients: &[reqwest::Client],
    base_url: &str,
    pairs: &[String],
    limit: usize,
) -> Result<Vec<Quote>> {
    futures::stream::iter(pairs.iter().zip(clients.iter().cycle()))
        .map(|(pair, client)| get_async(client, base_url, pair))
        .buffered(limit.max(1))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}
// ANCHOR_END: async
