//! Chapter 3 · Solutions to the chapter's exercises (tested below).
// Exercise 1 (Listing 3.22) lives in workbench: chapter 4 measures it too.
pub use workbench::fib::fib_threads_dynamic;

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
