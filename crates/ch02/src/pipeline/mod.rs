//! Chapter 2 · The pipeline: cat → grep → count over a generated corpus
//! ([`corpus`]), as coroutines ([`grep`]) and fanned out to one chain per
//! pattern ([`mgrep`]).

pub mod corpus;
pub mod grep;
pub mod mgrep;
