//! Chapter 4 · Faults: poison messages. An input past a task's bound is a
//! task error (the worker lives); a message that keeps killing whoever
//! takes it is dead-lettered after a bounded number of deliveries.

mod common;

use std::time::{Duration, Instant};

use ch04::celery::broker::restore::restore_overdue;
use ch04::celery::client::{Client, Outcome};
use ch04::celery::worker::WorkerConfig;
use ch04::tasks::{fib, nap};
use workbench::fib::fib_expected;
use workbench::services::{RedisServer, TempDir};

const WAIT: Duration = Duration::from_secs(30);

/// The dead-letter list of the `celery` queue, and how often a message
/// may be delivered without an acknowledgement before it goes there.
const DEAD: &str = "celery:dead";
const DELIVERIES: usize = 3;

/// How many entries `key` holds, by `command` (`HLEN`, `LLEN`).
async fn count(
    conn: &mut redis::aio::ConnectionManager,
    command: &str,
    key: &str,
) -> usize {
    redis::cmd(command)
        .arg(key)
        .query_async(conn)
        .await
        .expect(command)
}

fn assert_alive(workers: &mut ch04::launcher::Workers, logs: &std::path::Path) {
    for (index, alive) in workers.alive().into_iter().enumerate() {
        let log = common::read_logs(logs);
        assert!(alive, "worker {index} died:\n{log}");
    }
}

#[test]
fn an_input_past_its_bound_is_a_task_error_and_no_worker_dies() {
    let (redis, logs, mut workers) = common::on_redis("ch04-bounds", 2, 1);
    common::with_client(&redis.url(), async |client| {
        let mut signatures = vec![fib::new(1_000_000)];
        signatures.extend((0..100).map(|_| fib::new(20)));
        let outcomes = client.run_all(signatures, WAIT).await.expect("outcomes");
        let Outcome::Failure { message, .. } = &outcomes[0] else {
            panic!("fib(1000000) must fail: {:?}", outcomes[0]);
        };
        assert!(message.contains("too large"), "{message}");
        for outcome in &outcomes[1..] {
            assert_eq!(outcome.clone().value::<u64>().expect("fib"), 6765);
        }
    });
    assert_alive(&mut workers, logs.path());
}

#[test]
fn a_message_that_kills_its_workers_is_dead_lettered_after_n_deliveries() {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-poison").expect("dir");
    let program = common::worker_program();
    let config = WorkerConfig {
        visibility_timeout: Duration::from_secs(1),
        ..WorkerConfig::new(&redis.url())
    };
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery").await.expect("conn");
        let (_, mut conn) = ch04::celery::connection::connect(&redis.url())
            .await
            .expect("c");
        // The poison: whoever holds it dies (SIGKILL while it runs), as a
        // worker killed by a stack overflow or the OOM killer would.
        let poison = client.send(nap::new(300.0)).await.expect("sent");
        for round in 0..DELIVERIES {
            let mut victim =
                ch04::launcher::Workers::start(program, &config, 1, None)
                    .expect("a worker");
            let start = Instant::now();
            while count(&mut conn, "HLEN", "unacked").await == 0 {
                assert!(start.elapsed() < WAIT, "round {round}: never taken");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            victim.kill(0).expect("kill -9");
            // Killed inside its own restore pass, it would leave the
            // restore lock held for 30 s: take it away.
            redis::cmd("DEL")
                .arg("unacked_mutex")
                .query_async::<()>(&mut conn)
                .await
                .expect("del");
            // The restore pass any worker runs, run here: the message is
            // back on the queue before the next worker starts.
            let start = Instant::now();
            while count(&mut conn, "LLEN", "celery").await == 0 {
                assert!(start.elapsed() < WAIT, "round {round}: never restored");
                let vt = config.visibility_timeout;
                let _ = restore_overdue(&mut conn, vt).await.expect("restore");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        // Healthy workers now: the poison's next delivery is its last.
        let mut workers = common::workers(&redis.url(), 2, 1, logs.path());
        let mut ids = vec![poison];
        for _ in 0..100 {
            ids.push(client.send(fib::new(20)).await.expect("sent"));
        }
        let outcomes = client.wait(&ids, WAIT).await.expect("every outcome");
        let Outcome::Failure { exc_type, message } = &outcomes[0] else {
            panic!("the poison must fail: {:?}", outcomes[0]);
        };
        assert!(
            message.contains("delivered 3 times"),
            "{exc_type}: {message}"
        );
        for outcome in &outcomes[1..] {
            assert_eq!(
                outcome.clone().value::<u64>().expect("fib"),
                fib_expected(20)
            );
        }
        assert_eq!(count(&mut conn, "LLEN", DEAD).await, 1, "one dead letter");
        let letter: String = redis::cmd("LINDEX")
            .arg(DEAD)
            .arg(0)
            .query_async(&mut conn)
            .await
            .expect("lindex");
        let letter: serde_json::Value = serde_json::from_str(&letter).expect("json");
        assert_eq!(letter["task_id"], ids[0].as_str(), "{letter}");
        assert_eq!(letter["deliveries"], DELIVERIES, "{letter}");
        assert!(letter["message"].is_string(), "{letter}");
        assert_eq!(count(&mut conn, "HLEN", "unacked").await, 0);
        let status = client.status().await.expect("status");
        assert_eq!(status.dead.len(), 1);
        let reason = status.dead[0]["reason"].as_str().unwrap_or_default();
        assert!(reason.contains("without an acknowledgement"), "{reason}");
        assert_alive(&mut workers, logs.path());
    });
}
