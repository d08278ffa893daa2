//! Chapter 4 · The result document Python Celery reads and writes.
//!
//! A result lives under `celery-task-meta-<id>` as JSON:
//! `{"status": "SUCCESS", "result": 832040, "traceback": null,
//! "children": [], "date_done": "...", "task_id": "..."}`. A failure's
//! `result` describes the exception the way Python rebuilds it:
//! `{"exc_type": "ValueError", "exc_message": ["boom"], "exc_module":
//! "builtins"}`.

use celery::backend::{TaskMeta, TaskState};
use serde_json::{Value, json};

/// The key (and the pub/sub channel) of a task's result.
pub fn result_key(task_id: &str) -> String {
    format!("celery-task-meta-{task_id}")
}

// ANCHOR: to_python
/// The crate's task metadata as the document Python Celery expects.
pub fn to_python(meta: &TaskMeta) -> Value {
    let result = match meta.status {
        TaskState::Failure | TaskState::Retry => exception(meta),
        _ => meta.result.clone().unwrap_or(Value::Null),
    };
    let date_done = meta.date_done.map(|d| d.to_rfc3339());
    json!({
        "status": meta.status.to_string(),
        "result": result,
        "traceback": meta.traceback,
        "children": meta.children,
        "date_done": date_done,
        "task_id": meta.task_id,
    })
}

/// A Rust task error as a Python exception description. A time-out is
/// Python's own `TimeoutError`; other errors keep the Rust kind as the
/// type name, which Python turns into an exception class of that name.
fn exception(meta: &TaskMeta) -> Value {
    let field = |name: &str| {
        meta.meta
            .as_ref()
            .and_then(|m| m.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let exc_type = field("exc_type").unwrap_or_else(|| "RuntimeError".into());
    let message = field("exc_message")
        .or_else(|| meta.result.as_ref()?.as_str().map(str::to_owned))
        .unwrap_or_default();
    let module = match exc_type.as_str() {
        "TimeoutError" | "RuntimeError" => json!("builtins"),
        _ => Value::Null,
    };
    json!({"exc_type": exc_type, "exc_message": [message], "exc_module": module})
}
// ANCHOR_END: to_python

/// A stored document (from a Rust or a Python worker) as the crate's
/// metadata; `None` when it is not a result document at all.
pub fn from_python(doc: &Value) -> Option<TaskMeta> {
    let task_id = doc.get("task_id")?.as_str()?.to_owned();
    let status = match doc.get("status")?.as_str()? {
        "SUCCESS" => TaskState::Success,
        "FAILURE" => TaskState::Failure,
        "RETRY" => TaskState::Retry,
        "STARTED" => TaskState::Started,
        _ => TaskState::Pending,
    };
    let result = doc.get("result").cloned();
    let failed = matches!(status, TaskState::Failure | TaskState::Retry);
    let meta = failed.then(|| {
        let exc = result.clone().unwrap_or(Value::Null);
        json!({"exc_type": exc["exc_type"], "exc_message": exc_message(&exc)})
    });
    Some(TaskMeta {
        task_id,
        status,
        result,
        traceback: doc["traceback"].as_str().map(str::to_owned),
        children: doc["children"].as_array().cloned().unwrap_or_default(),
        date_done: doc["date_done"]
            .as_str()
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.with_timezone(&chrono::Utc)),
        retries: None,
        eta: None,
        meta,
    })
}

/// Python stores the exception's arguments as a list; join them.
pub fn exc_message(exc: &Value) -> String {
    match &exc["exc_message"] {
        Value::Array(parts) => parts
            .iter()
            .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use celery::error::TaskError;

    #[test]
    fn a_success_reads_like_pythons() {
        let meta = TaskMeta::success("t-1", &832_040u64).expect("serializes");
        let doc = to_python(&meta);
        assert_eq!(doc["status"], "SUCCESS");
        assert_eq!(doc["result"], 832_040);
        assert_eq!(doc["children"], json!([]));
        assert_eq!(
            from_python(&doc).expect("parses").status,
            TaskState::Success
        );
    }

    #[test]
    fn a_failure_becomes_a_python_exception() {
        let err = TaskError::ExpectedError("no such currency pair".into());
        let doc = to_python(&TaskMeta::failure("t-2", &err));
        assert_eq!(doc["status"], "FAILURE");
        assert_eq!(doc["result"]["exc_type"], "ExpectedError");
        assert_eq!(
            doc["result"]["exc_message"],
            json!(["no such currency pair"])
        );
        let timeout = to_python(&TaskMeta::failure("t-3", &TaskError::TimeoutError));
        assert_eq!(timeout["result"]["exc_module"], "builtins");
    }

    #[test]
    fn pythons_failure_document_parses() {
        let doc = json!({"status": "FAILURE", "task_id": "t-4", "traceback": "...",
            "result": {"exc_type": "ValueError", "exc_message": ["boom"],
                       "exc_module": "builtins"},
            "children": [], "date_done": "2026-11-26T23:22:20.692420+00:00"});
        let meta = from_python(&doc).expect("parses");
        assert_eq!(meta.status, TaskState::Failure);
        assert_eq!(meta.meta.expect("exc")["exc_message"], "boom");
        assert!(meta.date_done.is_some());
        assert!(from_python(&json!({"hello": 1})).is_none());
    }
}
