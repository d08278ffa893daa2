//! Chapter 3 · Threads, pools and async: the same fib tasks, six ways.
//!
//! Each variant computes `fib(n)` for every `n` in `tasks` and returns the
//! answers in task order. Worker processes live in `processes.rs`.

use anyhow::{Context, Result};
// `fib_seq` and `fib_threads` (Listings 3.2–3.3) live in workbench: chapter
// 6 measures them too.
pub use workbench::fib::{fib, fib_seq, fib_threads, verify};

use crate::pool::ThreadPool;

// ANCHOR: pool
/// A fixed pool of `workers` threads fed through a channel, one future per
/// task: the shape of Python's `ThreadPoolExecutor.submit`.
pub fn fib_pool(tasks: &[u32], workers: usize) -> Result<Vec<u64>> {
    let pool = ThreadPool::new(workers);
    let futures: Vec<_> =
        tasks.iter().map(|&n| pool.submit(move || fib(n))).collect();
    futures
        .into_iter()
        .map(|f| f.wait().context("a pool task failed"))
        .collect()
}
// ANCHOR_END: pool

// ANCHOR: rayon
/// rayon's work-stealing pool: change `iter` to `par_iter`.
pub fn fib_rayon(tasks: &[u32], workers: usize) -> Result<Vec<u64>> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .context("building a rayon pool")?;
    Ok(pool.install(|| tasks.par_iter().map(|&n| fib(n)).collect()))
}
// ANCHOR_END: rayon

// ANCHOR: async
/// Async without help: every task is a future, all joined inside one task
/// on a runtime with `workers` threads. A future that never awaits runs to
/// completion when polled, and one task is polled by one thread at a time,
/// so the tasks run one after another: concurrency, not parallelism.
pub fn fib_async(tasks: &[u32], workers: usize) -> Result<Vec<u64>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .context("building a tokio runtime")?;
    Ok(runtime.block_on(async {
        let futures = tasks.iter().map(|&n| async move { fib(n) });
        futures::future::join_all(futures).await
    }))
}
// ANCHOR_END: async

// ANCHOR: spawn_blocking
/// CPU work handed to tokio's blocking pool (at most `workers` threads):
/// the async side only awaits the results, and its worker threads stay free
/// for I/O.
pub fn fib_spawn_blocking(tasks: &[u32], workers: usize) -> Result<Vec<u64>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(workers)
        .build()
        .context("building a tokio runtime")?;
    runtime.block_on(async {
        let handles: Vec<_> = tasks
            .iter()
            .map(|&n| tokio::task::spawn_blocking(move || fib(n)))
            .collect();
        let mut answers = Vec::with_capacity(handles.len());
        for handle in handles {
            answers.push(handle.await.context("a blocking task panicked")?);
        }
        Ok(answers)
    })
}
// ANCHOR_END: spawn_blocking

#[cfg(test)]
mod tests {
    use super::*;

    const TASKS: [u32; 7] = [20, 5, 18, 1, 0, 22, 12];

    #[test]
    fn every_thread_variant_gives_the_sequential_answers() {
        let want = fib_seq(&TASKS);
        verify(&TASKS, &want).expect("seq is right");
        for workers in [1, 2, 3, 8, 20] {
            assert_eq!(fib_threads(&TASKS, workers), want, "threads ×{workers}");
            assert_eq!(fib_pool(&TASKS, workers).expect("pool"), want);
            assert_eq!(fib_rayon(&TASKS, workers).expect("rayon"), want);
            assert_eq!(fib_async(&TASKS, workers).expect("async"), want);
            assert_eq!(fib_spawn_blocking(&TASKS, workers).expect("blocking"), want);
        }
    }

    #[test]
    fn no_tasks_no_answers() {
        assert!(fib_threads(&[], 4).is_empty());
        assert!(fib_pool(&[], 4).expect("pool").is_empty());
    }
}
