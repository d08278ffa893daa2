//! Chapter 1 · Shared memory against message passing: one reduction (a sum
//! over a range) done by threads sharing a total behind a lock, then an
//! atomic, then by workers sending their values over a channel.
//!
//! Each shared-memory variant touches the shared total once per value, and
//! the channel variant sends one message per value, so the table shows what
//! one synchronised step costs. The `dist` variant (processes) cannot
//! afford a message per value and sends one per share instead.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use crate::workload::split;

/// The value summed for `i`: cheap on purpose, so the synchronisation
/// around it is what gets measured.
pub fn value(i: u64) -> u64 {
    (i ^ (i >> 7)).wrapping_mul(0x9E37_79B1) % 1000
}

/// The reduction over a range, on one thread.
pub fn sum_range(range: Range<u64>) -> u64 {
    range.map(value).sum()
}

pub fn reduce_seq(n: u64) -> u64 {
    sum_range(0..n)
}

// ANCHOR: mutex
/// Shared memory with a lock: every value is added under the `Mutex`.
pub fn reduce_mutex(n: u64, workers: usize) -> u64 {
    let total = Mutex::new(0u64);
    std::thread::scope(|scope| {
        for share in split(0..n, workers) {
            let total = &total;
            scope.spawn(move || {
                for i in share {
                    let v = value(i);
                    *total.lock().unwrap_or_else(|p| p.into_inner()) += v;
                }
            });
        }
    });
    total.into_inner().unwrap_or_else(|p| p.into_inner())
}
// ANCHOR_END: mutex

// ANCHOR: atomic
/// Shared memory without a lock: one atomic read-modify-write per value.
pub fn reduce_atomic(n: u64, workers: usize) -> u64 {
    let total = AtomicU64::new(0);
    std::thread::scope(|scope| {
        for share in split(0..n, workers) {
            let total = &total;
            scope.spawn(move || {
                for i in share {
                    total.fetch_add(value(i), Ordering::Relaxed);
                }
            });
        }
    });
    total.into_inner()
}
// ANCHOR_END: atomic

// ANCHOR: channel
/// Message passing: the workers own nothing shared; each sends its values
/// to the one thread that owns the total.
pub fn reduce_channel(n: u64, workers: usize) -> u64 {
    let (send, receive) = mpsc::sync_channel::<u64>(4096);
    std::thread::scope(|scope| {
        for share in split(0..n, workers) {
            let send = send.clone();
            scope.spawn(move || {
                for i in share {
                    if send.send(value(i)).is_err() {
                        return; // the receiver is gone: nobody to tell
                    }
                }
            });
        }
        drop(send); // the loop below ends when every worker's sender is gone
        receive.iter().sum()
    })
}
// ANCHOR_END: channel

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reduction_gives_the_same_sum() {
        let n = 100_003;
        let expected = reduce_seq(n);
        for workers in [1, 2, 5] {
            assert_eq!(reduce_mutex(n, workers), expected);
            assert_eq!(reduce_atomic(n, workers), expected);
            assert_eq!(reduce_channel(n, workers), expected);
        }
    }
}
