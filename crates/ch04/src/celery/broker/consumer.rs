//! Chapter 4 · The worker side of the broker: wait for messages without
//! polling, take them atomically, hand them over.

use std::sync::Arc;
use std::time::Duration;

use celery::protocol::Delivery as Envelope;
use redis::aio::{ConnectionManager, MultiplexedConnection};
use redis::{AsyncConnectionConfig, Script};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};

use super::dead::{MAX_DELIVERIES, dead_letter, letter};
use super::delivery::{Acks, Item, Ledger, RedisDelivery, lock};
use super::keys::{DELIVERIES, UNACKED, UNACKED_INDEX, pop_and_record};
use super::restore::restore_tag;
use crate::celery::connection::is_transient;

/// Fetches messages of one queue while prefetch slots are free.
pub struct Fetcher {
    pub client: redis::Client,
    pub conn: ConnectionManager,
    pub queue: String,
    pub slots: Arc<Semaphore>,
    pub ledger: Ledger,
    pub acks: Acks,
    pub stopped: watch::Receiver<bool>,
}

/// At most this many messages are taken in one round trip.
pub const MAX_BATCH: usize = 16;

impl Fetcher {
    // ANCHOR: fetch
    pub async fn run(mut self, deliveries: mpsc::Sender<Item>) {
        let pop = pop_and_record();
        let mut waiter: Option<MultiplexedConnection> = None;
        let mut backoff = Duration::from_millis(50);
        let mut idle = false;
        loop {
            // Wait for one free prefetch slot, then take every other one
            // free now: that many messages come in one round trip.
            let mut slots = tokio::select! {
                slot = self.slots.clone().acquire_owned() => match slot {
                    Ok(slot) => vec![slot],
                    Err(_) => return,
                },
                _ = self.stopped.changed() => return,
            };
            while slots.len() < MAX_BATCH {
                let Ok(slot) = self.slots.clone().try_acquire_owned() else {
                    break;
                };
                slots.push(slot);
            }
            // ANCHOR: take
            // An idle worker waits and pops in one round trip (see
            // `wait_then_pop`); a busy one pops straight away.
            let popped = loop {
                if *self.stopped.borrow() {
                    return;
                }
                let attempt = if idle {
                    self.wait_then_pop(&mut waiter, &pop, slots.len()).await
                } else {
                    pop.key(&self.queue)
                        .key(UNACKED)
                        .key(UNACKED_INDEX)
                        .key(DELIVERIES)
                        .arg(slots.len())
                        .invoke_async::<Vec<String>>(&mut self.conn.clone())
                        .await
                };
                match attempt {
                    Ok(popped) if !popped.is_empty() => {
                        idle = false;
                        break popped;
                    }
                    Ok(_) => {
                        idle = true;
                        backoff = Duration::from_millis(50);
                    }
                    Err(err) => {
                        let level =
                            if is_transient(&err) { "lost" } else { "error" };
                        tracing::warn!("broker {level} on {}: {err}", self.queue);
                        // The plain pop loads the script again if a
                        // restarted server has forgotten it.
                        idle = false;
                        waiter = None;
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(2));
                    }
                }
            };
            // ANCHOR_END: take
            let mut popped = popped.into_iter();
            while let (Some(raw), Some(tag), Some(count), Some(slot)) =
                (popped.next(), popped.next(), popped.next(), slots.pop())
            {
                let count = count.parse().unwrap_or(0);
                if !self.hand_over(raw, tag, count, slot, &deliveries).await {
                    return;
                }
            }
        }
    }
    // ANCHOR_END: fetch

    /// Give one taken message (delivered `count` times) to the worker, or
    /// reject it, or dead-letter it; false when the worker has stopped
    /// consuming.
    async fn hand_over(
        &mut self,
        raw: String,
        tag: String,
        count: u32,
        slot: OwnedSemaphorePermit,
        deliveries: &mpsc::Sender<Item>,
    ) -> bool {
        crate::traced::note(&raw); // its traceparent, if tracing
        let delivery = match serde_json::from_str::<Envelope>(&raw) {
            Ok(envelope) if !tag.is_empty() && count > MAX_DELIVERIES => {
                self.bury(&raw, &tag, &envelope).await;
                return true;
            }
            Ok(envelope) if !tag.is_empty() => RedisDelivery {
                envelope,
                raw,
                tag,
                queue: self.queue.clone(),
                conn: self.conn.clone(),
                ledger: self.ledger.clone(),
                acks: self.acks.clone(),
                _slot: slot,
            },
            outcome => {
                self.reject(&raw, &tag, outcome.err()).await;
                return true;
            }
        };
        lock(&self.ledger).insert(delivery.tag.clone());
        self.acks.hold(&delivery.envelope.headers.id, &delivery.tag);
        let tag = delivery.tag.clone();
        if deliveries.send(Ok(Box::new(delivery))).await.is_err() {
            // The worker stopped consuming: give the message back.
            lock(&self.ledger).remove(&tag);
            let _ = restore_tag(&mut self.conn, &tag).await;
            return false;
        }
        true
    }

    // ANCHOR: wait
    /// Wait until the queue is not empty (or a second has passed), then pop,
    /// in one round trip: `BLMOVE q q RIGHT RIGHT` blocks until a message
    /// arrives and moves the last element onto itself, taking nothing; the
    /// pop script, pipelined behind it on the same connection, runs the
    /// moment it returns. Waiting first and popping second would cost a
    /// round trip more on every message that finds the worker idle.
    async fn wait_then_pop(
        &self,
        waiter: &mut Option<MultiplexedConnection>,
        pop: &Script,
        count: usize,
    ) -> redis::RedisResult<Vec<String>> {
        if waiter.is_none() {
            let config = AsyncConnectionConfig::new()
                .set_connection_timeout(Duration::from_secs(2))
                .set_response_timeout(Duration::from_secs(5));
            let conn = self
                .client
                .get_multiplexed_async_connection_with_config(&config)
                .await?;
            *waiter = Some(conn);
        }
        let Some(conn) = waiter.as_mut() else {
            return Ok(Vec::new());
        };
        // ANCHOR: pipeline
        let mut pipe = redis::pipe();
        pipe.cmd("BLMOVE")
            .arg(&self.queue)
            .arg(&self.queue)
            .arg("RIGHT")
            .arg("RIGHT")
            .arg(1.0)
            .ignore();
        pipe.cmd("EVALSHA")
            .arg(pop.get_hash())
            .arg(4)
            .arg(&self.queue)
            .arg(UNACKED)
            .arg(UNACKED_INDEX)
            .arg(DELIVERIES)
            .arg(count);
        let query = pipe.query_async::<(Vec<String>,)>(conn);
        // ANCHOR_END: pipeline
        tokio::pin!(query);
        let mut stopped = self.stopped.clone();
        tokio::select! {
            popped = &mut query => popped.map(|(popped,)| popped),
            _ = stopped.changed() => {
                // The pop may be on its way already: let it finish (within
                // the second BLMOVE waits) and give back what it took.
                if let Ok((popped,)) = query.await {
                    let mut conn = self.conn.clone();
                    for tag in popped.iter().skip(1).step_by(3) {
                        if !tag.is_empty() {
                            let _ = restore_tag(&mut conn, tag).await;
                        }
                    }
                }
                Ok(Vec::new())
            }
        }
    }
    // ANCHOR_END: wait

    // ANCHOR: bury
    /// A message delivered too often: to the dead-letter list, with a
    /// failure for its client. Should that fail, the message stays in
    /// `unacked` (not in this worker's ledger): it is restored after the
    /// visibility timeout and tried again.
    async fn bury(&mut self, raw: &str, tag: &str, envelope: &Envelope) {
        let (id, task) = (&envelope.headers.id, &envelope.headers.task);
        let letter = letter(&self.queue, id, task, raw);
        match dead_letter(&mut self.conn, &self.queue, tag, id, &letter).await {
            Ok(()) => tracing::error!(
                "{task}[{id}] dead-lettered on {}: delivered {MAX_DELIVERIES} \
                 times without an acknowledgement",
                self.queue
            ),
            Err(err) => tracing::error!("dead-lettering {task}[{id}]: {err}"),
        }
    }
    // ANCHOR_END: bury

    /// A message that is not a Celery envelope: log it and drop it.
    async fn reject(
        &mut self,
        raw: &str,
        tag: &str,
        why: Option<serde_json::Error>,
    ) {
        let shown: String = raw.chars().take(120).collect();
        let why = why.map_or("no delivery tag".to_owned(), |e| e.to_string());
        tracing::error!(
            "rejecting a malformed message on {}: {why}: {shown}",
            self.queue
        );
        if !tag.is_empty() {
            let mut pipe = redis::pipe();
            pipe.zrem(UNACKED_INDEX, tag).hdel(UNACKED, tag);
            pipe.hdel(DELIVERIES, tag);
            let _ = pipe.query_async::<()>(&mut self.conn).await;
        }
    }
}
