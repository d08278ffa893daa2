//! Chapter 4 · What the integration tests share: a broker of their own and
//! workers of the real binary.
#![allow(dead_code)] // each test file uses a part

use std::path::Path;
use std::time::Duration;

use ch04::launcher::Workers;
use ch04::worker::WorkerConfig;

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
    Workers::start(worker_program(), &config, count, Some(logs))
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
    Workers::start(worker_program(), &config, count, Some(logs))
        .expect("workers start")
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
    client: &ch04::client::Client,
    wait: Duration,
) {
    use ch04::client::Outcome;
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
