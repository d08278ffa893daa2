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
use std::task::Poll;
use std::time::Duration;

use anyhow::{Context as _, Result};
use celery::broker::{AMQPBrokerBuilder, Broker, BrokerBuilder, DeliveryStream};
use celery::error::BrokerError;
use futures::Stream;

use crate::celery::connection::CONNECT_TIMEOUT;
use crate::celery::layer::{Consumed, Handler, Layer, Layered, Polled, Shared};

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
    Ok(Box::new(Reconnecting::wrap(broker, Reconnect)))
}
// ANCHOR_END: connect

/// How often and how long a worker tries to get its broker back.
pub const RETRY_DELAY: Duration = Duration::from_secs(1);
pub const MAX_RETRIES: u32 = 60;

/// A broker whose consumer streams report their end as a lost connection.
pub type Reconnecting = Layered<Reconnect>;

/// The layer of [`Reconnecting`]: each consumer's stream, watched, reports
/// its end or an error once, to the worker's error handler.
#[derive(Debug)]
pub struct Reconnect;

impl Layer for Reconnect {
    const NAME: &'static str = "Reconnecting";

    /// The inner consumer's errors are reported by its stream, below.
    fn inner_handler(&self, _on_error: &Shared) -> Handler {
        Box::new(|_| {})
    }

    fn deliveries(&self, consumed: Consumed) -> Box<dyn DeliveryStream> {
        let Consumed {
            mut stream,
            on_error,
            ..
        } = consumed;
        let mut reported = false;
        Polled::boxed(move |cx| {
            if reported {
                return Poll::Pending;
            }
            match Pin::new(&mut stream).poll_next(cx) {
                Poll::Ready(Some(Ok(delivery))) => Poll::Ready(Some(Ok(delivery))),
                Poll::Ready(Some(Err(err))) => {
                    tracing::warn!("the AMQP consumer failed: {err}; reconnecting");
                    reported = true;
                    on_error(BrokerError::NotConnected);
                    Poll::Pending
                }
                Poll::Ready(None) => {
                    tracing::warn!("the AMQP consumer ended; reconnecting");
                    reported = true;
                    on_error(BrokerError::NotConnected);
                    Poll::Pending
                }
                Poll::Pending => Poll::Pending,
            }
        })
    }
}
