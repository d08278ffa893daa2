//! A local exchange-rate HTTP service, standing in for the book's Yahoo API.
//!
//! `GET /rate/{pair}` answers `{"pair": "EURUSD", "rate": 1.085}` after a
//! configurable delay, on a free port of 127.0.0.1. The rates are fixed,
//! made-up values (not market data), so every answer can be checked.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use axum::{Json, Router, routing::get};
use serde::{Deserialize, Serialize};

/// The currency pairs of the book's threaded example.
pub const BOOK_PAIRS: [&str; 3] = ["EURUSD", "GBPUSD", "CHFEUR"];

/// Value of one unit of each currency in US dollars (illustrative).
const IN_USD: [(&str, f64); 10] = [
    ("USD", 1.0),
    ("EUR", 1.085),
    ("GBP", 1.265),
    ("CHF", 1.12),
    ("CAD", 0.735),
    ("AUD", 0.655),
    ("NZD", 0.6),
    ("JPY", 0.006_67),
    ("SEK", 0.095),
    ("NOK", 0.093),
];

/// One answer of the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub pair: String,
    pub rate: f64,
}

/// The rate the service answers for `pair` (e.g. `"EURUSD"`), if it knows it.
pub fn rate_of(pair: &str) -> Option<f64> {
    let usd = |code: &str| IN_USD.iter().find(|(c, _)| *c == code).map(|&(_, v)| v);
    let (base, quote) = (pair.get(..3)?, pair.get(3..)?);
    if base == quote {
        return None;
    }
    let rate = usd(base)? / usd(quote)?;
    Some((rate * 1e6).round() / 1e6)
}

/// `count` currency pairs, cycling through every ordered pair of the table.
pub fn pairs(count: usize) -> Vec<String> {
    let all: Vec<String> = IN_USD
        .iter()
        .flat_map(|(a, _)| IN_USD.iter().map(move |(b, _)| format!("{a}{b}")))
        .filter(|p| p[..3] != p[3..])
        .collect();
    (0..count).map(|i| all[i % all.len()].clone()).collect()
}

/// Check that `quotes` answer `pairs`, in order.
pub fn verify(pairs: &[String], quotes: &[Quote]) -> Result<()> {
    anyhow::ensure!(
        pairs.len() == quotes.len(),
        "{} quotes for {} pairs",
        quotes.len(),
        pairs.len()
    );
    for (pair, quote) in pairs.iter().zip(quotes) {
        anyhow::ensure!(&quote.pair == pair, "asked {pair}, got {}", quote.pair);
        anyhow::ensure!(
            Some(quote.rate) == rate_of(pair),
            "wrong rate for {pair}: {}",
            quote.rate
        );
    }
    Ok(())
}

/// `GET {base_url}/rate/{pair}` on a blocking client, the answer decoded;
/// an error names the URL. The chapters' blocking variants share it; the
/// agent (its deadlines, its pool of connections) is the chapter's.
pub fn get_blocking(
    agent: &ureq::Agent,
    base_url: &str,
    pair: &str,
) -> Result<Quote> {
    let url = rate_url(base_url, pair);
    agent
        .get(&url)
        .call()
        .with_context(|| format!("GET {url}"))?
        .body_mut()
        .read_json()
        .with_context(|| format!("decoding the answer of {url}"))
}

/// The URL of the service at `base_url` that answers `pair`.
pub fn rate_url(base_url: &str, pair: &str) -> String {
    format!("{base_url}/rate/{pair}")
}

/// A base URL of 127.0.0.1 where nothing listens (a port that was free a
/// moment ago): for checking that a client fails fast and says where.
pub fn unreachable_url() -> Result<String> {
    Ok(format!(
        "http://127.0.0.1:{}",
        crate::services::free_port()?
    ))
}

#[derive(Clone)]
struct Shared {
    latency: Duration,
    served: Arc<AtomicU64>,
}

/// A running service; dropping it stops it.
#[derive(Debug)]
pub struct RateService {
    addr: SocketAddr,
    served: Arc<AtomicU64>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RateService {
    /// Start on a free port of 127.0.0.1, answering after `latency`.
    pub fn start(latency: Duration) -> Result<Self> {
        Self::start_with_threads(latency, 1)
    }

    /// The same, served by `threads` runtime threads instead of one (for
    /// bursts of many concurrent requests).
    pub fn start_with_threads(latency: Duration, threads: usize) -> Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .context("binding the rate service to a loopback port")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let served = Arc::new(AtomicU64::new(0));
        let shared = Shared {
            latency,
            served: served.clone(),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("rate-service")
            .enable_all()
            .build()
            .context("starting the rate service's runtime")?;
        let thread = std::thread::Builder::new()
            .name("rate-service".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener)
                    else {
                        return;
                    };
                    // Answers go out at once, not held back by Nagle's
                    // algorithm (HTTP/2 writes a response in several frames).
                    let listener = listener.tap_io(|tcp| {
                        let _ = tcp.set_nodelay(true);
                    });
                    let app = Router::new()
                        .route("/rate/{pair}", get(quote))
                        .route("/health", get(|| async { "ok" }))
                        .with_state(shared);
                    tokio::select! {
                        _ = axum::serve(listener, app) => {}
                        _ = stopped => {}
                    }
                });
            })
            .context("starting the rate service's thread")?;
        Ok(RateService {
            addr,
            served,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL answering `pair`.
    pub fn rate_url(&self, pair: &str) -> String {
        rate_url(&self.base_url(), pair)
    }

    /// Requests answered so far.
    pub fn served(&self) -> u64 {
        self.served.load(Ordering::Relaxed)
    }
}

impl Drop for RateService {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn quote(State(shared): State<Shared>, Path(pair): Path<String>) -> Response {
    tokio::time::sleep(shared.latency).await;
    shared.served.fetch_add(1, Ordering::Relaxed);
    match rate_of(&pair) {
        Some(rate) => Json(Quote { pair, rate }).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            format!("unknown currency pair {pair}\n"),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_rates_come_from_the_dollar_table() {
        assert_eq!(rate_of("EURUSD"), Some(1.085));
        assert_eq!(rate_of("USDEUR"), Some(0.921659));
        assert_eq!(rate_of("EUREUR"), None);
        assert_eq!(rate_of("XYZUSD"), None);
        assert_eq!(pairs(95).len(), 95);
        assert_eq!(pairs(90)[0], "USDEUR");
    }

    #[test]
    fn the_service_answers_on_loopback() {
        let service = RateService::start(Duration::from_millis(5)).expect("starts");
        assert!(service.addr().ip().is_loopback());
        let body = http_get(service.addr(), "/rate/GBPUSD");
        assert!(body.contains("\"rate\":1.265"), "{body}");
        assert!(http_get(service.addr(), "/rate/ABCDEF").contains("404"));
        assert_eq!(service.served(), 2);
    }

    /// A bare HTTP/1.0 GET, so the test needs no client crate.
    fn http_get(addr: SocketAddr, path: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).expect("connects");
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .expect("writes");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("reads");
        response
    }
}
