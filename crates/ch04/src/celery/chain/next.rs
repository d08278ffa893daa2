//! Chapter 4 · Sending a chain's next link from the worker: into the
//! results' Redis when that is the broker too, else through a broker.

use std::sync::Arc;

use celery::broker::Broker;
use celery::error::BrokerError;
use celery::protocol::Message;

/// How a chain's next link is sent.
#[derive(Clone)]
pub enum NextLink {
    /// Pushed onto the queue in this Redis, atomically with the result.
    SameRedis,
    /// Published through this broker (RabbitMQ) before the result is stored.
    Broker(Arc<dyn Broker>),
}

impl std::fmt::Debug for NextLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NextLink::SameRedis => f.write_str("SameRedis"),
            NextLink::Broker(broker) => write!(f, "Broker({})", broker.safe_url()),
        }
    }
}

// ANCHOR: send_next
/// Publish a chain's next link; after a lost connection, reconnect once
/// and try again (the crate's AMQP broker does not reconnect by itself).
/// An error means the link was not sent: the task before it must not be
/// acknowledged (see `PublishingBackend::store_task_meta`).
pub async fn send_next(
    broker: &dyn Broker,
    message: &Message,
    queue: &str,
) -> Result<(), BrokerError> {
    if broker.send(message, queue).await.is_ok() {
        return Ok(());
    }
    broker.reconnect(5).await?;
    broker.send(message, queue).await
}
// ANCHOR_END: send_next
