//! Chapter 4 · `worker-online`, a `worker-heartbeat` every two seconds,
//! `worker-offline`: how Celery's monitors know a worker is alive.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::task::JoinHandle;

use super::Events;
use super::watch::Monitor;

/// Celery's default heartbeat interval (`freq`); monitors take a worker
/// for gone after two missed beats.
pub const FREQ: Duration = Duration::from_secs(2);

/// The heartbeat of a running worker; [`Heartbeat::stop`] says goodbye.
#[derive(Debug)]
pub struct Heartbeat {
    events: Events,
    monitor: Monitor,
    beating: JoinHandle<()>,
}

impl Heartbeat {
    /// Send `worker-online`, then a heartbeat every [`FREQ`].
    pub fn start(events: Events, monitor: Monitor) -> Self {
        events.send("worker-online", fields(&monitor));
        let (beat_events, beat_monitor) = (events.clone(), monitor.clone());
        let beating = tokio::spawn(async move {
            let mut every = tokio::time::interval(FREQ);
            every.tick().await; // the first tick is now: online was sent
            loop {
                every.tick().await;
                beat_events.send("worker-heartbeat", fields(&beat_monitor));
            }
        });
        Heartbeat {
            events,
            monitor,
            beating,
        }
    }

    /// Send `worker-offline` and wait (briefly) until it is out.
    pub async fn stop(self) {
        self.beating.abort();
        self.events.send("worker-offline", fields(&self.monitor));
        self.events.flush().await;
    }
}

/// The fields of Celery's worker events (`celery/worker/heartbeat.py`).
fn fields(monitor: &Monitor) -> Value {
    let processed = monitor.tally().processed;
    json!({
        "freq": FREQ.as_secs_f64(),
        "active": monitor.active(),
        "processed": processed,
        "loadavg": loadavg(),
        "sw_ident": "ch04-rust",
        "sw_ver": env!("CARGO_PKG_VERSION"),
        "sw_sys": "Linux",
    })
}

/// The 1, 5 and 15 minute load averages, as Celery rounds them.
fn loadavg() -> [f64; 3] {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut loads = text
        .split_whitespace()
        .map(|field| field.parse::<f64>().unwrap_or(0.0));
    let mut next = || (loads.next().unwrap_or(0.0) * 100.0).round() / 100.0;
    [next(), next(), next()]
}
