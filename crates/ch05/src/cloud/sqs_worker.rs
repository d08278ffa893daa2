//! Chapter 5 · The cloud worker's loop: take tasks from SQS until told to
//! stop; on SIGTERM finish the task in hand, take no new one, and return.

use std::future::Future;
use std::time::Duration;

use anyhow::{Context, Result};

use super::Aws;
use super::tasks::{TaskQueue, handle, receive};

/// The worker's settings, from its environment (the AWS ones are read by
/// the SDK itself).
#[derive(Debug, Clone)]
pub struct SqsWorkerConfig {
    /// `CH05_SQS_QUEUE_URL`: the queue the tasks come from.
    pub queue_url: String,
    /// `CH05_BUCKET`: where inputs are read and results written.
    pub bucket: String,
}

impl SqsWorkerConfig {
    /// Read from `var` (the environment); a missing value is named.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let need = |name: &str| {
            var(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                format!("{name} is not set: the worker needs CH05_SQS_QUEUE_URL and CH05_BUCKET")
            })
        };
        Ok(SqsWorkerConfig {
            queue_url: need("CH05_SQS_QUEUE_URL")?,
            bucket: need("CH05_BUCKET")?,
        })
    }
}

// ANCHOR: serve
/// Take and do tasks until `stop` completes; the task in hand is finished
/// first (its message deleted), so a SIGTERM loses nothing. How many tasks
/// were done.
pub async fn serve(
    aws: &Aws,
    config: &SqsWorkerConfig,
    stop: impl Future<Output = ()>,
) -> Result<usize> {
    let queue = TaskQueue {
        queue_url: config.queue_url.clone(),
        bucket: config.bucket.clone(),
    };
    tokio::pin!(stop);
    let mut done = 0;
    loop {
        // Waiting for a message is interrupted by a stop; a task is not.
        let received = tokio::select! {
            () = &mut stop => break,
            got = receive(aws, &queue, Duration::from_secs(1)) => got?,
        };
        let Some(received) = received else { continue };
        let result = handle(aws, &queue, &received).await;
        let result = result.with_context(|| format!("task {}", received.task.id))?;
        tracing::info!(id = %result.id, n = result.n, "answered");
        done += 1;
    }
    Ok(done)
}
// ANCHOR_END: serve
