//! Chapter 4 · Giving lost messages back: an unacknowledged message whose
//! delivery is older than the visibility timeout goes back on its queue,
//! as kombu's `restore_visible` does.

use std::time::Duration;

use redis::RedisResult;
use redis::aio::ConnectionManager;
use serde_json::Value;

use super::keys::{
    UNACKED, UNACKED_INDEX, UNACKED_MUTEX, release_mutex, restore_if_unchanged,
};

/// At most this many messages are restored per pass.
const BATCH: usize = 100;

// ANCHOR: restore
/// Put back every message delivered more than `visibility_timeout` ago
/// and still unacknowledged; returns how many. One restorer at a time
/// (the `unacked_mutex` kombu also takes).
pub async fn restore_overdue(
    conn: &mut ConnectionManager,
    visibility_timeout: Duration,
) -> RedisResult<usize> {
    let token = uuid::Uuid::new_v4().to_string();
    let locked: Option<String> = redis::cmd("SET")
        .arg(UNACKED_MUTEX)
        .arg(&token)
        .arg("NX")
        .arg("PX")
        .arg(30_000)
        .query_async(conn)
        .await?;
    if locked.is_none() {
        return Ok(0); // someone else is restoring
    }
    // ANCHOR: overdue
    // The server's clock, as the leases are stamped with it.
    let (secs, micros): (f64, f64) = redis::cmd("TIME").query_async(conn).await?;
    let ceil = secs + micros / 1e6 - visibility_timeout.as_secs_f64();
    let overdue: Vec<String> = redis::cmd("ZRANGEBYSCORE")
        .arg(UNACKED_INDEX)
        .arg("-inf")
        .arg(ceil)
        .arg("LIMIT")
        .arg(0)
        .arg(BATCH)
        .query_async(conn)
        .await?;
    let mut restored = 0;
    for tag in &overdue {
        restored += restore_tag(conn, tag).await?;
    }
    // ANCHOR_END: overdue
    release_mutex()
        .key(UNACKED_MUTEX)
        .arg(&token)
        .invoke_async::<i64>(conn)
        .await?;
    Ok(restored)
}
// ANCHOR_END: restore

/// Put the message recorded under `tag` back on its queue now (1), or
/// do nothing if it was acknowledged meanwhile (0).
pub async fn restore_tag(
    conn: &mut ConnectionManager,
    tag: &str,
) -> RedisResult<usize> {
    let recorded: Option<String> = redis::cmd("HGET")
        .arg(UNACKED)
        .arg(tag)
        .query_async(conn)
        .await?;
    let Some(recorded) = recorded else {
        redis::cmd("ZREM")
            .arg(UNACKED_INDEX)
            .arg(tag)
            .query_async::<()>(conn)
            .await?;
        return Ok(0);
    };
    let Some((exchange, routing_key, message)) = redelivery(&recorded) else {
        tracing::error!("dropping unrestorable unacked message {tag}: {recorded}");
        let mut pipe = redis::pipe();
        pipe.zrem(UNACKED_INDEX, tag).hdel(UNACKED, tag);
        pipe.query_async::<()>(conn).await?;
        return Ok(0);
    };
    let queue = queue_for(conn, &exchange, &routing_key).await?;
    let done: i64 = restore_if_unchanged()
        .key(UNACKED)
        .key(UNACKED_INDEX)
        .key(&queue)
        .arg(tag)
        .arg(&recorded)
        .arg(&message)
        .invoke_async(conn)
        .await?;
    if done == 1 {
        tracing::warn!("restored unacknowledged message {tag} to queue {queue}");
    }
    Ok(done as usize)
}

/// The queue an (exchange, routing key) pair delivers to: the routing key
/// for the default exchange, else what kombu's binding table says.
async fn queue_for(
    conn: &mut ConnectionManager,
    exchange: &str,
    routing_key: &str,
) -> RedisResult<String> {
    if exchange.is_empty() {
        return Ok(routing_key.to_owned());
    }
    let bindings: Vec<String> = redis::cmd("SMEMBERS")
        .arg(format!("_kombu.binding.{exchange}"))
        .query_async(conn)
        .await?;
    let bound = bindings.iter().find_map(|entry| {
        let parts: Vec<&str> = entry.split("\x06\x16").collect();
        (parts.len() == 3 && parts[0] == routing_key).then(|| parts[2].to_owned())
    });
    Ok(bound.unwrap_or_else(|| routing_key.to_owned()))
}

/// Split a recorded `[message, exchange, routing_key]` and mark the
/// message redelivered, as kombu does.
pub fn redelivery(recorded: &str) -> Option<(String, String, String)> {
    let Value::Array(parts) = serde_json::from_str(recorded).ok()? else {
        return None;
    };
    let [mut message, exchange, routing_key] = <[Value; 3]>::try_from(parts).ok()?;
    if let Some(headers) = message.get_mut("headers").and_then(Value::as_object_mut)
    {
        headers.insert("redelivered".into(), Value::Bool(true));
    }
    if let Some(info) = message
        .pointer_mut("/properties/delivery_info")
        .and_then(Value::as_object_mut)
    {
        info.insert("redelivered".into(), Value::Bool(true));
    }
    let exchange = exchange.as_str().unwrap_or_default().to_owned();
    Some((
        exchange,
        routing_key.as_str()?.to_owned(),
        message.to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_message_is_marked_redelivered() {
        let recorded = r#"[{"body": "W10=", "headers": {"id": "t"},
            "properties": {"delivery_info": {"exchange": "", "routing_key": "celery"},
                           "delivery_tag": "d"}}, "", "celery"]"#;
        let (exchange, key, message) = redelivery(recorded).expect("valid");
        assert_eq!((exchange.as_str(), key.as_str()), ("", "celery"));
        let message: Value = serde_json::from_str(&message).expect("json");
        assert_eq!(message["headers"]["redelivered"], true);
        assert_eq!(message["properties"]["delivery_info"]["redelivered"], true);
        assert!(redelivery("[1, 2]").is_none());
        assert!(redelivery("not json").is_none());
    }
}
