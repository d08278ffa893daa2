//! Chapter 4 · Faults: dead letters. A message delivered
//! [`MAX_DELIVERIES`] times without an acknowledgement (each worker that
//! took it died, or could not finish it) is not delivered again: it goes to
//! the queue's dead-letter list with the reason, and its task gets a
//! FAILURE result, so a client waiting on it hears at once.

use celery::backend::{TaskMeta, TaskState};
use redis::RedisResult;
use redis::aio::ConnectionManager;
use serde_json::json;

use super::keys::{DELIVERIES, UNACKED, UNACKED_INDEX, dead};
use crate::celery::backend::RESULT_EXPIRES;
use crate::celery::connection::unix_now;
use crate::celery::meta::{result_key, to_python};

/// Deliveries of one message without an acknowledgement; the next one
/// dead-letters it instead.
pub const MAX_DELIVERIES: u32 = 3;

/// What `raw` (task `task_id`, taken from `queue`) leaves in the
/// dead-letter list: a JSON document with the reason.
pub fn letter(queue: &str, task_id: &str, task: &str, raw: &str) -> String {
    json!({
        "queue": queue,
        "task_id": task_id,
        "task": task,
        "deliveries": MAX_DELIVERIES,
        "reason": reason(),
        "when": unix_now(),
        "message": raw,
    })
    .to_string()
}

fn reason() -> String {
    format!(
        "dead-lettered: delivered {MAX_DELIVERIES} times without an \
         acknowledgement (each worker that took it died or could not finish it)"
    )
}

// ANCHOR: dead
/// Move the message under `tag` to the dead-letter list and store (and
/// publish) its task's failure, in one transaction.
pub async fn dead_letter(
    conn: &mut ConnectionManager,
    queue: &str,
    tag: &str,
    task_id: &str,
    letter: &str,
) -> RedisResult<()> {
    let meta = TaskMeta {
        task_id: task_id.to_owned(),
        status: TaskState::Failure,
        result: Some(json!(reason())),
        traceback: None,
        children: Vec::new(),
        date_done: Some(chrono::Utc::now()),
        retries: None,
        eta: None,
        meta: Some(json!({"exc_type": "RuntimeError", "exc_message": reason()})),
    };
    let doc = to_python(&meta).to_string();
    let key = result_key(task_id);
    redis::pipe()
        .atomic()
        .lpush(dead(queue), letter)
        .ignore()
        .set_ex(&key, &doc, RESULT_EXPIRES.as_secs())
        .ignore()
        .publish(&key, &doc)
        .ignore()
        .zrem(UNACKED_INDEX, tag)
        .ignore()
        .hdel(UNACKED, tag)
        .ignore()
        .hdel(DELIVERIES, tag)
        .ignore()
        .query_async(conn)
        .await
}
// ANCHOR_END: dead
