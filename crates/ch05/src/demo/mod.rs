//! Chapter 5 · The headline demo: a broker and two workers on this
//! machine; one worker is told to stop (SIGTERM) in the middle of a job,
//! as a cloud does when it scales down or replaces an instance. Nothing
//! may be lost.
//!
//! [`fleet`] starts and signals the worker processes, [`report`] reads
//! what happened from the broker, [`stop`] measures how long leaving takes.

pub mod fleet;
pub mod report;
pub mod stop;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use workbench::services::RedisServer;

use crate::fleet::WorkerProcess;
use crate::job::Job;
use crate::report::{BrokerView, DemoReport, WorkerRow};

/// The demo's knobs.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// How many fib jobs.
    pub jobs: usize,
    /// Each job computes fib(n)...
    pub n: u32,
    /// ...after this many milliseconds of "download".
    pub io_ms: u64,
    /// The stopped worker's grace period: longer than a job, the job
    /// finishes; shorter, it is handed back.
    pub grace_s: f64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            jobs: 8,
            n: 27,
            io_ms: 400,
            grace_s: 5.0,
        }
    }
}

/// Run the demo with `program` as the worker (see
/// [`worker_program`](crate::fleet::worker_program)).
pub fn run(program: &Path, options: &DemoOptions) -> Result<DemoReport> {
    let redis = RedisServer::start()?;
    let mut broker = BrokerView::connect(&redis.url(), "ch05:jobs")?;
    let grace = format!("{}", options.grace_s);
    let env = [("CH05_GRACE_SECONDS", grace.as_str())];
    let mut workers = ["worker-a", "worker-b"]
        .map(|name| WorkerProcess::start(program, &redis.url(), name, &env));
    for worker in workers.iter_mut().flatten() {
        worker.wait_ready(Duration::from_secs(20))?;
    }
    let [Ok(a), Ok(b)] = &mut workers else {
        anyhow::bail!("a worker did not start");
    };
    let jobs: Vec<Job> = (1..=options.jobs)
        .map(|i| Job::new(format!("fib-{i}"), options.n, options.io_ms))
        .collect();
    broker.push(&jobs)?;

    // ANCHOR: demo
    // Mid-job, the platform takes worker-a's machine away.
    let during = a.wait_busy(Duration::from_secs(20))?;
    let signalled = Instant::now();
    a.terminate()?;
    let (status, summary) =
        a.wait(Duration::from_secs_f64(options.grace_s + 10.0))?;
    let a_row = row(a, Some(during), status.code(), summary, signalled);

    // worker-b carries on with the rest, then is stopped while idle.
    wait_for_answers(&mut broker, &jobs, Duration::from_secs(120))?;
    let signalled = Instant::now();
    b.terminate()?;
    let (status, summary) = b.wait(Duration::from_secs(10))?;
    let b_row = row(b, None, status.code(), summary, signalled);
    // ANCHOR_END: demo

    let (queued, taken) = broker.backlog()?;
    ensure!(
        queued + taken == 0,
        "{queued} queued, {taken} taken after the run"
    );
    let mut found = Vec::new();
    for job in jobs {
        let outcome = broker.outcome(&job.id)?;
        found.push((job, outcome));
    }
    Ok(DemoReport {
        grace_s: options.grace_s,
        jobs: found,
        workers: vec![a_row, b_row],
    })
}

fn row(
    worker: &WorkerProcess,
    stopped_during: Option<String>,
    exit_code: Option<i32>,
    summary: Option<crate::worker::Summary>,
    signalled: Instant,
) -> WorkerRow {
    let (done, handed_back) = summary.map_or((0, 0), |s| (s.done, s.handed_back));
    WorkerRow {
        name: worker.name.clone(),
        stopped_during,
        exit_code,
        done,
        handed_back,
        stop_s: signalled.elapsed().as_secs_f64(),
    }
}

/// Wait until every job has an outcome stored.
pub fn wait_for_answers(
    broker: &mut BrokerView,
    jobs: &[Job],
    timeout: Duration,
) -> Result<()> {
    let start = Instant::now();
    for job in jobs {
        while broker.outcome(&job.id)?.is_none() {
            ensure!(
                start.elapsed() < timeout,
                "no answer for {} in time",
                job.id
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    Ok(())
}
