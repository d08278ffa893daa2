//! Chapter 7 · The command line: every example of the chapter.
//!
//! `cargo run -p ch07` runs the headline demonstration (the checkpointing
//! counter interrupted and resumed); `cargo run -p ch07 -- --help` lists
//! the rest.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use workbench::chapter_command;
use workbench::variants::listed;
use workbench::{CommonArgs, FiguresArgs};

mod run;
mod run_faults;

/// The chapter, as `--help` introduces it.
const ABOUT: &str = "\
Chapter 7 · Testing and debugging distributed applications: checkpoints, \
clocks, logs that follow a task, the environment, simulated networks";

const AFTER_HELP: &str = "\
Without an example, runs `demo`: the checkpointing counter interrupted with
SIGQUIT and Ctrl-C and started again, a few seconds in all.";

#[derive(Debug, Subcommand)]
enum Example {
    /// The counter interrupted (SIGQUIT, SIGINT) and resumed, three runs.
    Demo,
    /// The book's program: a counter in a JSON state file, one increment a
    /// tick, saved atomically; SIGQUIT, SIGINT or SIGTERM save and exit 0.
    Checkpoint {
        /// The state file (created when missing).
        #[arg(long, default_value = "checkpoint.json")]
        state: PathBuf,
        /// Milliseconds between increments.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=3_600_000))]
        interval_ms: u64,
        /// Stop after this many ticks (default: run until a signal).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        ticks: Option<u64>,
    },
    /// Two threads exchange tasks; the worker's wall clock runs behind.
    /// Sorted by wall clock, answers come before questions; by Lamport
    /// clock, never.
    Clocks {
        /// Round trips client → worker → client.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
        tasks: u32,
        /// How far the worker's clock is behind, in milliseconds.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=3_600_000))]
        skew_ms: u64,
    },
    /// Tasks run in worker processes, logged as JSON lines with the task's
    /// id; then each task's story is read back from all the logs.
    Trace {
        /// fib(n) tasks to run.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=100))]
        tasks: u16,
        /// The n of each fib(n).
        #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..=40))]
        n: u32,
        /// Where the processes write their logs.
        #[arg(long, default_value = "target/ch07-logs")]
        log_dir: PathBuf,
    },
    /// The environment this program runs in: version, compiler, OS, CPUs,
    /// user, relevant variables.
    Env {
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A retrying client and a server on a simulated network (turmoil):
    /// message loss and a partition, reproducible from a seed.
    Simulate {
        /// The seed of everything random in the simulation.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Requests the client makes.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        requests: u32,
        /// Chance per network step that the link fails, from 0 to below 1.
        #[arg(long, default_value_t = 0.0, value_parser = run::parse_rate)]
        loss: f64,
        /// Cut the network: START_MS:LENGTH_MS of simulated time.
        #[arg(long, value_parser = run::parse_partition)]
        partition: Option<(u64, u64)>,
    },
    /// At-least-once deposits on a simulated network: the bank's duplicate
    /// filter, buggy or fixed, on a healthy or congested network.
    Deposits {
        /// The seed (default: the one that found the bug).
        #[arg(long, default_value_t = ch07::simulate::deposits::FOUND_SEED)]
        seed: u64,
        /// The bank's duplicate filter: last-only (the bug) or up-to-last.
        #[arg(long, default_value = "last-only", value_parser = run_faults::parse_dedup)]
        dedup: ch07::simulate::deposits::Dedup,
        /// A healthy network (datagrams ≤ 20 ms) instead of a congested one.
        #[arg(long)]
        healthy: bool,
    },
    /// Chapter 4's workers on a real Redis while a worker is killed, the
    /// broker paused and the link slowed: throughput over time, every
    /// result checked.
    Chaos {
        /// fib tasks to send, evenly over --send-s seconds.
        #[arg(long, default_value_t = 2100, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        tasks: u32,
        /// Seconds of sending; the faults fall in this stretch.
        #[arg(long, default_value_t = 7.0, value_parser = run_faults::parse_seconds)]
        send_s: f64,
        /// Where to write the report (JSON).
        #[arg(long)]
        json: Option<PathBuf>,
        /// Where to write the figure (SVG).
        #[arg(long)]
        svg: Option<PathBuf>,
    },
    /// Chapter 3's lost update on real threads, and the fixes that a model
    /// checker proves right in this crate's tests.
    Race {
        /// Threads incrementing the shared counter.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=256))]
        threads: u64,
        /// Increments per thread.
        #[arg(long, default_value_t = 200_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        increments: u64,
    },
    /// What a safe save costs: overwrite in place vs write-and-rename vs
    /// write, fsync and rename, timed over many saves.
    #[command(mut_arg("variants", listed::<ch07::checkpoint::cost::SaveVariant>))]
    Cost {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// What logging costs: seq, threads, async and dist of the same small
    /// tasks with instrumentation off, tracing on, and JSON lines to a file.
    #[command(mut_arg("variants", listed::<ch07::logs::observe::ObserveVariant>))]
    Observe {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Write the chapter's figure, record and table (used by
    /// `cargo xtask figures`).
    Figures(FiguresArgs),
    /// A worker process of `observe`: tasks FROM..TO at one level.
    #[command(hide = true)]
    ObserveWorker {
        #[arg(long)]
        level: String,
        #[arg(long)]
        from: u64,
        #[arg(long)]
        to: u64,
        #[arg(long)]
        n: u32,
        #[arg(long)]
        log: PathBuf,
    },
    /// One trace's lines from the JSON-lines logs of many processes (a
    /// client, workers, retries), in time order.
    Collect {
        /// The trace id: 32 hex digits, the second field of `traceparent`.
        #[arg(long)]
        trace: String,
        /// Log files, or directories of `*.jsonl` files.
        #[arg(required = true)]
        logs: Vec<PathBuf>,
    },
    /// A worker process of `trace`: one task, logged under its id.
    #[command(hide = true)]
    TraceWorker {
        #[arg(long)]
        task_id: String,
        #[arg(long)]
        n: u32,
        #[arg(long)]
        log_dir: PathBuf,
    },
}

fn main() -> ExitCode {
    // `RUST_LOG=debug` shows each tick of the counter on stderr.
    workbench::logs::init("error");
    workbench::chapter::main(chapter_command!(ABOUT, AFTER_HELP), dispatch)
}

fn dispatch(example: Option<Example>) -> Result<()> {
    match example {
        None | Some(Example::Demo) => run::demo(),
        Some(Example::Checkpoint {
            state,
            interval_ms,
            ticks,
        }) => run::checkpoint(&state, interval_ms, ticks),
        Some(Example::Clocks { tasks, skew_ms }) => run::clocks(tasks, skew_ms),
        Some(Example::Trace { tasks, n, log_dir }) => run::trace(tasks, n, &log_dir),
        Some(Example::Env { json }) => run::env(json),
        Some(Example::Simulate {
            seed,
            requests,
            loss,
            partition,
        }) => run::simulate(seed, requests, loss, partition),
        Some(Example::Deposits {
            seed,
            dedup,
            healthy,
        }) => run_faults::deposits(seed, dedup, healthy),
        Some(Example::Chaos {
            tasks,
            send_s,
            json,
            svg,
        }) => run_faults::chaos(tasks, send_s, json, svg),
        Some(Example::Race {
            threads,
            increments,
        }) => run::race(threads, increments),
        Some(Example::Cost { common }) => run::cost(&common),
        Some(Example::Observe { common }) => run_faults::observe(&common),
        Some(Example::ObserveWorker {
            level,
            from,
            to,
            n,
            log,
        }) => ch07::logs::observe::worker(&level, from, to, n, &log),
        Some(Example::Figures(args)) => run::figures(&args.out, args.size),
        Some(Example::Collect { trace, logs }) => {
            ch07::logs::collect::print(&trace, &logs).map(drop)
        }
        Some(Example::TraceWorker {
            task_id,
            n,
            log_dir,
        }) => ch07::logs::trace::worker(&task_id, n, &log_dir).map(drop),
    }
}
