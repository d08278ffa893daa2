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
//! | Coroutines: iteration, generators, a consumer that is sent values | [`coroutines::iteration`], [`coroutines::generators`], [`coroutines`] |
//! | The pipeline: cat → grep → count | [`pipeline::corpus`] (the input), [`pipeline::grep`], [`pipeline::mgrep`] (the fan-out) |
//! | What an event loop is | [`event_loop::reactor`] (part 1), [`event_loop::executor`] (part 2) |
//! | Waiting, measured: a thousand requests | [`fetch`] (`seq`, `threads`, `pool`), [`fetch::asynchronous`], [`fetch::h2`], [`fetch::dist`], [`fetch::figure`] |
//! | Memory, measured in a child process | [`probe`] |
//! | Cancellation and deadlines | [`deadline`] |
//! | Exercises | [`exercises`] |
//!
//! A section with more than one module has a folder of its own
//! (`coroutines/`, `pipeline/`, `event_loop/`, `fetch/`). [`compare`] holds
//! the measurements behind the CLI, the figures and the notebook; the
//! command line is `main.rs` and `run.rs`.

pub mod compare;
pub mod coroutines;
pub mod deadline;
pub mod event_loop;
pub mod exercises;
pub mod fetch;
pub mod pipeline;
pub mod probe;

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
