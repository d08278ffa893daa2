//! Chapter 6 · The fib tasks four ways: `seq`, `threads`, `async` and
//! `dist`, where dist means MPI ranks started by mpirun or srun.

use anyhow::{Context, Result};
/// `async`: one tokio task per fib task, as in chapter 4 (workbench's).
pub use workbench::fib::fib_tokio_tasks as fib_async;
pub use workbench::fib::{fib, fib_seq, fib_threads, verify};

use crate::launch::{MpiJob, json_lines};

// ANCHOR: dist
/// `job.ranks` MPI ranks share `tasks` copies of fib(n): the rank program
/// deals them out and reduces the answers onto rank 0, which prints them.
pub fn fib_dist(n: u32, tasks: usize, job: &MpiJob) -> Result<Vec<u64>> {
    Ok(fib_dist_timed(n, tasks, job)?.0)
}
// ANCHOR_END: dist

/// [`fib_dist`], with the seconds rank 0 measured between the start of the
/// computation and the end of the reduction (no process launch counted).
pub fn fib_dist_timed(
    n: u32,
    tasks: usize,
    job: &MpiJob,
) -> Result<(Vec<u64>, f64)> {
    let stdout =
        job.run(&["fib", "--n", &n.to_string(), "--tasks", &tasks.to_string()])?;
    let line = json_lines(&stdout)
        .into_iter()
        .next()
        .with_context(|| format!("rank 0 printed no answers: {stdout}"))?;
    let answers = serde_json::from_value(line["answers"].clone())
        .context("reading the answers")?;
    let seconds = line["seconds"]
        .as_f64()
        .context("rank 0 printed no seconds")?;
    Ok((answers, seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_and_async_match_seq() {
        let tasks = [20, 3, 18, 0, 22];
        let want = fib_seq(&tasks);
        verify(&tasks, &want).expect("seq is right");
        for workers in [1, 2, 7] {
            assert_eq!(fib_threads(&tasks, workers), want);
            assert_eq!(fib_async(&tasks, workers).expect("async"), want);
        }
    }
}
