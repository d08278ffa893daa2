//! Chapter 6 · The command line: Slurm jobs on a local cluster, MPI in Rust.
//!
//! `cargo run -p ch06` runs the headline comparison (fib on seq, threads,
//! async and MPI ranks) at a quick size; `--help` lists the rest.

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
Chapter 6 · HPC: the book's batch jobs on a real (one-node) Slurm \
cluster, and message passing between MPI ranks written in Rust";

const AFTER_HELP: &str = "\
Without an example, runs `fib` on seq, threads, async and dist (MPI) at the
quick size. MPI programs need `--features mpi` to build (OpenMPI, libclang);
the CLI builds them itself when needed. Slurm examples need `cluster up`.";

#[derive(Debug, Subcommand)]
enum Example {
    /// fib(n) tasks on seq, threads, async and dist = MPI ranks.
    #[command(mut_arg("variants", listed::<ch06::FibVariant>))]
    Fib {
        #[command(flatten)]
        common: CommonArgs,
        /// How many fib(n) tasks.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
        tasks: u16,
        /// Start the ranks with srun on the local cluster instead of mpirun.
        #[arg(long)]
        srun: bool,
    },
    /// Ping-pong between two ranks: latency and bandwidth by message size,
    /// the Rust program beside the same one in C.
    Pingpong {
        /// Message sizes in bytes, comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "8,64,512,4096,32768,262144,1048576"
        )]
        sizes: Vec<usize>,
        /// Round trips per size (fewer for large messages).
        #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
        iters: u64,
        /// Alternating Rust/C runs; the median is kept.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..=50))]
        rounds: u64,
        /// Write the record here (default: target/results/ch06-pingpong.json).
        #[arg(long)]
        json: Option<PathBuf>,
        /// Write the figure here (default: target/results/ch06-pingpong.svg).
        #[arg(long)]
        svg: Option<PathBuf>,
    },
    /// Run one MPI program and show what the ranks print.
    Mpi {
        #[arg(value_enum)]
        program: run::MpiProgram,
        /// Number of ranks.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
        ranks: u16,
        /// Start the ranks with srun on the local cluster instead of mpirun.
        #[arg(long)]
        srun: bool,
    },
    /// Start, inspect or stop the local single-node Slurm cluster.
    Cluster {
        #[arg(value_enum)]
        action: run::ClusterAction,
    },
    /// Submit one of the book's jobs to the local cluster and report.
    Jobs {
        #[arg(value_enum)]
        job: run::BookJob,
        /// array: use the exercise's script, where task 13 fails.
        #[arg(long)]
        break_task_13: bool,
        /// dag: the step that fails (A, B, C or D).
        #[arg(long, value_parser = ["A", "B", "C", "D"])]
        fail: Option<String>,
    },
    /// A parameter sweep as a job array (a bag of tasks) against seq.
    #[command(mut_arg("variants", listed::<ch06::compare::SweepVariant>))]
    Sweep {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Write the chapter's figures, records and tables.
    Figures(FiguresArgs),
    /// What the batch scripts run inside a job.
    #[command(hide = true, subcommand)]
    Task(run::Task),
}

fn main() -> ExitCode {
    workbench::chapter::main(chapter_command!(ABOUT, AFTER_HELP), dispatch)
}

fn dispatch(example: Option<Example>) -> Result<()> {
    match example {
        None => run::fib(&CommonArgs::default(), 8, false),
        Some(Example::Fib {
            common,
            tasks,
            srun,
        }) => run::fib(&common, tasks.into(), srun),
        Some(Example::Pingpong {
            sizes,
            iters,
            rounds,
            json,
            svg,
        }) => run::pingpong(&sizes, iters as usize, rounds as usize, json, svg),
        Some(Example::Mpi {
            program,
            ranks,
            srun,
        }) => run::mpi(program, ranks.into(), srun),
        Some(Example::Cluster { action }) => run::cluster(action),
        Some(Example::Jobs {
            job,
            break_task_13,
            fail,
        }) => run::jobs(job, break_task_13, fail.as_deref()),
        Some(Example::Sweep { common }) => run::sweep(&common),
        Some(Example::Figures(args)) => run::figures(&args),
        Some(Example::Task(task)) => run::task(task),
    }
}
