//! Chapter 4 · The tasks, by the names and argument names Python uses:
//! `echo(message)`, `rate(pair)`, `fib(n)`, `sort(numbers)`,
//! `fail(message)`, and `nap(seconds)` for time limits.
//!
//! CPU work runs on tokio's blocking pool, so a worker's runtime thread
//! stays free to fetch messages and store results while tasks compute.
//! Every input is bounded (`limits.rs`): past its bound it is a task
//! error, so no message can crash a worker or hold it for ever.
#![allow(missing_debug_implementations)] // the task macro's structs

use std::sync::OnceLock;

use celery::prelude::*;

use crate::limits;
use crate::rates_client::{RateError, fetch_rate};

// ANCHOR: tasks
/// The book's first task: give the message back.
#[celery::task]
pub async fn echo(message: String) -> TaskResult<String> {
    limits::at_most("echo's message", message.len(), limits::MAX_TEXT)
        .map_err(TaskError::ExpectedError)?;
    Ok(message)
}

/// The book's CPU-bound workload, computed off the runtime's threads.
#[celery::task]
pub async fn fib(n: u32) -> TaskResult<u64> {
    let n = workbench::fib::bounded(n).map_err(TaskError::ExpectedError)?;
    blocking(move || workbench::fib::fib(n)).await
}

/// Sort one chunk of the distributed merge sort.
#[celery::task]
pub async fn sort(numbers: Vec<i64>) -> TaskResult<Vec<i64>> {
    limits::at_most("a sort", numbers.len(), limits::MAX_SORT_LEN)
        .map_err(TaskError::ExpectedError)?;
    blocking(move || {
        let mut numbers = numbers;
        numbers.sort_unstable();
        numbers
    })
    .await
}

/// A task that always fails: its error must reach the caller.
#[celery::task]
pub async fn fail(message: String) -> TaskResult<()> {
    limits::at_most("fail's message", message.len(), limits::MAX_TEXT)
        .map_err(TaskError::ExpectedError)?;
    Err(TaskError::ExpectedError(message))
}
// ANCHOR_END: tasks

/// Sleep (without holding a CPU), for time limits and shutdowns.
#[celery::task]
pub async fn nap(seconds: f64) -> TaskResult<f64> {
    let pause = limits::nap(seconds).map_err(TaskError::ExpectedError)?;
    tokio::time::sleep(pause).await;
    Ok(seconds)
}

// ANCHOR: rate
/// One exchange rate from the rate service. A service that cannot be
/// reached is retried up to three times with exponential backoff (1, 2,
/// 4 s); an unknown pair fails at once. (The crate retries an
/// `ExpectedError` while retries remain, so the final errors here are
/// `UnexpectedError`s, which this task does not retry.)
#[celery::task(bind = true, max_retries = 3, retry_for_unexpected = false)]
pub async fn rate(task: &Self, pair: String) -> TaskResult<f64> {
    limits::at_most("a currency pair", pair.len(), limits::MAX_PAIR)
        .map_err(TaskError::UnexpectedError)?;
    let url = rates_url()?;
    match fetch_rate(&url, &pair).await {
        Ok(rate) => Ok(rate),
        Err(RateError::Unknown(why)) => Err(TaskError::UnexpectedError(why)),
        Err(RateError::Unreachable(why)) if task.request.retries < 3 => {
            tracing::warn!("rate {pair}: {why}; retrying");
            task.retry_with_countdown(1 << task.request.retries)
        }
        Err(RateError::Unreachable(why)) => Err(TaskError::UnexpectedError(why)),
    }
}
// ANCHOR_END: rate

static RATES_URL: OnceLock<String> = OnceLock::new();

/// Tell this process's `rate` task where the rate service is (a worker
/// does it once, from `--rates` or `CH04_RATES_URL`).
pub fn set_rates_url(url: &str) {
    let _ = RATES_URL.set(url.trim_end_matches('/').to_owned());
}

fn rates_url() -> TaskResult<String> {
    RATES_URL
        .get()
        .cloned()
        .or_else(|| std::env::var("CH04_RATES_URL").ok())
        .ok_or_else(|| {
            TaskError::UnexpectedError(
                "this worker has no rate service (--rates)".into(),
            )
        })
}

/// Run CPU work on the blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> TaskResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| TaskError::UnexpectedError(format!("the task panicked: {e}")))
}
