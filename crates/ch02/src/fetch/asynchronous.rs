//! Chapter 2 · Waiting, measured: the async clients — HTTP/1.1 keep-alive
//! and a fresh connection per request (HTTP/2 is in [`crate::fetch::h2`]).
//!
//! Each keeps its runtime and its connections between runs, as a
//! long-lived program would.

use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::sync::Semaphore;
use workbench::rates::Quote;

use crate::fetch::{CONNECT_TIMEOUT, TIMEOUT};

/// An async HTTP client and the runtime it runs on (two threads, one per
/// core here), kept together so its pooled connections survive between
/// runs.
#[derive(Debug)]
pub struct AsyncClient {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl AsyncClient {
    // ANCHOR: clients
    /// HTTP/1.1 keep-alive: a finished connection waits in the pool for the
    /// next request, so only the first run pays for connecting.
    pub fn keep_alive() -> Result<Self> {
        Self::with(reqwest::Client::builder())
    }

    /// A new connection for every request: nothing is kept idle.
    pub fn fresh_connections() -> Result<Self> {
        Self::with(reqwest::Client::builder().pool_max_idle_per_host(0))
    }
    // ANCHOR_END: clients

    fn with(builder: reqwest::ClientBuilder) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("building a tokio runtime")?;
        let client = builder
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .context("building an HTTP client")?;
        Ok(AsyncClient { runtime, client })
    }

    /// `async`: every request a task, at most `limit` in flight.
    pub fn fetch(
        &self,
        base_url: &str,
        pairs: &[String],
        limit: usize,
    ) -> Result<Vec<Quote>> {
        self.runtime
            .block_on(fetch_all(&self.client, base_url, pairs, limit))
    }
}

// ANCHOR: async
// ANCHOR: fetch_all
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

/// Every request a task of its own, answers in the order asked.
pub async fn fetch_all(
    client: &reqwest::Client,
    base_url: &str,
    pairs: &[String],
    limit: usize,
) -> Result<Vec<Quote>> {
    let base_url: Arc<str> = Arc::from(base_url);
    let requests = pairs.iter().map(|pair| {
        let (client, base_url, pair) =
            (client.clone(), base_url.clone(), pair.clone());
        async move { get_async(&client, &base_url, &pair).await }
    });
    in_tasks(requests, limit).await
}
// ANCHOR_END: fetch_all

// ANCHOR: in_tasks
/// Spawns each future as a task, at most `limit` in flight: the runtime
/// spreads the tasks over its threads (one per core), so building requests
/// and reading answers runs on both cores. Results in the order given.
pub async fn in_tasks<T, F>(
    futures: impl IntoIterator<Item = F>,
    limit: usize,
) -> Result<Vec<T>>
where
    T: Send + 'static,
    F: Future<Output = Result<T>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let mut tasks = Vec::new();
    for future in futures {
        // Waits here while `limit` tasks are in flight.
        let permit = permits.clone().acquire_owned().await?;
        tasks.push(tokio::spawn(async move {
            let result = future.await;
            drop(permit);
            result
        }));
    }
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.context("a task panicked")??);
    }
    Ok(results)
}
// ANCHOR_END: in_tasks
// ANCHOR_END: async
