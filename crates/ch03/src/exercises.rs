//! Chapter 3 · Solutions to the chapter's exercises (tested below).

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::fib::fib;

// ANCHOR: dynamic
/// Exercise 1: with uneven tasks, a fixed share per thread leaves one
/// thread working alone at the end. Let threads take the next task from a
/// shared counter instead, so the load balances itself.
pub fn fib_threads_dynamic(tasks: &[u32], workers: usize) -> Vec<u64> {
    let next = AtomicUsize::new(0);
    let mut answers = vec![0; tasks.len()];
    let done: Vec<Vec<(usize, u64)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&n) = tasks.get(i) else { break mine };
                        mine.push((i, fib(n)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, value) in done.into_iter().flatten() {
        answers[i] = value;
    }
    answers
}
// ANCHOR_END: dynamic

// ANCHOR: tally
/// Exercise 2: fix the lost update without sharing anything in the loop:
/// each thread counts privately, and the totals are added once at the end.
pub fn tally_then_merge(threads: usize, increments: u64) -> u64 {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut mine = 0u64;
                    for _ in 0..increments {
                        mine += 1;
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    })
}
// ANCHOR_END: tally

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fib::{fib_seq, verify};

    #[test]
    fn dynamic_sharing_gives_the_same_answers() {
        let uneven = [25, 3, 3, 3, 24, 3, 22, 3];
        for workers in [1, 2, 3, 16] {
            let answers = fib_threads_dynamic(&uneven, workers);
            assert_eq!(answers, fib_seq(&uneven));
            verify(&uneven, &answers).expect("right");
        }
    }

    #[test]
    fn a_private_tally_loses_nothing() {
        assert_eq!(tally_then_merge(4, 100_000), 400_000);
        assert_eq!(tally_then_merge(0, 10), 0);
    }
}
