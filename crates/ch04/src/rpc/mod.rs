//! Chapter 4 · Remote objects, as the book does with Pyro: a `RateBook`
//! object lives in a server process; a client holds a proxy and calls its
//! methods over TCP (tarpc, JSON frames) — one call at a time, or many in
//! flight at once.

pub mod compare;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use futures::StreamExt;
use tarpc::serde_transport::tcp;
use tarpc::server::{BaseChannel, Channel};
use tarpc::tokio_serde::formats::Json;
use tarpc::{client, context};

// ANCHOR: service
/// The remote object's interface; tarpc generates `RateBookClient`, the
/// proxy a client calls.
#[tarpc::service]
pub trait RateBook {
    /// The rate of `pair` (e.g. `"EURUSD"`), if the rate service knows it.
    async fn rate(pair: String) -> Option<f64>;
    /// How many rates this object has looked up so far.
    async fn lookups() -> u64;
}

/// The object: its state lives in the server process.
#[derive(Debug, Clone)]
pub struct RateBookObject {
    rates_url: String,
    lookups: Arc<AtomicU64>,
}

impl RateBook for RateBookObject {
    async fn rate(self, _: context::Context, pair: String) -> Option<f64> {
        self.lookups.fetch_add(1, Ordering::Relaxed);
        crate::rates_client::fetch_rate(&self.rates_url, &pair)
            .await
            .ok()
    }

    async fn lookups(self, _: context::Context) -> u64 {
        self.lookups.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: service

/// Serve one `RateBook` object on `listen` until the process ends; says
/// `listening: ADDR` on stdout when ready.
pub async fn serve(listen: &str, rates_url: &str) -> Result<()> {
    let object = RateBookObject {
        rates_url: rates_url.trim_end_matches('/').to_owned(),
        lookups: Arc::default(),
    };
    let mut incoming = tcp::listen(listen, Json::default).await?;
    println!("listening: {}", incoming.local_addr());
    while let Some(transport) = incoming.next().await {
        let Ok(transport) = transport else { continue };
        let object = object.clone();
        let requests = BaseChannel::with_defaults(transport).execute(object.serve());
        tokio::spawn(requests.for_each(|answer| async move {
            tokio::spawn(answer); // every call of a connection concurrently
        }));
    }
    Ok(())
}

/// A proxy for the object at `addr`.
pub async fn connect(addr: SocketAddr) -> Result<RateBookClient> {
    let transport = tcp::connect(addr, Json::default)
        .await
        .with_context(|| format!("connecting to the rate book at {addr}"))?;
    Ok(RateBookClient::new(client::Config::default(), transport).spawn())
}

// ANCHOR: calls
/// One call after another: each waits for the previous answer.
pub async fn rates_sync(
    book: &RateBookClient,
    pairs: &[String],
) -> Result<Vec<f64>> {
    let mut rates = Vec::with_capacity(pairs.len());
    for pair in pairs {
        let rate = book.rate(context::current(), pair.clone()).await?;
        rates.push(rate.with_context(|| format!("no rate for {pair}"))?);
    }
    Ok(rates)
}

/// Every call in flight at once on the one connection, answers in order.
pub async fn rates_concurrent(
    book: &RateBookClient,
    pairs: &[String],
) -> Result<Vec<f64>> {
    let calls = pairs
        .iter()
        .map(|pair| book.rate(context::current(), pair.clone()));
    let answers = futures::future::join_all(calls).await;
    pairs
        .iter()
        .zip(answers)
        .map(|(pair, answer)| answer?.with_context(|| format!("no rate for {pair}")))
        .collect()
}
// ANCHOR_END: calls

/// The server process; dropping it kills it.
#[derive(Debug)]
pub struct RpcServer {
    child: Child,
    addr: SocketAddr,
}

impl RpcServer {
    /// Start `program` (the `rpc-server` binary) on a free loopback port.
    pub fn start(program: &Path, rates_url: &str) -> Result<Self> {
        let mut command = Command::new(program);
        command
            .args(["--listen", "127.0.0.1:0", "--rates", rates_url])
            .stdin(Stdio::null());
        let (mut child, line) =
            workbench::workers::spawn_first_line(&mut command, program)?;
        drop(child.stdout.take()); // the server says nothing more there
        let Some(addr) = line.trim().strip_prefix("listening: ") else {
            let _ = child.kill();
            bail!("the rate book server did not start: {line:?}");
        };
        let addr = addr.parse().context("the server's address")?;
        Ok(RpcServer { child, addr })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for RpcServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
