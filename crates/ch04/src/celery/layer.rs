//! Chapter 4 · Under the hood: a broker wrapped in a [`Layer`] — the
//! `Broker` trait forwarded once, so that each wrapper (reconnecting,
//! following chains, watched by a monitor) says only what it adds.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use async_trait::async_trait;
use celery::broker::{Broker, Delivery, DeliveryError, DeliveryStream};
use celery::error::BrokerError;
use celery::protocol::Message;
use chrono::{DateTime, Utc};
use futures::Stream;

/// What a consumer's stream yields.
pub type Item = Result<Box<dyn Delivery>, Box<dyn DeliveryError>>;
/// The worker's callback for a consumer's lost connection.
pub type Handler = Box<dyn Fn(BrokerError) + Send + Sync + 'static>;

/// The worker's handler, shared between a layer and the broker inside it.
pub type Shared = Arc<dyn Fn(BrokerError) + Send + Sync + 'static>;

/// A delivery stream made of one polling function.
pub struct Polled<F>(F);

impl<F> Polled<F>
where
    F: FnMut(&mut Context<'_>) -> Poll<Option<Item>> + Unpin + Send + 'static,
{
    /// The stream that `poll` polls.
    pub fn boxed(poll: F) -> Box<dyn DeliveryStream> {
        Box::new(Polled(poll))
    }
}

impl<F> std::fmt::Debug for Polled<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Polled")
    }
}

impl<F> Stream for Polled<F>
where
    F: FnMut(&mut Context<'_>) -> Poll<Option<Item>> + Unpin,
{
    type Item = Item;
    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Item>> {
        (self.0)(cx)
    }
}

impl<F> DeliveryStream for Polled<F> where
    F: FnMut(&mut Context<'_>) -> Poll<Option<Item>> + Unpin + Send
{
}

/// A consumer of the inner broker, as a [`Layer`] gets it.
pub struct Consumed {
    /// The inner broker.
    pub broker: Arc<dyn Broker>,
    /// The inner consumer's stream.
    pub stream: Box<dyn DeliveryStream>,
    /// The worker's handler for a lost connection.
    pub on_error: Shared,
}

impl std::fmt::Debug for Consumed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consumed")
            .field("broker", &self.broker.safe_url())
            .finish_non_exhaustive()
    }
}

/// What a wrapper adds to the broker inside it; all the rest is forwarded.
pub trait Layer: Send + Sync + 'static {
    /// The wrapper's name in `Debug` output.
    const NAME: &'static str;

    /// The consumer's stream as this layer hands it on to the worker.
    fn deliveries(&self, consumed: Consumed) -> Box<dyn DeliveryStream>;

    /// The handler the inner broker's consumer gets: the worker's own.
    fn inner_handler(&self, on_error: &Shared) -> Handler {
        let on_error = on_error.clone();
        Box::new(move |err| on_error(err))
    }

    /// After `inner` was asked to acknowledge `delivery`.
    fn acked(&self, _delivery: &dyn Delivery, _acked: &Result<(), BrokerError>) {}

    /// After `inner` was asked to retry `delivery`.
    fn retried(&self, _delivery: &dyn Delivery, _retried: &Result<(), BrokerError>) {
    }
}

/// A broker inside a [`Layer`].
pub struct Layered<L> {
    inner: Arc<dyn Broker>,
    layer: L,
}

impl<L: Layer> Layered<L> {
    pub fn wrap(inner: Box<dyn Broker>, layer: L) -> Self {
        Layered {
            inner: inner.into(),
            layer,
        }
    }
}

impl<L: Layer> std::fmt::Debug for Layered<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(L::NAME)
            .field("broker", &self.inner.safe_url())
            .finish()
    }
}

#[async_trait]
impl<L: Layer> Broker for Layered<L> {
    fn safe_url(&self) -> String {
        self.inner.safe_url()
    }

    async fn consume(
        &self,
        queue: &str,
        error_handler: Handler,
    ) -> Result<(String, Box<dyn DeliveryStream>), BrokerError> {
        let on_error: Shared = error_handler.into();
        let inner_handler = self.layer.inner_handler(&on_error);
        let (tag, stream) = self.inner.consume(queue, inner_handler).await?;
        let broker = self.inner.clone();
        let consumed = Consumed {
            broker,
            stream,
            on_error,
        };
        Ok((tag, self.layer.deliveries(consumed)))
    }

    async fn cancel(&self, consumer_tag: &str) -> Result<(), BrokerError> {
        self.inner.cancel(consumer_tag).await
    }

    async fn ack(&self, delivery: &dyn Delivery) -> Result<(), BrokerError> {
        let acked = self.inner.ack(delivery).await;
        self.layer.acked(delivery, &acked);
        acked
    }

    async fn retry(
        &self,
        delivery: &dyn Delivery,
        eta: Option<DateTime<Utc>>,
    ) -> Result<(), BrokerError> {
        let retried = self.inner.retry(delivery, eta).await;
        self.layer.retried(delivery, &retried);
        retried
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
