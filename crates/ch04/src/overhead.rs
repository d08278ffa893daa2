//! Chapter 4 · The price of distribution: one trivial task's round trip
//! against a bare Redis PING in the same run, and how many trivial tasks
//! two Rust workers get through against two Python Celery workers.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use workbench::services::TempDir;
use workbench::{CommonArgs, Experiment, Record, Run};

use crate::client::{Client, Outcome};
use crate::python::PythonWorker;
use crate::setup::Setup;
use crate::sizes::round_trips;
use crate::tasks::echo;

/// The percentiles kept in the overhead record.
pub const PERCENTILES: [u32; 4] = [10, 50, 90, 99];

// ANCHOR: overhead
/// Time `calls` PINGs and `calls` echo tasks (send, a worker runs it, the
/// result comes back), alternating, on one worker of one task.
pub fn overhead(common: &CommonArgs, setup: &Setup) -> Result<Record> {
    let calls = round_trips(common.size);
    let _worker = setup.workers(1, 1)?;
    let (runtime, client) = setup.client()?;
    let (pings, echoes) = runtime.block_on(async {
        for _ in 0..calls.min(50) {
            round_trip(&client).await?; // warm-up: connections, caches
        }
        let (mut pings, mut echoes) = (Vec::new(), Vec::new());
        for _ in 0..calls {
            pings.push(client.ping().await?);
            echoes.push(round_trip(&client).await?);
        }
        anyhow::Ok((pings, echoes))
    })?;
    let size = serde_json::json!({ "round_trips": calls, "workers": 1 });
    let mut record = Record::new("ch04", "overhead", size);
    record.runs.push(latency_run("ping", &pings, None));
    let floor = record.runs[0].wall_s;
    record.runs.push(latency_run("echo", &echoes, Some(floor)));
    Ok(record)
}
// ANCHOR_END: overhead

async fn round_trip(client: &Client) -> Result<Duration> {
    let start = Instant::now();
    let outcome = client
        .call(echo::new(String::new()), Duration::from_secs(30))
        .await?;
    let took = start.elapsed();
    ensure!(
        outcome == Outcome::Success("".into()),
        "echo answered {outcome:?}"
    );
    Ok(took)
}

/// A run whose time is the median of `samples`, with percentiles (ms)
/// and, given the PING floor, the median as a multiple of it.
fn latency_run(variant: &str, samples: &[Duration], floor: Option<f64>) -> Run {
    let mut sorted: Vec<f64> = samples.iter().map(Duration::as_secs_f64).collect();
    sorted.sort_by(f64::total_cmp);
    let at = |p: u32| sorted[((sorted.len() - 1) * p as usize) / 100];
    let mut run = Run {
        variant: variant.into(),
        workers: 1,
        wall_s: at(50),
        cpu_s: 0.0,
        speedup: None,
        efficiency: None,
        verified: true,
        skipped: None,
        extra: Default::default(),
    };
    for p in PERCENTILES {
        run.extra.insert(format!("p{p}_ms"), at(p) * 1e3);
    }
    if let Some(floor) = floor {
        run.extra.insert("x_ping".into(), at(50) / floor);
    }
    run
}

// ANCHOR: throughput
/// Trivial tasks through two Rust workers running one task at a time,
/// the same two with eight tasks in hand each (`rust_c8`), and two Python
/// Celery workers configured alike: `solo` pools (one at a time) and
/// `threads` pools of eight (`python_c8`), on the same broker. Both sides
/// acknowledge late and take one message per task in hand (Python's
/// `worker_prefetch_multiplier = 1`).
pub fn throughput(common: &CommonArgs, setup: &Setup) -> Result<Record> {
    let tasks = 10 * round_trips(common.size);
    let size = serde_json::json!({ "tasks": tasks, "task": "echo" });
    let mut exp = Experiment::new("ch04", "throughput", size, common.measure_opts());
    let (runtime, client) = setup.client()?;
    let group = || {
        (0..tasks)
            .map(|i| echo::new(i.to_string()))
            .collect::<Vec<_>>()
    };
    let check = |outcomes: &Vec<Outcome>| {
        ensure!(
            outcomes.len() == tasks,
            "{} of {tasks} outcomes",
            outcomes.len()
        );
        let all = outcomes.iter().enumerate();
        ensure!(
            all.into_iter()
                .all(|(i, o)| *o == Outcome::Success(i.to_string().into()))
        );
        Ok(())
    };
    let run = || runtime.block_on(client.run_all(group(), Duration::from_secs(600)));
    let rust = {
        let _workers = setup.workers(2, 1)?;
        exp.measure("rust", 2, run, check)?.wall_s
    };
    exp.note("tasks_per_s", tasks as f64 / rust);
    let rust_concurrent = {
        let _workers = setup.workers(2, 8)?;
        exp.measure("rust_c8", 2, run, check)?.wall_s
    };
    exp.note("tasks_per_s", tasks as f64 / rust_concurrent);
    for (variant, pool, concurrency) in
        [("python", "solo", 1), ("python_c8", "threads", 8)]
    {
        match python_workers(setup.broker(), pool, concurrency) {
            Ok((_python, _logs)) => {
                let python = exp.measure(variant, 2, run, check)?.wall_s;
                exp.note("tasks_per_s", tasks as f64 / python);
            }
            Err(why) => exp.skip(variant, 2, format!("{why:#}")),
        }
    }
    Ok(exp.finish())
}
// ANCHOR_END: throughput

/// Two Python workers of `pool` running `concurrency` tasks each.
fn python_workers(
    broker: &str,
    pool: &str,
    concurrency: u16,
) -> Result<(Vec<PythonWorker>, TempDir)> {
    let logs = TempDir::new("ch04-python-workers")?;
    let workers = (0..2)
        .map(|i| {
            let log = logs.path().join(format!("{i}.log"));
            PythonWorker::start_pool(broker, None, None, &log, pool, concurrency)
        })
        .collect::<Result<Vec<_>>>()
        .context("starting Python Celery workers")?;
    Ok((workers, logs))
}
