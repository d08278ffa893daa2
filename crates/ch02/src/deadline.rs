//! Chapter 2 · Cancellation and time-outs: a request slower than its
//! deadline is cancelled, and the program says so.
//!
//! In async Rust, cancelling is dropping: `tokio::time::timeout` races the
//! request against a timer, and when the timer wins the request's future
//! is dropped — its connection closed, its work abandoned mid-`await`.

use std::time::{Duration, Instant};

use anyhow::Result;
use workbench::rates::Quote;

/// What became of one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Answered { quote: Quote, after: Duration },
    Cancelled { after: Duration },
}

// ANCHOR: deadline
/// Ask for `pair`, giving up after `deadline`.
pub async fn rate_within(
    client: &reqwest::Client,
    base_url: &str,
    pair: &str,
    deadline: Duration,
) -> Result<Outcome> {
    let start = Instant::now();
    let url = format!("{base_url}/rate/{pair}");
    let request = async {
        let response = client.get(&url).send().await?.error_for_status()?;
        anyhow::Ok(response.json::<Quote>().await?)
    };
    match tokio::time::timeout(deadline, request).await {
        Ok(answer) => Ok(Outcome::Answered {
            quote: answer?,
            after: start.elapsed(),
        }),
        Err(_elapsed) => Ok(Outcome::Cancelled {
            after: start.elapsed(),
        }),
    }
}
// ANCHOR_END: deadline

/// What `ch02 timeout` prints: one request with a generous deadline and
/// one with a deadline shorter than the service's latency.
pub fn demo(
    base_url: &str,
    latency: Duration,
    out: &mut impl std::io::Write,
) -> Result<Vec<Outcome>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = reqwest::Client::builder()
        .timeout(crate::fetch::TIMEOUT)
        .build()?;
    let asks = [("EURUSD", latency * 3), ("GBPUSD", latency / 2)];
    let mut outcomes = Vec::new();
    for (pair, deadline) in asks {
        let outcome =
            runtime.block_on(rate_within(&client, base_url, pair, deadline))?;
        match &outcome {
            Outcome::Answered { quote, after } => writeln!(
                out,
                "{pair} within {deadline:?}: {} after {} ms",
                quote.rate,
                after.as_millis()
            )?,
            Outcome::Cancelled { after } => writeln!(
                out,
                "{pair} within {deadline:?}: cancelled after {} ms (the service takes {latency:?})",
                after.as_millis()
            )?,
        }
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbench::rates::RateService;

    #[test]
    fn the_slow_request_is_cancelled_and_the_other_answered() {
        let latency = Duration::from_millis(200);
        let service = RateService::start(latency).expect("starts");
        let mut out = Vec::new();
        let outcomes = demo(&service.base_url(), latency, &mut out).expect("runs");
        assert!(
            matches!(&outcomes[0], Outcome::Answered { quote, .. } if quote.pair == "EURUSD")
        );
        assert!(matches!(outcomes[1], Outcome::Cancelled { .. }));
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("GBPUSD within 100ms: cancelled"), "{text}");
    }
}
