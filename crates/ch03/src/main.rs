//! Chapter 3 · The command line: every example of the chapter.
//!
//! `cargo run -p ch03` runs the headline comparison (fib on every variant)
//! at a quick size; `cargo run -p ch03 -- --help` lists the rest.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use workbench::chapter_command;
use workbench::variants::listed;
use workbench::{CommonArgs, FiguresArgs};

mod run;

/// The chapter, as `--help` introduces it.
const ABOUT: &str = "\
Chapter 3 · Parallelism: the same work on threads, a pool, rayon, async \
and worker processes — with answers checked before times are reported";

const AFTER_HELP: &str = "\
Without an example, runs `fib` with every variant at the quick size.
Build with `--release` for representative times: `cargo run --release -p ch03`.";

#[derive(Debug, Subcommand)]
enum Example {
    /// fib(n) tasks on seq, threads, pool, rayon, async, spawn_blocking and
    /// worker processes (book: fib.py, mtfib.py, mpfib.py, queues.py).
    #[command(mut_arg("variants", listed::<ch03::FibVariant>))]
    Fib {
        #[command(flatten)]
        common: CommonArgs,
        /// How many fib(n) tasks.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
        tasks: u16,
    },
    /// A future's life: submit, running, done, result with a time-out
    /// (book: mpfib.py's fib(38) = 39088169).
    Futures {
        /// Which Fibonacci number to compute.
        #[arg(long, default_value_t = 38, value_parser = clap::value_parser!(u32).range(1..=50))]
        n: u32,
        /// How long the impatient `result(timeout)` waits, in milliseconds.
        #[arg(long, default_value_t = 10)]
        timeout_ms: u64,
    },
    /// Exchange rates from a local HTTP service: seq, one thread per pair,
    /// async (book: currency.py). `--size N` asks N pairs.
    #[command(mut_arg("variants", listed::<ch03::CurrencyVariant>))]
    Currency {
        #[command(flatten)]
        common: CommonArgs,
        /// The service's answer delay in milliseconds.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(0..=10_000))]
        latency_ms: u64,
    },
    /// A lost-update race condition and three fixes.
    Race {
        /// Threads incrementing the shared counter.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
        threads: u16,
        /// Increments per thread.
        #[arg(long, default_value_t = 1_000_000)]
        increments: u64,
    },
    /// Write the chapter's figures, records and tables (used by
    /// `cargo xtask figures`).
    Figures(FiguresArgs),
    /// A worker process of the `processes` variant: JSON tasks on stdin,
    /// answers on stdout, until the Stop sentinel.
    #[command(hide = true)]
    Worker {
        /// Exit abruptly after this many answers (to test lost workers).
        #[arg(long)]
        crash_after: Option<usize>,
    },
}

fn main() -> ExitCode {
    workbench::chapter::main(chapter_command!(ABOUT, AFTER_HELP), dispatch)
}

fn dispatch(example: Option<Example>) -> Result<()> {
    match example {
        None => run::fib(&CommonArgs::default(), 8),
        Some(Example::Fib { common, tasks }) => run::fib(&common, tasks.into()),
        Some(Example::Futures { n, timeout_ms }) => run::futures(n, timeout_ms),
        Some(Example::Currency { common, latency_ms }) => {
            run::currency(&common, latency_ms)
        }
        Some(Example::Race {
            threads,
            increments,
        }) => run::race(threads.into(), increments),
        Some(Example::Figures(args)) => run::figures(&args.out, args.size),
        Some(Example::Worker { crash_after }) => {
            let stdin = std::io::stdin().lock();
            ch03::processes::worker_loop(
                stdin,
                std::io::stdout().lock(),
                crash_after,
            )
        }
    }
}
