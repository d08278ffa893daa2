//! Chapter 4 · The worker program: `worker --broker redis://127.0.0.1:PORT
//! --concurrency 2` serves the chapter's tasks to Rust and Python clients.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use ch04::celery::broker::MIN_VISIBILITY_TIMEOUT;
use ch04::celery::worker::{GRACE, WorkerConfig, serve};
use clap::Parser;

/// A Celery worker for the chapter's tasks (echo, rate, fib, sort, fail,
/// nap) on a Redis broker.
// No `Debug`: nothing prints the arguments, and a derived one would print
// the broker's and the backend's URLs with their passwords.
#[derive(Parser)]
#[command(name = "worker", version)]
struct Args {
    /// The broker (and result backend) URL [env: REDIS_URL].
    #[arg(long, env = "REDIS_URL", hide_env_values = true, value_name = "URL")]
    broker: String,
    /// The Redis result backend, when the broker is RabbitMQ (`amqp://`)
    /// [env: CH04_BACKEND_URL].
    #[arg(
        long,
        env = "CH04_BACKEND_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    backend: Option<String>,
    /// Tasks run at once.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// The queue to consume.
    #[arg(long, default_value = "celery")]
    queue: String,
    /// Seconds after which an unacknowledged message of a dead worker is
    /// given back to the queue (at least 1: leases are renewed every
    /// quarter of it).
    #[arg(long, default_value_t = 3600.0)]
    visibility_timeout: f64,
    /// Seconds running tasks get after SIGTERM before their messages are
    /// handed back and the worker exits [env: CH04_WORKER_GRACE_S].
    #[arg(long, env = "CH04_WORKER_GRACE_S", default_value_t = GRACE.as_secs_f64())]
    grace_s: f64,
    /// The exchange-rate service for the `rate` task [env: CH04_RATES_URL].
    #[arg(
        long,
        env = "CH04_RATES_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    rates: Option<String>,
    /// Exit when the process that started this one goes away (set by the
    /// launcher, so a crashed notebook or test leaves no worker behind).
    #[arg(long)]
    exit_with_parent: bool,
    /// Send Celery's task and worker events and answer its remote control
    /// (`celery events`, `celery inspect ping`, Flower), as Celery's `-E`.
    #[arg(short = 'E', long = "task-events")]
    events: bool,
    /// Serve Prometheus metrics (tasks by state, run times, queue length,
    /// tasks in flight) at http://127.0.0.1:PORT/metrics.
    #[arg(long, value_name = "PORT")]
    metrics_port: Option<u16>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    ch04::logs::to_stderr("warn");
    workbench::cli::exit_code(run(args))
}

fn run(args: Args) -> Result<()> {
    let visibility_timeout = Duration::try_from_secs_f64(args.visibility_timeout)
        .ok()
        .filter(|t| *t >= MIN_VISIBILITY_TIMEOUT)
        .ok_or_else(|| {
            workbench::cli::UsageError(format!(
                "--visibility-timeout must be at least {} s: leases are renewed \
                 every quarter of it, and a shorter one lets a second worker \
                 rerun a task that is still running",
                MIN_VISIBILITY_TIMEOUT.as_secs_f64()
            ))
        })?;
    let grace = Duration::try_from_secs_f64(args.grace_s).map_err(|e| {
        workbench::cli::UsageError(format!("--grace-s {}: {e}", args.grace_s))
    })?;
    if (args.events || args.metrics_port.is_some())
        && !args.broker.starts_with("redis")
    {
        return Err(workbench::cli::UsageError(
            "-E and --metrics-port need a Redis broker (redis://...): Celery's \
             events and remote control travel on its pub/sub channels"
                .into(),
        )
        .into());
    }
    if let Some(dir) = std::env::var_os(ch04::traced::TRACE_LOG) {
        ch04::traced::init(std::path::Path::new(&dir), "worker")?;
    }
    if args.exit_with_parent {
        workbench::workers::exit_with_parent()?;
    }
    let config = WorkerConfig {
        broker: args.broker,
        backend: args.backend,
        concurrency: args.concurrency,
        queue: args.queue,
        visibility_timeout,
        rates: args.rates,
        grace,
        events: args.events,
        metrics_port: args.metrics_port,
    };
    // ANCHOR: runtime
    // One runtime thread: a task's message passes from the fetcher to
    // celery's loop, to the task, to the backend's connection, and each
    // hand-over between threads is a wake-up through the kernel. On one
    // thread they are queue pushes. CPU work goes to the blocking pool
    // (`tasks.rs`), so it still runs in parallel. Measured here: the echo
    // round trip fell from ≈4.3 to ≈3.4 PINGs and 2 workers' throughput
    // rose by a third (`ch04 overhead`, `ch04 throughput`, same runs).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the worker's runtime")?;
    // ANCHOR_END: runtime
    let served = runtime.block_on(serve(&config));
    // Tasks handed back may still run on the blocking pool (a fib of
    // minutes): exit without waiting for them.
    runtime.shutdown_background();
    served
}
