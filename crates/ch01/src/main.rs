//! Chapter 1 · The command line: the laws, measured.
//!
//! `cargo run -p ch01` runs the headline comparison (`amdahl` at the quick
//! size); `cargo run -p ch01 -- --help` lists the rest.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use workbench::chapter_command;
use workbench::variants::listed;
use workbench::{CommonArgs, FiguresArgs};

mod run;

/// The chapter, as `--help` introduces it.
const ABOUT: &str = "\
Chapter 1 · Parallel and distributed computing: Amdahl's and Gustafson's \
laws, a workload with a tunable serial fraction, and shared memory \
against message passing";

const AFTER_HELP: &str = "\
Without an example, runs `amdahl` with every variant at the quick size.
Build with `--release` for representative times: `cargo run --release -p ch01`.";

#[derive(Debug, Subcommand)]
enum Example {
    /// The laws computed: the book's T(1) = 100 s program, 99 % parallel,
    /// on 1, 10, 100 and 1000 workers (Amdahl and Gustafson).
    Laws {
        /// The parallel fraction of the program, between 0 and 1.
        #[arg(long, default_value_t = 0.99, value_parser = fraction)]
        parallel: f64,
        /// The program's time on one worker, in seconds.
        #[arg(long, default_value_t = 100.0)]
        t1: f64,
        /// Worker counts to tabulate.
        #[arg(long, value_delimiter = ',', default_value = "1,10,100,1000")]
        at: Vec<u64>,
    },
    /// A workload with a tunable serial fraction on seq, threads, async and
    /// dist (worker processes); the fraction fitted back (Karp–Flatt).
    #[command(mut_arg("variants", listed::<ch01::AmdahlVariant>))]
    Amdahl {
        #[command(flatten)]
        common: CommonArgs,
        /// The serial fraction of the job, between 0 and 1.
        #[arg(long, default_value_t = 0.05, value_parser = fraction)]
        serial: f64,
    },
    /// One reduction with shared memory (mutex, atomic) and message passing
    /// (channel, worker processes).
    #[command(mut_arg("variants", listed::<ch01::MemoryVariant>))]
    Memory {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Write the chapter's figures, records and tables (used by
    /// `cargo xtask figures`).
    Figures(FiguresArgs),
    /// A worker process of the `dist` variants: JSON tasks on stdin, one
    /// JSON answer per task on stdout, until stdin closes.
    #[command(hide = true)]
    Worker,
}

/// A fraction between 0 and 1, or a usage error.
fn fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        Ok(f) => Err(format!("{f} is not a fraction between 0 and 1")),
        Err(_) => Err(format!("`{text}` is not a number")),
    }
}

fn main() -> ExitCode {
    workbench::chapter::main(chapter_command!(ABOUT, AFTER_HELP), dispatch)
}

fn dispatch(example: Option<Example>) -> Result<()> {
    match example {
        None => run::amdahl(&CommonArgs::default(), 0.05),
        Some(Example::Laws { parallel, t1, at }) => run::laws(parallel, t1, &at),
        Some(Example::Amdahl { common, serial }) => run::amdahl(&common, serial),
        Some(Example::Memory { common }) => run::memory(&common),
        Some(Example::Figures(args)) => run::figures(&args),
        Some(Example::Worker) => workbench::workers::serve(
            std::io::stdin().lock(),
            std::io::stdout().lock(),
            ch01::dist::handle,
        ),
    }
}
