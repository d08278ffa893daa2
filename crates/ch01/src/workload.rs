//! Chapter 1 · A workload with a tunable serial fraction, run `seq`,
//! `threads` and `async` (the `dist` variant is in [`crate::dist`]).
//!
//! The job is `units` units of CPU work. A fraction `serial` of them form a
//! chain (each unit needs the previous one's result) and must run on one
//! worker; the rest are independent and are split evenly across workers.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// Rounds of mixing in one unit: a microsecond or two of work.
pub const ROUNDS: u32 = 1000;

/// Units handed out at a time by `threads` and `async`: under a
/// millisecond of work, so the shares even out.
pub const CHUNK: u64 = 256;

/// One unit of CPU work: a fixed number of rounds of a 64-bit mixer.
pub fn unit(seed: u64) -> u64 {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15;
    for _ in 0..ROUNDS {
        x ^= x >> 31;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 29;
    }
    x
}

/// The problem: how many units, and which fraction of them is serial.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub units: u64,
    pub serial: f64,
}

/// What every variant answers: the end of the chain and the sum of the
/// independent units, so a skipped or repeated unit changes the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub chain: u64,
    pub sum: u64,
}

impl Job {
    /// Units in the serial chain.
    pub fn serial_units(&self) -> u64 {
        (self.units as f64 * self.serial).round() as u64
    }

    /// The independent units, numbered after the chain.
    pub fn parallel_units(&self) -> Range<u64> {
        self.serial_units()..self.units
    }

    /// The same serial chain with `factor` times the parallel work:
    /// Gustafson's problem that grows with the machine.
    pub fn scaled(&self, factor: u64) -> Job {
        let serial = self.serial_units();
        let units = serial + (self.units - serial) * factor;
        Job {
            units,
            serial: serial as f64 / units as f64,
        }
    }
}

// ANCHOR: parts
/// The serial part: each unit starts from the previous one's result.
pub fn chain(job: &Job) -> u64 {
    (0..job.serial_units()).fold(0, |x, _| unit(x))
}

/// A share of the parallel part: independent units, summed.
pub fn partial_sum(units: Range<u64>) -> u64 {
    units.map(unit).fold(0, u64::wrapping_add)
}

/// `range` cut into `parts` contiguous pieces of near-equal size.
pub fn split(range: Range<u64>, parts: usize) -> Vec<Range<u64>> {
    let parts = parts.max(1) as u64;
    let len = range.end - range.start;
    (0..parts)
        .map(|i| range.start + len * i / parts..range.start + len * (i + 1) / parts)
        .collect()
}
// ANCHOR_END: parts

// ANCHOR: seq
pub fn run_seq(job: &Job) -> Answer {
    Answer {
        chain: chain(job),
        sum: partial_sum(job.parallel_units()),
    }
}
// ANCHOR_END: seq

// ANCHOR: threads
/// The chain on this thread, then the independent units on `workers`
/// scoped threads. Each thread takes the next chunk from a shared counter
/// until none is left, so a thread that the system pauses for a moment
/// leaves more to the others instead of making everyone wait for it.
pub fn run_threads(job: &Job, workers: usize) -> Answer {
    let chain = chain(job);
    let units = job.parallel_units();
    let next = AtomicU64::new(units.start);
    let sum = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut sum = 0u64;
                    loop {
                        let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if start >= units.end {
                            break sum;
                        }
                        let chunk = start..(start + CHUNK).min(units.end);
                        sum = sum.wrapping_add(partial_sum(chunk));
                    }
                })
            })
            .collect();
        // A panicked thread adds nothing; the answer check then fails.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(0))
            .fold(0, u64::wrapping_add)
    });
    Answer { chain, sum }
}
// ANCHOR_END: threads

// ANCHOR: async
/// The same on a tokio runtime with `workers` threads: one task per chunk,
/// and the runtime's threads take (steal) queued tasks from each other.
/// Tokio runs CPU-bound tasks in parallel only because it has that many
/// worker threads; async itself adds no parallelism.
pub fn run_async(job: &Job, workers: usize) -> Result<Answer> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1))
        .build()
        .context("building a tokio runtime")?;
    let chain = chain(job);
    let units = job.parallel_units();
    let sum = runtime.block_on(async {
        let tasks: Vec<_> = (units.start..units.end)
            .step_by(CHUNK as usize)
            .map(|start| {
                let chunk = start..(start + CHUNK).min(units.end);
                tokio::spawn(async move { partial_sum(chunk) })
            })
            .collect();
        let mut sum = 0u64;
        for task in tasks {
            sum = sum.wrapping_add(task.await.context("a task panicked")?);
        }
        anyhow::Ok(sum)
    })?;
    Ok(Answer { chain, sum })
}
// ANCHOR_END: async

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_agrees_with_seq() {
        let job = Job {
            units: 2_000,
            serial: 0.25,
        };
        let expected = run_seq(&job);
        for workers in [1, 2, 3, 7] {
            assert_eq!(run_threads(&job, workers), expected);
            assert_eq!(run_async(&job, workers).expect("runs"), expected);
        }
    }

    #[test]
    fn shares_cover_the_range_once() {
        let shares = split(10..27, 4);
        assert_eq!((shares.len(), shares[0].start, shares[3].end), (4, 10, 27));
        assert!(shares.windows(2).all(|pair| pair[0].end == pair[1].start));
    }

    #[test]
    fn scaling_keeps_the_chain_and_grows_the_rest() {
        let job = Job {
            units: 1_000,
            serial: 0.05,
        };
        let big = job.scaled(4);
        assert_eq!(big.serial_units(), 50);
        assert_eq!(big.units, 50 + 950 * 4);
        assert_eq!(chain(&big), chain(&job));
    }
}
