//! Chapter 4 · The `celery` crate's `Broker` trait on the reliable Redis
//! broker: consume, acknowledge, retry, send, close.

use async_trait::async_trait;
use celery::broker::{Broker, Delivery, DeliveryStream};
use celery::error::BrokerError;
use celery::protocol::Message;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

use super::{ReliableRedisBroker, consumer, delivery, restore};

#[async_trait]
impl Broker for ReliableRedisBroker {
    fn safe_url(&self) -> String {
        workbench::redact::url(&self.url)
    }

    async fn consume(
        &self,
        queue: &str,
        _error_handler: Box<dyn Fn(BrokerError) + Send + Sync + 'static>,
    ) -> Result<(String, Box<dyn DeliveryStream>), BrokerError> {
        self.start_housekeeping();
        let tag = uuid::Uuid::new_v4().to_string();
        let (stop, stopped) = watch::channel(false);
        let (tx, rx) = tokio::sync::mpsc::channel(1);
        let fetcher = consumer::Fetcher {
            client: self.client.clone(),
            conn: self.conn.clone(),
            queue: queue.to_owned(),
            slots: self.slots.clone(),
            ledger: self.ledger.clone(),
            acks: self.acks.clone(),
            stopped,
        };
        tokio::spawn(fetcher.run(tx));
        self.consumers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(tag.clone(), stop);
        Ok((tag, delivery::deliveries(rx)))
    }

    async fn cancel(&self, consumer_tag: &str) -> Result<(), BrokerError> {
        let stop = self
            .consumers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(consumer_tag);
        if let Some(stop) = stop {
            let _ = stop.send(true);
        }
        Ok(())
    }

    async fn ack(&self, delivery: &dyn Delivery) -> Result<(), BrokerError> {
        delivery.remove().await
    }

    async fn retry(
        &self,
        delivery: &dyn Delivery,
        eta: Option<DateTime<Utc>>,
    ) -> Result<(), BrokerError> {
        delivery.resend(self, eta).await
    }

    // ANCHOR: send
    async fn send(&self, message: &Message, queue: &str) -> Result<(), BrokerError> {
        let envelope = Self::envelope(message, queue)?;
        delivery::lpush(&self.conn, "sending a task", queue, envelope).await?;
        Ok(())
    }
    // ANCHOR_END: send

    async fn increase_prefetch_count(&self) -> Result<(), BrokerError> {
        self.slots.add_permits(1);
        Ok(())
    }

    async fn decrease_prefetch_count(&self) -> Result<(), BrokerError> {
        if let Ok(permit) = self.slots.acquire().await {
            permit.forget();
        }
        Ok(())
    }

    /// Stop fetching and give back every message still in hand, as kombu
    /// does at shutdown (`restore_at_shutdown`).
    async fn close(&self) -> Result<(), BrokerError> {
        for (_, stop) in self
            .consumers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .drain()
        {
            let _ = stop.send(true);
        }
        let held: Vec<String> = delivery::lock(&self.ledger).drain().collect();
        let mut conn = self.conn.clone();
        for tag in held {
            restore::restore_tag(&mut conn, &tag).await?;
        }
        Ok(())
    }

    async fn reconnect(&self, _connection_timeout: u32) -> Result<(), BrokerError> {
        let mut conn = self.conn.clone();
        redis::cmd("PING").query_async::<String>(&mut conn).await?;
        Ok(())
    }
}
