//! Chapter 2 · Solutions to the chapter's exercises (tested below).

use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use futures::future::join_all;
use workbench::rates::Quote;

use crate::deadline::{Outcome, rate_within};
use crate::pipeline::grep::{cat, matches, prepare};

// ANCHOR: one_pass
/// Exercise 1: `mgrep` without a fan-out: one stage that tests every
/// pattern on each line and keeps every count. No channels, no copies —
/// the fan-out pays off only when each chain has real work to do.
pub fn count_all_one_pass(
    path: &Path,
    patterns: &[&str],
    ignore_case: bool,
) -> Result<Vec<(String, usize)>> {
    let prepared: Vec<String> =
        patterns.iter().map(|p| prepare(p, ignore_case)).collect();
    let mut counts = vec![0usize; patterns.len()];
    for line in cat(path)? {
        let line = line?;
        let line = if ignore_case {
            line.to_ascii_lowercase()
        } else {
            line
        };
        for (pattern, count) in prepared.iter().zip(&mut counts) {
            *count += usize::from(matches(&line, pattern, false));
        }
    }
    Ok(patterns.iter().map(|p| p.to_string()).zip(counts).collect())
}
// ANCHOR_END: one_pass

// ANCHOR: in_time
/// Exercise 2: ask for every pair at once, each with the same deadline;
/// keep the quotes that arrived in time and name the pairs that did not.
pub async fn rates_in_time(
    client: &reqwest::Client,
    base_url: &str,
    pairs: &[String],
    deadline: Duration,
) -> Result<(Vec<Quote>, Vec<String>)> {
    let asks = pairs
        .iter()
        .map(|pair| rate_within(client, base_url, pair, deadline));
    let (mut in_time, mut late) = (Vec::new(), Vec::new());
    for (pair, outcome) in pairs.iter().zip(join_all(asks).await) {
        match outcome? {
            Outcome::Answered { quote, .. } => in_time.push(quote),
            Outcome::Cancelled { .. } => late.push(pair.clone()),
        }
    }
    Ok((in_time, late))
}
// ANCHOR_END: in_time

#[cfg(test)]
mod tests {
    use super::*;
    use workbench::rates::{self, RateService};

    #[test]
    fn one_pass_counts_the_planted_words() {
        let path = crate::pipeline::corpus::ensure().expect("corpus");
        let counts = count_all_one_pass(&path, &["love", "hate", "hope"], true)
            .expect("counts");
        let expected: Vec<(String, usize)> = crate::pipeline::corpus::PLANTED
            .iter()
            .map(|&(w, n)| (w.to_string(), n))
            .collect();
        assert_eq!(counts, expected);
    }

    #[test]
    fn a_generous_deadline_keeps_all_a_short_one_none() {
        let service =
            RateService::start(Duration::from_millis(100)).expect("starts");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let client = reqwest::Client::new();
        let pairs = rates::pairs(5);
        let ask = |deadline| {
            let url = service.base_url();
            runtime
                .block_on(rates_in_time(&client, &url, &pairs, deadline))
                .expect("asks")
        };
        let (quotes, late) = ask(Duration::from_secs(5));
        rates::verify(&pairs, &quotes).expect("right rates");
        assert!(late.is_empty());
        let (quotes, late) = ask(Duration::from_millis(10));
        assert!(quotes.is_empty());
        assert_eq!(late, pairs);
    }
}
