//! Chapter 7 · Fault injection on the real services: chapter 4's workers on
//! a real Redis while a worker is killed, the broker is paused and the
//! link to it turns slow — throughput over time, nothing lost.
//!
//! The client (this process) sends fib(n) tasks at a steady rate straight
//! to Redis and listens to the results as the workers publish them; the
//! workers reach Redis through a [`FaultProxy`]. A schedule applies each
//! fault at its time. At the end every task's stored result is checked
//! against the sequential answer, and tasks that ran twice are counted.

pub mod io;
pub mod plot;
pub mod proxy;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use workbench::services::RedisServer;

use crate::chaos::io::{Broker, Publication, Workers, fib_message};
use crate::chaos::proxy::{FaultProxy, redis_addr};

/// What the run does and when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// fib(n) tasks sent, evenly over `send_s` seconds.
    pub tasks: u32,
    pub n: u32,
    pub send_s: f64,
    pub workers: usize,
    pub concurrency: u16,
    pub faults: Vec<Fault>,
}

/// One fault and the stretch of the run it lasts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    pub from_s: f64,
    pub to_s: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub enum FaultKind {
    /// SIGKILL a worker at `from_s`; start a new one at `to_s`.
    KillWorker,
    /// SIGSTOP the broker at `from_s`, SIGCONT at `to_s`.
    PauseBroker,
    /// Delay each chunk through the proxy by this many ms.
    Latency { ms: u64 },
}

impl Fault {
    pub fn label(&self) -> String {
        match self.kind {
            FaultKind::KillWorker => "worker killed, replaced".into(),
            FaultKind::PauseBroker => "broker paused (SIGSTOP)".into(),
            FaultKind::Latency { ms } => format!("+{ms} ms per chunk"),
        }
    }
}

impl Plan {
    /// Each fault in turn over `send_s` seconds of sending: the stretch cut
    /// in sevenths, a fault in the second, fourth and sixth.
    pub fn standard(tasks: u32, send_s: f64) -> Self {
        let at = |i: f64| send_s * i / 7.0;
        let fault = |kind, from: f64, to: f64| Fault {
            kind,
            from_s: at(from),
            to_s: at(to),
        };
        Plan {
            tasks,
            n: 22,
            send_s,
            workers: 2,
            concurrency: 2,
            faults: vec![
                fault(FaultKind::KillWorker, 1.0, 2.0),
                fault(FaultKind::PauseBroker, 3.0, 4.0),
                fault(FaultKind::Latency { ms: 20 }, 5.0, 6.0),
            ],
        }
    }

    /// The plan of the book's record `ch07-chaos`: 700 tasks over 3.5 s
    /// (quick), or 2100 over 7 s (any other size).
    pub fn for_figures(size: workbench::Size) -> Self {
        match size {
            workbench::Size::Quick => Plan::standard(700, 3.5),
            _ => Plan::standard(2100, 7.0),
        }
    }

    /// The `size` of the run's record.
    pub fn record_size(&self) -> serde_json::Value {
        serde_json::json!({
            "tasks": self.tasks, "n": self.n, "send_s": self.send_s,
            "concurrency": self.concurrency,
        })
    }
}

/// What happened: the plan, the timeline and the checks.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub plan: Plan,
    /// Width of one bucket of the timeline, in seconds.
    pub bucket_s: f64,
    /// Tasks sent and tasks finished per second, bucket by bucket.
    pub sent_per_s: Vec<f64>,
    pub finished_per_s: Vec<f64>,
    /// Tasks whose stored result is the sequential answer.
    pub correct: u32,
    /// Tasks with no result, or a wrong one.
    pub lost: u32,
    /// Extra results published for tasks that had already finished.
    pub duplicates: u32,
    /// From the first task sent to the last result heard.
    pub wall_s: f64,
    /// CPU seconds of the client and the workers (not the broker's).
    #[serde(default)]
    pub cpu_s: f64,
    pub machine: workbench::Machine,
}

/// The deadline for the last result after the last task is sent.
const DRAIN: Duration = Duration::from_secs(60);
const BUCKET_S: f64 = 0.25;

// ANCHOR: run
/// Run `plan` with `worker` (chapter 4's worker program) on a Redis of its
/// own, writing the workers' logs into `log_dir`.
pub fn run(plan: &Plan, worker: &Path, log_dir: &Path) -> Result<Report> {
    let redis = RedisServer::start_open()?; // the proxy forwards plain TCP
    let cpu = workbench::measure::cpu_time();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the client's runtime")?;
    let mut report = runtime.block_on(async {
        let broker = Broker::connect(&redis.url()).await?;
        let proxy = FaultProxy::start(redis_addr(&redis.url())?).await?;
        let mut workers = Workers::new(worker, &proxy.redis_url(), log_dir);
        workers.start(plan.workers, plan.concurrency)?;
        let start = Instant::now();
        let listening = broker.listen(start).await?;
        let sending = tokio::spawn(send(broker.clone(), plan.clone(), start));
        let schedule = faults(plan, start, &broker, &proxy, &mut workers);
        let (ids, ()) = tokio::try_join!(flatten(sending), schedule)?;
        let deadline = start + secs(plan.send_s) + DRAIN;
        let heard = listening.wait_for(ids.len(), deadline).await;
        let wall_s = start.elapsed().as_secs_f64();
        let mut report = check(plan, &broker, &ids, &heard).await?;
        report.wall_s = wall_s;
        Ok::<_, anyhow::Error>(report)
    })?; // the workers are stopped and waited for: their CPU time counts
    report.cpu_s = (workbench::measure::cpu_time() - cpu).as_secs_f64();
    Ok(report)
}
// ANCHOR_END: run

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

async fn flatten<T>(handle: tokio::task::JoinHandle<Result<T>>) -> Result<T> {
    handle.await.context("the sender panicked")?
}

/// Send the tasks in batches every 50 ms, on schedule even after a stall.
async fn send(broker: Broker, plan: Plan, start: Instant) -> Result<Vec<String>> {
    let batches = (plan.send_s / 0.05).ceil().max(1.0) as u32;
    let mut ids = Vec::with_capacity(plan.tasks as usize);
    for batch in 0..batches {
        tokio::time::sleep_until(start + secs(f64::from(batch) * 0.05)).await;
        let upto = u64::from(plan.tasks) * u64::from(batch + 1) / u64::from(batches);
        let mut messages = Vec::new();
        while (ids.len() as u64) < upto {
            let id = format!("chaos-{}-{}", std::process::id(), ids.len());
            messages.push(fib_message(&id, plan.n)?);
            ids.push(id);
        }
        broker.push(&messages).await?;
    }
    Ok(ids)
}

// ANCHOR: faults
/// Apply each fault at its start and undo it at its end.
async fn faults(
    plan: &Plan,
    start: Instant,
    broker: &Broker,
    proxy: &FaultProxy,
    workers: &mut Workers,
) -> Result<()> {
    let mut steps: Vec<(f64, bool, FaultKind)> = Vec::new();
    for fault in &plan.faults {
        steps.push((fault.from_s, true, fault.kind));
        steps.push((fault.to_s, false, fault.kind));
    }
    steps.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (at, begin, kind) in steps {
        tokio::time::sleep_until(start + secs(at)).await;
        match (kind, begin) {
            (FaultKind::KillWorker, true) => workers.kill(0)?,
            (FaultKind::KillWorker, false) => workers.start(1, plan.concurrency)?,
            (FaultKind::PauseBroker, true) => broker.pause()?,
            (FaultKind::PauseBroker, false) => broker.resume()?,
            (FaultKind::Latency { ms }, true) => {
                proxy.set_delay(Duration::from_millis(ms));
            }
            (FaultKind::Latency { .. }, false) => proxy.set_delay(Duration::ZERO),
        }
    }
    Ok(())
}
// ANCHOR_END: faults

/// Compare every stored result with fib(n) computed here; bucket the
/// publications into a timeline.
async fn check(
    plan: &Plan,
    broker: &Broker,
    ids: &[String],
    heard: &[Publication],
) -> Result<Report> {
    let expected = workbench::fib::fib_expected(plan.n);
    let stored = broker.results(ids).await?;
    let correct = stored.iter().filter(|v| **v == Some(expected)).count() as u32;
    let (mut finished, duplicates) = tally(heard);
    // Sent evenly: the offered load, flat while sending, then nothing.
    let rate = f64::from(plan.tasks) / plan.send_s.max(BUCKET_S);
    let mut sent = vec![rate; (plan.send_s / BUCKET_S) as usize];
    let len = finished.len().max(sent.len());
    finished.resize(len, 0.0);
    sent.resize(len, 0.0);
    let per_s = |v: Vec<f64>| v.into_iter().map(|c| c / BUCKET_S).collect();
    Ok(Report {
        plan: plan.clone(),
        bucket_s: BUCKET_S,
        sent_per_s: sent,
        finished_per_s: per_s(finished),
        correct,
        lost: plan.tasks - correct,
        duplicates,
        wall_s: 0.0,
        cpu_s: 0.0,
        machine: workbench::Machine::describe(),
    })
}

/// First results per bucket of `BUCKET_S`, and how many results
/// repeated a task that had already finished.
pub fn tally(heard: &[Publication]) -> (Vec<f64>, u32) {
    let mut times_finished: HashMap<&str, u32> = HashMap::new();
    let mut finished = Vec::new();
    for publication in heard {
        let count = times_finished.entry(&publication.id).or_default();
        *count += 1;
        if *count == 1 {
            bump(&mut finished, (publication.at_s / BUCKET_S) as usize);
        }
    }
    (finished, times_finished.values().map(|n| n - 1).sum())
}

fn bump(counts: &mut Vec<f64>, index: usize) {
    if counts.len() <= index {
        counts.resize(index + 1, 0.0);
    }
    counts[index] += 1.0;
}

/// Chapter 4's worker program: `CH04_WORKER`, else built by cargo.
pub fn worker_program() -> Result<PathBuf> {
    workbench::bins::chapter_program("ch04", "worker", Some("CH04_WORKER"))
}

/// Where a run keeps the workers' logs: `target/ch07-chaos`.
pub fn default_log_dir() -> PathBuf {
    workbench::bins::target_dir().join("ch07-chaos")
}
