//! Chapter 7 · Checking concurrency: chapter 3's lost update, found by a
//! model checker instead of by luck.
//!
//! Chapter 3 showed the race by running millions of increments and
//! counting the losses. Here two threads make one increment each, and
//! shuttle tries every order in which their steps can interleave: the one
//! that loses an update is found on every run, and the fix is shown to be
//! right for all of them.

// ANCHOR: sync
/// The threads and atomics the counters use: the standard library's in the
/// program, shuttle's in this crate's tests, where its scheduler picks every
/// interleaving on purpose.
mod sync {
    #[cfg(not(test))]
    pub use std::sync::atomic::{AtomicU64, Ordering};
    #[cfg(not(test))]
    pub use std::sync::{Arc, Mutex};
    #[cfg(not(test))]
    pub use std::thread;

    #[cfg(test)]
    pub use shuttle::sync::atomic::{AtomicU64, Ordering};
    #[cfg(test)]
    pub use shuttle::sync::{Arc, Mutex};
    #[cfg(test)]
    pub use shuttle::thread;
}
// ANCHOR_END: sync

use sync::{Arc, AtomicU64, Mutex, Ordering, thread};

/// Run `threads` threads that each apply `step` `increments` times to one
/// shared counter; return the final count.
fn share(threads: u64, increments: u64, step: fn(&AtomicU64)) -> u64 {
    let counter = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || (0..increments).for_each(|_| step(&counter)))
        })
        .collect();
    for handle in handles {
        handle.join().expect("a counting thread panicked");
    }
    counter.load(Ordering::SeqCst)
}

// ANCHOR: racy
/// The race, re-stated from chapter 3: read, then write back one more.
/// Each step is atomic; the pair is not.
pub fn load_then_store(counter: &AtomicU64) {
    let seen = counter.load(Ordering::SeqCst);
    std::hint::spin_loop(); // widen the window a little, as in chapter 3
    counter.store(seen + 1, Ordering::SeqCst);
}

/// The fix: one atomic read-modify-write.
pub fn fetch_add(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::SeqCst);
}
// ANCHOR_END: racy

/// The racy counter.
pub fn racy(threads: u64, increments: u64) -> u64 {
    share(threads, increments, load_then_store)
}

/// The fixed counter.
pub fn fixed(threads: u64, increments: u64) -> u64 {
    share(threads, increments, fetch_add)
}

/// The other fix: a lock around the read and the write.
pub fn locked(threads: u64, increments: u64) -> u64 {
    let counter = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..increments {
                    *counter.lock().unwrap_or_else(|p| p.into_inner()) += 1;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a counting thread panicked");
    }
    *counter.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    // ANCHOR: model_check
    use super::*;

    /// Explore every interleaving of two threads making one increment each
    /// (depth-first, exhaustively); panic on the first one that loses.
    fn every_interleaving(count: fn(u64, u64) -> u64) {
        shuttle::check_dfs(
            move || assert_eq!(count(2, 1), 2, "lost an update"),
            None,
        );
    }

    #[test]
    #[should_panic(expected = "lost an update")]
    fn the_model_checker_finds_the_lost_update() {
        every_interleaving(racy);
    }

    #[test]
    fn no_interleaving_loses_an_update_with_fetch_add() {
        every_interleaving(fixed);
    }

    #[test]
    fn no_interleaving_loses_an_update_with_a_lock() {
        every_interleaving(locked);
    }
    // ANCHOR_END: model_check

    #[test]
    fn random_schedules_with_more_threads_agree() {
        shuttle::check_random_with_seed(|| assert_eq!(fixed(3, 3), 9), 7, 200);
    }
}
