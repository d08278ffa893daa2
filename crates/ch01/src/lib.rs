//! Chapter 1 · Parallel and distributed computing: the laws of speed-up
//! made measurable, and shared memory against message passing.
//!
//! The variants of each workload share one signature and one answer check,
//! so the CLI, the benches, the notebook and the book measure the same
//! functions.

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
