//! Chapter 4 · RabbitMQ, as in the book: the `celery` crate's AMQP broker,
//! with acknowledgements after the result is stored (acks late), so that
//! RabbitMQ itself redelivers the messages of a worker that dies.
//!
//! The crate leaves one gap: when the broker's connection drops, its
//! consumer stream ends and the worker loop never hears of it (the error
//! callback is a to-do in the crate). [`Reconnecting`] wraps the broker and
//! reports a lost stream as a connection error, so the crate's loop
//! reconnects with its retry delay and consumes again.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::{Context as _, Result};
use async_trait::async_trait;
use celery::broker::{
    AMQPBrokerBuilder, Broker, BrokerBuilder, Delivery, DeliveryError,
    DeliveryStream,
};
use celery::error::BrokerError;
use celery::protocol::Message;
use chrono::{DateTime, Utc};
use futures::Stream;

use crate::celery::connection::CONNECT_TIMEOUT;

// ANCHOR: connect
/// Connect to RabbitMQ at `url`, declaring `queue` (durable, as Python
/// Celery declares it), or fail within seconds saying what is missing.
pub async fn connect(
    url: &str,
    queue: &str,
    prefetch: u16,
) -> Result<Box<dyn Broker>> {
    let builder: Box<dyn BrokerBuilder> = Box::new(AMQPBrokerBuilder::new(url));
    let builder = builder.prefetch_count(prefetch).declare_queue(queue);
    let unreachable = || {
        format!(
            "cannot reach the AMQP broker at {}; is rabbitmq-server running there?",
            workbench::redact::url(url)
        )
    };
    let built = tokio::time::timeout(CONNECT_TIMEOUT, builder.build(2)).await;
    let broker = match built {
        Ok(Err(err)) => {
            let said = format!("{err} {err:?}");
            let check = "--broker / REDIS_URL";
            match workbench::redact::refused_credentials(
                "RabbitMQ", url, &said, check,
            ) {
                Some(refused) => anyhow::bail!(refused),
                None => Err(err).with_context(unreachable)?,
            }
        }
        Ok(Ok(broker)) => broker,
        Err(_) => Err(anyhow::anyhow!("no answer within {CONNECT_TIMEOUT:?}"))
            .with_context(unreachable)?,
    };
    Ok(Box::new(Reconnecting { inner: broker }))
}
// ANCHOR_END: connect

/// How often and how long a worker tries to get its broker back.
pub const RETRY_DELAY: Duration = Duration::from_secs(1);
pub const MAX_RETRIES: u32 = 60;

/// A broker whose consumer streams report their end as a lost connection.
pub struct Reconnecting {
    inner: Box<dyn Broker>,
}

impl std::fmt::Debug for Reconnecting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reconnecting")
            .field("broker", &self.inner.safe_url())
            .finish()
    }
}

type Item = Result<Box<dyn Delivery>, Box<dyn DeliveryError>>;
type Handler = Box<dyn Fn(BrokerError) + Send + Sync + 'static>;

/// The inner stream, watched: its end or an error is reported once.
struct Watched {
    inner: Box<dyn DeliveryStream>,
    on_error: Handler,
    reported: bool,
}

impl Stream for Watched {
    type Item = Item;
    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Item>> {
        if self.reported {
            return Poll::Pending;
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(delivery))) => Poll::Ready(Some(Ok(delivery))),
            Poll::Ready(Some(Err(err))) => {
                tracing::warn!("the AMQP consumer failed: {err}; reconnecting");
                self.reported = true;
                (self.on_error)(BrokerError::NotConnected);
                Poll::Pending
            }
            Poll::Ready(None) => {
                tracing::warn!("the AMQP consumer ended; reconnecting");
                self.reported = true;
                (self.on_error)(BrokerError::NotConnected);
                Poll::Pending
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl DeliveryStream for Watched {}

#[async_trait]
impl Broker for Reconnecting {
    fn safe_url(&self) -> String {
        self.inner.safe_url()
    }

    async fn consume(
        &self,
        queue: &str,
        error_handler: Handler,
    ) -> Result<(String, Box<dyn DeliveryStream>), BrokerError> {
        let (tag, inner) = self.inner.consume(queue, Box::new(|_| {})).await?;
        let watched = Watched {
            inner,
            on_error: error_handler,
            reported: false,
        };
        Ok((tag, Box::new(watched)))
    }

    async fn cancel(&self, consumer_tag: &str) -> Result<(), BrokerError> {
        self.inner.cancel(consumer_tag).await
    }

    async fn ack(&self, delivery: &dyn Delivery) -> Result<(), BrokerError> {
        self.inner.ack(delivery).await
    }

    async fn retry(
        &self,
        delivery: &dyn Delivery,
        eta: Option<DateTime<Utc>>,
    ) -> Result<(), BrokerError> {
        self.inner.retry(delivery, eta).await
    }

    async fn send(&self, message: &Message, queue: &str) -> Result<(), BrokerError> {
        self.inner.send(message, queue).await
    }

    async fn increase_prefetch_count(&self) -> Result<(), BrokerError> {
        self.inner.increase_prefetch_count().await
    }

    async fn decrease_prefetch_count(&self) -> Result<(), BrokerError> {
        self.inner.decrease_prefetch_count().await
    }

    async fn close(&self) -> Result<(), BrokerError> {
        self.inner.close().await
    }

    async fn reconnect(&self, connection_timeout: u32) -> Result<(), BrokerError> {
        self.inner.reconnect(connection_timeout).await
    }
}
