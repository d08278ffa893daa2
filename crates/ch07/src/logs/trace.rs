//! Chapter 7 · Log everything: one task's story across processes.
//!
//! The client runs each task in a worker process of this same program and
//! passes it the task's id. Both write JSON log lines inside a `task` span
//! carrying that id, each to its own file; reading the files together and
//! keeping the lines with one id tells that task's whole story.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tracing::{info, info_span};

// ANCHOR: subscriber
/// A subscriber that writes one JSON object per line to `file`, with the
/// list of open spans (and so the task id) on every line.
fn json_lines(file: File) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .json()
        .with_span_list(true)
        .with_current_span(false)
        .with_writer(Mutex::new(file))
        .finish()
}
// ANCHOR_END: subscriber

/// This process's log file in `dir`: `ROLE-PID.jsonl`.
pub fn log_file(dir: &Path, role: &str) -> Result<File> {
    fs::create_dir_all(dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!("{role}-{}.jsonl", std::process::id()));
    File::create(&path).with_context(|| format!("creating {}", path.display()))
}

/// An id unlikely to repeat across runs: this process, the time, the index.
pub fn new_task_id(index: usize) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{:05x}{nanos:08x}-{index}", std::process::id())
}

// ANCHOR: client
/// Run fib(n) for each of `jobs` in a worker process started from `exe`,
/// logging to `log_dir`; return each task's id and answer.
pub fn client(
    exe: &Path,
    jobs: &[u32],
    log_dir: &Path,
) -> Result<Vec<(String, u64)>> {
    let subscriber = json_lines(log_file(log_dir, "client")?);
    tracing::subscriber::with_default(subscriber, || {
        let pid = std::process::id();
        let _process = info_span!("process", role = "client", pid).entered();
        let environment = crate::environment::Environment::capture().to_json();
        info!(%environment, "start");
        let mut answers = Vec::new();
        for (index, &n) in jobs.iter().enumerate() {
            let task_id = new_task_id(index);
            let _task = info_span!("task", task_id = %task_id, n).entered();
            info!("starting a worker process");
            let output = Command::new(exe)
                .args(["trace-worker", "--task-id", &task_id, "--n", &n.to_string()])
                .arg("--log-dir")
                .arg(log_dir)
                .output()
                .with_context(|| format!("starting {}", exe.display()))?;
            if !output.status.success() {
                tracing::error!(status = %output.status, "worker failed");
                bail!("the worker for task {task_id} failed: {}", output.status);
            }
            let text = String::from_utf8_lossy(&output.stdout);
            let answer: u64 = text.trim().parse().context("the worker's answer")?;
            info!(answer, "answer received");
            answers.push((task_id, answer));
        }
        Ok(answers)
    })
}
// ANCHOR_END: client

// ANCHOR: worker
/// The worker process: compute fib(n) inside a span with the id it was
/// given, log every step, print the answer on stdout.
pub fn worker(task_id: &str, n: u32, log_dir: &Path) -> Result<u64> {
    let subscriber = json_lines(log_file(log_dir, "worker")?);
    tracing::subscriber::with_default(subscriber, || {
        let pid = std::process::id();
        let _process = info_span!("process", role = "worker", pid).entered();
        let _task = info_span!("task", task_id, n).entered();
        info!("task received");
        let answer = workbench::fib::fib(n);
        info!(answer, "task computed");
        println!("{answer}");
        Ok(answer)
    })
}
// ANCHOR_END: worker

/// One line of a task's story.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub timestamp: String,
    pub role: String,
    pub pid: u64,
    pub message: String,
}

// ANCHOR: story
/// Read every `*.jsonl` in `log_dir` and keep the lines logged inside the
/// span of `task_id`, in time order (one machine, so one clock).
pub fn story(log_dir: &Path, task_id: &str) -> Result<Vec<Line>> {
    let mut lines = Vec::new();
    for path in jsonl_files(log_dir)? {
        let text = fs::read_to_string(&path)?;
        for raw in text.lines() {
            let entry: Value = serde_json::from_str(raw)
                .with_context(|| format!("a log line of {}", path.display()))?;
            let spans = entry["spans"].as_array().cloned().unwrap_or_default();
            let field = |name: &str| spans.iter().find_map(|s| s.get(name).cloned());
            if field("task_id")
                .and_then(|v| v.as_str().map(str::to_owned))
                .as_deref()
                != Some(task_id)
            {
                continue;
            }
            lines.push(Line {
                timestamp: entry["timestamp"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                role: field("role")
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                pid: field("pid").and_then(|v| v.as_u64()).unwrap_or_default(),
                message: entry["fields"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
    }
    lines.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
    Ok(lines)
}
// ANCHOR_END: story

fn jsonl_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in
        fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
