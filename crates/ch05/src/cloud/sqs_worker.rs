//! Chapter 5 · The cloud worker's loop: take tasks from SQS until told to
//! stop; on SIGTERM finish the task in hand, take no new one, and return.

use std::future::Future;
use std::time::Duration;

use anyhow::{Context, Result};

use super::Aws;
use super::tasks::{TaskQueue, handle, receive};
use crate::health::Health;

/// The worker's settings, from its environment (the AWS ones are read by
/// the SDK itself).
#[derive(Debug, Clone)]
pub struct SqsWorkerConfig {
    /// `CH05_SQS_QUEUE_URL`: the queue the tasks come from.
    pub queue_url: String,
    /// `CH05_BUCKET`: where inputs are read and results written.
    pub bucket: String,
    /// `CH05_HEALTH_ADDR`: where `/healthz` and `/readyz` answer
    /// (default 127.0.0.1:8080).
    pub health_addr: std::net::SocketAddr,
}

impl SqsWorkerConfig {
    /// Read from `var` (the environment); a missing value is named.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let need = |name: &str| {
            var(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                format!("{name} is not set: the worker needs CH05_SQS_QUEUE_URL and CH05_BUCKET")
            })
        };
        let health =
            var("CH05_HEALTH_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let health_addr = health.parse().map_err(|_| {
            format!(
                "CH05_HEALTH_ADDR `{health}` is not an address like 127.0.0.1:8080"
            )
        })?;
        Ok(SqsWorkerConfig {
            queue_url: need("CH05_SQS_QUEUE_URL")?,
            bucket: need("CH05_BUCKET")?,
            health_addr,
        })
    }
}

/// Take and do tasks until `stop` completes; the task in hand is finished
/// first (its message deleted), so a SIGTERM loses nothing. `health` tells
/// the probes whether the queue answers and what is in hand.
pub async fn serve(
    aws: &Aws,
    config: &SqsWorkerConfig,
    health: &Health,
    stop: impl Future<Output = ()>,
) -> Result<()> {
    let queue = TaskQueue {
        queue_url: config.queue_url.clone(),
        bucket: config.bucket.clone(),
    };
    // ANCHOR: serve
    tokio::pin!(stop);
    loop {
        // Waiting for a message is interrupted by a stop; a task is not.
        let received = tokio::select! {
            () = &mut stop => break,
            got = receive(aws, &queue, Duration::from_secs(1)) => got,
        };
        let received = match received {
            Ok(Some(received)) => received,
            Ok(None) => {
                health.set_broker(true);
                continue;
            }
            Err(err) => {
                tracing::warn!("{err:#}");
                health.set_broker(false);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        health.set_broker(true);
        health.set_current(Some(&received.task.id));
        let result = handle(aws, &queue, &received).await;
        health.set_current(None);
        let result = result.with_context(|| format!("task {}", received.task.id))?;
        health.finished();
        tracing::info!(id = %result.id, n = result.n, "answered");
    }
    health.start_draining();
    // ANCHOR_END: serve
    Ok(())
}
