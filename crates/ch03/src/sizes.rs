//! Chapter 3 · The problem sizes behind `--size quick|full|N`.

use workbench::Size;

pub use workbench::fib::FibSize;

/// The fib comparison: `tasks` copies of `fib(n)`.
///
/// quick: fib(37) × 8, ≈0.68 s of CPU in a release build (≈0.34 s
/// per timed run on two workers: shorter runs are noise), ≈1.9 s in a
/// debug build; full: fib(40) × 8, ≈4× quick (the book's fib(34) × 8
/// is too short a run in Rust to time); N: fib(N) × `tasks`.
pub fn fib_size(size: Size, tasks: usize) -> FibSize {
    match size {
        Size::Quick => FibSize { n: 37, tasks },
        Size::Full => FibSize { n: 40, tasks },
        Size::N(n) => FibSize {
            n: n.min(60) as u32,
            tasks,
        },
    }
}
