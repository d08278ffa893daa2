//! Chapter 4 · The problem sizes behind `--size quick|full|N`.

use workbench::Size;

/// The fib comparison: `tasks` tasks of `fib(n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FibSize {
    pub n: u32,
    pub tasks: usize,
}

impl FibSize {
    /// quick: fib(30) × 16; full: fib(34) × 16, the book's n; N: fib(N) × 16.
    pub fn from_size(size: Size) -> Self {
        let n = match size {
            Size::Quick => 30,
            Size::Full => 34,
            Size::N(n) => n.min(45) as u32,
        };
        FibSize { n, tasks: 16 }
    }

    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!({ "n": self.n, "tasks": self.tasks })
    }
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
