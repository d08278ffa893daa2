//! Chapter 1 · Amdahl's law, Gustafson's law and the Karp–Flatt metric.
//!
//! `parallel` is the fraction of the one-worker running time that can be
//! split across workers; `1 - parallel` is the serial fraction.

use serde::Serialize;

// ANCHOR: amdahl
/// Amdahl: the speed-up of a fixed problem on `n` workers when a fraction
/// `parallel` of its one-worker time can be split and the rest cannot.
pub fn amdahl(parallel: f64, n: f64) -> f64 {
    1.0 / ((1.0 - parallel) + parallel / n)
}

/// Amdahl's ceiling: the speed-up with infinitely many workers.
pub fn amdahl_limit(parallel: f64) -> f64 {
    1.0 / (1.0 - parallel)
}
// ANCHOR_END: amdahl

// ANCHOR: gustafson
/// Gustafson: the scaled speed-up when the problem grows with the workers
/// and a fraction `parallel` of the *parallel* run's time is parallel work.
pub fn gustafson(parallel: f64, n: f64) -> f64 {
    (1.0 - parallel) + parallel * n
}
// ANCHOR_END: gustafson

// ANCHOR: karp_flatt
/// Karp–Flatt: the serial fraction that would explain a measured
/// `speedup` on `n` workers (n ≥ 2). Overheads (starting threads or
/// processes, sending messages) show up here as extra serial work.
pub fn karp_flatt(speedup: f64, n: f64) -> f64 {
    (1.0 / speedup - 1.0 / n) / (1.0 - 1.0 / n)
}

/// The serial fraction fitted from measured `(workers, speedup)` pairs:
/// the mean Karp–Flatt value over the runs with two or more workers.
pub fn fit_serial_fraction(measured: &[(usize, f64)]) -> Option<f64> {
    let values: Vec<f64> = measured
        .iter()
        .filter(|&&(n, s)| n >= 2 && s > 0.0)
        .map(|&(n, s)| karp_flatt(s, n as f64))
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}
// ANCHOR_END: karp_flatt

/// One row of the book's example: a program of `t1` seconds on one
/// worker, on `workers` workers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LawRow {
    pub workers: u64,
    pub amdahl_speedup: f64,
    pub amdahl_time_s: f64,
    pub gustafson_speedup: f64,
}

/// The book's numbers: T(1) = `t1`, a fraction `parallel` parallel, on
/// each worker count of `workers`.
pub fn table(t1: f64, parallel: f64, workers: &[u64]) -> Vec<LawRow> {
    workers
        .iter()
        .map(|&n| LawRow {
            workers: n,
            amdahl_speedup: amdahl(parallel, n as f64),
            amdahl_time_s: t1 / amdahl(parallel, n as f64),
            gustafson_speedup: gustafson(parallel, n as f64),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_example_comes_out() {
        let close = |a: f64, b: f64, tol: f64| (a - b).abs() < tol;
        assert!(close(amdahl(0.99, 10.0), 9.17, 0.01));
        assert!(close(amdahl(0.99, 100.0), 50.25, 0.01));
        assert!(close(amdahl(0.99, 1000.0), 90.99, 0.01));
        assert!(close(amdahl_limit(0.99), 100.0, 1e-9));
        let rows = table(100.0, 0.99, &[1, 10]);
        assert!(close(rows[0].amdahl_time_s, 100.0, 1e-9));
        assert!(close(rows[1].amdahl_time_s, 10.9, 1e-9));
    }

    #[test]
    fn gustafson_grows_almost_linearly() {
        assert!((gustafson(0.99, 1.0) - 1.0).abs() < 1e-12);
        assert!((gustafson(0.99, 100.0) - 99.01).abs() < 1e-9);
    }

    #[test]
    fn karp_flatt_inverts_amdahl() {
        for serial in [0.0, 0.05, 0.3] {
            for n in [2.0, 4.0, 64.0] {
                let s = amdahl(1.0 - serial, n);
                assert!((karp_flatt(s, n) - serial).abs() < 1e-12);
            }
        }
        let measured = [(1, 1.0), (2, amdahl(0.9, 2.0)), (4, amdahl(0.9, 4.0))];
        let fitted = fit_serial_fraction(&measured).expect("two points");
        assert!((fitted - 0.1).abs() < 1e-12);
        assert_eq!(fit_serial_fraction(&[(1, 1.0)]), None);
    }
}
