//! Chapter 4 · Waiting for results: subscribed to their channels, with
//! the stored results read back for whatever was published before the
//! subscription, and a new subscription when the connection is lost.
//! The whole wait — sending, subscribing, reading back — has one
//! deadline: a stalled broker (stopped, paused, black-holed) that accepts
//! connections and answers nothing is a time-out error, not a hang.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use futures::StreamExt;
use redis::aio::{PubSubSink, PubSubStream};
use serde_json::Value;

use super::{Client, Outcome};
use crate::celery::connection::with_retry;
use crate::celery::meta::result_key;

impl Client {
    /// The finished outcomes already stored for `ids`.
    pub(super) async fn stored(
        &self,
        ids: &[String],
    ) -> Result<Vec<Option<Outcome>>> {
        let keys: Vec<String> = ids.iter().map(|id| result_key(id)).collect();
        let docs: Vec<Option<String>> = with_retry("reading results", || {
            let mut conn = self.conn.clone();
            let keys = keys.clone();
            async move { redis::cmd("MGET").arg(keys).query_async(&mut conn).await }
        })
        .await?;
        Ok(docs
            .into_iter()
            .map(|doc| {
                Outcome::from_document(&serde_json::from_str(doc.as_deref()?).ok()?)
            })
            .collect())
    }

    // ANCHOR: deadline
    /// Send (`sending`) and wait for the outcomes of `ids`, all within
    /// `timeout`.
    pub(super) async fn collect(
        &self,
        ids: &[String],
        sending: impl Future<Output = Result<()>>,
        timeout: Duration,
    ) -> Result<Vec<Outcome>> {
        let deadline = tokio::time::Instant::now() + timeout;
        let timed_out = || {
            anyhow::anyhow!(
                "timed out after {timeout:?}: {} results missing (the broker \
                 did not answer in time)",
                ids.len()
            )
        };
        let Ok(mut guard) =
            tokio::time::timeout_at(deadline, self.results.lock()).await
        else {
            return Err(timed_out());
        };
        let waiting = self.collect_by(&mut guard, ids, sending, timeout, deadline);
        let waited = tokio::time::timeout_at(deadline, waiting).await;
        match waited {
            Ok(outcomes) => outcomes,
            Err(_) => {
                *guard = None; // a subscription in an unknown state
                Err(timed_out())
            }
        }
    }
    // ANCHOR_END: deadline

    async fn collect_by(
        &self,
        guard: &mut Option<(PubSubSink, PubSubStream)>,
        ids: &[String],
        sending: impl Future<Output = Result<()>>,
        timeout: Duration,
        deadline: tokio::time::Instant,
    ) -> Result<Vec<Outcome>> {
        let channels: Vec<String> = ids.iter().map(|id| result_key(id)).collect();
        let mut done: HashMap<String, Outcome> = HashMap::new();
        let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let (subscription, sent) =
            tokio::join!(self.subscribe(guard, &channels), sending);
        sent?;
        let mut subscribed = subscription.is_ok();
        loop {
            if !subscribed {
                self.resubscribe(guard, ids, &done, deadline).await?;
            }
            let Some((_, stream)) = guard.as_mut() else {
                subscribed = false;
                continue;
            };
            // A result published before the subscription took effect is
            // only in its key: read the keys back. Whichever comes first,
            // the stored copy or the published one, counts; a result that
            // has already arrived does not wait for the read.
            let missing: Vec<String> = ids
                .iter()
                .filter(|id| !done.contains_key(*id))
                .cloned()
                .collect();
            let catch_up = self.stored(&missing);
            tokio::pin!(catch_up);
            let mut caught_up = missing.is_empty();
            let mut lost = false;
            while done.len() < ids.len() {
                tokio::select! {
                    biased;
                    next = stream.next() => {
                        let Some(message) = next else {
                            tracing::warn!("lost the result subscription; reconnecting");
                            lost = true;
                            break;
                        };
                        let channel = message.get_channel_name();
                        let Some(id) = channel.strip_prefix("celery-task-meta-") else {
                            continue;
                        };
                        if !wanted.contains(id) || done.contains_key(id) {
                            continue; // another call's result, or a repeat
                        }
                        let payload: String = message.get_payload().unwrap_or_default();
                        let doc: Value =
                            serde_json::from_str(&payload).unwrap_or(Value::Null);
                        if let Some(outcome) = Outcome::from_document(&doc) {
                            done.insert(id.to_owned(), outcome);
                        }
                    }
                    stored = &mut catch_up, if !caught_up => {
                        caught_up = true;
                        for (id, outcome) in missing.iter().zip(stored?) {
                            if let Some(outcome) = outcome {
                                done.entry(id.clone()).or_insert(outcome);
                            }
                        }
                    }
                    () = tokio::time::sleep_until(deadline) => bail!(
                        "timed out after {timeout:?}: {} of {} results missing",
                        ids.len() - done.len(),
                        ids.len()
                    ),
                }
            }
            if !lost {
                break;
            }
            *guard = None;
            subscribed = false;
        }
        if let Some((sink, _)) = guard.as_ref() {
            let mut sink = sink.clone();
            tokio::spawn(async move { sink.unsubscribe(channels).await });
        }
        ids.iter()
            .map(|id| done.remove(id).context("a result went missing"))
            .collect()
    }

    async fn subscribe(
        &self,
        slot: &mut Option<(PubSubSink, PubSubStream)>,
        channels: &[String],
    ) -> Result<()> {
        if slot.is_none() {
            *slot = Some(self.client.get_async_pubsub().await?.split());
        }
        let Some((sink, _)) = slot.as_mut() else {
            bail!("no subscription");
        };
        sink.subscribe(channels).await?;
        Ok(())
    }

    /// After a lost connection: a new subscription for what is missing,
    /// retried with backoff until the deadline.
    async fn resubscribe(
        &self,
        slot: &mut Option<(PubSubSink, PubSubStream)>,
        ids: &[String],
        done: &HashMap<String, Outcome>,
        deadline: tokio::time::Instant,
    ) -> Result<()> {
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !done.contains_key(*id))
            .map(|id| result_key(id))
            .collect();
        let mut delay = Duration::from_millis(50);
        loop {
            *slot = None;
            match self.subscribe(slot, &missing).await {
                Ok(()) => return Ok(()),
                Err(err) if tokio::time::Instant::now() + delay < deadline => {
                    tracing::warn!("subscribing to results: {err:#}; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(2));
                }
                Err(err) => return Err(err.context("waiting for results")),
            }
        }
    }
}
