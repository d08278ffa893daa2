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

/// The variants of the `amdahl` comparison.
pub const AMDAHL_VARIANTS: [&str; 4] = ["seq", "threads", "async", "dist"];

/// The variants of the `memory` comparison.
pub const MEMORY_VARIANTS: [&str; 5] = ["seq", "mutex", "atomic", "channel", "dist"];
