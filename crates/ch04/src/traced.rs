//! Chapter 4 · One task's life across processes: a W3C `traceparent` in
//! the task message's headers, from the client through the broker to the
//! worker (and its retries), and a JSON line per step from each process.
//!
//! `traceparent` is `00-<trace id: 32 hex>-<parent span id: 16 hex>-01`.
//! The client starts a trace; each process that handles the task logs
//! its steps with that trace id and a span id of its own. A retry is a
//! copy of the message, headers and all, so it stays in the trace.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use anyhow::{Context, Result};
use celery::task::{Signature, Task};
use serde_json::{Value, json};

use crate::celery::client::Client;

/// The environment variable naming the directory for a process's trace
/// log (`ROLE-PID.jsonl`); unset, nothing is logged.
pub const TRACE_LOG: &str = "CH04_TRACE_LOG";

/// A position in a trace: its id and the span (step) that is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traceparent {
    pub trace_id: String,
    pub span_id: String,
}

fn random_hex(digits: usize) -> String {
    let mut hex = uuid::Uuid::new_v4().simple().to_string();
    hex.push_str(&uuid::Uuid::new_v4().simple().to_string());
    hex.truncate(digits);
    hex
}

impl Traceparent {
    /// A new trace.
    pub fn root() -> Self {
        Traceparent {
            trace_id: random_hex(32),
            span_id: random_hex(16),
        }
    }

    /// A new span in the same trace.
    pub fn child(&self) -> Self {
        Traceparent {
            trace_id: self.trace_id.clone(),
            span_id: random_hex(16),
        }
    }

    /// The header's value.
    pub fn header(&self) -> String {
        format!("00-{}-{}-01", self.trace_id, self.span_id)
    }

    /// Read a header (version 00); `None` if it is not one.
    pub fn parse(header: &str) -> Option<Self> {
        let mut parts = header.split('-');
        let (version, trace, span) = (parts.next()?, parts.next()?, parts.next()?);
        let hex =
            |s: &str, n| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
        (version == "00" && hex(trace, 32) && hex(span, 16)).then(|| Traceparent {
            trace_id: trace.to_owned(),
            span_id: span.to_owned(),
        })
    }
}

// ANCHOR: send
/// Send one task with a new trace in its message's headers; its id and
/// the client's span.
pub async fn send<T: Task>(
    client: &Client,
    signature: Signature<T>,
) -> Result<(String, Traceparent)> {
    let (id, envelope) = client.message(signature)?;
    let mut message: Value = serde_json::from_str(&envelope)?;
    let trace = Traceparent::root();
    message["headers"]["traceparent"] = trace.header().into();
    log("sent", &id, &trace, None, json!({}));
    client.push(&[message.to_string()]).await?;
    Ok((id, trace))
}
// ANCHOR_END: send

/// Traces of the messages this worker holds, by task id (the `celery`
/// crate keeps no headers it does not know).
static HELD: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Whether this process writes a trace log.
pub fn enabled() -> bool {
    matches!(LOG.get(), Some(Some(_)))
}

/// The broker took message `raw`: remember its `traceparent`, if any.
pub fn note(raw: &str) {
    if !enabled() {
        return; // not tracing: spare the parse
    }
    let Ok(message) = serde_json::from_str::<Value>(raw) else {
        return;
    };
    let headers = &message["headers"];
    if let (Some(id), Some(parent)) =
        (headers["id"].as_str(), headers["traceparent"].as_str())
    {
        let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
        held.retain(|(task, _)| task != id);
        held.push((id.to_owned(), parent.to_owned()));
    }
}

// ANCHOR: step
/// Log a worker's step `event` of task `id`, in the task's trace.
pub fn step(event: &str, id: &str, fields: Value) {
    let parent = {
        let held = HELD.lock().unwrap_or_else(|p| p.into_inner());
        let found = held.iter().find(|(task, _)| task == id);
        found.and_then(|(_, header)| Traceparent::parse(header))
    };
    if let Some(parent) = parent {
        log(event, id, &parent.child(), Some(&parent), fields);
    }
}
// ANCHOR_END: step

/// The task is done here: forget its trace.
pub fn forget(id: &str) {
    let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
    held.retain(|(task, _)| task != id);
}

static LOG: OnceLock<Option<(String, Mutex<File>)>> = OnceLock::new();

/// Log to `dir/ROLE-PID.jsonl` from now on (once per process).
pub fn init(dir: &Path, role: &str) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!("{role}-{}.jsonl", std::process::id()));
    let file = File::create(&path)
        .with_context(|| format!("creating {}", path.display()))?;
    let _ = LOG.set(Some((role.to_owned(), Mutex::new(file))));
    Ok(())
}

/// One JSON line: when, who, which step of which task, in which trace.
pub fn log(
    event: &str,
    id: &str,
    span: &Traceparent,
    parent: Option<&Traceparent>,
    fields: Value,
) {
    let Some(Some((role, file))) = LOG.get() else {
        return;
    };
    let mut line = json!({
        "timestamp": chrono::Utc::now()
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "role": role,
        "pid": std::process::id(),
        "event": event,
        "task_id": id,
        "trace_id": span.trace_id,
        "span_id": span.span_id,
        "parent_span_id": parent.map(|p| p.span_id.clone()),
    });
    if let (Some(line), Value::Object(fields)) = (line.as_object_mut(), fields) {
        line.extend(fields);
    }
    let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
    let _ = writeln!(file, "{line}");
}
