//! Chapter 4 · Seen by Celery's monitors: a Rust worker started with `-E`
//! publishes Celery's events (`celery events`, Flower) and answers its
//! remote control (`celery inspect ping`), on the Redis broker.
//!
//! kombu's Redis transport makes a fanout exchange a pub/sub channel: an
//! event of type `task-succeeded` is `PUBLISH /0.celeryev/task.succeeded`
//! (`/{db}.{exchange}/{routing key}`) of a kombu message whose body is the
//! event as JSON, base64-encoded.

pub mod control;
pub mod heartbeat;
pub mod metrics;
pub mod start;
pub mod watch;
pub mod wrap;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Result;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value, json};
use tokio::sync::{mpsc, oneshot};

use crate::celery::connection::connect;

/// How long a shutting-down worker waits for its last events to leave.
pub const FLUSH_DEADLINE: Duration = Duration::from_secs(2);

/// The event dispatcher of one worker: events queue here in order and one
/// background task publishes them, so a task never waits on its events.
#[derive(Debug, Clone)]
pub struct Events {
    tx: mpsc::UnboundedSender<Outgoing>,
    hostname: String,
    db: i64,
    clock: Arc<AtomicU64>,
}

#[derive(Debug)]
enum Outgoing {
    Publish { channel: String, message: String },
    Flush(oneshot::Sender<()>),
}

impl Events {
    /// Connect to the broker at `url` and start publishing as `hostname`.
    pub async fn start(url: &str, hostname: &str) -> Result<Self> {
        let (client, conn) = connect(url).await?;
        let db = client.get_connection_info().redis.db;
        let (tx, mut rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(outgoing) = rx.recv().await {
                match outgoing {
                    Outgoing::Publish { channel, message } => {
                        let mut conn = conn.clone();
                        let sent = redis::cmd("PUBLISH")
                            .arg(&channel)
                            .arg(message)
                            .query_async::<i64>(&mut conn)
                            .await;
                        if let Err(err) = sent {
                            // Events are a view, not the work: drop it.
                            tracing::warn!("event on {channel} not sent: {err}");
                        }
                    }
                    Outgoing::Flush(done) => {
                        let _ = done.send(());
                    }
                }
            }
        });
        Ok(Events {
            tx,
            hostname: hostname.to_owned(),
            db,
            clock: Arc::default(),
        })
    }

    pub fn hostname(&self) -> &str {
        &self.hostname
    }

    /// The Lamport clock, moved on by one (as kombu's `clock.forward()`).
    pub fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed) + 1
    }

    // ANCHOR: send
    /// Publish event `kind` (`task-started`, ...) with `fields`, plus the
    /// fields every Celery event carries.
    pub fn send(&self, kind: &str, fields: Value) {
        let mut event = match fields {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        event.insert("type".into(), kind.into());
        event.insert("timestamp".into(), now().into());
        event.insert("hostname".into(), self.hostname.clone().into());
        event.insert("utcoffset".into(), utcoffset().into());
        event.insert("pid".into(), std::process::id().into());
        event.insert("clock".into(), self.tick().into());
        let routing_key = kind.replace('-', ".");
        let headers = json!({ "hostname": self.hostname });
        let message =
            envelope(&Value::Object(event), "celeryev", &routing_key, headers);
        let channel = format!("/{}.celeryev/{routing_key}", self.db);
        let _ = self.tx.send(Outgoing::Publish { channel, message });
    }
    // ANCHOR_END: send

    /// Wait (within [`FLUSH_DEADLINE`]) until every event sent so far is out.
    pub async fn flush(&self) {
        let (done, sent) = oneshot::channel();
        if self.tx.send(Outgoing::Flush(done)).is_ok() {
            let _ = tokio::time::timeout(FLUSH_DEADLINE, sent).await;
        }
    }

    /// The broker's database number, which names kombu's fanout channels.
    pub fn db(&self) -> i64 {
        self.db
    }
}

/// A kombu message (as kombu's Redis transport writes it) carrying `body`
/// as JSON, sent to `exchange` with `routing_key`.
pub fn envelope(
    body: &Value,
    exchange: &str,
    routing_key: &str,
    headers: Value,
) -> String {
    json!({
        "body": BASE64.encode(body.to_string()),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": headers,
        "properties": {
            "delivery_mode": 1,
            "delivery_info": {"exchange": exchange, "routing_key": routing_key},
            "priority": 0,
            "body_encoding": "base64",
            "delivery_tag": uuid::Uuid::new_v4().to_string(),
        },
    })
    .to_string()
}

/// The body of a kombu message, decoded (`None` if it is not JSON).
pub fn open(message: &str) -> Option<Value> {
    let message: Value = serde_json::from_str(message).ok()?;
    let body = message.get("body")?.as_str()?;
    let encoding = message.pointer("/properties/body_encoding");
    let text = if encoding.and_then(Value::as_str) == Some("base64") {
        String::from_utf8(BASE64.decode(body).ok()?).ok()?
    } else {
        body.to_owned()
    };
    serde_json::from_str(&text).ok()
}

/// Seconds since the epoch, as Python's `time.time()`.
pub fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Hours west of UTC, as Celery's `utcoffset()` (`time.timezone // 3600`).
fn utcoffset() -> i64 {
    let east = chrono::Local::now().offset().local_minus_utc();
    (-i64::from(east)).div_euclid(3600)
}
