//! Chapter 4 · The worker's broker and result backend, each wrapped so
//! that a [`Monitor`] sees every message and every stored state.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use async_trait::async_trait;
use celery::backend::{ResultBackend, TaskMeta};
use celery::broker::{Broker, Delivery, DeliveryError, DeliveryStream};
use celery::error::{BackendError, BrokerError};
use celery::protocol::Message;
use chrono::{DateTime, Utc};
use futures::Stream;

use super::watch::Monitor;

type Item = Result<Box<dyn Delivery>, Box<dyn DeliveryError>>;
type Handler = Box<dyn Fn(BrokerError) + Send + Sync + 'static>;

/// Any broker, its deliveries, retries and acknowledgements watched.
pub struct Watched {
    inner: Arc<dyn Broker>,
    monitor: Monitor,
}

impl Watched {
    pub fn new(inner: Box<dyn Broker>, monitor: Monitor) -> Self {
        Watched {
            inner: inner.into(),
            monitor,
        }
    }
}

impl std::fmt::Debug for Watched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watched")
            .field("broker", &self.inner.safe_url())
            .finish()
    }
}

struct Deliveries {
    inner: Box<dyn DeliveryStream>,
    monitor: Monitor,
}

impl Stream for Deliveries {
    type Item = Item;
    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Item>> {
        let next = Pin::new(&mut self.inner).poll_next(cx);
        if let Poll::Ready(Some(Ok(delivery))) = &next {
            self.monitor.received(delivery.as_ref());
        }
        next
    }
}

impl DeliveryStream for Deliveries {}

/// A delivery's task id and retry count.
fn task_id(delivery: &dyn Delivery) -> Option<(String, u32)> {
    let message = delivery.try_deserialize_message().ok()?;
    Some((message.headers.id, message.headers.retries.unwrap_or(0)))
}

#[async_trait]
impl Broker for Watched {
    fn safe_url(&self) -> String {
        self.inner.safe_url()
    }

    async fn consume(
        &self,
        queue: &str,
        error_handler: Handler,
    ) -> Result<(String, Box<dyn DeliveryStream>), BrokerError> {
        let (tag, inner) = self.inner.consume(queue, error_handler).await?;
        let monitor = self.monitor.clone();
        Ok((tag, Box::new(Deliveries { inner, monitor })))
    }

    async fn cancel(&self, consumer_tag: &str) -> Result<(), BrokerError> {
        self.inner.cancel(consumer_tag).await
    }

    async fn ack(&self, delivery: &dyn Delivery) -> Result<(), BrokerError> {
        let acked = self.inner.ack(delivery).await;
        if let Some((id, retries)) = task_id(delivery) {
            self.monitor.settled(&id, retries);
        }
        acked
    }

    async fn retry(
        &self,
        delivery: &dyn Delivery,
        eta: Option<DateTime<Utc>>,
    ) -> Result<(), BrokerError> {
        let retried = self.inner.retry(delivery, eta).await;
        if let Some((id, retries)) = task_id(delivery).filter(|_| retried.is_ok()) {
            self.monitor.retried(&id, retries);
        }
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

/// Any result backend, every state it is asked to store watched.
#[derive(Debug)]
pub struct WatchedBackend<B> {
    inner: B,
    monitor: Monitor,
}

impl<B> WatchedBackend<B> {
    pub fn new(inner: B, monitor: Monitor) -> Self {
        WatchedBackend { inner, monitor }
    }
}

#[async_trait]
impl<B: ResultBackend> ResultBackend for WatchedBackend<B> {
    async fn store_task_meta(&self, meta: TaskMeta) -> Result<(), BackendError> {
        self.monitor.stored(&meta);
        self.inner.store_task_meta(meta).await
    }

    async fn get_task_meta(
        &self,
        task_id: &str,
    ) -> Result<Option<TaskMeta>, BackendError> {
        self.inner.get_task_meta(task_id).await
    }

    async fn forget(&self, task_id: &str) -> Result<(), BackendError> {
        self.inner.forget(task_id).await
    }
}
