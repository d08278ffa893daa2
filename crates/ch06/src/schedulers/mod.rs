//! Chapter 6 · Job schedulers: the book's batch jobs on Slurm, and a bag of
//! tasks as a job array.
//!
//! [`slurm`] submits scripts with `sbatch` and reads them back with
//! `scontrol`; [`jobs`] are the book's three jobs (hello, an array, the
//! diamond); [`task`] is what the chapter's binary does inside one of them;
//! [`sweep`] is a parameter sweep as a job array.

pub mod jobs;
pub mod slurm;
pub mod sweep;
pub mod task;
