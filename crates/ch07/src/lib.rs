//! Chapter 7 · Testing and debugging distributed applications.
//!
//! The book's checkpointing counter with atomic saves, clocks that disagree
//! and a Lamport clock that does not, a task followed across processes by
//! its logs, the environment written down at start, a client and a server
//! on a simulated network, and the chapter 3 race found by a model checker.

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
