//! Chapter 4 · Rust and Python Celery through RabbitMQ with Redis for the
//! results (the book's set-up), both ways, chains included: one RabbitMQ
//! node of the test's own for both directions (it takes seconds to start).

mod common;

use std::time::Duration;

use ch04::celery::chain::{Chain, Link};
use ch04::celery::client::{Client, Outcome};
use ch04::python::{PythonWorker, run_client_on};
use ch04::tasks::{echo, fib};
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
    common::check_python_client_report(&report);
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
        common::check_python_worker_answers(&client, WAIT).await;
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
