//! Chapter 1 · Solutions to the chapter's exercises (tested below).

use crate::laws::amdahl_limit;
use crate::memory::sum_range;
use crate::workload::split;

// ANCHOR: workers_needed
/// Exercise 1: the fewest workers that give at least `target` speed-up to
/// a program whose fraction `parallel` can be split; `None` when Amdahl's
/// ceiling makes the target unreachable.
///
/// From 1 / ((1 − p) + p / n) ≥ S: n ≥ p / (1 / S − (1 − p)).
pub fn workers_needed(parallel: f64, target: f64) -> Option<u64> {
    if target <= 1.0 {
        return Some(1);
    }
    if target >= amdahl_limit(parallel) {
        return None;
    }
    let n = parallel / (1.0 / target - (1.0 - parallel));
    // Round, then step past floating-point noise: 98.999… means 99.
    let rounded = n.round();
    Some(if (n - rounded).abs() < 1e-9 {
        rounded
    } else {
        n.ceil()
    } as u64)
}
// ANCHOR_END: workers_needed

// ANCHOR: local_then_merge
/// Exercise 2: the mixed paradigm in one process. Each thread sums its own
/// share in private memory and shares one number at the end: one
/// synchronised step per worker instead of one per value.
pub fn reduce_local_then_merge(n: u64, workers: usize) -> u64 {
    std::thread::scope(|scope| {
        let handles: Vec<_> = split(0..n, workers)
            .into_iter()
            .map(|share| scope.spawn(move || sum_range(share)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    })
}
// ANCHOR_END: local_then_merge

#[cfg(test)]
mod tests {
    use super::*;
    use crate::laws::amdahl;
    use crate::memory::reduce_seq;

    #[test]
    fn the_books_program_needs_99_workers_for_50x() {
        assert_eq!(workers_needed(0.99, 50.0), Some(99));
        assert_eq!(workers_needed(0.99, 9.0), Some(10));
        assert_eq!(workers_needed(0.99, 100.0), None, "the ceiling");
        assert_eq!(workers_needed(0.99, 150.0), None);
        assert_eq!(workers_needed(0.5, 1.0), Some(1));
        for (p, s) in [(0.9, 5.0), (0.95, 12.5), (0.999, 400.0)] {
            let n = workers_needed(p, s).expect("reachable");
            assert!(amdahl(p, n as f64) >= s - 1e-9);
            assert!(amdahl(p, (n - 1) as f64) < s);
        }
    }

    #[test]
    fn private_sums_merged_once_are_exact() {
        for workers in [1, 2, 7] {
            assert_eq!(
                reduce_local_then_merge(100_001, workers),
                reduce_seq(100_001)
            );
        }
    }
}
