//! Chapter 1 · Parallel and distributed computing: the laws of speed-up
//! made measurable, and shared memory against message passing.
//!
//! The variants of each workload share one signature and one answer check,
//! so the CLI, the benches, the notebook and the book measure the same
//! functions.
//!
//! ## What is where, in the page's order
//!
//! | Section of the page | Module |
//! |---|---|
//! | The laws | [`laws`] (Amdahl, Gustafson, Karp–Flatt), [`figure`] (their curves) |
//! | A workload with a serial fraction you choose | [`workload`] (`seq`, `threads`, `async`), [`dist`] (worker processes) |
//! | The serial fraction, fitted back | [`compare`] (the measurement), [`figure`] |
//! | Shared memory against message passing | [`memory`] |
//! | Exercises | [`exercises`] |
//!
//! The command line is `main.rs` (arguments) and `run.rs` (what each
//! subcommand runs).

pub mod compare;
pub mod dist;
pub mod exercises;
pub mod figure;
pub mod laws;
pub mod memory;
pub mod workload;

workbench::variants! {
    /// The variants of the `amdahl` comparison.
    pub enum AmdahlVariant, names AMDAHL_VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
        Dist = "dist",
    }
}

workbench::variants! {
    /// The variants of the `memory` comparison.
    pub enum MemoryVariant, names MEMORY_VARIANTS {
        Seq = "seq",
        Mutex = "mutex",
        Atomic = "atomic",
        Channel = "channel",
        Dist = "dist",
    }
}
