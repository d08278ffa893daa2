//! Chapter 4 · A worker's monitoring from start to stop: the monitor its
//! broker and backend report to; with `-E` the events, heartbeat and
//! remote control; with `--metrics-port` the metrics.

use anyhow::{Result, ensure};
use tokio::task::JoinHandle;

use super::Events;
use super::control::{self, WorkerInfo};
use super::heartbeat::Heartbeat;
use super::metrics::{self, Metrics};
use super::watch::Monitor;
use crate::celery::connection::connect;
use crate::celery::worker::WorkerConfig;

/// What watches one worker.
#[derive(Debug)]
pub struct Seen {
    pub monitor: Monitor,
    events: Option<(Events, String)>,
    heartbeat: Option<Heartbeat>,
    served: Vec<JoinHandle<()>>,
}

impl Seen {
    /// A monitor of the worker `hostname` started with `config`; its
    /// metrics are served from now on.
    pub async fn new(config: &WorkerConfig, hostname: &str) -> Result<Self> {
        let broker = &config.broker;
        ensure!(
            !(config.events || config.metrics_port.is_some())
                || broker.starts_with("redis"),
            "events (-E) and metrics are published on a Redis broker; \
             this one is not"
        );
        let events = match config.events {
            true => Some(Events::start(broker, hostname).await?),
            false => None,
        };
        let mut monitor = Monitor::new(events.clone());
        let mut served = Vec::new();
        if let Some(port) = config.metrics_port {
            let metrics = Metrics::new();
            monitor = monitor.with_metrics(metrics.clone());
            let (_, conn) = connect(broker).await?;
            let queue = config.queue.clone();
            served.push(
                metrics::serve(port, monitor.clone(), metrics, conn, queue).await?,
            );
        }
        Ok(Seen {
            monitor,
            events: events.map(|e| (e, broker.to_owned())),
            heartbeat: None,
            served,
        })
    }

    /// Whether anything watches the tasks: events, metrics or a trace log.
    pub fn watching(&self) -> bool {
        self.events.is_some() || !self.served.is_empty() || crate::traced::enabled()
    }

    /// The worker consumes: `worker-online`, heartbeats, remote control.
    pub async fn online(&mut self, info: WorkerInfo) -> Result<()> {
        if let Some((events, broker)) = &self.events {
            let monitor = self.monitor.clone();
            let served =
                control::serve(broker, events.clone(), monitor, info).await?;
            self.served.push(served);
            let heart = Heartbeat::start(events.clone(), self.monitor.clone());
            self.heartbeat = Some(heart);
        }
        Ok(())
    }

    /// The worker has stopped: `worker-offline`, sent before returning.
    pub async fn offline(mut self) {
        for served in self.served.drain(..) {
            served.abort();
        }
        if let Some(heartbeat) = self.heartbeat.take() {
            heartbeat.stop().await;
        }
    }
}
