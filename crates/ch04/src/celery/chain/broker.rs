//! Chapter 4 · Any broker, with every delivery it hands the worker wrapped
//! so that chains are taken out of the messages (Redis and RabbitMQ alike).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use async_trait::async_trait;
use celery::broker::{Broker, Delivery, DeliveryError, DeliveryStream};
use celery::error::BrokerError;
use celery::protocol::Message;
use chrono::{DateTime, Utc};
use futures::Stream;

use super::follow::{Chains, Followed};

type Item = Result<Box<dyn Delivery>, Box<dyn DeliveryError>>;
type Handler = Box<dyn Fn(BrokerError) + Send + Sync + 'static>;

/// The worker's broker, following chains.
pub struct Following {
    inner: Arc<dyn Broker>,
    chains: Chains,
}

impl Following {
    pub fn new(inner: Box<dyn Broker>, chains: Chains) -> Self {
        Following {
            inner: inner.into(),
            chains,
        }
    }
}

impl std::fmt::Debug for Following {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Following")
            .field("broker", &self.inner.safe_url())
            .finish()
    }
}

struct Deliveries {
    inner: Box<dyn DeliveryStream>,
    chains: Chains,
    broker: Arc<dyn Broker>,
}

impl Stream for Deliveries {
    type Item = Item;
    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Item>> {
        let (chains, broker) = (self.chains.clone(), self.broker.clone());
        Pin::new(&mut self.inner).poll_next(cx).map(|next| {
            next.map(|item| {
                item.map(|inner| Box::new(Followed::new(inner, chains, broker)) as _)
            })
        })
    }
}

impl DeliveryStream for Deliveries {}

#[async_trait]
impl Broker for Following {
    fn safe_url(&self) -> String {
        self.inner.safe_url()
    }

    async fn consume(
        &self,
        queue: &str,
        error_handler: Handler,
    ) -> Result<(String, Box<dyn DeliveryStream>), BrokerError> {
        let (tag, inner) = self.inner.consume(queue, error_handler).await?;
        let (chains, broker) = (self.chains.clone(), self.inner.clone());
        Ok((
            tag,
            Box::new(Deliveries {
                inner,
                chains,
                broker,
            }),
        ))
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
