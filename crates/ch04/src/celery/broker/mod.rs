//! Chapter 4 · A reliable Redis broker for the `celery` crate, compatible
//! with Python Celery's Redis transport (kombu).
//!
//! The crate's own Redis broker polls with `RPOP` and sleeps a second when
//! the queue is empty, and records unacknowledged messages where nothing
//! ever restores them. This one implements the crate's `Broker` trait with
//! a blocking wait, an atomic pop-and-record, renewed leases on the
//! messages in hand, and a visibility timeout after which a dead worker's
//! messages go back on the queue — in kombu's keys and formats.

mod api;
mod consumer;
pub mod dead;
mod delivery;
mod housekeeping;
pub mod keys;
pub mod restore;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use celery::broker::Broker;
use celery::error::BrokerError;
use celery::protocol::{DeliveryInfo, Message};
use redis::aio::ConnectionManager;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

pub use delivery::{Acks, Ledger, RedisDelivery};

use crate::celery::connection::connect;

/// How the broker hands out messages.
#[derive(Debug, Clone, Copy)]
pub struct BrokerOptions {
    /// Messages in hand at once (the worker's concurrency).
    pub prefetch: u16,
    /// An unacknowledged message whose lease is older than this goes back
    /// on its queue. kombu's default is an hour; leases of messages in hand
    /// are renewed, so a short value only speeds up recovery.
    pub visibility_timeout: Duration,
}

/// The shortest visibility timeout accepted. Leases are renewed four
/// times per timeout; much shorter, and a renewal delayed by one slow
/// round trip or a busy moment lets another worker restore, and run again,
/// a message whose worker is alive and running it.
pub const MIN_VISIBILITY_TIMEOUT: Duration = Duration::from_secs(1);

impl Default for BrokerOptions {
    fn default() -> Self {
        BrokerOptions {
            prefetch: 1,
            visibility_timeout: Duration::from_secs(3600),
        }
    }
}

/// The broker; see the module documentation.
pub struct ReliableRedisBroker {
    url: String,
    client: redis::Client,
    conn: ConnectionManager,
    options: BrokerOptions,
    slots: Arc<Semaphore>,
    ledger: Ledger,
    acks: Acks,
    consumers: Mutex<HashMap<String, watch::Sender<bool>>>,
    background: Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for ReliableRedisBroker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReliableRedisBroker")
            .field("url", &self.safe_url())
            .field("options", &self.options)
            .finish()
    }
}

impl ReliableRedisBroker {
    /// Connect, failing within seconds if nothing answers at `url`.
    pub async fn connect(url: &str, options: BrokerOptions) -> Result<Self> {
        anyhow::ensure!(
            options.visibility_timeout >= MIN_VISIBILITY_TIMEOUT,
            "the visibility timeout must be at least {MIN_VISIBILITY_TIMEOUT:?}"
        );
        let (client, conn) = connect(url).await?;
        Ok(ReliableRedisBroker {
            url: url.to_owned(),
            client,
            conn,
            options,
            slots: Arc::new(Semaphore::new(options.prefetch.max(1).into())),
            ledger: Ledger::default(),
            acks: Acks::default(),
            consumers: Mutex::default(),
            background: Mutex::default(),
        })
    }

    /// The messages in hand, for a result backend on the same Redis to
    /// acknowledge with their results.
    pub fn acks(&self) -> Acks {
        self.acks.clone()
    }

    /// The kombu envelope of `message` for `queue`, as the broker sends it.
    pub fn envelope(message: &Message, queue: &str) -> Result<String, BrokerError> {
        let info = DeliveryInfo {
            exchange: String::new(),
            routing_key: queue.to_owned(),
        };
        let bytes = message.json_serialized(Some(info))?;
        String::from_utf8(bytes)
            .map_err(|e| BrokerError::InvalidBrokerUrl(e.to_string()))
    }

    fn start_housekeeping(&self) {
        let mut background = self
            .background
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if background.is_empty() {
            let vt = self.options.visibility_timeout;
            background.push(tokio::spawn(housekeeping::renew_leases(
                self.conn.clone(),
                self.ledger.clone(),
                vt,
            )));
            background.push(tokio::spawn(housekeeping::restore_loop(
                self.conn.clone(),
                vt,
            )));
        }
    }
}

impl Drop for ReliableRedisBroker {
    fn drop(&mut self) {
        let background = self
            .background
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for task in background.drain(..) {
            task.abort();
        }
    }
}
