//! Chapter 5 · The worker program: `ch05-worker` serves fib jobs from a
//! Redis list, configured by flags or environment variables; `ch05-worker
//! probe live|ready` asks a running worker's health endpoint (the
//! container's health check, no curl needed).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use ch05::WorkerConfig;
use clap::{Parser, Subcommand, ValueEnum};

/// A cloud-ready worker for the chapter's fib jobs on a Redis broker.
#[derive(Debug, Parser)]
#[command(name = "ch05-worker", version)]
struct Args {
    #[command(flatten)]
    config: WorkerConfig,
    /// Exit when the process that started this one goes away (the demo
    /// and the tests set it, so nothing is left behind).
    #[arg(long, hide = true)]
    exit_with_parent: bool,
    #[command(subcommand)]
    probe: Option<Probe>,
}

#[derive(Debug, Subcommand)]
enum Probe {
    /// Ask the worker at --health-addr; exit 0 if the answer is 200.
    Probe {
        #[arg(value_enum)]
        endpoint: Endpoint,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Endpoint {
    /// /healthz
    Live,
    /// /readyz
    Ready,
}

fn main() -> ExitCode {
    let args = Args::parse();
    workbench::logs::init("info");
    workbench::cli::exit_code(run(args))
}

fn run(args: Args) -> Result<()> {
    if let Some(Probe::Probe { endpoint }) = args.probe {
        let path = match endpoint {
            Endpoint::Live => ch05::health::LIVE_PATH,
            Endpoint::Ready => ch05::health::READY_PATH,
        };
        let (code, body) = ch05::probe::get(args.config.health_addr, path)?;
        println!("{code} {body}");
        anyhow::ensure!(code == 200, "{path} answered {code}");
        return Ok(());
    }
    let runtime = workbench::workers::worker_runtime(2, args.exit_with_parent)?;
    let summary = runtime.block_on(ch05::worker::serve(
        &args.config,
        ch05::worker::stop_signal(),
    ))?;
    println!("{}", serde_json::to_string(&summary)?);
    // A fib still running on a blocking thread was handed back: don't wait.
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(())
}
