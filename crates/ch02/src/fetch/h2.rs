//! Chapter 2 · Waiting, measured: HTTP/2 by hand — a few connections
//! opened once, each carrying hundreds of requests at once as streams.
//!
//! hyper's connection API, without the layers a general client adds on
//! every request (redirects, a pool, URL normalisation, boxed service
//! layers): what is left is the cost of the protocol itself.

use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http2::SendRequest;
use hyper::{Request, Uri};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::time::timeout;
use workbench::rates::Quote;

use crate::fetch::asynchronous::in_tasks;
use crate::fetch::{CONNECT_TIMEOUT, TIMEOUT};

type Sender = SendRequest<Empty<Bytes>>;

/// HTTP/2 connections to one service and the runtime that drives them
/// (two threads, one per core here), kept between runs.
#[derive(Debug)]
pub struct H2Client {
    runtime: tokio::runtime::Runtime,
    connections: usize,
    open: Mutex<Option<(String, Vec<Sender>)>>,
}

impl H2Client {
    /// `connections` HTTP/2 connections, opened at the first fetch.
    pub fn new(connections: usize) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("building a tokio runtime")?;
        Ok(H2Client {
            runtime,
            connections: connections.max(1),
            open: Mutex::new(None),
        })
    }

    /// `async-h2`: request i as a task on connection i mod (connections),
    /// at most `limit` in flight; answers in the order asked.
    pub fn fetch(
        &self,
        base_url: &str,
        pairs: &[String],
        limit: usize,
    ) -> Result<Vec<Quote>> {
        let senders = self.senders(base_url)?;
        self.runtime
            .block_on(fetch_all_h2(&senders, base_url, pairs, limit))
    }

    /// The open connections to `base_url`, (re)opened when there are none,
    /// when they lead elsewhere, or when one has closed.
    fn senders(&self, base_url: &str) -> Result<Vec<Sender>> {
        let mut open = self.open.lock().map_err(|_| {
            anyhow::anyhow!("a previous fetch panicked holding the connections")
        })?;
        if let Some((url, senders)) = open.as_ref()
            && url == base_url
            && senders.iter().all(|s| !s.is_closed())
        {
            return Ok(senders.clone());
        }
        let senders = self.runtime.block_on(async {
            let mut senders = Vec::with_capacity(self.connections);
            for _ in 0..self.connections {
                senders.push(connect(base_url).await?);
            }
            anyhow::Ok(senders)
        })?;
        *open = Some((base_url.to_owned(), senders.clone()));
        Ok(senders)
    }
}

// ANCHOR: h2
// ANCHOR: h2_connect
/// One TCP connection, one HTTP/2 handshake; the connection's own task
/// reads and writes the frames of every stream on it.
async fn connect(base_url: &str) -> Result<Sender> {
    let uri: Uri = base_url
        .parse()
        .with_context(|| format!("URL {base_url}"))?;
    let authority = uri.authority().context("the URL names no host")?;
    let tcp = timeout(
        CONNECT_TIMEOUT,
        tokio::net::TcpStream::connect(authority.as_str()),
    )
    .await
    .with_context(|| format!("connecting to {base_url}: timed out"))?
    .with_context(|| format!("connecting to {base_url}"))?;
    tcp.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http2::handshake(
        TokioExecutor::new(),
        TokioIo::new(tcp),
    )
    .await
    .with_context(|| format!("HTTP/2 handshake with {base_url}"))?;
    tokio::spawn(connection);
    Ok(sender)
}
// ANCHOR_END: h2_connect

// ANCHOR: h2_fetch
/// One request: a new stream on a shared connection.
async fn get_h2(mut sender: Sender, uri: Uri) -> Result<Quote> {
    let request = Request::get(&uri).body(Empty::new())?;
    let exchange = async {
        sender.ready().await?;
        let response = sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        anyhow::Ok((status, body))
    };
    let (status, body) = timeout(TIMEOUT, exchange)
        .await
        .with_context(|| format!("GET {uri}: no answer within {TIMEOUT:?}"))?
        .with_context(|| format!("GET {uri}"))?;
    if !status.is_success() {
        bail!("GET {uri}: {status}");
    }
    serde_json::from_slice(&body)
        .with_context(|| format!("decoding the answer of {uri}"))
}

/// Every request a task, on connection i mod (connections), at most
/// `limit` in flight ([`in_tasks`] as for HTTP/1.1).
pub async fn fetch_all_h2(
    senders: &[Sender],
    base_url: &str,
    pairs: &[String],
    limit: usize,
) -> Result<Vec<Quote>> {
    let requests = pairs
        .iter()
        .zip(senders.iter().cycle())
        .map(|(pair, sender)| {
            let uri = format!("{base_url}/rate/{pair}").parse::<Uri>();
            let sender = sender.clone();
            async move { get_h2(sender, uri.context("a request URL")?).await }
        });
    in_tasks(requests, limit).await
}
// ANCHOR_END: h2_fetch
// ANCHOR_END: h2

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use workbench::rates::{self, RateService};

    use super::*;

    #[test]
    fn streams_share_connections_and_reconnect_to_a_new_service() {
        let client = H2Client::new(3).expect("client");
        let pairs = rates::pairs(40);
        for _ in 0..2 {
            let service =
                RateService::start(Duration::from_millis(5)).expect("starts");
            let quotes = client.fetch(&service.base_url(), &pairs, 16);
            rates::verify(&pairs, &quotes.expect("fetches")).expect("right rates");
            assert_eq!(service.served(), 40);
        }
    }

    #[test]
    fn an_unreachable_service_fails_fast_and_says_where() {
        let url = rates::unreachable_url().expect("a free port");
        let err = H2Client::new(2)
            .expect("client")
            .fetch(&url, &rates::pairs(3), 3)
            .expect_err("refused");
        assert!(format!("{err:#}").contains(&url), "{err:#}");
    }
}
