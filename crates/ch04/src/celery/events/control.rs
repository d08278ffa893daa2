//! Chapter 4 · Celery's remote control on Redis: commands arrive on the
//! `celery.pidbox` fanout (the channel `/0.celery.pidbox`); replies go to
//! the direct exchange `reply.celery.pidbox`, which kombu keeps as a set
//! of bindings naming the list the asking client waits on.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures::StreamExt;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use super::watch::Monitor;
use super::{Events, envelope, open};
use crate::celery::connection::{CONNECT_TIMEOUT, connect};

/// kombu's separator in a binding: `routing key, pattern, queue`.
const SEP: &str = "\x06\x16";

/// What `stats`, `registered` and `active_queues` tell about the worker.
#[derive(Debug, Clone)]
pub struct WorkerInfo {
    pub queue: String,
    pub concurrency: u16,
    pub tasks: Vec<String>,
}

/// How long a worker waits before subscribing again after losing the
/// broker's pub/sub connection.
pub const RESUBSCRIBE: Duration = Duration::from_secs(1);

/// Answer remote-control commands until the worker stops, subscribing
/// again whenever the connection is lost (a broker restart forgets every
/// subscription).
pub async fn serve(
    url: &str,
    events: Events,
    monitor: Monitor,
    info: WorkerInfo,
) -> Result<JoinHandle<()>> {
    let (client, conn) = connect(url).await?;
    let channel = format!("/{}.celery.pidbox", events.db());
    let first = subscribe(&client, &channel).await?; // fail fast at start
    let started = Instant::now();
    Ok(tokio::spawn(async move {
        let mut pubsub = Some(first);
        loop {
            if let Some(pubsub) = pubsub.take() {
                let mut messages = pubsub.into_on_message();
                while let Some(message) = messages.next().await {
                    let Ok(text) = message.get_payload::<String>() else {
                        continue;
                    };
                    let Some(command) = open(&text) else { continue };
                    let reply = answer(&command, &events, &monitor, &info, started);
                    if let (Some(reply), Some(to)) = (reply, command.get("reply_to"))
                    {
                        let ticket = command["ticket"].clone();
                        let body = json!({ events.hostname(): reply });
                        let sent =
                            send_reply(&conn, &events, to, ticket, &body).await;
                        if let Err(err) = sent {
                            tracing::warn!(
                                "a remote-control reply was not sent: {err}"
                            );
                        }
                    }
                }
                tracing::warn!(
                    "the remote-control connection closed; subscribing again"
                );
            }
            tokio::time::sleep(RESUBSCRIBE).await;
            match subscribe(&client, &channel).await {
                Ok(again) => pubsub = Some(again),
                Err(err) => tracing::warn!("remote control: {err:#}"),
            }
        }
    }))
}

async fn subscribe(
    client: &redis::Client,
    channel: &str,
) -> Result<redis::aio::PubSub> {
    let connecting = client.get_async_pubsub();
    let mut pubsub = tokio::time::timeout(CONNECT_TIMEOUT, connecting)
        .await
        .context("no answer for a pub/sub connection")??;
    tokio::time::timeout(CONNECT_TIMEOUT, pubsub.subscribe(channel))
        .await
        .with_context(|| format!("no answer subscribing to {channel}"))??;
    Ok(pubsub)
}

// ANCHOR: answer
/// The reply to `command`, or `None` when it is meant for other workers.
fn answer(
    command: &Value,
    events: &Events,
    monitor: &Monitor,
    info: &WorkerInfo,
    started: Instant,
) -> Option<Value> {
    if let Some(names) = command["destination"].as_array()
        && !names.iter().any(|name| name == events.hostname())
    {
        return None;
    }
    let method = command["method"].as_str().unwrap_or_default();
    Some(match method {
        "ping" => json!({"ok": "pong"}),
        "stats" => stats(monitor, info, started, events),
        "registered" => json!(info.tasks),
        "active_queues" => json!([{
            "name": info.queue, "routing_key": info.queue, "durable": true,
            "exchange": {"name": info.queue, "type": "direct"},
        }]),
        "enable_events" | "disable_events" => json!({"ok": "events are per -E"}),
        other => json!({"error": format!("No such command: {other}")}),
    })
}
// ANCHOR_END: answer

fn stats(
    monitor: &Monitor,
    info: &WorkerInfo,
    started: Instant,
    events: &Events,
) -> Value {
    let total = monitor.tally().total.clone();
    json!({
        "pid": std::process::id(),
        "clock": events.tick().to_string(),
        "uptime": started.elapsed().as_secs(),
        "prefetch_count": info.concurrency,
        "pool": {
            "implementation": "tokio (celery-rs)",
            "max-concurrency": info.concurrency,
            "processes": [std::process::id()],
        },
        "broker": {"transport": "redis"},
        "total": total,
    })
}

/// Route `body` as kombu's direct exchange does: to every list bound to
/// `reply.celery.pidbox` with the routing key the client gave.
async fn send_reply(
    conn: &redis::aio::ConnectionManager,
    events: &Events,
    to: &Value,
    ticket: Value,
    body: &Value,
) -> Result<()> {
    let exchange = to["exchange"].as_str().unwrap_or("reply.celery.pidbox");
    let routing_key = to["routing_key"].as_str().unwrap_or_default();
    let headers = json!({"ticket": ticket, "clock": events.tick()});
    let message = envelope(body, exchange, routing_key, headers);
    let mut conn = conn.clone();
    let deadline = Duration::from_secs(5);
    let bindings: Vec<String> = tokio::time::timeout(
        deadline,
        redis::cmd("SMEMBERS")
            .arg(format!("_kombu.binding.{exchange}"))
            .query_async(&mut conn),
    )
    .await
    .context("no answer for the reply bindings")??;
    for binding in bindings {
        let mut parts = binding.split(SEP);
        let (key, queue) = (parts.next(), parts.nth(1));
        if let (Some(key), Some(queue)) = (key, queue)
            && key == routing_key
        {
            tokio::time::timeout(
                deadline,
                redis::cmd("LPUSH")
                    .arg(queue)
                    .arg(&message)
                    .query_async::<()>(&mut conn),
            )
            .await
            .context("no answer for a reply")??;
        }
    }
    Ok(())
}
