//! Chapter 2 · Asynchronous programming: iterators, generators, coroutine
//! pipelines, an executor written from scratch, and async I/O measured.
//!
//! Each measured example has its variants side by side with one answer
//! check, so the CLI, the benches, the notebook and the book measure the
//! same functions.

pub mod compare;
pub mod coroutines;
pub mod corpus;
pub mod deadline;
pub mod dist;
pub mod executor;
pub mod exercises;
pub mod fetch;
pub mod fetch_async;
pub mod fetch_h2;
pub mod figure;
pub mod generators;
pub mod grep;
pub mod iteration;
pub mod mgrep;
pub mod probe;
pub mod reactor;

/// The variants of the `fetch` comparison.
pub const FETCH_VARIANTS: [&str; 7] = [
    "seq",
    "threads",
    "pool",
    "async",
    "async-h2",
    "async-fresh",
    "dist",
];

/// The variants of the `grep` comparison (`grep` is GNU grep itself).
pub const GREP_VARIANTS: [&str; 4] = ["seq", "threads", "async", "grep"];

/// The variants of the `mgrep` comparison.
pub const MGREP_VARIANTS: [&str; 3] = ["seq", "threads", "async"];
