//! Chapter 7 · Log everything, and find it again: one task's story across
//! processes from JSON-lines logs ([`trace`], [`collect`]), and what the
//! logging costs ([`observe`]).

pub mod collect;
pub mod observe;
pub mod trace;
