//! Chapter 4 · Solutions to the chapter's exercises.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use celery::task::{Signature, Task};

use crate::celery::client::{Client, Outcome};
use crate::mergesort::{sort_dist, verify};

// ANCHOR: window
/// Exercise 1: run a long list of tasks with at most `window` of them in
/// the broker at once (back-pressure), keeping the results in order.
pub async fn run_windowed<T: Task>(
    client: &Client,
    signatures: Vec<Signature<T>>,
    window: usize,
    timeout: Duration,
) -> Result<Vec<Outcome>> {
    ensure!(window > 0, "a window holds at least one task");
    let mut outcomes = Vec::with_capacity(signatures.len());
    let mut rest = signatures.into_iter().peekable();
    while rest.peek().is_some() {
        let batch: Vec<Signature<T>> = rest.by_ref().take(window).collect();
        outcomes.extend(client.run_all(batch, timeout).await?);
    }
    Ok(outcomes)
}
// ANCHOR_END: window

// ANCHOR: chunks
/// Exercise 2: time the distributed merge sort for each number of chunks
/// in `candidates` and return the fastest (checking every answer).
pub async fn best_chunk_count(
    client: &Client,
    numbers: &[i64],
    candidates: &[usize],
) -> Result<(usize, Duration)> {
    let mut best: Option<(usize, Duration)> = None;
    for &parts in candidates {
        let start = Instant::now();
        let sorted = sort_dist(client, numbers, parts).await?;
        let took = start.elapsed();
        verify(numbers, &sorted)?;
        if best.is_none_or(|(_, fastest)| took < fastest) {
            best = Some((parts, took));
        }
    }
    best.ok_or_else(|| anyhow::anyhow!("no candidate chunk counts"))
}
// ANCHOR_END: chunks

// ANCHOR: rq_sort
/// Exercise 3: the book's merge sort on the RQ-style queue: one `sort`
/// job per chunk, whichever workers run them, the chunks merged here.
pub async fn rq_mergesort(
    queue: &mut crate::rq::Queue,
    numbers: &[i64],
    parts: usize,
) -> Result<Vec<i64>> {
    use crate::rq::{Answer, Job, Output};
    let mut ids = Vec::new();
    for chunk in crate::mergesort::chunks(numbers, parts) {
        ids.push(queue.enqueue(Job::Sort { numbers: chunk }).await?);
    }
    let mut sorted = Vec::new();
    for done in queue.wait(&ids, Duration::from_secs(300)).await? {
        match done.result {
            Ok(Answer {
                output: Output::Sort(chunk),
                ..
            }) => sorted.push(chunk),
            Ok(other) => anyhow::bail!("job {} answered {other:?}", done.id),
            Err(why) => anyhow::bail!("job {} failed: {why}", done.id),
        }
    }
    Ok(crate::mergesort::merge(sorted))
}
// ANCHOR_END: rq_sort
