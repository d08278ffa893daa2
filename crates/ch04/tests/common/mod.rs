//! Chapter 4 · What the integration tests share: a broker of their own and
//! workers of the real binary.
#![allow(dead_code)] // each test file uses a part

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;

use ch04::celery::client::Client;
use ch04::celery::worker::WorkerConfig;
use ch04::launcher::Workers;
use workbench::services::{RedisServer, TempDir};

pub fn worker_program() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_worker"))
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// `count` workers of `concurrency` each on `broker`, a short visibility
/// timeout so that lost messages come back within seconds.
pub fn workers(
    broker: &str,
    count: usize,
    concurrency: u16,
    logs: &Path,
) -> Workers {
    let config = WorkerConfig {
        concurrency,
        visibility_timeout: Duration::from_secs(2),
        ..WorkerConfig::new(broker)
    };
    start(&config, count, logs)
}

/// A Redis of the test's own, a scratch directory `name` for logs, and
/// `count` workers of `concurrency` on that Redis (dropped first).
pub fn on_redis(
    name: &str,
    count: usize,
    concurrency: u16,
) -> (RedisServer, TempDir, Workers) {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new(name).expect("dir");
    let workers = workers(&redis.url(), count, concurrency, logs.path());
    (redis, logs, workers)
}

/// `body` with a client of the broker at `url` (default queue), on a
/// runtime of its own.
pub fn with_client<T>(url: &str, body: impl AsyncFnOnce(Client) -> T) -> T {
    runtime().block_on(async {
        let client = Client::connect(url, "celery").await.expect("connects");
        body(client).await
    })
}

/// `count` workers of the real binary, configured by `config`.
pub fn start(config: &WorkerConfig, count: usize, logs: &Path) -> Workers {
    Workers::start(worker_program(), config, count, Some(logs))
        .expect("workers start")
}

pub fn read_logs(dir: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).expect("log dir").flatten() {
        all.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    all
}

/// Workers on RabbitMQ at `amqp`, results in the Redis at `backend`.
pub fn amqp_workers(
    amqp: &str,
    backend: &str,
    count: usize,
    concurrency: u16,
    logs: &Path,
) -> Workers {
    let config = WorkerConfig {
        concurrency,
        backend: Some(backend.to_owned()),
        ..WorkerConfig::new(amqp)
    };
    start(&config, count, logs)
}

/// What `python/client.py` reports after sending every task to Rust
/// workers (on either broker).
pub fn check_python_client_report(report: &serde_json::Value) {
    use serde_json::json;
    assert_eq!(report["echo"], "from Python");
    assert_eq!(report["fib"], 75_025);
    assert_eq!(report["sort"], json!([-2, 0, 3, 7]));
    assert_eq!(report["fail"], "ExpectedError: on purpose");
    let expected: Vec<u64> = (0..20).map(workbench::fib::fib_expected).collect();
    assert_eq!(report["group"], json!(expected));
    // Python's chain(fib.s(6), fib.s(), fib.s()), carried on by Rust workers.
    assert_eq!(report["chain"], 10_946);
    assert_eq!(report["chain_steps"], json!([8, 21]));
    assert_eq!(report["chain_immutable"], "sorted");
}

/// A Python worker answers the Rust client's echo, fib, sort and fail
/// (on either broker).
pub async fn check_python_worker_answers(
    client: &ch04::celery::client::Client,
    wait: Duration,
) {
    use ch04::celery::client::Outcome;
    use ch04::tasks::{echo, fail, fib, sort};
    let said = client.call(echo::new("from Rust".into()), wait).await;
    assert_eq!(said.expect("echo"), Outcome::Success("from Rust".into()));
    let value: u64 = client
        .call(fib::new(20), wait)
        .await
        .expect("fib")
        .value()
        .expect("a number");
    assert_eq!(value, 6765);
    let sorted: Vec<i64> = client
        .call(sort::new(vec![9, 1, 5]), wait)
        .await
        .expect("sort")
        .value()
        .expect("numbers");
    assert_eq!(sorted, [1, 5, 9]);
    let failed = client
        .call(fail::new("raised in Python".into()), wait)
        .await;
    assert_eq!(
        failed.expect("ends"),
        Outcome::Failure {
            exc_type: "ValueError".into(),
            message: "raised in Python".into()
        }
    );
}

/// How many times each task's result was published: once per execution
/// that ran to the end. Counting starts when this returns.
pub type Publishes = Arc<Mutex<HashMap<String, usize>>>;

pub async fn count_publishes(url: &str) -> Publishes {
    let client = redis::Client::open(url).expect("url");
    let mut pubsub = client.get_async_pubsub().await.expect("pubsub");
    pubsub
        .psubscribe("celery-task-meta-*")
        .await
        .expect("psubscribe");
    let counts = Publishes::default();
    let counting = counts.clone();
    tokio::spawn(async move {
        let mut stream = pubsub.into_on_message();
        while let Some(message) = stream.next().await {
            let id = message
                .get_channel_name()
                .trim_start_matches("celery-task-meta-");
            let mut counts = counting.lock().unwrap_or_else(|p| p.into_inner());
            *counts.entry(id.to_owned()).or_default() += 1;
        }
    });
    counts
}

/// Every one of `ids` ran to the end exactly once.
pub fn assert_ran_once(counts: &Publishes, ids: &[String]) {
    let counts = counts.lock().unwrap_or_else(|p| p.into_inner());
    let repeated: Vec<(&String, usize)> = ids
        .iter()
        .map(|id| (id, counts.get(id).copied().unwrap_or(0)))
        .filter(|(_, runs)| *runs != 1)
        .collect();
    assert!(
        repeated.is_empty(),
        "tasks not run exactly once: {repeated:?}"
    );
}

/// Poll the number of unacknowledged messages (kombu's `unacked` hash)
/// until `enough` says so; fail with `what` and the last count after
/// `within`.
pub async fn wait_for_unacked(
    url: &str,
    enough: impl Fn(usize) -> bool,
    what: &str,
    within: Duration,
) {
    let (_, mut conn) = ch04::celery::connection::connect(url).await.expect("conn");
    let start = Instant::now();
    loop {
        let held: usize = redis::cmd("HLEN")
            .arg(ch04::celery::broker::keys::UNACKED)
            .query_async(&mut conn)
            .await
            .expect("hlen");
        if enough(held) {
            return;
        }
        assert!(start.elapsed() < within, "{what}: {held} unacknowledged");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Run the worker with `args`, a broker that is not there: it must give up
/// within seconds (exit code 1); what it said on stderr.
pub fn worker_gives_up(args: &[&str]) -> String {
    let start = Instant::now();
    let out = std::process::Command::new(worker_program())
        .args(args)
        .output()
        .expect("the worker runs");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(5), "gave up after {took:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    stderr
}

/// Tasks in the `celery` queue, and taken but not acknowledged.
pub async fn queue_counts(
    conn: &mut redis::aio::ConnectionManager,
) -> (usize, usize) {
    redis::pipe()
        .llen("celery")
        .hlen(ch04::celery::broker::keys::UNACKED)
        .query_async(conn)
        .await
        .expect("counts")
}
