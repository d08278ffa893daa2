//! Chapter 3 · Parallelism: the same work on threads, pools, rayon, async
//! and worker processes, with futures, a race condition and its fixes.
//!
//! Every fib variant has the signature `(tasks, workers) -> answers` so the
//! CLI, the benches, the notebook and the book measure the same functions.
//!
//! ## What is where, in the page's order
//!
//! | Section of the page | Module |
//! |---|---|
//! | The workload | [`sizes`]; `fib` itself is `workbench::fib` |
//! | Threads; rayon; what async does not do | [`fib`] |
//! | A pool of threads, and futures | [`pool`], [`futures_demo`] |
//! | Processes and queues | [`processes`] |
//! | The measurement | [`compare`] |
//! | Waiting is different: the currency example | [`currency`] |
//! | Race conditions | [`race`] |
//! | Exercises | [`exercises`] |
//!
//! The command line is `main.rs` and `run.rs`.

pub mod compare;
pub mod currency;
pub mod exercises;
pub mod fib;
pub mod futures_demo;
pub mod pool;
pub mod processes;
pub mod race;
pub mod sizes;

workbench::variants! {
    /// The variants of the fib comparison, in the order they are shown.
    pub enum FibVariant, names FIB_VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Pool = "pool",
        Rayon = "rayon",
        Async = "async",
        SpawnBlocking = "spawn_blocking",
        Processes = "processes",
    }
}

workbench::variants! {
    /// The variants of the currency comparison.
    pub enum CurrencyVariant, names CURRENCY_VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
    }
}
