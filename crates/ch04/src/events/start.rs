//! Chapter 4 · A worker's monitoring from start to stop: the monitor its
//! broker and backend report to, and with `-E` the events, heartbeat and
//! remote control.

use anyhow::{Result, ensure};
use tokio::task::JoinHandle;

use super::Events;
use super::control::{self, WorkerInfo};
use super::heartbeat::Heartbeat;
use super::watch::Monitor;

/// What watches one worker.
#[derive(Debug)]
pub struct Seen {
    pub monitor: Monitor,
    events: Option<(Events, String)>,
    heartbeat: Option<Heartbeat>,
    control: Option<JoinHandle<()>>,
}

impl Seen {
    /// A monitor; with `events`, one that publishes on the Redis `broker`.
    pub async fn new(broker: &str, hostname: &str, events: bool) -> Result<Self> {
        ensure!(
            !events || broker.starts_with("redis"),
            "events (-E) are published on a Redis broker; this one is not"
        );
        let events = match events {
            true => Some(Events::start(broker, hostname).await?),
            false => None,
        };
        Ok(Seen {
            monitor: Monitor::new(events.clone()),
            events: events.map(|e| (e, broker.to_owned())),
            heartbeat: None,
            control: None,
        })
    }

    /// The worker consumes: `worker-online`, heartbeats, remote control.
    pub async fn online(&mut self, info: WorkerInfo) -> Result<()> {
        if let Some((events, broker)) = &self.events {
            let monitor = self.monitor.clone();
            let served =
                control::serve(broker, events.clone(), monitor, info).await?;
            self.control = Some(served);
            let heart = Heartbeat::start(events.clone(), self.monitor.clone());
            self.heartbeat = Some(heart);
        }
        Ok(())
    }

    /// The worker has stopped: `worker-offline`, sent before returning.
    pub async fn offline(mut self) {
        if let Some(control) = self.control.take() {
            control.abort();
        }
        if let Some(heartbeat) = self.heartbeat.take() {
            heartbeat.stop().await;
        }
    }
}
