//! Chapter 4 · A worker's metrics in Prometheus's text format: tasks by
//! state, how long they ran, the queue's depth and the tasks in flight,
//! served on an opt-in loopback port (`--metrics-port`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::watch::Monitor;

/// A scrape that does not finish within this is dropped.
pub const SCRAPE_DEADLINE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TaskLabels {
    pub task: String,
    pub state: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: String,
}

type Runtimes = Family<TaskLabels, Histogram, fn() -> Histogram>;

// ANCHOR: metrics
/// The metrics of one worker.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    tasks: Family<TaskLabels, Counter>,
    runtime: Runtimes,
    in_flight: Gauge,
    queue_length: Family<QueueLabels, Gauge>,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("ch04");
        let tasks = Family::<TaskLabels, Counter>::default();
        registry.register("tasks", "Tasks by name and state reached", tasks.clone());
        // 1 ms to ≈4.4 min, each bucket four times the one before.
        let runtime: Runtimes = Family::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 4.0, 10))
        });
        let help = "Seconds a task ran, by name and final state";
        registry.register("task_runtime_seconds", help, runtime.clone());
        let in_flight = Gauge::default();
        registry.register("tasks_in_flight", "Tasks running now", in_flight.clone());
        let queue_length = Family::<QueueLabels, Gauge>::default();
        let help = "Messages waiting in the queue";
        registry.register("queue_length", help, queue_length.clone());
        Metrics {
            registry: Arc::new(registry),
            tasks,
            runtime,
            in_flight,
            queue_length,
        }
    }
    // ANCHOR_END: metrics

    /// Task `task` reached `state` (received, started, succeeded, ...).
    pub fn count(&self, task: &str, state: &str) {
        let labels = TaskLabels {
            task: task.to_owned(),
            state: state.to_owned(),
        };
        self.tasks.get_or_create(&labels).inc();
    }

    /// Task `task` ended in `state` after `seconds`.
    pub fn ran(&self, task: &str, state: &str, seconds: f64) {
        let labels = TaskLabels {
            task: task.to_owned(),
            state: state.to_owned(),
        };
        self.runtime.get_or_create(&labels).observe(seconds);
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Serve `/metrics` on `127.0.0.1:port` until the worker stops; the
/// gauges are read at each scrape (the queue's length from the broker).
pub async fn serve(
    port: u16,
    monitor: Monitor,
    metrics: Metrics,
    broker: redis::aio::ConnectionManager,
    queue: String,
) -> Result<tokio::task::JoinHandle<()>> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("listening for metrics on 127.0.0.1:{port}"))?;
    let bound = listener.local_addr()?; // port 0: the one the OS chose
    println!("metrics: http://{bound}/metrics");
    Ok(tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (monitor, metrics) = (monitor.clone(), metrics.clone());
            let (mut broker, queue) = (broker.clone(), queue.clone());
            tokio::spawn(tokio::time::timeout(SCRAPE_DEADLINE, async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await; // GET /metrics, any path
                metrics.in_flight.set(monitor.active() as i64);
                let length: redis::RedisResult<i64> = redis::cmd("LLEN")
                    .arg(&queue)
                    .query_async(&mut broker)
                    .await;
                let labels = QueueLabels { queue };
                match length {
                    Ok(length) => {
                        metrics.queue_length.get_or_create(&labels).set(length);
                    }
                    Err(_) => {
                        metrics.queue_length.remove(&labels); // unknown now
                    }
                }
                let mut body = String::new();
                let _ = encode(&mut body, &metrics.registry);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/openmetrics-text; \
                     version=1.0.0; charset=utf-8\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body.as_bytes()).await;
            }));
        }
    }))
}
