//! Chapter 4 · Rust and Python Celery through RabbitMQ with Redis for the
//! results (the book's set-up), both ways, chains included: one RabbitMQ
//! node of the test's own for both directions (it takes seconds to start).

mod common;

use std::time::Duration;

use ch04::chain::{Chain, Link};
use ch04::client::{Client, Outcome};
use ch04::python::{PythonWorker, run_client_on};
use ch04::tasks::{echo, fail, fib, sort};
use serde_json::json;
use workbench::services::{RabbitMq, RedisServer, TempDir};

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn rust_and_python_interoperate_over_rabbitmq_both_ways() {
    let rabbit = RabbitMq::start().expect("rabbitmq-server");
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-amqp-interop").expect("dir");

    // A Python client, Rust workers: AsyncResult.get() hears their results.
    let workers =
        common::amqp_workers(&rabbit.url(), &redis.url(), 2, 1, logs.path());
    let report =
        run_client_on(&rabbit.url(), Some(&redis.url())).expect("the Python client");
    assert_eq!(report["echo"], "from Python");
    assert_eq!(report["fib"], 75_025);
    assert_eq!(report["sort"], json!([-2, 0, 3, 7]));
    assert_eq!(report["fail"], "ExpectedError: on purpose");
    let expected: Vec<u64> = (0..20).map(workbench::fib::fib_expected).collect();
    assert_eq!(report["group"], json!(expected));
    assert_eq!(report["chain"], 10_946);
    assert_eq!(report["chain_steps"], json!([8, 21]));
    assert_eq!(report["chain_immutable"], "sorted");
    drop(workers);

    // A Rust client, a Python worker.
    let _python = PythonWorker::start_on(
        &rabbit.url(),
        Some(&redis.url()),
        None,
        &logs.path().join("py.log"),
    )
    .expect("a Python worker on RabbitMQ");
    common::runtime().block_on(async {
        let client = Client::connect_amqp(&rabbit.url(), &redis.url(), "celery")
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
            Link::to::<fib>(vec![json!(6)]),
            Link::to::<fib>(vec![]),
            Link::immutable::<echo>(vec![json!("chained in Python")]),
        ]);
        let last = client.run_chain(&nested, WAIT).await.expect("the chain");
        assert_eq!(last, Outcome::Success(json!("chained in Python")));
        let steps = client.wait(&nested.ids()[..2], WAIT).await.expect("links");
        assert_eq!(steps[1], Outcome::Success(json!(21)));
    });
}
