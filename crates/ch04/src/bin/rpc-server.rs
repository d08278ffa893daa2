//! Chapter 4 · The remote-object server (the book's Pyro `worker.py`):
//! one `RateBook` object served over TCP on loopback.

use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

/// Serve a RateBook remote object.
#[derive(Debug, Parser)]
#[command(name = "rpc-server", version)]
struct Args {
    /// Address to listen on (port 0: any free port, printed on stdout).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: String,
    /// The exchange-rate service the object asks.
    #[arg(long, value_name = "URL")]
    rates: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")
        .and_then(|runtime| {
            runtime.block_on(ch04::rpc::serve(&args.listen, &args.rates))
        });
    workbench::cli::exit_code(result)
}
