//! Chapter 4 · Alternatives: Python-RQ — the book's `rq/main.py` and
//! `start_workers.py` in one run: start N workers, enqueue fib and sort
//! jobs, wait for every result and check it against a local computation.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use workbench::redact::Redacted;
use workbench::services::TempDir;

use super::place::{RqBackend, choose};
use super::report::{Row, RqReport, describe, logs_tail};
use super::{Job, Output, Queue, Store};
use crate::launcher::Workers;
use crate::mergesort::{chunks, seeded_numbers};

/// What the `rq` example is asked to do. Its `Debug` hides the broker
/// URL's password.
#[derive(Clone)]
pub struct RqOptions {
    /// SQLite or Redis; `None` is the embedded default (Redis when
    /// `redis-server` is installed, else SQLite).
    pub backend: Option<RqBackend>,
    /// A queue to use instead of starting one: `sqlite:PATH`, `redis://…`.
    pub broker: Option<String>,
    /// Worker processes.
    pub workers: usize,
    /// The `rq-worker` program.
    pub program: PathBuf,
}

impl std::fmt::Debug for RqOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RqOptions")
            .field("backend", &self.backend)
            .field("broker", &self.broker.as_deref().map(Redacted))
            .field("workers", &self.workers)
            .field("program", &self.program)
            .finish()
    }
}

/// `count` `rq-worker` processes on `store`, stderr logged to `logs`.
pub fn start_workers(
    program: &std::path::Path,
    store: &Store,
    count: usize,
    logs: &std::path::Path,
    heartbeat_s: u64,
) -> Result<Workers> {
    let commands = (0..count)
        .map(|_| {
            let mut command = Command::new(program);
            command
                .env("CH04_RQ_BROKER", store.url()) // not argv: it may hold a password
                .arg("--exit-with-parent")
                .args(["--heartbeat-s", &heartbeat_s.to_string()]);
            command
        })
        .collect();
    Workers::spawn_ready(commands, Some(logs))
}

/// The example's jobs: fib(24..=27) and a seeded 200,000 numbers sorted
/// in four chunks; each with the answer computed here.
pub fn jobs() -> Vec<(Job, Output)> {
    let fibs =
        (24..=27).map(|n| (Job::Fib { n }, Output::Fib(workbench::fib::fib(n))));
    let sorts = chunks(&seeded_numbers(200_000, 4), 4)
        .into_iter()
        .map(|chunk| {
            let mut sorted = chunk.clone();
            sorted.sort_unstable();
            (Job::Sort { numbers: chunk }, Output::Sort(sorted))
        });
    fibs.chain(sorts).collect()
}

// ANCHOR: demo
/// Start the workers, enqueue the jobs, wait for every result, verify.
pub fn rq_demo(options: &RqOptions) -> Result<RqReport> {
    let place = choose(options.backend, options.broker.as_deref())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut queue = runtime.block_on(Queue::connect(&place.store))?;
    let logs = TempDir::new("ch04-rq-logs")?;
    let mut workers = start_workers(
        &options.program,
        &place.store,
        options.workers,
        logs.path(),
        2,
    )?;
    let start = Instant::now();
    let (jobs, expected): (Vec<Job>, Vec<Output>) = jobs().into_iter().unzip();
    // ANCHOR: enqueue_wait
    let results = runtime.block_on(async {
        let mut ids = Vec::new();
        for job in &jobs {
            ids.push(queue.enqueue(job.clone()).await?);
        }
        queue.wait(&ids, Duration::from_secs(300)).await
    });
    // ANCHOR_END: enqueue_wait
    let wall = start.elapsed();
    workers.stop(Duration::from_secs(10))?;
    let results = results.with_context(|| logs_tail(logs.path()))?;
    let rows = jobs
        .iter()
        .zip(expected)
        .zip(results)
        .map(|((job, want), got)| {
            let verified = got.result.as_ref().is_ok_and(|a| a.output == want);
            Row {
                job: describe(job),
                got,
                verified,
            }
        });
    let report = RqReport {
        notes: place.notes.clone(),
        workers: options.workers,
        wall,
        rows: rows.collect(),
    };
    if let Some(bad) = report.rows.iter().find(|row| !row.verified) {
        let why = match &bad.got.result {
            Ok(_) => "a different answer from the local computation",
            Err(why) => why.as_str(),
        };
        bail!("job {} ({}): {why}", bad.got.id, bad.job);
    }
    Ok(report)
}
// ANCHOR_END: demo
