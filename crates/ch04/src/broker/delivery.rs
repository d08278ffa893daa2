//! Chapter 4 · One message handed to the worker: acknowledging it removes
//! it from `unacked`; retrying it queues a copy with a later ETA.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use celery::broker::{Broker, Delivery};
use celery::error::{BrokerError, ProtocolError};
use celery::protocol::{Delivery as Envelope, Message, TryDeserializeMessage};
use chrono::{DateTime, Utc};
use redis::aio::ConnectionManager;
use serde_json::Value;
use tokio::sync::OwnedSemaphorePermit;

use super::keys::{UNACKED, UNACKED_INDEX};
use crate::connection::with_retry;

/// Tags this worker holds unacknowledged (its leases are renewed).
pub type Ledger = Arc<Mutex<HashSet<String>>>;

pub(crate) fn lock(ledger: &Ledger) -> std::sync::MutexGuard<'_, HashSet<String>> {
    ledger
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A delivered message; holds one prefetch slot until it is dropped.
pub struct RedisDelivery {
    pub(crate) envelope: Envelope,
    pub(crate) raw: String,
    pub(crate) tag: String,
    pub(crate) queue: String,
    pub(crate) conn: ConnectionManager,
    pub(crate) ledger: Ledger,
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
    /// counted, not before `eta`.
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
        with_retry("queueing a retry", || {
            let mut conn = self.conn.clone();
            let (queue, text) = (self.queue.clone(), text.clone());
            async move {
                redis::cmd("LPUSH")
                    .arg(queue)
                    .arg(text)
                    .query_async::<()>(&mut conn)
                    .await
            }
        })
        .await?;
        Ok(())
    }
    // ANCHOR_END: resend

    async fn remove(&self) -> Result<(), BrokerError> {
        with_retry("acknowledging a message", || {
            let mut conn = self.conn.clone();
            let mut pipe = redis::pipe();
            pipe.zrem(UNACKED_INDEX, &self.tag).ignore();
            pipe.hdel(UNACKED, &self.tag).ignore();
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
