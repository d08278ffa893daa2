//! Chapter 4 · Rust and Python Celery through one Redis, both ways, and a
//! message lost by a Python worker restored by a Rust one.

mod common;

use std::time::{Duration, Instant};

use ch04::chain::{Chain, Link};
use ch04::client::{Client, Outcome};
use ch04::python::{PythonWorker, run_client};
use ch04::tasks::{echo, fail, fib, nap, sort};
use workbench::services::{RedisServer, TempDir};

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn a_python_client_uses_rust_workers_and_get_hears_their_results() {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-interop").expect("dir");
    let _workers = common::workers(&redis.url(), 2, 1, logs.path());
    let report = run_client(&redis.url()).expect("the Python client runs");
    assert_eq!(report["echo"], "from Python");
    assert_eq!(report["fib"], 75_025);
    assert_eq!(report["sort"], serde_json::json!([-2, 0, 3, 7]));
    assert_eq!(report["fail"], "ExpectedError: on purpose");
    let group: Vec<u64> =
        serde_json::from_value(report["group"].clone()).expect("list");
    let expected: Vec<u64> = (0..20).map(workbench::fib::fib_expected).collect();
    assert_eq!(group, expected);
    // Python's chain(fib.s(6), fib.s(), fib.s()), carried on by Rust workers.
    assert_eq!(report["chain"], 10_946);
    assert_eq!(report["chain_steps"], serde_json::json!([8, 21]));
    assert_eq!(report["chain_immutable"], "sorted");
}

#[test]
fn a_rust_client_uses_a_python_worker() {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-interop").expect("dir");
    let _python =
        PythonWorker::start(&redis.url(), None, &logs.path().join("py.log"))
            .expect("a Python worker");
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery")
            .await
            .expect("connects");
        let said = client.call(echo::new("from Rust".into()), WAIT).await;
        assert_eq!(said.expect("echo"), Outcome::Success("from Rust".into()));
        let value: u64 = client
            .call(fib::new(20), WAIT)
            .await
            .expect("fib")
            .value()
            .expect("a number");
        assert_eq!(value, 6765);
        let sorted: Vec<i64> = client
            .call(sort::new(vec![9, 1, 5]), WAIT)
            .await
            .expect("sort")
            .value()
            .expect("numbers");
        assert_eq!(sorted, [1, 5, 9]);
        let failed = client
            .call(fail::new("raised in Python".into()), WAIT)
            .await;
        assert_eq!(
            failed.expect("ends"),
            Outcome::Failure {
                exc_type: "ValueError".into(),
                message: "raised in Python".into()
            }
        );
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
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-interop").expect("dir");
    let mut python =
        PythonWorker::start(&redis.url(), None, &logs.path().join("py.log"))
            .expect("a Python worker");
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery")
            .await
            .expect("connects");
        let id = client.send(nap::new(0.5)).await.expect("sent");
        let (_, conn) = ch04::connection::connect(&redis.url()).await.expect("conn");
        let start = Instant::now();
        loop {
            let held: usize = redis::cmd("HLEN")
                .arg("unacked")
                .query_async(&mut conn.clone())
                .await
                .expect("hlen");
            if held == 1 {
                break; // Python took it, in kombu's unacked hash
            }
            assert!(start.elapsed() < WAIT, "Python never took the task");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        python.kill().expect("kill -9 the Python worker");
        let _rust = common::workers(&redis.url(), 1, 1, logs.path());
        let outcome = client.wait(&[id], WAIT).await.expect("restored and run");
        assert_eq!(outcome[0], Outcome::Success(0.5.into()));
    });
}
