//! Chapter 4 · The client: send tasks, then wait for their results the way
//! Python's `AsyncResult.get()` does — subscribed to each result's channel,
//! not polling.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use celery::broker::Broker;
use celery::protocol::Message;
use celery::task::{Signature, Task};
use redis::aio::{ConnectionManager, PubSubSink, PubSubStream};

use crate::celery::broker::ReliableRedisBroker;
use crate::celery::connection::{connect, with_retry};

mod chains;
mod outcome;
mod waiting;

pub use outcome::Outcome;

/// A queue at a glance (see [`Client::status`]).
#[derive(Debug, Clone)]
pub struct Status {
    pub queued: usize,
    pub unacked: usize,
    /// Each dead letter: `task_id`, `task`, `deliveries`, `reason`,
    /// `when`, and the `message` itself.
    pub dead: Vec<serde_json::Value>,
}

/// A client of one queue, on a Redis broker or on RabbitMQ with Redis
/// for the results.
pub struct Client {
    client: redis::Client,
    conn: ConnectionManager,
    amqp: Option<Box<dyn Broker>>,
    queue: String,
    results: tokio::sync::Mutex<Option<(PubSubSink, PubSubStream)>>,
}

crate::celery::debug_fields!(Client { queue });

impl Client {
    /// Connect to the broker at `url`; an absent broker is an error
    /// within seconds.
    pub async fn connect(url: &str, queue: &str) -> Result<Self> {
        let (client, conn) = connect(url).await?;
        Ok(Client {
            client,
            conn,
            amqp: None,
            queue: queue.to_owned(),
            results: tokio::sync::Mutex::new(None),
        })
    }

    /// Send through RabbitMQ at `amqp_url`, read results from the Redis
    /// at `backend_url` (the book's set-up).
    pub async fn connect_amqp(
        amqp_url: &str,
        backend_url: &str,
        queue: &str,
    ) -> Result<Self> {
        let mut client = Self::connect(backend_url, queue).await?;
        client.amqp = Some(crate::celery::amqp::connect(amqp_url, queue, 1).await?);
        Ok(client)
    }

    /// Send built messages: one pipelined `LPUSH` on Redis, one publish
    /// each on RabbitMQ.
    pub async fn send_messages(&self, messages: &[Message]) -> Result<()> {
        let Some(amqp) = &self.amqp else {
            let envelopes = messages
                .iter()
                .map(|m| ReliableRedisBroker::envelope(m, &self.queue))
                .collect::<Result<Vec<_>, _>>()?;
            return self.push(&envelopes).await;
        };
        for message in messages {
            amqp.send(message, &self.queue)
                .await
                .context("publishing a task to RabbitMQ")?;
        }
        Ok(())
    }

    /// The task's id and its message, ready to queue.
    pub fn message<T: Task>(
        &self,
        signature: Signature<T>,
    ) -> Result<(String, String)> {
        let message = Message::try_from(signature).context("building a message")?;
        let envelope = ReliableRedisBroker::envelope(&message, &self.queue)?;
        Ok((message.task_id().to_owned(), envelope))
    }

    /// Queue messages in one pipelined round trip.
    pub async fn push(&self, envelopes: &[String]) -> Result<()> {
        with_retry("sending tasks", || {
            let mut conn = self.conn.clone();
            let mut pipe = redis::pipe();
            for envelope in envelopes {
                pipe.lpush(&self.queue, envelope).ignore();
            }
            async move { pipe.query_async::<()>(&mut conn).await }
        })
        .await
        .context("sending tasks to the broker")
    }

    /// Send one task (Python: `task.delay(...)`); returns its id.
    pub async fn send<T: Task>(&self, signature: Signature<T>) -> Result<String> {
        let message = Message::try_from(signature).context("building a message")?;
        self.send_messages(std::slice::from_ref(&message)).await?;
        Ok(message.task_id().to_owned())
    }

    // ANCHOR: run_all
    /// Send every task and wait for all of their outcomes (a Celery
    /// `group`), in order. Subscribing to the results and sending the
    /// tasks happen at the same time; whatever was published before the
    /// subscription took effect is read back from the stored results.
    pub async fn run_all<T: Task>(
        &self,
        signatures: Vec<Signature<T>>,
        timeout: Duration,
    ) -> Result<Vec<Outcome>> {
        let mut ids = Vec::with_capacity(signatures.len());
        let mut messages = Vec::with_capacity(signatures.len());
        for signature in signatures {
            let message =
                Message::try_from(signature).context("building a message")?;
            ids.push(message.task_id().to_owned());
            messages.push(message);
        }
        self.collect(&ids, self.send_messages(&messages), timeout)
            .await
    }
    // ANCHOR_END: run_all

    /// One task, waited for (Python: `task.delay(...).get(timeout=...)`).
    pub async fn call<T: Task>(
        &self,
        signature: Signature<T>,
        timeout: Duration,
    ) -> Result<Outcome> {
        let mut outcomes = self.run_all(vec![signature], timeout).await?;
        outcomes.pop().context("no outcome")
    }

    /// Wait for tasks sent earlier.
    pub async fn wait(
        &self,
        ids: &[String],
        timeout: Duration,
    ) -> Result<Vec<Outcome>> {
        self.collect(ids, async { Ok(()) }, timeout).await
    }

    /// Has the task finished (Python: `result.ready()`)?
    pub async fn ready(&self, id: &str) -> Result<bool> {
        Ok(self.stored(&[id.to_owned()]).await?[0].is_some())
    }

    /// Throw away every task waiting in the queue (Python: `app.control.purge()`);
    /// returns how many there were.
    pub async fn purge(&self) -> Result<usize> {
        anyhow::ensure!(self.amqp.is_none(), "purge is implemented for Redis only");
        let mut conn = self.conn.clone();
        let (count, _): (usize, ()) = redis::pipe()
            .atomic()
            .llen(&self.queue)
            .del(&self.queue)
            .query_async(&mut conn)
            .await?;
        Ok(count)
    }

    /// Messages waiting in the queue.
    pub async fn queued(&self) -> Result<usize> {
        anyhow::ensure!(self.amqp.is_none(), "queued is implemented for Redis only");
        let mut conn = self.conn.clone();
        Ok(redis::cmd("LLEN")
            .arg(&self.queue)
            .query_async(&mut conn)
            .await?)
    }

    /// The queue at a glance (the `status` example): messages waiting,
    /// delivered and not yet acknowledged (all queues), and the queue's
    /// dead letters, newest first.
    pub async fn status(&self) -> Result<Status> {
        anyhow::ensure!(self.amqp.is_none(), "status is implemented for Redis only");
        let mut conn = self.conn.clone();
        let (queued, unacked, letters): (usize, usize, Vec<String>) = redis::pipe()
            .llen(&self.queue)
            .hlen(crate::celery::broker::keys::UNACKED)
            .lrange(crate::celery::broker::keys::dead(&self.queue), 0, -1)
            .query_async(&mut conn)
            .await
            .context("reading the queue's status")?;
        let dead = letters
            .iter()
            .map(|letter| serde_json::from_str(letter).unwrap_or_default())
            .collect();
        Ok(Status {
            queued,
            unacked,
            dead,
        })
    }

    /// One PING round trip to the broker.
    pub async fn ping(&self) -> Result<Duration> {
        let mut conn = self.conn.clone();
        let start = Instant::now();
        redis::cmd("PING").query_async::<String>(&mut conn).await?;
        Ok(start.elapsed())
    }
}
