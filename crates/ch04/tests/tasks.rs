//! Chapter 4 · Rust client, Rust workers, a real Redis: every task, a
//! failing one, a group, purge.

mod common;

use std::time::Duration;

use ch04::celery::client::{Client, Outcome};
use ch04::tasks::{echo, fail, fib, nap, sort};
use workbench::services::{RedisServer, TempDir};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn every_task_answers_and_a_failure_reaches_the_caller() {
    let (redis, _logs, _workers) = common::on_redis("ch04-test-logs", 2, 2);
    common::with_client(&redis.url(), async |client| {
        let said: String = client
            .call(echo::new("hello".into()), WAIT)
            .await
            .expect("echo")
            .value()
            .expect("a string");
        assert_eq!(said, "hello");
        let answers = client
            .run_all((10..30).map(fib::new).collect(), WAIT)
            .await
            .expect("a group");
        let values: Vec<u64> = answers
            .into_iter()
            .map(|o| o.value().expect("fib"))
            .collect();
        let expected: Vec<u64> =
            (10..30).map(workbench::fib::fib_expected).collect();
        assert_eq!(values, expected);
        let sorted: Vec<i64> = client
            .call(sort::new(vec![5, -1, 3]), WAIT)
            .await
            .expect("sort")
            .value()
            .expect("numbers");
        assert_eq!(sorted, [-1, 3, 5]);
        let failed = client
            .call(fail::new("boom".into()), WAIT)
            .await
            .expect("ends");
        assert_eq!(
            failed,
            Outcome::Failure {
                exc_type: "ExpectedError".into(),
                message: "boom".into()
            }
        );
    });
}

#[test]
fn a_time_limit_stops_a_task_and_purge_empties_the_queue() {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-test-logs").expect("dir");
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery").await.expect("connects");
        for seconds in [0.1, 0.2, 0.3] {
            client.send(nap::new(seconds)).await.expect("sent");
        }
        assert_eq!(client.queued().await.expect("llen"), 3);
        assert_eq!(client.purge().await.expect("purged"), 3);
        assert_eq!(client.queued().await.expect("llen"), 0);
        let _workers = common::workers(&redis.url(), 1, 1, logs.path());
        let limited = nap::new(30.0).with_time_limit(1);
        let outcome = client.call(limited, WAIT).await.expect("ends");
        assert!(
            matches!(&outcome, Outcome::Failure { exc_type, .. } if exc_type == "TimeoutError"),
            "{outcome:?}"
        );
    });
}

#[test]
fn an_unreachable_service_is_retried_with_backoff_then_fails() {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-test-logs").expect("dir");
    let nowhere = format!(
        "http://127.0.0.1:{}",
        workbench::services::free_port().expect("port")
    );
    let config = ch04::celery::worker::WorkerConfig {
        rates: Some(nowhere),
        ..ch04::celery::worker::WorkerConfig::new(&redis.url())
    };
    let _worker = ch04::launcher::Workers::start(
        common::worker_program(),
        &config,
        1,
        Some(logs.path()),
    )
    .expect("a worker");
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery").await.expect("connects");
        let outcome = client
            .call(ch04::tasks::rate::new("EURUSD".into()), WAIT)
            .await
            .expect("ends after its retries");
        assert!(
            matches!(&outcome, Outcome::Failure { exc_type, .. } if exc_type == "UnexpectedError"),
            "{outcome:?}"
        );
    });
    drop(_worker);
    let log = common::read_logs(logs.path());
    assert_eq!(
        log.matches("rate EURUSD").count(),
        3,
        "three retries: {log}"
    );
}
