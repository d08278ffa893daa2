//! The book's CPU-bound workload: the naive recursive Fibonacci function.

use std::sync::atomic::{AtomicUsize, Ordering};

// ANCHOR: fib
/// Fibonacci by double recursion, deliberately exponential: `fib(34)`
/// makes about 18 million calls, which is what makes it a CPU benchmark.
pub fn fib(n: u32) -> u64 {
    if n < 2 {
        n as u64
    } else {
        fib(n - 1) + fib(n - 2)
    }
}
// ANCHOR_END: fib

// ANCHOR: seq
/// One task after another, on the calling thread.
pub fn fib_seq(tasks: &[u32]) -> Vec<u64> {
    tasks.iter().map(|&n| fib(n)).collect()
}
// ANCHOR_END: seq

// ANCHOR: threads
/// `workers` OS threads, each given a contiguous share of the tasks.
///
/// Scoped threads may borrow `tasks` and write straight into their own
/// slice of `answers`: the compiler proves the slices never overlap.
pub fn fib_threads(tasks: &[u32], workers: usize) -> Vec<u64> {
    let mut answers = vec![0; tasks.len()];
    let share = tasks.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        for (mine, out) in tasks.chunks(share).zip(answers.chunks_mut(share)) {
            scope.spawn(move || {
                for (&n, slot) in mine.iter().zip(out) {
                    *slot = fib(n);
                }
            });
        }
    });
    answers
}
// ANCHOR_END: threads

// ANCHOR: dynamic
/// Exercise 1: with uneven tasks, a fixed share per thread leaves one
/// thread working alone at the end. Let threads take the next task from a
/// shared counter instead, so the load balances itself.
pub fn fib_threads_dynamic(tasks: &[u32], workers: usize) -> Vec<u64> {
    let next = AtomicUsize::new(0);
    let mut answers = vec![0; tasks.len()];
    let done: Vec<Vec<(usize, u64)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&n) = tasks.get(i) else { break mine };
                        mine.push((i, fib(n)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, value) in done.into_iter().flatten() {
        answers[i] = value;
    }
    answers
}
// ANCHOR_END: dynamic

/// One tokio task per fib task on a runtime with `workers` threads: CPU
/// work in spawned tasks runs in parallel, but blocks those threads. The
/// `async` variant of chapters 4 and 6 (chapter 3 shows why one task
/// joining futures gets no parallelism at all).
pub fn fib_tokio_tasks(tasks: &[u32], workers: usize) -> anyhow::Result<Vec<u64>> {
    use anyhow::Context;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1))
        .build()
        .context("building a tokio runtime")?;
    runtime.block_on(async {
        let handles: Vec<_> = tasks
            .iter()
            .map(|&n| tokio::spawn(async move { fib(n) }))
            .collect();
        let mut answers = Vec::with_capacity(handles.len());
        for handle in handles {
            answers.push(handle.await.context("a fib task panicked")?);
        }
        Ok(answers)
    })
}

/// The fib comparison's size: `tasks` copies of `fib(n)` (each chapter
/// picks its quick and full sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FibSize {
    pub n: u32,
    pub tasks: usize,
}

impl FibSize {
    pub fn task_list(&self) -> Vec<u32> {
        vec![self.n; self.tasks]
    }

    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!({ "n": self.n, "tasks": self.tasks })
    }
}

/// The largest `n` a task or job of the workbook accepts: fib(45) takes
/// seconds, fib(50) minutes, and a large `n` (fib(1000000)) recurses deep
/// enough to overflow a thread's stack and abort the whole process. A
/// worker refuses a larger `n` with an error instead of starting it.
pub const MAX_N: u32 = 45;

/// `n` if fib(n) may be started, else an error saying why.
pub fn bounded(n: u32) -> Result<u32, String> {
    if n <= MAX_N {
        Ok(n)
    } else {
        Err(format!("fib({n}) is too large: n must be at most {MAX_N}"))
    }
}

/// The same number computed in linear time, to check answers.
pub fn fib_expected(n: u32) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    a
}

/// Check that `answers` are `fib(n)` for each of `tasks`.
pub fn verify(tasks: &[u32], answers: &[u64]) -> anyhow::Result<()> {
    anyhow::ensure!(
        tasks.len() == answers.len(),
        "{} answers for {} tasks",
        answers.len(),
        tasks.len()
    );
    for (&n, &got) in tasks.iter().zip(answers) {
        let want = fib_expected(n);
        anyhow::ensure!(got == want, "fib({n}) = {want}, got {got}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_values() {
        assert_eq!(fib(20), 6765);
        assert_eq!(fib_expected(34), 5_702_887);
        assert_eq!(fib_expected(38), 39_088_169);
        for n in 0..25 {
            assert_eq!(fib(n), fib_expected(n), "n = {n}");
        }
    }

    #[test]
    fn verify_names_the_wrong_task() {
        let err = verify(&[10, 11], &[55, 90]).expect_err("89 is fib(11)");
        assert!(err.to_string().contains("fib(11) = 89"), "{err}");
        assert!(verify(&[10, 11], &[55, 89]).is_ok());
    }
}
