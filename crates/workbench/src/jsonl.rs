//! Collecting one trace from JSON-lines logs written by many processes
//! (chapter 7's `collect`, chapter 4's traced tasks).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

/// Every `*.jsonl` file under `paths` (a path may be a file or a
/// directory, searched one level deep).
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .with_context(|| format!("reading {}", path.display()))?;
            for entry in entries {
                let entry = entry?.path();
                if entry.extension().is_some_and(|e| e == "jsonl") {
                    found.push(entry);
                }
            }
        } else {
            found.push(path.clone());
        }
    }
    found.sort();
    Ok(found)
}

// ANCHOR: collect
/// The lines of every file in `paths` whose `trace_id` is `trace_id`, in
/// time order (RFC 3339 UTC timestamps of one width sort as text). Lines
/// that are not JSON are skipped: a log may end in a half-written line.
pub fn collect(trace_id: &str, paths: &[PathBuf]) -> Result<Vec<Value>> {
    let mut lines = Vec::new();
    for file in files(paths)? {
        lines.extend(
            read(&file)?
                .into_iter()
                .filter(|line| line["trace_id"] == trace_id),
        );
    }
    lines.sort_by(|a, b| {
        let when =
            |line: &Value| line["timestamp"].as_str().unwrap_or("").to_owned();
        when(a).cmp(&when(b))
    });
    Ok(lines)
}
// ANCHOR_END: collect

fn read(file: &Path) -> Result<Vec<Value>> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("reading {}", file.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trace_comes_out_of_two_files_in_time_order() {
        let dir = crate::services::TempDir::new("jsonl").expect("dir");
        let client = dir.path().join("client-1.jsonl");
        let worker = dir.path().join("worker-2.jsonl");
        let line = |when: &str, trace: &str, event: &str| {
            format!(
                r#"{{"timestamp":"{when}","trace_id":"{trace}","event":"{event}"}}"#
            )
        };
        let lines = [
            line("2026-01-01T00:00:00.000001Z", "a", "sent"),
            line("2026-01-01T00:00:00.000009Z", "a", "result"),
            line("2026-01-01T00:00:00.000002Z", "b", "sent"),
        ];
        std::fs::write(&client, lines.join("\n")).expect("write");
        let worker_lines = [
            line("2026-01-01T00:00:00.000005Z", "a", "task-started"),
            "{not json".to_owned(),
        ];
        std::fs::write(&worker, worker_lines.join("\n")).expect("write");
        let story = collect("a", &[dir.path().to_owned()]).expect("collect");
        let events: Vec<_> = story.iter().map(|l| l["event"].clone()).collect();
        assert_eq!(events, ["sent", "task-started", "result"]);
    }
}
