//! Chapter 8 · The road ahead: every chapter's measurements side by side,
//! and a decision guide whose rules are checked against them.
//!
//! Nothing here measures anything. The crate reads the results records the
//! other chapters wrote ([`workbench::Record`] JSON), groups their variants
//! into the four models of the book (`seq`, `threads`, `async`, `dist`),
//! and says what each model achieved on which machine — and which rules of
//! thumb those numbers support.
//!
//! ## What is where, in the page's order
//!
//! | Part of the page | Module |
//! |---|---|
//! | Everything side by side | [`load`] (the records), [`models`] (variant → model), [`groups`], [`side`], [`table`], [`figure`] |
//! | A decision guide, checked | [`rules`], [`judges`], [`guide`] |
//! | Dataflow: a first step towards Spark | [`dataflow`], [`wordcount`] |
//! | Exercises | [`exercises`] |
//!
//! The command line is `main.rs` and `run.rs`.

pub mod dataflow;
pub mod exercises;
pub mod figure;
pub mod groups;
pub mod guide;
pub mod judges;
pub mod load;
pub mod models;
pub mod rules;
pub mod side;
pub mod table;
pub mod wordcount;

pub use guide::{Evaluation, Rule, Verdict};
pub use load::{Loaded, NotARecord};
pub use models::Model;
pub use side::{Comparison, Entry, Pick};
