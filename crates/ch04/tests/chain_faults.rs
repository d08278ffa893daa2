//! Chapter 4 · Faults: a chain's next link that cannot be sent (RabbitMQ
//! path: the next link goes through a broker connection of its own). The
//! task must not count as done: its result is not stored and its message
//! is not acknowledged, so it runs again and sends the link then.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use celery::backend::{ResultBackend, TaskMeta, TaskState};
use celery::broker::{Broker, Delivery, DeliveryStream};
use celery::error::{BrokerError, ProtocolError};
use celery::protocol::{Message, TryDeserializeMessage};
use ch04::celery::backend::PublishingBackend;
use ch04::celery::chain::follow::{Chains, Followed};
use ch04::celery::chain::next::NextLink;
use ch04::celery::chain::{Chain, Link};
use ch04::tasks::fib;
use chrono::{DateTime, Utc};
use serde_json::json;
use workbench::services::RedisServer;

/// A broker whose connection is gone: every send and reconnect fails.
struct Unreachable;

#[async_trait]
impl Broker for Unreachable {
    fn safe_url(&self) -> String {
        "amqp://unreachable".into()
    }
    async fn consume(
        &self,
        _: &str,
        _: Box<dyn Fn(BrokerError) + Send + Sync + 'static>,
    ) -> Result<(String, Box<dyn DeliveryStream>), BrokerError> {
        Err(BrokerError::NotConnected)
    }
    async fn cancel(&self, _: &str) -> Result<(), BrokerError> {
        Ok(())
    }
    async fn ack(&self, _: &dyn Delivery) -> Result<(), BrokerError> {
        Err(BrokerError::NotConnected)
    }
    async fn retry(
        &self,
        _: &dyn Delivery,
        _: Option<DateTime<Utc>>,
    ) -> Result<(), BrokerError> {
        Err(BrokerError::NotConnected)
    }
    async fn send(&self, _: &Message, _: &str) -> Result<(), BrokerError> {
        Err(BrokerError::NotConnected)
    }
    async fn increase_prefetch_count(&self) -> Result<(), BrokerError> {
        Ok(())
    }
    async fn decrease_prefetch_count(&self) -> Result<(), BrokerError> {
        Ok(())
    }
    async fn close(&self) -> Result<(), BrokerError> {
        Ok(())
    }
    async fn reconnect(&self, _: u32) -> Result<(), BrokerError> {
        Err(BrokerError::NotConnected)
    }
}

#[test]
fn a_next_link_that_cannot_be_sent_leaves_the_task_undone() {
    let redis = RedisServer::start().expect("redis-server");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let (_, conn) = ch04::celery::connection::connect(&redis.url())
            .await
            .expect("c");
        let chains = Chains::new("celery");
        let chain = Chain::new(vec![
            Link::to::<fib>(vec![json!(6)]),
            Link::to::<fib>(vec![]),
        ]);
        let mut first = chain.first_message().expect("json").expect("a link");
        chains.take(&mut first).expect("the chain is taken");
        let id = chain.ids()[0].clone();
        let backend = PublishingBackend::new(conn.clone())
            .follow_chains(chains.clone(), NextLink::Broker(Arc::new(Unreachable)));
        let meta = TaskMeta {
            task_id: id.clone(),
            status: TaskState::Success,
            result: Some(json!(8)),
            traceback: None,
            children: Vec::new(),
            date_done: Some(Utc::now()),
            retries: None,
            eta: None,
            meta: None,
        };
        let stored = backend.store_task_meta(meta).await;
        assert!(
            stored.is_err(),
            "the next link was dropped, yet the task's outcome was stored"
        );
        let result = backend.get_task_meta(&id).await.expect("read back");
        assert!(result.is_none(), "a result stored without its next link");
        assert!(
            chains.is_unsettled(&id),
            "the message would be acknowledged"
        );
    });
}

/// A delivery of `message` that records what is done with it and, like
/// the AMQP one, resends through the broker it is given.
#[derive(Debug)]
struct Recorded {
    message: Message,
    calls: Arc<Mutex<Vec<&'static str>>>,
}

impl TryDeserializeMessage for Recorded {
    fn try_deserialize_message(&self) -> Result<Message, ProtocolError> {
        Ok(self.message.clone())
    }
}

#[async_trait]
impl Delivery for Recorded {
    async fn resend(
        &self,
        broker: &dyn Broker,
        _: Option<DateTime<Utc>>,
    ) -> Result<(), BrokerError> {
        self.calls.lock().expect("calls").push("resend");
        broker.send(&self.message, "celery").await
    }
    async fn remove(&self) -> Result<(), BrokerError> {
        self.calls.lock().expect("calls").push("remove");
        Ok(())
    }
    async fn ack(&self) -> Result<(), BrokerError> {
        self.calls.lock().expect("calls").push("ack");
        Ok(())
    }
}

#[test]
fn an_unsettled_task_is_handed_back_and_never_acked_without_its_copy() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let chains = Chains::new("celery");
        let chain = Chain::new(vec![Link::to::<fib>(vec![json!(6)])]);
        let message = chain.first_message().expect("json").expect("a link");
        let calls = Arc::new(Mutex::new(Vec::new()));
        let delivery = Recorded {
            message: message.clone(),
            calls: calls.clone(),
        };
        let followed =
            Followed::new(Box::new(delivery), chains.clone(), Arc::new(Unreachable));
        // Settled: acknowledged as usual.
        followed.ack().await.expect("acked");
        assert_eq!(*calls.lock().expect("calls"), ["ack"]);
        // Unsettled, and the copy cannot be sent: not acknowledged.
        chains.unsettle(message.task_id());
        assert!(followed.ack().await.is_err(), "acked without a copy");
        assert_eq!(*calls.lock().expect("calls"), ["ack", "resend"]);
    });
}
