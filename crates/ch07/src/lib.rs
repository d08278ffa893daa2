//! Chapter 7 · Testing and debugging distributed applications.
//!
//! The book's checkpointing counter with atomic saves, clocks that disagree
//! and a Lamport clock that does not, a task followed across processes by
//! its logs, the environment written down at start, a client and a server
//! on a simulated network, and the chapter 3 race found by a model checker.
//!
//! ## What is where, in the page's order
//!
//! | Section of the page | Module |
//! |---|---|
//! | Availability of hardware: a checkpoint that survives | [`checkpoint`], [`checkpoint::counter`], [`checkpoint::demo`] |
//! | What safety costs | [`checkpoint::cost`], [`figure`] |
//! | Clocks and time | [`clocks`], [`clocks::ordering`] |
//! | Software environments and permissions | [`environment`] |
//! | Log everything, and find it again | [`logs::trace`] |
//! | What logging costs | [`logs::observe`], [`figure`] |
//! | One task's life through the broker | [`logs::collect`] (the worker's side is chapter 4's `traced`) |
//! | Monitor; Metrics | chapter 4's `events` (this crate only shows them) |
//! | Simulate components | [`simulate::hosts`], [`simulate::simulation`] |
//! | A bug a seed found | [`simulate::deposits`] |
//! | Chaos on the real pipeline | [`chaos`], [`chaos::io`], [`chaos::proxy`], [`chaos::plot`] |
//! | Checking concurrency | [`race`] |
//! | Exercises | [`exercises`] |
//!
//! A section with more than one module has a folder of its own
//! (`checkpoint/`, `clocks/`, `logs/`, `simulate/`, `chaos/`). The command
//! line is `main.rs`, `run.rs` and `run_faults.rs`.

pub mod chaos;
pub mod checkpoint;
pub mod clocks;
pub mod environment;
pub mod exercises;
pub mod figure;
pub mod logs;
pub mod race;
pub mod simulate;
