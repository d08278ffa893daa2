//! Chapter 4 · The worker's broker and result backend, each wrapped so
//! that a [`Monitor`] sees every message and every stored state.

use std::pin::Pin;
use std::task::Poll;

use async_trait::async_trait;
use celery::backend::{ResultBackend, TaskMeta};
use celery::broker::{Delivery, DeliveryStream};
use celery::error::{BackendError, BrokerError};
use futures::Stream;

use super::watch::Monitor;
use crate::celery::layer::{Consumed, Layer, Polled};

/// The layer that watches any broker: the monitor hears of every message
/// received, acknowledged or retried.
#[derive(Debug)]
pub struct Watch(pub Monitor);

/// A delivery's task id and retry count.
fn task_id(delivery: &dyn Delivery) -> Option<(String, u32)> {
    let message = delivery.try_deserialize_message().ok()?;
    Some((message.headers.id, message.headers.retries.unwrap_or(0)))
}

impl Layer for Watch {
    const NAME: &'static str = "Watched";

    fn deliveries(&self, consumed: Consumed) -> Box<dyn DeliveryStream> {
        let mut stream = consumed.stream;
        let monitor = self.0.clone();
        Polled::boxed(move |cx| {
            let next = Pin::new(&mut stream).poll_next(cx);
            if let Poll::Ready(Some(Ok(delivery))) = &next {
                monitor.received(delivery.as_ref());
            }
            next
        })
    }

    fn acked(&self, delivery: &dyn Delivery, _acked: &Result<(), BrokerError>) {
        if let Some((id, retries)) = task_id(delivery) {
            self.0.settled(&id, retries);
        }
    }

    fn retried(&self, delivery: &dyn Delivery, retried: &Result<(), BrokerError>) {
        if let Some((id, retries)) = task_id(delivery).filter(|_| retried.is_ok()) {
            self.0.retried(&id, retries);
        }
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
