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
//! | Availability of hardware: a checkpoint that survives | [`checkpoint`], [`counter`], [`demo`] |
//! | What safety costs | [`cost`], [`figure`] |
//! | Clocks and time | [`clocks`], [`ordering`] |
//! | Software environments and permissions | [`environment`] |
//! | Log everything, and find it again | [`trace`] |
//! | What logging costs | [`observe`], [`figure`] |
//! | One task's life through the broker | [`collect`] (the worker's side is chapter 4's `traced`) |
//! | Monitor; Metrics | chapter 4's `events` (this crate only shows them) |
//! | Simulate components | [`hosts`], [`simulation`] |
//! | A bug a seed found | [`deposits`] |
//! | Chaos on the real pipeline | [`chaos`], [`chaos_io`], [`proxy`], [`chaos_plot`] |
//! | Checking concurrency | [`race`] |
//! | Exercises | [`exercises`] |
//!
//! The command line is `main.rs`, `run.rs` and `run_faults.rs`.

pub mod chaos;
pub mod chaos_io;
pub mod chaos_plot;
pub mod checkpoint;
pub mod clocks;
pub mod collect;
pub mod cost;
pub mod counter;
pub mod demo;
pub mod deposits;
pub mod environment;
pub mod exercises;
pub mod figure;
pub mod hosts;
pub mod observe;
pub mod ordering;
pub mod proxy;
pub mod race;
pub mod simulation;
pub mod trace;
