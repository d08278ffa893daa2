//! Chapter 4 · Rust and Python Celery through one Redis, both ways, and a
//! message lost by a Python worker restored by a Rust one.

mod common;

use std::time::Duration;

use ch04::celery::chain::{Chain, Link};
use ch04::celery::client::{Client, Outcome};
use ch04::python::{PythonWorker, run_client};
use ch04::tasks::{fib, nap};
use workbench::services::{RedisServer, TempDir};

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn a_python_client_uses_rust_workers_and_get_hears_their_results() {
    let (redis, _logs, _workers) = common::on_redis("ch04-interop", 2, 1);
    let report = run_client(&redis.url()).expect("the Python client runs");
    common::check_python_client_report(&report);
}

/// A Redis of its own and a Python worker on it, logging into a scratch
/// directory.
fn python_worker() -> (RedisServer, TempDir, PythonWorker) {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-interop").expect("dir");
    let python =
        PythonWorker::start(&redis.url(), None, &logs.path().join("py.log"))
            .expect("a Python worker");
    (redis, logs, python)
}

#[test]
fn a_rust_client_uses_a_python_worker() {
    let (redis, _logs, _python) = python_worker();
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery")
            .await
            .expect("connects");
        common::check_python_worker_answers(&client, WAIT).await;
        let nested = Chain::new(vec![
            Link::to::<fib>(vec![6.into()]),
            Link::to::<fib>(vec![]),
            Link::to::<fib>(vec![]),
        ]);
        let last = client.run_chain(&nested, WAIT).await.expect("the chain");
        assert_eq!(last, Outcome::Success(10_946.into()));
    });
}

#[test]
fn a_rust_worker_restores_what_a_killed_python_worker_held() {
    let (redis, logs, mut python) = python_worker();
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery")
            .await
            .expect("connects");
        let id = client.send(nap::new(0.5)).await.expect("sent");
        // Python took it, into kombu's unacked hash.
        let one = |held| held == 1;
        common::wait_for_unacked(&redis.url(), one, "Python never took it", WAIT)
            .await;
        python.kill().expect("kill -9 the Python worker");
        let _rust = common::workers(&redis.url(), 1, 1, logs.path());
        let outcome = client.wait(&[id], WAIT).await.expect("restored and run");
        assert_eq!(outcome[0], Outcome::Success(0.5.into()));
    });
}
