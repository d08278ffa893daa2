//! Chapter 3 · The problem sizes behind `--size quick|full|N`.

use workbench::Size;

/// The fib comparison: `tasks` copies of `fib(n)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FibSize {
    pub n: u32,
    pub tasks: usize,
}

impl FibSize {
    /// quick: fib(37) × 8, ≈0.68 s of CPU in a release build (≈0.34 s
    /// per timed run on two workers: shorter runs are noise), ≈1.9 s in a
    /// debug build; full: fib(40) × 8, ≈4× quick (the book's fib(34) × 8
    /// is too short a run in Rust to time); N: fib(N) × `tasks`.
    pub fn from_size(size: Size, tasks: usize) -> Self {
        match size {
            Size::Quick => FibSize { n: 37, tasks },
            Size::Full => FibSize { n: 40, tasks },
            Size::N(n) => FibSize {
                n: n.min(60) as u32,
                tasks,
            },
        }
    }

    pub fn task_list(&self) -> Vec<u32> {
        vec![self.n; self.tasks]
    }

    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!({ "n": self.n, "tasks": self.tasks })
    }
}
