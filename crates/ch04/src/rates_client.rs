//! Chapter 4 · One async HTTP client for the rate service, shared by the
//! `rate` task and the RPC object: its connection pool lives as long as
//! the process, and every request has a deadline.

use std::sync::OnceLock;
use std::time::Duration;

/// How long one request to the rate service may take.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// Why a rate could not be had.
#[derive(Debug)]
pub enum RateError {
    /// The service answered that it does not know the pair.
    Unknown(String),
    /// The service could not be reached (or its answer was not a quote).
    Unreachable(String),
}

static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();

fn client() -> Result<&'static reqwest::Client, RateError> {
    if let Some(client) = CLIENT.get() {
        return Ok(client);
    }
    let client = reqwest::Client::builder()
        .timeout(DEADLINE)
        .build()
        .map_err(|e| RateError::Unreachable(format!("no HTTP client: {e}")))?;
    Ok(CLIENT.get_or_init(|| client))
}

/// The rate of `pair` from the service at `base_url`.
pub async fn fetch_rate(base_url: &str, pair: &str) -> Result<f64, RateError> {
    let url = format!("{base_url}/rate/{pair}");
    // The message goes back to the client as the task's error: a URL in
    // it (ours, or the one reqwest's error quotes) is redacted.
    let unreachable = |e: reqwest::Error| {
        RateError::Unreachable(workbench::redact::text(&format!("{url}: {e}")))
    };
    let response = client()?.get(&url).send().await.map_err(unreachable)?;
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Err(RateError::Unknown(format!("unknown currency pair {pair}")));
    }
    let quote: workbench::rates::Quote = response
        .error_for_status()
        .map_err(unreachable)?
        .json()
        .await
        .map_err(unreachable)?;
    Ok(quote.rate)
}
