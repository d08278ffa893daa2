//! Chapter 4 · The problem sizes behind `--size quick|full|N`.

use workbench::Size;

pub use workbench::fib::FibSize;

/// The fib comparison: 16 tasks of `fib(n)`. quick: fib(35) × 16, ≈0.5 s
/// of CPU in a release build (≈0.26 s per timed run on two workers;
/// fib(30) × 16 was ≈47 ms, noise), estimated from chapter 3's fib(37) × 8
/// (0.68 s) with the same `fib`; full: fib(37) × 16, ≈4× quick (the book's
/// fib(34) is shorter than quick in Rust); N: fib(N) × 16.
pub fn fib_size(size: Size) -> FibSize {
    let n = match size {
        Size::Quick => 35,
        Size::Full => 37,
        Size::N(n) => n.min(45) as u32,
    };
    FibSize { n, tasks: 16 }
}

/// How many integers the merge sort sorts: quick 250,000; full the book's
/// 1,000,000; N: N (at most 20 million).
pub fn sort_count(size: Size) -> usize {
    match size {
        Size::Quick => 250_000,
        Size::Full => 1_000_000,
        Size::N(n) => n.min(20_000_000) as usize,
    }
}

/// Round trips timed for the overhead: quick 200, full 1,000; N: N.
pub fn round_trips(size: Size) -> usize {
    match size {
        Size::Quick => 200,
        Size::Full => 1_000,
        Size::N(n) => n.clamp(10, 100_000) as usize,
    }
}

/// The fib n of the crossover sweep: quick 16, 18, … 30; full up to 32.
pub fn crossover_ns(size: Size) -> Vec<u32> {
    let top = if size == Size::Full { 32 } else { 30 };
    (16..=top).step_by(2).collect()
}
