//! Chapter 4 · Chains on the worker: take `embed.chain` out of each message
//! before the `celery` crate parses it, remember it under the task's id,
//! and when the result backend stores that task's success, build the next
//! link's message.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use celery::broker::{Broker, Delivery};
use celery::error::BrokerError;
use celery::error::ProtocolError;
use celery::protocol::{Message, TryDeserializeMessage};
use serde_json::Value;

use super::{Link, Parent, link_message};

/// What is left of a chain after one of its tasks.
#[derive(Debug, Clone)]
struct Continuation {
    /// Last-to-run first, as in the message.
    rest: Vec<Link>,
    root_id: Option<String>,
}

/// The chains waiting on tasks this worker holds, by task id; shared by
/// the deliveries (which fill it) and the result backend (which empties
/// it). Also the tasks whose outcome the backend could not store (or whose
/// next link it could not send): their messages are handed back, not
/// acknowledged.
#[derive(Debug, Clone)]
pub struct Chains {
    waiting: Arc<Mutex<HashMap<String, Continuation>>>,
    unsettled: Arc<Mutex<HashSet<String>>>,
    queue: String,
}

impl Chains {
    /// Next links go to their `queue` option, else to `default_queue`.
    pub fn new(default_queue: &str) -> Self {
        Chains {
            waiting: Arc::default(),
            unsettled: Arc::default(),
            queue: default_queue.to_owned(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Continuation>> {
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    // ANCHOR: take
    /// Take the chain (and any other canvas this worker does not run) out
    /// of `message`'s body and remember it; the crate then sees a plain task.
    pub fn take(&self, message: &mut Message) -> Result<(), ProtocolError> {
        if message.properties.content_type != "application/json" {
            return Ok(());
        }
        let mut body: Value = serde_json::from_slice(&message.raw_body)?;
        let Some(embed) = body.get_mut(2).and_then(Value::as_object_mut) else {
            return Ok(()); // not [args, kwargs, embed]: the crate will judge
        };
        let chain = embed.insert("chain".into(), Value::Null);
        for other in ["callbacks", "errbacks", "chord"] {
            if embed.get(other).is_some_and(|v| !v.is_null()) {
                tracing::warn!("{}: ignoring its {other}", message.headers.id);
                embed.insert(other.into(), Value::Null);
            }
        }
        if let Some(chain) = chain.filter(|c| !c.is_null()) {
            let rest: Vec<Link> = serde_json::from_value(chain)?;
            if !rest.is_empty() {
                let root_id = message.headers.root_id.clone();
                let id = message.headers.id.clone();
                self.lock().insert(id, Continuation { rest, root_id });
            }
        }
        message.raw_body = serde_json::to_vec(&body)?;
        Ok(())
    }
    // ANCHOR_END: take

    // ANCHOR: next
    /// Task `task_id` succeeded with `result`: the next link's message and
    /// its queue, if the task was part of a chain.
    pub fn next(
        &self,
        task_id: &str,
        result: &Value,
    ) -> serde_json::Result<Option<(String, Message)>> {
        let Some(mut waiting) = self.lock().remove(task_id) else {
            return Ok(None);
        };
        let Some(link) = waiting.rest.pop() else {
            return Ok(None);
        };
        let parent = Parent {
            id: Some(task_id.to_owned()),
            root_id: waiting.root_id,
        };
        let message = link_message(&link, Some(result), &waiting.rest, &parent)?;
        let queue = match link.options.get("queue").and_then(Value::as_str) {
            Some(queue) => queue.to_owned(),
            None => self.queue.clone(),
        };
        Ok(Some((queue, message)))
    }
    // ANCHOR_END: next

    /// Task `task_id` failed (or will be retried, and its message bring
    /// the chain again): the rest of its chain does not run from here.
    pub fn forget(&self, task_id: &str) {
        self.lock().remove(task_id);
    }

    fn unsettled(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.unsettled
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Task `task_id` is done but its outcome is not recorded: hand its
    /// message back instead of acknowledging it.
    pub fn unsettle(&self, task_id: &str) {
        self.unsettled().insert(task_id.to_owned());
    }

    /// Is task `task_id` waiting to be handed back?
    pub fn is_unsettled(&self, task_id: &str) -> bool {
        self.unsettled().contains(task_id)
    }

    fn take_unsettled(&self, task_id: &str) -> bool {
        self.unsettled().remove(task_id)
    }

    /// Chains waiting on tasks in hand.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A delivery whose message has its chain taken out when it is read, and
/// which is handed back rather than acknowledged when its task's outcome
/// was not recorded.
pub struct Followed {
    pub(crate) inner: Box<dyn Delivery>,
    pub(crate) chains: Chains,
    /// The broker it came from, to hand it back through.
    pub(crate) broker: Arc<dyn Broker>,
}

crate::celery::debug_fields!(Followed { inner });

impl Followed {
    pub fn new(
        inner: Box<dyn Delivery>,
        chains: Chains,
        broker: Arc<dyn Broker>,
    ) -> Self {
        Followed {
            inner,
            chains,
            broker,
        }
    }

    // ANCHOR: hand_back
    /// If this message's outcome was not recorded, queue a copy (a retry)
    /// and return true: the caller then acknowledges the original. If even
    /// the copy cannot be queued the error is returned, and the original
    /// stays unacknowledged (on Redis it is restored after the visibility
    /// timeout; RabbitMQ redelivers it when this worker's channel closes).
    async fn hand_back(&self) -> Result<bool, BrokerError> {
        let Ok(message) = self.inner.try_deserialize_message() else {
            return Ok(false);
        };
        if !self.chains.take_unsettled(message.task_id()) {
            return Ok(false);
        }
        tracing::warn!(
            "{}: outcome not recorded; handing it back",
            message.task_id()
        );
        self.inner.resend(self.broker.as_ref(), None).await?;
        Ok(true)
    }
    // ANCHOR_END: hand_back
}

impl TryDeserializeMessage for Followed {
    fn try_deserialize_message(&self) -> Result<Message, ProtocolError> {
        let mut message = self.inner.try_deserialize_message()?;
        self.chains.take(&mut message)?;
        Ok(message)
    }
}

#[async_trait::async_trait]
impl Delivery for Followed {
    /// A retry resends the original message, chain and all.
    async fn resend(
        &self,
        broker: &dyn celery::broker::Broker,
        eta: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<(), celery::error::BrokerError> {
        self.inner.resend(broker, eta).await
    }

    async fn remove(&self) -> Result<(), celery::error::BrokerError> {
        self.hand_back().await?;
        self.inner.remove().await
    }

    async fn ack(&self) -> Result<(), celery::error::BrokerError> {
        self.hand_back().await?;
        self.inner.ack().await
    }
}
