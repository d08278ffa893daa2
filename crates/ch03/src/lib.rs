//! Chapter 3 · Parallelism: the same work on threads, pools, rayon, async
//! and worker processes, with futures, a race condition and its fixes.
//!
//! Every fib variant has the signature `(tasks, workers) -> answers` so the
//! CLI, the benches, the notebook and the book measure the same functions.

pub mod compare;
pub mod currency;
pub mod exercises;
pub mod fib;
pub mod futures_demo;
pub mod pool;
pub mod processes;
pub mod race;
pub mod sizes;

/// The variants of the fib comparison, in the order they are shown.
pub const FIB_VARIANTS: [&str; 7] = [
    "seq",
    "threads",
    "pool",
    "rayon",
    "async",
    "spawn_blocking",
    "processes",
];

/// The variants of the currency comparison.
pub const CURRENCY_VARIANTS: [&str; 3] = ["seq", "threads", "async"];
