//! Chapter 2 · The command line: every example of the chapter.
//!
//! `cargo run -p ch02` runs the headline comparison (`fetch` at the quick
//! size); `cargo run -p ch02 -- --list` lists the rest.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use workbench::chapter_command;
use workbench::variants::listed;
use workbench::{CommonArgs, FiguresArgs};

mod run;

/// The chapter, as `--help` introduces it.
const ABOUT: &str = "\
Chapter 2 · Asynchronous programming: iterators, generators, coroutine \
pipelines, an executor from scratch, and I/O-bound work measured on seq, \
threads, async and worker processes";

const AFTER_HELP: &str = "\
Without an example, runs `fetch` with every variant at the quick size.
Build with `--release` for representative times: `cargo run --release -p ch02`.";

#[derive(Debug, Subcommand)]
enum Example {
    /// A hand-written iterator (book: iteration.py).
    Iteration,
    /// The countdown generator: 3 → 2 1 0 (book: generators.py).
    Generators {
        /// Where the countdown starts.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=1000))]
        n: u32,
    },
    /// A consumer that complains about a word, as a struct, a thread and an
    /// async task (book: coroutines.py).
    Coroutines {
        /// The word it complains about.
        #[arg(long, default_value = "love")]
        word: String,
    },
    /// cat → grep → count over the generated corpus or FILE (book: grep.py).
    #[command(mut_arg("variants", listed::<ch02::GrepVariant>))]
    Grep {
        #[command(flatten)]
        common: CommonArgs,
        /// Ignore case, as the book's `grep.py -i`.
        #[arg(short = 'i', long)]
        ignore_case: bool,
        /// The text to look for.
        pattern: String,
        /// The file to search (default: the generated corpus).
        file: Option<PathBuf>,
    },
    /// The pipeline fanned out to one grep → count chain per pattern
    /// (book: mgrep.py).
    #[command(mut_arg("variants", listed::<ch02::MgrepVariant>))]
    Mgrep {
        #[command(flatten)]
        common: CommonArgs,
        /// Ignore case.
        #[arg(short = 'i', long)]
        ignore_case: bool,
        /// The file to search (default: the generated corpus).
        #[arg(long)]
        file: Option<PathBuf>,
        /// The texts to look for.
        #[arg(default_values_t = ["love".to_string(), "hate".to_string(), "hope".to_string()])]
        patterns: Vec<String>,
    },
    /// An event loop written from scratch (task queue, wakers, a timer
    /// reactor), then the same jobs on tokio.
    Executor,
    /// Requests to the local exchange-rate service on seq, threads, a
    /// thread pool, async (keep-alive and fresh connections) and worker
    /// processes; wall time and peak memory per request count.
    #[command(mut_arg("variants", listed::<ch02::FetchVariant>))]
    Fetch {
        #[command(flatten)]
        common: CommonArgs,
        /// The service's latency in milliseconds.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=10_000))]
        latency_ms: u64,
        /// Request counts, comma-separated (overrides --size).
        #[arg(long, value_delimiter = ',', allow_negative_numbers = true, value_parser = run::request_count)]
        requests: Option<Vec<usize>>,
        /// Use this service (http://HOST:PORT) instead of starting one.
        #[arg(long, value_name = "URL")]
        service: Option<String>,
        /// Skip the memory probes (child processes).
        #[arg(long)]
        no_memory: bool,
    },
    /// A request slower than its deadline is cancelled, and says so.
    Timeout {
        /// The service's latency in milliseconds.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(2..=10_000))]
        latency_ms: u64,
    },
    /// Write the generated corpus under target/ and print its path.
    Corpus,
    /// Write the chapter's figures, records and tables (used by
    /// `cargo xtask figures`).
    Figures(FiguresArgs),
    /// A worker process of the `dist` variant.
    #[command(hide = true)]
    Worker,
    /// A child process measuring one variant's peak memory.
    #[command(hide = true)]
    Probe,
}

fn main() -> ExitCode {
    workbench::chapter::main(chapter_command!(ABOUT, AFTER_HELP), dispatch)
}

fn dispatch(example: Option<Example>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match example {
        None => run::fetch(&CommonArgs::default(), 50, None, None, true),
        Some(Example::Iteration) => Ok(ch02::coroutines::iteration::demo(&mut out)?),
        Some(Example::Generators { n }) => run::generators(n),
        Some(Example::Coroutines { word }) => {
            let texts = ["Rust has no GIL", "I love this pipeline", "love and hate"];
            ch02::coroutines::demo(&word, &texts, &mut out)
        }
        Some(Example::Grep {
            common,
            ignore_case,
            pattern,
            file,
        }) => run::grep(&common, ignore_case, &pattern, file.as_deref()),
        Some(Example::Mgrep {
            common,
            ignore_case,
            file,
            patterns,
        }) => run::mgrep(&common, ignore_case, &patterns, file.as_deref()),
        Some(Example::Executor) => run::executor(),
        Some(Example::Fetch {
            common,
            latency_ms,
            requests,
            service,
            no_memory,
        }) => run::fetch(&common, latency_ms, requests, service, !no_memory),
        Some(Example::Timeout { latency_ms }) => run::timeout(latency_ms),
        Some(Example::Corpus) => run::corpus(),
        Some(Example::Figures(args)) => run::figures(&args.out, args.size),
        Some(Example::Worker) => ch02::fetch::dist::worker_main(),
        Some(Example::Probe) => ch02::probe::probe_main(),
    }
}
