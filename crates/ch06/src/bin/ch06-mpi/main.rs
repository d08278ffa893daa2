//! Chapter 6 · MPI in Rust: the rank program that `mpirun` and `srun` start.
//!
//! Every rank runs this same program; `world.rank()` tells it who it is.
//! Rank 0 prints the results as JSON lines on stdout, which the chapter's
//! CLI, tests and notebook read. Built only with `--features mpi`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;

mod collectives;
mod pingpong;
mod work;

/// One MPI rank of the chapter's programs (start it with mpirun or srun).
#[derive(Debug, Parser)]
#[command(name = "ch06-mpi", version)]
struct Cli {
    #[command(subcommand)]
    program: Program,
}

#[derive(Debug, Subcommand)]
enum Program {
    /// Every rank says who it is and where it runs.
    Hello,
    /// Two ranks bounce messages of growing size: latency and bandwidth.
    Pingpong {
        /// Message sizes in bytes, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "8,1024,65536,1048576")]
        sizes: Vec<usize>,
        /// Round trips per size (fewer for large messages).
        #[arg(long, default_value_t = 2000)]
        iters: usize,
    },
    /// Broadcast, scatter, gather and all-reduce on a small example.
    Collectives,
    /// fib(n) tasks shared among the ranks; rank 0 reports the answers.
    Fib {
        #[arg(long, default_value_t = 32)]
        n: u32,
        #[arg(long, default_value_t = 8)]
        tasks: usize,
    },
    /// A seeded shuffle sorted in pieces on every rank, merged on rank 0.
    Mergesort {
        #[arg(long, default_value_t = 1_000_000)]
        len: usize,
        #[arg(long, default_value_t = 6)]
        seed: u64,
    },
    /// The given rank panics while the others wait for it (a fault test).
    Panic {
        #[arg(long, default_value_t = 1)]
        rank: i32,
    },
}

// ANCHOR: main
fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(universe) = mpi::initialize() else {
        eprintln!("error: MPI was already initialised");
        return ExitCode::FAILURE;
    };
    let world = universe.world();
    // A panicking rank must not leave the others waiting for a message
    // that never comes: the panic message is printed by the default hook,
    // then MPI_Abort ends every rank of the job with a non-zero status.
    match catch_unwind(AssertUnwindSafe(|| run(&world, cli.program))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => {
            eprintln!("rank {} panicked: aborting the MPI job", world.rank());
            world.abort(3)
        }
    }
}
// ANCHOR_END: main

fn run(world: &SimpleCommunicator, program: Program) {
    match program {
        Program::Hello => hello(world),
        Program::Pingpong { sizes, iters } => pingpong::run(world, &sizes, iters),
        Program::Collectives => collectives::run(world),
        Program::Fib { n, tasks } => work::fib_tasks(world, n, tasks),
        Program::Mergesort { len, seed } => work::mergesort(world, len, seed),
        Program::Panic { rank } => panic_on(world, rank),
    }
}

// ANCHOR: hello
fn hello(world: &SimpleCommunicator) {
    let host =
        mpi::environment::processor_name().unwrap_or_else(|_| "unknown host".into());
    println!(
        "hello from rank {} of {} on {host}",
        world.rank(),
        world.size()
    );
}
// ANCHOR_END: hello

fn panic_on(world: &SimpleCommunicator, culprit: i32) {
    if world.rank() == culprit {
        panic!("rank {culprit} gives up on purpose (fault test)");
    }
    // Everyone else waits for a message the culprit will never send.
    let (value, _) = world.process_at_rank(culprit).receive::<u64>();
    println!("rank {} received {value}", world.rank());
}
