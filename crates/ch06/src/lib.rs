//! Chapter 6 · HPC: batch jobs on Slurm and message passing with MPI.
//!
//! The library holds what the CLI, the tests, the figures and the notebook
//! share: the local Slurm cluster, the book's three jobs, the launcher of
//! MPI programs and the comparisons. The MPI rank program itself is the
//! `ch06-mpi` binary, built with `--features mpi`.
//!
//! ## What is where, in the page's order
//!
//! | Part of the page | Module |
//! |---|---|
//! | A typical HPC cluster, on one machine | [`cluster`] (`cluster up`, `status`, `down`) |
//! | Job schedulers: the book's three jobs | [`schedulers`]: `slurm` (`sbatch`, `scontrol`), `jobs`, `task` (what runs inside a job) |
//! | A bag of tasks: a sweep as a job array | [`schedulers`]: `sweep` |
//! | MPI in Rust: ping-pong, collectives | the `ch06-mpi` binary, [`message_passing`]: `launch` (`mpirun` or `srun`), `pingpong`, `pingpong_plot` |
//! | The earlier chapters' work over ranks | [`fib`], [`mergesort`] |
//! | The measurement: seq, threads, async, dist | [`compare`], [`sizes`] |
//! | Exercises | [`exercises`] |
//!
//! [`process`] runs the engines' programs with a time limit; the command
//! line is `main.rs` and `run/`. The modules of the two folders are also
//! re-exported at the top (`ch06::slurm`, `ch06::pingpong`, ...), the
//! paths the notebook and the command line use.

pub mod cluster;
pub mod compare;
pub mod exercises;
pub mod fib;
pub mod mergesort;
pub mod message_passing;
pub mod process;
pub mod schedulers;
pub mod sizes;

pub use message_passing::{launch, pingpong, pingpong_plot};
pub use schedulers::{jobs, slurm, sweep, task};

workbench::variants! {
    /// The variants of the fib comparison: `dist` is MPI ranks.
    pub enum FibVariant, names FIB_VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
        Dist = "dist",
    }
}
