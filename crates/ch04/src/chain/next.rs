//! Chapter 4 · Sending a chain's next link from the worker: into the
//! results' Redis when that is the broker too, else through a broker.

use std::sync::Arc;

use celery::broker::Broker;
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

/// Publish a chain's next link; after a lost connection, reconnect once
/// and try again (the crate's AMQP broker does not reconnect by itself).
pub async fn send_next(broker: &dyn Broker, message: &Message, queue: &str) {
    if broker.send(message, queue).await.is_ok() {
        return;
    }
    let again = match broker.reconnect(5).await {
        Ok(()) => broker.send(message, queue).await,
        Err(err) => Err(err),
    };
    if let Err(err) = again {
        tracing::error!("{}: the next link was not sent: {err}", message.task_id());
    }
}
