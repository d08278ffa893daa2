//! Chapter 4 · The price of distribution: one trivial task's round trip
//! against a bare Redis PING in the same run, and how many trivial tasks
//! two Rust workers get through against two Python Celery workers.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use workbench::services::TempDir;
use workbench::{CommonArgs, Contender, Experiment, Record, Run};

use crate::celery::client::{Client, Outcome};
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
        // ANCHOR: alternate
        for _ in 0..calls {
            pings.push(client.ping().await?);
            echoes.push(round_trip(&client).await?);
        }
        // ANCHOR_END: alternate
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
/// `worker_prefetch_multiplier = 1`). Every pool is started first, on a
/// queue (Rust) or a Redis database (Python) of its own, and the four are
/// measured in rounds.
pub fn throughput(common: &CommonArgs, setup: &Setup) -> Result<Record> {
    let tasks = 10 * round_trips(common.size);
    let size = serde_json::json!({ "tasks": tasks, "task": "echo" });
    let mut exp = Experiment::new("ch04", "throughput", size, common.measure_opts());
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
    // ANCHOR: pools
    let pools = [
        rust_pool(setup, "rust", 1)?,
        rust_pool(setup, "rust_c8", 8)?,
        python_pool(setup, "python", "solo", 1),
        python_pool(setup, "python_c8", "threads", 8),
    ];
    // ANCHOR_END: pools
    let contenders = pools.iter().map(|pool| match &pool.client {
        Ok((runtime, client)) => {
            let deadline = Duration::from_secs(600);
            let run = move || runtime.block_on(client.run_all(group(), deadline));
            Contender::new(pool.variant, 2, run, check)
        }
        Err(why) => Contender::skipped(pool.variant, 2, why.as_str()),
    });
    exp.measure_rounds(contenders.collect())?;
    let mut record = exp.finish();
    for run in record.runs.iter_mut().filter(|r| r.skipped.is_none()) {
        run.extra
            .insert("tasks_per_s".into(), tasks as f64 / run.wall_s);
    }
    Ok(record)
}
// ANCHOR_END: throughput

/// Two workers of one kind, and a client of them (or why there are none).
struct Pool {
    variant: &'static str,
    client: Result<(tokio::runtime::Runtime, Client), String>,
    _workers: Box<dyn std::any::Any>,
}

/// Two Rust workers running `concurrency` tasks each, on queue `variant`.
fn rust_pool(
    setup: &Setup,
    variant: &'static str,
    concurrency: u16,
) -> Result<Pool> {
    let workers = setup.workers_on(variant, 2, concurrency)?;
    Ok(Pool {
        variant,
        client: Ok(setup.client_on(variant)?),
        _workers: Box::new(workers),
    })
}

/// Two Python workers of `pool` running `concurrency` tasks each, on a
/// Redis database of their own; skipped, with the reason, when they cannot
/// start (no venv, or a broker that is not Redis).
fn python_pool(
    setup: &Setup,
    variant: &'static str,
    pool: &str,
    concurrency: u16,
) -> Pool {
    let database = if concurrency == 1 { 1 } else { 2 };
    let started = || -> Result<_> {
        let broker = redis_database(setup.broker(), database)?;
        let workers = python_workers(&broker, pool, concurrency)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let client = runtime.block_on(Client::connect(&broker, "celery"))?;
        runtime.block_on(client.purge())?; // nothing left from earlier runs
        Ok(((runtime, client), workers))
    };
    match started() {
        Ok((client, workers)) => Pool {
            variant,
            client: Ok(client),
            _workers: Box::new(workers),
        },
        Err(why) => Pool {
            variant,
            client: Err(format!("{why:#}")),
            _workers: Box::new(()),
        },
    }
}

/// `url` (a `redis://` URL) pointing at Redis database `database`.
fn redis_database(url: &str, database: u8) -> Result<String> {
    let Some(rest) = url
        .strip_prefix("redis://")
        .map(|rest| ("redis://", rest))
        .or_else(|| {
            url.strip_prefix("rediss://")
                .map(|rest| ("rediss://", rest))
        })
    else {
        bail!(
            "the Python pools run on Redis databases of their own; the broker is not Redis"
        );
    };
    let (scheme, rest) = rest;
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, format!("?{query}")),
        None => (rest, String::new()),
    };
    let host = rest.split('/').next().unwrap_or(rest);
    Ok(format!("{scheme}{host}/{database}{query}"))
}

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

#[cfg(test)]
mod tests {
    use super::redis_database;

    #[test]
    fn a_redis_url_is_pointed_at_another_database() {
        let cases = [
            ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/2"),
            ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/2"),
            (
                "redis://:pw@host:1/5?timeout=3",
                "redis://:pw@host:1/2?timeout=3",
            ),
            ("rediss://host/", "rediss://host/2"),
        ];
        for (given, want) in cases {
            assert_eq!(redis_database(given, 2).expect("a Redis URL"), want);
        }
        assert!(redis_database("amqp://127.0.0.1:5672", 2).is_err());
    }
}
