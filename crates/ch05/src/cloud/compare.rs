//! Chapter 5 · The comparison: the same fib tasks done `seq`, `threads`,
//! `async` and `dist` — through SQS and S3 to `ch05-sqs-worker` processes,
//! whose extra time is what the queue and the object store cost.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::runtime::Runtime;
use workbench::fib::{fib_seq, fib_threads, fib_tokio_tasks, verify};
use workbench::variants::Variant;
use workbench::{Contender, Experiment, MeasureOpts, Record};

use super::Aws;
use super::tasks::TaskQueue;

// ANCHOR: dist
/// `dist`: every task through the queue; wait for every result in S3.
pub fn run_dist(
    rt: &Runtime,
    aws: &Aws,
    queue: &TaskQueue,
    tasks: &[u32],
    run: usize,
) -> Result<Vec<u64>> {
    rt.block_on(async {
        let ids: Vec<String> = (0..tasks.len())
            .map(|i| format!("run{run}-task{i}"))
            .collect();
        for (id, &n) in ids.iter().zip(tasks) {
            queue.submit(aws, id, n).await?;
        }
        let give_up = Instant::now() + Duration::from_secs(120);
        let mut answers = vec![None; tasks.len()];
        while answers.iter().any(Option::is_none) {
            if Instant::now() > give_up {
                bail!("the workers did not answer every task within 120 s");
            }
            for (slot, id) in
                answers.iter_mut().zip(&ids).filter(|(a, _)| a.is_none())
            {
                *slot = queue.result(aws, id).await?.map(|r| r.answer);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(answers.into_iter().flatten().collect())
    })
}
// ANCHOR_END: dist

/// `workers` worker processes on `queue`, stopped (SIGTERM) when dropped.
#[derive(Debug)]
pub struct Workers(Vec<Child>);

impl Workers {
    /// Start them with this process's environment; on a local endpoint,
    /// with its address and test credentials.
    pub fn start(
        program: &Path,
        aws: &Aws,
        queue: &TaskQueue,
        workers: usize,
    ) -> Result<Self> {
        let mut children = Vec::new();
        for _ in 0..workers {
            let mut command = Command::new(program);
            if let (true, Some(endpoint)) = (aws.is_local(), aws.endpoint()) {
                command
                    .env("AWS_ENDPOINT_URL", endpoint)
                    .env("AWS_REGION", "us-east-1")
                    .env("AWS_ACCESS_KEY_ID", "testing")
                    .env("AWS_SECRET_ACCESS_KEY", "testing")
                    .env("AWS_EC2_METADATA_DISABLED", "true");
            }
            let child = command
                .env("CH05_SQS_QUEUE_URL", &queue.queue_url)
                .env("CH05_BUCKET", &queue.bucket)
                .env("CH05_HEALTH_ADDR", "127.0.0.1:0")
                .env("RUST_LOG", "warn")
                .stdout(Stdio::null())
                .spawn()
                .with_context(|| format!("starting {}", program.display()))?;
            children.push(child);
        }
        Ok(Workers(children))
    }
}

impl Drop for Workers {
    /// SIGTERM every worker, a grace period to finish the task in hand, then
    /// SIGKILL (workbench's one way of stopping processes).
    fn drop(&mut self) {
        let _ = workbench::stop::terminate_all(&mut self.0, Duration::from_secs(10));
    }
}

/// The tasks at a size: quick 24 × fib(36), full 48 × fib(37), N: 24 × fib(N).
///
/// Quick is ≈0.8 s of CPU in a release build, so that a timed run on two
/// workers lasts ≈0.4 s: at 24 × fib(32) it lasted 0.06 s, and the
/// speed-ups of `threads` and `async` were whatever the machine did in
/// those milliseconds (1.22× in one record, 1.81× in the next).
pub fn tasks_at(size: workbench::Size) -> Vec<u32> {
    match size {
        workbench::Size::Quick => vec![36; 24],
        workbench::Size::Full => vec![37; 48],
        workbench::Size::N(n) => vec![u32::try_from(n.min(40)).unwrap_or(40); 24],
    }
}

/// The record's `size` for a comparison on `tasks`.
pub fn record_size(tasks: &[u32]) -> serde_json::Value {
    serde_json::json!({ "tasks": tasks.len(), "n": tasks.first() })
}

workbench::variants! {
    /// The variants of the comparison.
    pub enum CloudVariant, names VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
        Dist = "dist",
    }
}

/// Every call of each variant's run, in seconds (the first is the warm-up).
type Rounds = RefCell<BTreeMap<&'static str, Vec<f64>>>;

/// `run`, its wall time of every call kept in `rounds` under `name`.
fn timed<'a, T>(
    rounds: &'a Rounds,
    name: &'static str,
    mut run: impl FnMut() -> Result<T> + 'a,
) -> impl FnMut() -> Result<T> + 'a {
    move || {
        let start = Instant::now();
        let answer = run();
        let took = start.elapsed().as_secs_f64();
        rounds.borrow_mut().entry(name).or_default().push(took);
        answer
    }
}

/// Measure `variants` in rounds on `tasks`, `workers`
/// wide; `dist` through SQS and S3 to `workers` processes of `program`.
/// Each run's `extra` keeps every round (`round1_s`, ...).
pub fn compare(
    rt: &Runtime,
    aws: &Aws,
    program: &Path,
    tasks: &[u32],
    workers: usize,
    variants: &[CloudVariant],
    opts: MeasureOpts,
) -> Result<Record> {
    let size = record_size(tasks);
    let warmups = opts.warmup.max(1);
    let mut exp = Experiment::new("ch05", "cloud", size, opts);
    let visibility = Duration::from_secs(30);
    let queue = TaskQueue::create(aws, "ch05-compare", "ch05-compare", visibility);
    let queue = rt.block_on(queue)?;
    let check = |answers: &Vec<u64>| verify(tasks, answers);
    let rounds = Rounds::default();
    let mut contenders = Vec::new();
    for &variant in variants {
        let name = variant.name();
        let run: Box<dyn FnMut() -> Result<Vec<u64>>> = match variant {
            CloudVariant::Seq => Box::new(|| Ok(fib_seq(tasks))),
            CloudVariant::Threads => Box::new(|| Ok(fib_threads(tasks, workers))),
            CloudVariant::Async => Box::new(|| fib_tokio_tasks(tasks, workers)),
            // Measured last, once its worker processes run (below).
            CloudVariant::Dist => continue,
        };
        let workers = if variant == CloudVariant::Seq {
            1
        } else {
            workers
        };
        let run = timed(&rounds, name, run);
        contenders.push(Contender::new(name, workers, run, check));
    }
    // ANCHOR: compare
    let _workers = match variants.contains(&CloudVariant::Dist) {
        true => Some(Workers::start(program, aws, &queue, workers)?),
        false => None,
    };
    let mut run = 0;
    if variants.contains(&CloudVariant::Dist) {
        let dist = move || {
            run += 1;
            run_dist(rt, aws, &queue, tasks, run)
        };
        let dist = timed(&rounds, "dist", dist);
        contenders.push(Contender::new("dist", workers, dist, check));
    }
    exp.measure_rounds(contenders)?;
    // ANCHOR_END: compare
    let mut record = exp.finish();
    note_rounds(&mut record, &rounds.into_inner(), warmups);
    Ok(record)
}

/// Every timed round (the calls after the `warmups`) into its run's `extra`.
fn note_rounds(
    record: &mut Record,
    rounds: &BTreeMap<&'static str, Vec<f64>>,
    warmups: usize,
) {
    for run in &mut record.runs {
        let Some(times) = rounds.get(run.variant.as_str()) else {
            continue;
        };
        for (i, took) in times.iter().skip(warmups).enumerate() {
            run.extra.insert(format!("round{}_s", i + 1), *took);
        }
    }
}
