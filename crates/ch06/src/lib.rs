//! Chapter 6 · HPC: batch jobs on Slurm and message passing with MPI.
//!
//! The library holds what the CLI, the tests, the figures and the notebook
//! share: the local Slurm cluster, the book's three jobs, the launcher of
//! MPI programs and the comparisons. The MPI rank program itself is the
//! `ch06-mpi` binary, built with `--features mpi`.

pub mod cluster;
pub mod compare;
pub mod exercises;
pub mod fib;
pub mod jobs;
pub mod launch;
pub mod mergesort;
pub mod pingpong;
pub mod pingpong_plot;
pub mod process;
pub mod sizes;
pub mod slurm;
pub mod sweep;
pub mod task;

workbench::variants! {
    /// The variants of the fib comparison: `dist` is MPI ranks.
    pub enum FibVariant, names FIB_VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
        Dist = "dist",
    }
}
