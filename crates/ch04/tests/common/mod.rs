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
