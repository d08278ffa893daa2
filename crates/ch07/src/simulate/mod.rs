//! Chapter 7 · Simulate components: a client and a server on a simulated
//! network ([`hosts`], [`simulation`]), and the bug a seed found in it
//! ([`deposits`]).

pub mod deposits;
pub mod hosts;
pub mod simulation;
