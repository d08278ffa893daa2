//! Chapter 2 · What an event loop is: a reactor over a timer ([`reactor`]),
//! then an executor written from scratch and the same jobs on tokio
//! ([`executor`]).

pub mod executor;
pub mod reactor;
