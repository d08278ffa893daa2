//! Chapter 4 · The book's distributed merge sort: 1,000,000 shuffled
//! integers cut into four chunks, each sorted by a task, merged locally.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

use anyhow::{Result, ensure};

use crate::celery::client::Client;
use crate::tasks::sort;

/// `count` integers from a seeded generator (SplitMix64), so every run
/// sorts the same input.
pub use workbench::seeded::seeded_numbers;

/// Cut `numbers` into `parts` chunks of nearly equal length.
pub fn chunks(numbers: &[i64], parts: usize) -> Vec<Vec<i64>> {
    let size = numbers.len().div_ceil(parts.max(1)).max(1);
    numbers.chunks(size).map(<[i64]>::to_vec).collect()
}

// ANCHOR: merge
/// Merge sorted chunks into one sorted vector (Python: `heapq.merge`).
pub fn merge(sorted: Vec<Vec<i64>>) -> Vec<i64> {
    let total = sorted.iter().map(Vec::len).sum();
    let mut merged = Vec::with_capacity(total);
    let mut heads: BinaryHeap<Reverse<(i64, usize, usize)>> = sorted
        .iter()
        .enumerate()
        .filter_map(|(chunk, c)| Some(Reverse((*c.first()?, chunk, 0))))
        .collect();
    while let Some(Reverse((value, chunk, index))) = heads.pop() {
        merged.push(value);
        if let Some(&next) = sorted[chunk].get(index + 1) {
            heads.push(Reverse((next, chunk, index + 1)));
        }
    }
    merged
}
// ANCHOR_END: merge

/// The sequential baseline: sort the whole input on one thread.
pub fn sort_seq(numbers: &[i64]) -> Vec<i64> {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted
}

/// Chunks sorted on `workers` threads, then merged.
pub fn sort_threads(numbers: &[i64], parts: usize, workers: usize) -> Vec<i64> {
    let mut pieces = chunks(numbers, parts);
    let per_thread = pieces.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        for group in pieces.chunks_mut(per_thread) {
            scope.spawn(move || group.iter_mut().for_each(|c| c.sort_unstable()));
        }
    });
    merge(pieces)
}

/// Chunks sorted on tokio's blocking pool (at most `workers` threads),
/// then merged.
pub fn sort_async(
    numbers: &[i64],
    parts: usize,
    workers: usize,
) -> Result<Vec<i64>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(workers.max(1))
        .build()?;
    let pieces = chunks(numbers, parts);
    let sorted = runtime.block_on(async {
        let handles: Vec<_> = pieces
            .into_iter()
            .map(|mut chunk| {
                tokio::task::spawn_blocking(move || {
                    chunk.sort_unstable();
                    chunk
                })
            })
            .collect();
        let mut sorted = Vec::new();
        for handle in handles {
            sorted.push(handle.await?);
        }
        anyhow::Ok(sorted)
    })?;
    Ok(merge(sorted))
}

// ANCHOR: dist
/// The book's `main.py`: a group of `sort` tasks, one per chunk, sent
/// through the broker to whichever workers are running; merged here.
pub async fn sort_dist(
    client: &Client,
    numbers: &[i64],
    parts: usize,
) -> Result<Vec<i64>> {
    let group = chunks(numbers, parts).into_iter().map(sort::new).collect();
    let outcomes = client.run_all(group, Duration::from_secs(300)).await?;
    let sorted = outcomes
        .into_iter()
        .map(|outcome| outcome.value::<Vec<i64>>())
        .collect::<Result<Vec<_>>>()?;
    Ok(merge(sorted))
}
// ANCHOR_END: dist

/// Check `sorted` against the input sorted sequentially.
pub fn verify(numbers: &[i64], sorted: &[i64]) -> Result<()> {
    ensure!(
        sorted.len() == numbers.len(),
        "{} of {} numbers",
        sorted.len(),
        numbers.len()
    );
    ensure!(
        sorted == sort_seq(numbers).as_slice(),
        "the merged result is not sorted input"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_local_variant_sorts_like_seq() {
        let numbers = seeded_numbers(10_001, 7);
        assert_eq!(numbers, seeded_numbers(10_001, 7), "seeded");
        assert_eq!(chunks(&numbers, 4).len(), 4);
        verify(&numbers, &sort_threads(&numbers, 4, 2)).expect("threads");
        verify(&numbers, &sort_async(&numbers, 4, 2).expect("runs")).expect("async");
        assert_eq!(
            merge(vec![vec![1, 4], vec![], vec![2, 3, 5]]),
            [1, 2, 3, 4, 5]
        );
        assert!(verify(&numbers, &numbers).is_err());
    }
}
