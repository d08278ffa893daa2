//! Chapter 2 · Asynchronous programming: iterators, generators, coroutine
//! pipelines, an executor written from scratch, and async I/O measured.
//!
//! Each measured example has its variants side by side with one answer
//! check, so the CLI, the benches, the notebook and the book measure the
//! same functions.
//!
//! ## What is where, in the page's order
//!
//! | Section of the page | Module |
//! |---|---|
//! | Iterators and generators | [`iteration`], [`generators`] |
//! | Coroutines: a consumer that is sent values | [`coroutines`] |
//! | The pipeline: cat → grep → count | [`corpus`] (the input), [`grep`], [`mgrep`] (the fan-out) |
//! | What an event loop is | [`reactor`] (part 1), [`executor`] (part 2) |
//! | Waiting, measured: a thousand requests | [`fetch`] (`seq`, `threads`, `pool`), [`fetch_async`], [`fetch_h2`], [`dist`], [`figure`] |
//! | Memory, measured in a child process | [`probe`] |
//! | Cancellation and deadlines | [`deadline`] |
//! | Exercises | [`exercises`] |
//!
//! [`compare`] holds the measurements behind the CLI, the figures and the
//! notebook; the command line is `main.rs` and `run.rs`.

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

workbench::variants! {
    /// The variants of the `fetch` comparison.
    pub enum FetchVariant, names FETCH_VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Pool = "pool",
        Async = "async",
        AsyncH2 = "async-h2",
        AsyncFresh = "async-fresh",
        Dist = "dist",
    }
}

workbench::variants! {
    /// The variants of the `grep` comparison (`grep` is GNU grep itself).
    pub enum GrepVariant, names GREP_VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
        Grep = "grep",
    }
}

workbench::variants! {
    /// The variants of the `mgrep` comparison.
    pub enum MgrepVariant, names MGREP_VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
    }
}
