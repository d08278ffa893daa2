//! Chapter 4 · Messages handed to the worker: the stream of them, the
//! tags in hand, acknowledging (removing from `unacked`) and retrying.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use celery::broker::{Broker, Delivery, DeliveryStream};
use celery::error::{BrokerError, ProtocolError};
use celery::protocol::{Delivery as Envelope, Message, TryDeserializeMessage};
use chrono::{DateTime, Utc};
use redis::aio::ConnectionManager;
use serde_json::Value;
use tokio::sync::{OwnedSemaphorePermit, mpsc};

use super::keys::{DELIVERIES, UNACKED, UNACKED_INDEX};
use crate::celery::connection::with_retry;
use crate::celery::layer::Polled;

pub use crate::celery::layer::Item;

/// The stream the `celery` app consumes: what the fetcher sends.
pub fn deliveries(mut rx: mpsc::Receiver<Item>) -> Box<dyn DeliveryStream> {
    Polled::boxed(move |cx| rx.poll_recv(cx))
}

/// Tags this worker holds unacknowledged (its leases are renewed).
pub type Ledger = Arc<Mutex<HashSet<String>>>;

pub(crate) fn lock(ledger: &Ledger) -> std::sync::MutexGuard<'_, HashSet<String>> {
    ledger
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `LPUSH` `text` onto `queue`, retried while Redis is briefly away
/// ([`with_retry`]; `what` names the attempt in its warnings).
pub(crate) async fn lpush(
    conn: &ConnectionManager,
    what: &str,
    queue: &str,
    text: String,
) -> redis::RedisResult<()> {
    with_retry(what, || {
        let mut conn = conn.clone();
        let (queue, text) = (queue.to_owned(), text.clone());
        async move {
            redis::cmd("LPUSH")
                .arg(queue)
                .arg(text)
                .query_async::<()>(&mut conn)
                .await
        }
    })
    .await
}

// ANCHOR: acks
// ANCHOR: acks_in_hand
/// The messages in hand by task id, so that the result backend can
/// acknowledge a successful task's message in the round trip that stores
/// its result; the message's own acknowledgement then has nothing to do.
#[derive(Debug, Clone, Default)]
pub struct Acks(Arc<Mutex<AcksInner>>);

#[derive(Debug, Default)]
struct AcksInner {
    in_hand: HashMap<String, String>, // task id → delivery tag
    done: HashSet<String>,            // tags acknowledged with a result
}

impl Acks {
    fn lock(&self) -> std::sync::MutexGuard<'_, AcksInner> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn hold(&self, task_id: &str, tag: &str) {
        self.lock()
            .in_hand
            .insert(task_id.to_owned(), tag.to_owned());
    }

    /// The tag of task `task_id`'s message, for a store to acknowledge.
    pub fn take(&self, task_id: &str) -> Option<String> {
        self.lock().in_hand.remove(task_id)
    }

    /// The store that took `tag` has acknowledged it.
    pub fn acknowledged(&self, tag: String) {
        self.lock().done.insert(tag);
    }
    // ANCHOR_END: acks_in_hand

    /// Forget `task_id`/`tag`; true if a store acknowledged it already.
    fn settle(&self, task_id: &str, tag: &str) -> bool {
        let mut inner = self.lock();
        if inner.in_hand.get(task_id).is_some_and(|held| held == tag) {
            inner.in_hand.remove(task_id);
        }
        inner.done.remove(tag)
    }
}
// ANCHOR_END: acks

/// A delivered message; holds one prefetch slot until it is dropped.
pub struct RedisDelivery {
    pub(crate) envelope: Envelope,
    pub(crate) raw: String,
    pub(crate) tag: String,
    pub(crate) queue: String,
    pub(crate) conn: ConnectionManager,
    pub(crate) ledger: Ledger,
    pub(crate) acks: Acks,
    pub(crate) _slot: OwnedSemaphorePermit,
}

impl std::fmt::Debug for RedisDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisDelivery")
            .field("task", &self.envelope.headers.task)
            .field("id", &self.envelope.headers.id)
            .field("tag", &self.tag)
            .finish()
    }
}

impl TryDeserializeMessage for RedisDelivery {
    fn try_deserialize_message(&self) -> Result<Message, ProtocolError> {
        self.envelope.try_deserialize_message()
    }
}

#[async_trait]
impl Delivery for RedisDelivery {
    // ANCHOR: resend
    /// A retry: the same task (same id) as a new message, one more retry
    /// counted, not before `eta`. Also how a message whose outcome could
    /// not be stored is handed back. If the copy cannot be queued either,
    /// this worker lets go of the original (its lease is no longer renewed),
    /// so it is restored after the visibility timeout.
    async fn resend(
        &self,
        _broker: &dyn Broker,
        eta: Option<DateTime<Utc>>,
    ) -> Result<(), BrokerError> {
        let mut message: Value = serde_json::from_str(&self.raw)?;
        let retries = message["headers"]["retries"].as_u64().unwrap_or(0);
        message["headers"]["retries"] = Value::from(retries + 1);
        if let Some(eta) = eta {
            message["headers"]["eta"] = Value::from(eta.to_rfc3339());
        }
        let tag = uuid::Uuid::new_v4().to_string();
        message["properties"]["delivery_tag"] = Value::from(tag);
        let text = message.to_string();
        let queued = lpush(&self.conn, "queueing a retry", &self.queue, text).await;
        if queued.is_err() {
            lock(&self.ledger).remove(&self.tag);
        }
        Ok(queued?)
    }
    // ANCHOR_END: resend

    async fn remove(&self) -> Result<(), BrokerError> {
        if self.acks.settle(&self.envelope.headers.id, &self.tag) {
            lock(&self.ledger).remove(&self.tag);
            return Ok(()); // acknowledged with its result
        }
        with_retry("acknowledging a message", || {
            let mut conn = self.conn.clone();
            let mut pipe = redis::pipe();
            pipe.zrem(UNACKED_INDEX, &self.tag).ignore();
            pipe.hdel(UNACKED, &self.tag).ignore();
            pipe.hdel(DELIVERIES, &self.tag).ignore();
            async move { pipe.query_async::<()>(&mut conn).await }
        })
        .await?;
        lock(&self.ledger).remove(&self.tag);
        Ok(())
    }

    async fn ack(&self) -> Result<(), BrokerError> {
        self.remove().await
    }
}
