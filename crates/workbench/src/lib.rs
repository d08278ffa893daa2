//! Workbench: the shared, non-lesson parts of *Distributed Computing with Rust*.
//!
//! A chapter crate exposes its variants (`seq`, `threads`, `async`, `dist`,
//! ...) as plain functions. The workbench times them, checks their answers,
//! and turns the result into one [`Record`]: a terminal table, a JSON file,
//! an SVG figure, or an inline display in a notebook. The CLI, the book's
//! figures and the notebooks all go through here, so a number means the
//! same thing wherever it appears.

pub mod bins;
pub mod chapter;
pub mod cli;
pub mod curves;
pub mod fib;
pub mod jsonl;
pub mod logs;
pub mod machine;
pub mod measure;
pub mod netns;
pub mod notebook;
pub mod plot;
pub mod procmem;
pub mod rates;
pub mod record;
pub mod redact;
pub mod rounds;
pub mod seeded;
pub mod services;
pub mod stop;
pub mod table;
#[cfg(feature = "testing")]
pub mod testing;
pub mod variants;
pub mod workers;

pub use chapter::FiguresArgs;
pub use cli::{CommonArgs, Size};
pub use machine::Machine;
pub use measure::{Experiment, MeasureOpts};
pub use record::{Record, Run};
pub use rounds::Contender;
pub use variants::Variant;
