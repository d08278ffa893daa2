//! Chapter 4 · Alternatives: Python-RQ — the worker program (RQ's
//! `rq worker`): `rq-worker --broker sqlite:/tmp/queue.sqlite` or
//! `--broker redis://127.0.0.1:PORT/0`; over TLS with a password,
//! `CH04_RQ_BROKER=rediss://app:PASSWORD@HOST:PORT/0` (the environment,
//! not argv). SIGTERM or Ctrl-C: finish the job in hand, then exit.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use ch04::rq::Store;
use ch04::rq::worker::{WorkerOptions, serve};
use clap::Parser;

/// An RQ-style worker for the chapter's jobs (fib, sort, nap) on apalis.
// No `Debug`: nothing prints the arguments, and a derived one would print
// the queue's URL with its password.
#[derive(Parser)]
#[command(name = "rq-worker", version)]
struct Args {
    /// The queue: sqlite:PATH, redis://HOST:PORT/DB or rediss://… (TLS)
    /// [env: CH04_RQ_BROKER; put a password there, not in argv].
    #[arg(
        long,
        env = "CH04_RQ_BROKER",
        hide_env_values = true,
        value_name = "URL"
    )]
    broker: String,
    /// The worker's name [default: rq-PID].
    #[arg(long)]
    name: Option<String>,
    /// Seconds between heartbeats; a worker silent for two is dead and
    /// its job is given to another.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=3600))]
    heartbeat_s: u64,
    /// Exit when the process that started this one goes away.
    #[arg(long)]
    exit_with_parent: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    ch04::logs::to_stderr("warn,ch04=info");
    workbench::cli::exit_code(run(args))
}

fn run(args: Args) -> Result<()> {
    let store = Store::parse(&args.broker)
        .map_err(|e| workbench::cli::UsageError(e.to_string()))?;
    let options = WorkerOptions {
        store,
        name: args
            .name
            .unwrap_or_else(|| format!("rq-{}", std::process::id())),
        heartbeat: Duration::from_secs(args.heartbeat_s),
    };
    let runtime = workbench::workers::worker_runtime(2, args.exit_with_parent)?;
    runtime.block_on(async {
        let mut term = tokio::signal::unix::signal(
            tokio::signal::unix::SignalKind::terminate(),
        )
        .context("listening for SIGTERM")?;
        let stop = async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        };
        serve(&options, stop).await
    })
}
