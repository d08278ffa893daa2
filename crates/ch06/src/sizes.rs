//! Chapter 6 · Problem sizes behind `--size quick|full|N`.

use workbench::Size;

/// `tasks` copies of fib(n).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FibSize {
    pub n: u32,
    pub tasks: usize,
}

impl FibSize {
    /// quick: fib(36) × 8, where starting an MPI job (≈0.15 s here) costs
    /// as much as the work; full: fib(43) × 8, about four seconds of work
    /// per rank, so the start-up fades; N: fib(N).
    pub fn from_size(size: Size, tasks: usize) -> Self {
        let n = match size {
            Size::Quick => 36,
            Size::Full => 43,
            Size::N(n) => n.min(60) as u32,
        };
        FibSize { n, tasks }
    }

    pub fn task_list(&self) -> Vec<u32> {
        vec![self.n; self.tasks]
    }

    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!({ "n": self.n, "tasks": self.tasks })
    }
}

/// The sweep's fib sizes: one array task each.
pub fn sweep_sizes(size: Size) -> Vec<u32> {
    match size {
        Size::Quick => (30..=38).collect(),
        Size::Full => (32..=42).collect(),
        Size::N(n) => (20..=n.clamp(20, 45) as u32).collect(),
    }
}
