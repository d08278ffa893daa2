//! Chapter 4 · A Redis result backend that Python's `AsyncResult.get()`
//! can wait on: every result is stored *and* published on its key's
//! channel, as Python Celery's own Redis backend does.
//!
//! The `celery` crate's Redis backend only stores the result, so a Python
//! client subscribed to `celery-task-meta-<id>` never hears of it; and it
//! stores failures in a form Python cannot rebuild. This one implements the
//! crate's `ResultBackend` trait the way Python expects.

use std::time::Duration;

use async_trait::async_trait;
use celery::backend::{ResultBackend, TaskMeta, TaskState};
use celery::error::BackendError;
use celery::protocol::Message;
use redis::aio::ConnectionManager;
use serde_json::Value;

use crate::celery::broker::keys::{DELIVERIES, UNACKED, UNACKED_INDEX};
use crate::celery::broker::{Acks, ReliableRedisBroker};
use crate::celery::chain::follow::Chains;
use crate::celery::chain::next::{NextLink, send_next};
use crate::celery::connection::with_retry;
use crate::celery::meta::{from_python, result_key, to_python};

/// Results expire after a day, as in Python Celery (`result_expires`).
pub const RESULT_EXPIRES: Duration = Duration::from_secs(24 * 3600);

/// Stores task results in Redis and publishes them.
#[derive(Clone)]
pub struct PublishingBackend {
    conn: ConnectionManager,
    track_started: bool,
    chains: Option<(Chains, NextLink)>,
    acks: Option<Acks>,
}

crate::celery::debug_fields!(PublishingBackend { track_started });

impl PublishingBackend {
    /// A backend on an open connection. Like Python Celery by default
    /// (`task_track_started = False`) it does not store STARTED states.
    pub fn new(conn: ConnectionManager) -> Self {
        PublishingBackend {
            conn,
            track_started: false,
            chains: None,
            acks: None,
        }
    }

    /// Acknowledge the messages of successful tasks, held by a broker on
    /// this same Redis, in the round trip that stores their results.
    pub fn acknowledge(mut self, acks: Acks) -> Self {
        self.acks = Some(acks);
        self
    }

    /// Send the next link of the chains in `chains` when a task succeeds.
    pub fn follow_chains(mut self, chains: Chains, next: NextLink) -> Self {
        self.chains = Some((chains, next));
        self
    }

    /// The next link's queue and message, if `meta`'s task was in a chain.
    fn next_link(
        &self,
        meta: &TaskMeta,
    ) -> Result<Option<(String, Message)>, BackendError> {
        let Some((chains, _)) = &self.chains else {
            return Ok(None);
        };
        if meta.status != TaskState::Success {
            if meta.status != TaskState::Started {
                chains.forget(&meta.task_id);
            }
            return Ok(None);
        }
        let result = meta.result.clone().unwrap_or(Value::Null);
        Ok(chains.next(&meta.task_id, &result)?)
    }

    /// Task `task_id`'s outcome was not stored (or its next link not
    /// sent): its message must be handed back, not acknowledged.
    fn unsettle(&self, task_id: &str) {
        if let Some((chains, _)) = &self.chains {
            chains.unsettle(task_id);
        }
    }

    /// Also store and publish STARTED when a worker begins a task.
    pub fn track_started(mut self, yes: bool) -> Self {
        self.track_started = yes;
        self
    }
}

#[async_trait]
impl ResultBackend for PublishingBackend {
    // ANCHOR: store
    async fn store_task_meta(&self, meta: TaskMeta) -> Result<(), BackendError> {
        if meta.status == TaskState::Started && !self.track_started {
            return Ok(());
        }
        let key = result_key(&meta.task_id);
        let doc = to_python(&meta).to_string();
        let mut next = None; // a chain's next link, pushed with the result
        if let Some((queue, message)) = self.next_link(&meta)? {
            match self.chains.as_ref().map(|(_, how)| how) {
                Some(NextLink::Broker(broker)) => {
                    let sent = send_next(broker.as_ref(), &message, &queue).await;
                    if let Err(err) = sent {
                        self.unsettle(&meta.task_id);
                        return Err(BackendError::TaskFailed(format!(
                            "{}: the chain's next link was not sent ({err}); \
                             the task is handed back, not acknowledged",
                            meta.task_id
                        )));
                    }
                }
                _ => match ReliableRedisBroker::envelope(&message, &queue) {
                    Ok(envelope) => next = Some((queue, envelope)),
                    Err(err) => {
                        tracing::error!("{}: bad next link: {err}", meta.task_id)
                    }
                },
            }
        }
        let ack = match (&self.acks, meta.status) {
            (Some(acks), TaskState::Success) => acks.take(&meta.task_id),
            _ => None, // failures may yet be retried: acknowledged apart
        };
        // ANCHOR: transaction
        let what = format!("storing the result of {}", meta.task_id);
        let stored = with_retry(&what, || {
            let mut conn = self.conn.clone();
            let mut pipe = redis::pipe();
            // One transaction: the result, the next link and the ack, or
            // none of them (at `maxmemory`, or on a read-only replica,
            // the SET is refused and so is everything else).
            pipe.atomic();
            pipe.set_ex(&key, &doc, RESULT_EXPIRES.as_secs()).ignore();
            pipe.publish(&key, &doc).ignore();
            if let Some((queue, envelope)) = &next {
                pipe.lpush(queue, envelope).ignore();
            }
            if let Some(tag) = &ack {
                pipe.zrem(UNACKED_INDEX, tag).ignore();
                pipe.hdel(UNACKED, tag).ignore();
                pipe.hdel(DELIVERIES, tag).ignore();
            }
            async move { pipe.query_async::<()>(&mut conn).await }
        })
        .await;
        // ANCHOR_END: transaction
        if stored.is_err() {
            self.unsettle(&meta.task_id); // hand it back, do not ack it
        }
        stored?;
        if let (Some(acks), Some(tag)) = (&self.acks, ack) {
            acks.acknowledged(tag);
        }
        Ok(())
    }
    // ANCHOR_END: store

    async fn get_task_meta(
        &self,
        task_id: &str,
    ) -> Result<Option<TaskMeta>, BackendError> {
        let key = result_key(task_id);
        let raw: Option<String> = with_retry("reading a result", || {
            let mut conn = self.conn.clone();
            let key = key.clone();
            async move { redis::cmd("GET").arg(key).query_async(&mut conn).await }
        })
        .await?;
        match raw {
            None => Ok(None),
            Some(text) => Ok(from_python(&serde_json::from_str(&text)?)),
        }
    }

    async fn forget(&self, task_id: &str) -> Result<(), BackendError> {
        let mut conn = self.conn.clone();
        redis::cmd("DEL")
            .arg(result_key(task_id))
            .query_async::<()>(&mut conn)
            .await?;
        Ok(())
    }
}
