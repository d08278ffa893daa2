//! Chapter 3 · A race condition: a lost update, and three ways to fix it.
//!
//! Safe Rust rejects a data race at compile time, but not a *race
//! condition*: a read followed by a separate write lets two threads both
//! read the same value and one increment vanish.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: racy
/// Read, then write: each step is atomic, the pair is not.
pub fn racy(threads: usize, increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..increments {
                    let seen = counter.load(Ordering::Relaxed);
                    std::hint::spin_loop(); // widen the window a little
                    counter.store(seen + 1, Ordering::Relaxed);
                }
            });
        }
    });
    counter.into_inner()
}
// ANCHOR_END: racy

// ANCHOR: mutex
/// Fix 1: a lock makes read-and-write one step.
pub fn with_mutex(threads: usize, increments: u64) -> u64 {
    let counter = Mutex::new(0u64);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..increments {
                    *counter.lock().unwrap_or_else(|p| p.into_inner()) += 1;
                }
            });
        }
    });
    counter.into_inner().unwrap_or_else(|p| p.into_inner())
}
// ANCHOR_END: mutex

// ANCHOR: atomic
/// Fix 2: one atomic read-modify-write instruction.
pub fn with_atomic(threads: usize, increments: u64) -> u64 {
    let counter = AtomicU64::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..increments {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    counter.into_inner()
}
// ANCHOR_END: atomic

/// One row of the race demonstration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub method: &'static str,
    pub counted: u64,
    pub expected: u64,
}

impl Outcome {
    pub fn lost(&self) -> u64 {
        self.expected - self.counted
    }
}

/// Run the racy counter and its fixes.
pub fn compare(threads: usize, increments: u64) -> Vec<Outcome> {
    let expected = threads as u64 * increments;
    type Counter = fn(usize, u64) -> u64;
    let methods: [(&'static str, Counter); 4] = [
        ("load + store (racy)", racy),
        ("Mutex", with_mutex),
        ("fetch_add", with_atomic),
        ("per-thread tally", crate::exercises::tally_then_merge),
    ];
    methods
        .into_iter()
        .map(|(method, count)| Outcome {
            method,
            counted: count(threads, increments),
            expected,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixes_count_every_increment() {
        for threads in [1, 2, 4] {
            assert_eq!(with_mutex(threads, 50_000), threads as u64 * 50_000);
            assert_eq!(with_atomic(threads, 50_000), threads as u64 * 50_000);
        }
    }

    #[test]
    fn the_racy_counter_never_counts_more() {
        // Whether updates are lost depends on scheduling, so the test can
        // only assert the bound; one thread alone loses nothing.
        assert!(racy(4, 50_000) <= 200_000);
        assert_eq!(racy(1, 50_000), 50_000);
    }
}
