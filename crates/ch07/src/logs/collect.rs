//! Chapter 7 · Log everything, and find it again: one task's trace
//! collected from the JSON-lines logs of every process it went through
//! (a client, workers, its retries), in time order.

use std::path::PathBuf;

use anyhow::Result;
use serde_json::Value;

/// Print the lines of trace `trace_id` found in `logs` (files or
/// directories of `*.jsonl`), oldest first; how many there were.
pub fn print(trace_id: &str, logs: &[PathBuf]) -> Result<usize> {
    let hex =
        trace_id.len() == 32 && trace_id.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex {
        return Err(workbench::cli::UsageError(format!(
            "--trace {trace_id:?}: a trace id is 32 hex digits (the second \
             field of a traceparent)"
        ))
        .into());
    }
    let lines = workbench::jsonl::collect(trace_id, logs)?;
    for line in &lines {
        println!("{}", render(line));
    }
    if lines.is_empty() {
        eprintln!("no line of trace {trace_id} in {logs:?}");
    }
    Ok(lines.len())
}

/// `time  role pid  event  task  span ← parent span`, then other fields.
pub fn render(line: &Value) -> String {
    let text = |key: &str| match &line[key] {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    let mut shown = format!(
        "{}  {:<6} {:>7}  {:<15} {}  {} <- {}",
        text("timestamp"),
        text("role"),
        text("pid"),
        text("event"),
        text("task_id"),
        text("span_id"),
        text("parent_span_id"),
    );
    let known = [
        "timestamp",
        "role",
        "pid",
        "event",
        "task_id",
        "trace_id",
        "span_id",
        "parent_span_id",
    ];
    if let Some(fields) = line.as_object() {
        for (key, value) in
            fields.iter().filter(|(k, _)| !known.contains(&k.as_str()))
        {
            shown.push_str(&format!("  {key}={value}"));
        }
    }
    shown
}
