//! Chapter 4 · The command line: every example of the chapter.
//!
//! `cargo run -p ch04` runs the headline comparison (the book's merge sort,
//! seq / threads / async / dist) with a Redis broker it starts itself;
//! `cargo run -p ch04 -- --help` lists the rest.

use std::process::ExitCode;

use anyhow::Result;
use ch04::rq::place::RqBackend;
use clap::{Args, Subcommand};
use workbench::{CommonArgs, FiguresArgs};

mod run;

use ch04::compare::Comparison;

const ABOUT: &str = "\
Chapter 4 · Distributed applications: Celery-protocol tasks through a real \
broker, interoperable with Python Celery";

const AFTER_HELP: &str = "\
Without an example, runs `mergesort` with every variant at the quick size.
Without --broker (or REDIS_URL) each example starts its own redis-server on
a free loopback port. Build with `--release` for representative times.";

/// Where the broker is. Its `Debug` hides the URL's password.
#[derive(Clone, Default, Args)]
pub struct BrokerArgs {
    /// A Redis broker to use instead of starting one (redis://, rediss://,
    /// unix://, or amqp:// for RabbitMQ) [env: REDIS_URL].
    #[arg(long, env = "REDIS_URL", hide_env_values = true, value_name = "URL")]
    pub broker: Option<String>,
    /// Start a RabbitMQ node as the broker, with Redis for the results
    /// (the book's set-up).
    #[arg(long, conflicts_with = "broker")]
    pub rabbitmq: bool,
}

impl std::fmt::Debug for BrokerArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let broker = self.broker.as_deref().map(workbench::redact::Redacted);
        f.debug_struct("BrokerArgs")
            .field("broker", &broker)
            .field("rabbitmq", &self.rabbitmq)
            .finish()
    }
}

impl BrokerArgs {
    /// The broker URL, if given, checked to name a broker this chapter
    /// speaks to: anything else is a usage error (exit code 2). Checked
    /// here rather than by clap, whose message would quote the URL with
    /// its password.
    pub fn checked(&self) -> Result<Option<&str>> {
        const SCHEMES: [&str; 5] =
            ["redis://", "rediss://", "unix://", "amqp://", "amqps://"];
        match self.broker.as_deref() {
            Some(url) if !SCHEMES.iter().any(|s| url.starts_with(s)) => {
                Err(workbench::cli::UsageError(format!(
                    "--broker `{}` is not a broker URL; use one of: {}",
                    workbench::redact::url(url),
                    SCHEMES.join(" ")
                ))
                .into())
            }
            given => Ok(given),
        }
    }
}

// No `Debug`: nothing prints an example, and a derived one would print
// `rq --broker`'s URL with its password.
#[derive(Subcommand)]
enum Example {
    /// The book's distributed merge sort: seq, threads, async, dist.
    ///
    /// Seeded integers sorted in 4 chunks; dist sends them as a group of
    /// Celery `sort` tasks; `--size N` numbers.
    Mergesort(Compare),
    /// fib(n) tasks on seq, threads, async and dist worker processes.
    Fib(Compare),
    /// A trivial task's round trip against a bare Redis PING (same run).
    Overhead(Compare),
    /// Trivial tasks through 2 Rust workers and 2 Python Celery workers.
    Throughput(Compare),
    /// At which fib(n) does sending tasks to workers start to pay?
    Crossover(Compare),
    /// Remote objects (the book's Pyro), called one at a time and all at once.
    ///
    /// A RateBook object in a server process, called one call at a time
    /// (seq) and all at once (async).
    Rpc {
        #[command(flatten)]
        common: CommonArgs,
        /// The rate service's answer delay in milliseconds.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=10_000))]
        latency_ms: u64,
    },
    /// The book's test.py: an echo task; delay, ready, result.
    Echo(BrokerArgs),
    /// The book's currency.py: a rate task per pair, a time-out, failures.
    Rates {
        #[command(flatten)]
        broker: BrokerArgs,
        /// The rate service's answer delay in milliseconds.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=10_000))]
        latency_ms: u64,
    },
    /// The book's chains: fib | fib | fib, sort | echo.si, a failing link.
    Chain(BrokerArgs),
    /// The book's currency.py measured: N rate tasks as a group, timed.
    ///
    /// `--size N` rate tasks (quick 20) sent as one group to 2 workers, one
    /// task at a time each, in rounds.
    RateGroup {
        #[command(flatten)]
        compare: Compare,
        /// A rate service to ask (its base URL) instead of starting one.
        #[arg(long, value_name = "URL")]
        rates: Option<String>,
        /// The rate service's answer delay in milliseconds (of the one
        /// started here; with --rates, the delay of the one given).
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=10_000))]
        latency_ms: u64,
    },
    /// Queue tasks while no worker runs, then purge them.
    Purge {
        #[command(flatten)]
        broker: BrokerArgs,
        /// How many tasks to queue.
        #[arg(long, default_value_t = 10)]
        count: usize,
    },
    /// Python client → Rust workers and Rust client → Python worker.
    Interop(BrokerArgs),
    /// A queue at a glance: waiting, unacknowledged and dead-lettered tasks.
    ///
    /// Tasks waiting, taken and not acknowledged, and dead letters with
    /// their reasons (needs --broker or REDIS_URL).
    Status(BrokerArgs),
    /// Start N workers, stop them with SIGTERM then SIGKILL.
    ///
    /// The book's start_workers.py: the workers run until Ctrl-C or
    /// SIGTERM, then get SIGTERM, and SIGKILL after a grace period.
    Launch {
        #[command(flatten)]
        broker: BrokerArgs,
        /// Worker processes.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
        count: u16,
        /// Tasks each worker runs at once.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
        concurrency: u16,
        /// Seconds given to the workers to finish before SIGKILL.
        #[arg(long, default_value_t = 10)]
        grace_s: u64,
        /// Stop by itself after this many seconds.
        #[arg(long)]
        for_s: Option<u64>,
    },
    /// An RQ-style job queue on apalis (SQLite or Redis) with N workers.
    ///
    /// The book's Python-RQ example: fib and sort jobs enqueued, every
    /// result waited for and checked. Without --broker or --backend: a
    /// redis-server of its own, or SQLite if none is installed.
    Rq {
        /// Where the queue lives.
        #[arg(long)]
        backend: Option<RqBackend>,
        /// A queue to use instead: sqlite:PATH or redis://HOST:PORT/DB.
        #[arg(
            long,
            env = "REDIS_URL",
            hide_env_values = true,
            value_name = "URL",
            conflicts_with = "backend"
        )]
        broker: Option<String>,
        /// Worker processes.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
        workers: u16,
    },
    /// Write the chapter's figures, records and tables.
    ///
    /// Used by `cargo xtask figures`.
    Figures(FiguresArgs),
}

/// A measured comparison: the common flags and the broker.
#[derive(Debug, Clone, Default, Args)]
pub struct Compare {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

fn main() -> ExitCode {
    let chapter = workbench::chapter_command!(ABOUT, AFTER_HELP);
    workbench::chapter::main(chapter, |example| {
        // lapin reports its connection's end at shutdown as an error: quiet it.
        ch04::logs::to_stderr("warn,lapin=off");
        dispatch(example.unwrap_or(Example::Mergesort(Compare::default())))
    })
}

fn dispatch(example: Example) -> Result<()> {
    match example {
        Example::Mergesort(args) => run::compare(Comparison::Mergesort, &args),
        Example::Fib(args) => run::compare(Comparison::Fib, &args),
        Example::Overhead(args) => run::compare(Comparison::Overhead, &args),
        Example::Throughput(args) => run::compare(Comparison::Throughput, &args),
        Example::Crossover(args) => run::compare(Comparison::Crossover, &args),
        Example::Rpc { common, latency_ms } => run::rpc(&common, latency_ms),
        Example::Echo(broker) => run::echo(&broker),
        Example::Rates { broker, latency_ms } => run::rates(&broker, latency_ms),
        Example::RateGroup {
            compare,
            rates,
            latency_ms,
        } => run::rate_group(&compare, rates.as_deref(), latency_ms),
        Example::Purge { broker, count } => run::purge(&broker, count),
        Example::Interop(broker) => run::interop(&broker),
        Example::Chain(broker) => run::chain(&broker),
        Example::Status(broker) => run::status(&broker),
        Example::Launch {
            broker,
            count,
            concurrency,
            grace_s,
            for_s,
        } => run::launch(&broker, count.into(), concurrency, grace_s, for_s),
        Example::Rq {
            backend,
            broker,
            workers,
        } => run::rq(backend, broker, workers.into()),
        Example::Figures(args) => run::figures(&args.out, args.size),
    }
}
