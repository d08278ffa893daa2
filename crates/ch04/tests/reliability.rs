//! Chapter 4 · Failures on a real Redis: a worker killed mid-group, a
//! broker that is absent or restarted, malformed messages.

mod common;

use std::time::{Duration, Instant};

use ch04::celery::client::Client;
use ch04::tasks::{echo, fib, nap};
use workbench::fib::fib_expected;
use workbench::services::{RedisServer, TempDir, free_port};

const WAIT: Duration = Duration::from_secs(90);

/// Send `count` fib(n) tasks; return their ids.
async fn send_fibs(client: &Client, n: u32, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let mut envelopes = Vec::new();
    for _ in 0..count {
        let (id, envelope) = client.message(fib::new(n)).expect("a message");
        ids.push(id);
        envelopes.push(envelope);
    }
    client.push(&envelopes).await.expect("sent");
    ids
}

async fn wait_until_queue_below(client: &Client, left: usize) {
    let start = Instant::now();
    while client.queued().await.expect("llen") >= left {
        assert!(start.elapsed() < WAIT, "the workers took nothing");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// How long each worker's first task sleeps: the kill comes while both
/// are inside it, so the dead worker surely leaves a message behind.
const NAP_S: f64 = 3.0;

#[test]
fn killing_a_worker_mid_group_loses_no_task() {
    let (redis, logs, mut workers) = common::on_redis("ch04-kill", 2, 1);
    common::with_client(&redis.url(), async |client| {
        let runs = common::count_publishes(&redis.url()).await;
        // Two naps first (one per worker: each holds one message at a
        // time), then the group. Killing a worker between an ack and its
        // next take would leave nothing to restore; inside a nap it holds
        // one for seconds.
        let mut naps = Vec::new();
        let mut envelopes = Vec::new();
        for _ in 0..2 {
            let (id, envelope) = client.message(nap::new(NAP_S)).expect("a nap");
            naps.push(id);
            envelopes.push(envelope);
        }
        client.push(&envelopes).await.expect("sent");
        let ids = send_fibs(&client, 26, 120).await;
        let two = |held| held >= 2;
        common::wait_for_unacked(&redis.url(), two, "never held two", WAIT).await;
        workers.kill(0).expect("kill -9");
        let outcomes = client.wait(&ids, WAIT).await.expect("every result");
        for outcome in outcomes {
            assert_eq!(outcome.value::<u64>().expect("fib"), fib_expected(26));
        }
        for outcome in client.wait(&naps, WAIT).await.expect("both naps") {
            assert_eq!(outcome.value::<f64>().expect("nap"), NAP_S);
        }
        // The dead worker's messages (run or not) are given back and run.
        let none = |held| held == 0;
        common::wait_for_unacked(&redis.url(), none, "never acknowledged", WAIT)
            .await;
        // ... and nothing ran twice: the dead worker's nap never finished,
        // and the live worker's leases were renewed, never restored.
        tokio::time::sleep(Duration::from_millis(200)).await; // last publishes
        common::assert_ran_once(&runs, &ids);
        common::assert_ran_once(&runs, &naps);
    });
    drop(workers);
    let log = common::read_logs(logs.path());
    assert!(log.contains("restored unacknowledged message"), "{log}");
}

#[test]
fn an_absent_broker_is_a_clear_error_within_five_seconds() {
    let url = format!("redis://127.0.0.1:{}/0", free_port().expect("a port"));
    let stderr = common::worker_gives_up(&["--broker", &url]);
    assert!(stderr.contains("cannot reach the Redis broker"), "{stderr}");
}

#[test]
fn a_broker_restart_mid_run_is_survived() {
    let mut redis = RedisServer::start_persistent().expect("redis-server");
    let logs = TempDir::new("ch04-restart").expect("dir");
    let workers = common::workers(&redis.url(), 2, 1, logs.path());
    let runtime = common::runtime();
    let client = runtime
        .block_on(Client::connect(&redis.url(), "celery"))
        .expect("connects");
    let ids = runtime.block_on(async {
        let ids = send_fibs(&client, 26, 60).await;
        wait_until_queue_below(&client, 50).await;
        ids
    });
    redis.restart().expect("the broker restarts");
    let outcomes = runtime
        .block_on(client.wait(&ids, WAIT))
        .expect("every result after the restart");
    for outcome in outcomes {
        assert_eq!(outcome.value::<u64>().expect("fib"), fib_expected(26));
    }
    drop(workers);
}

#[test]
fn malformed_messages_are_logged_and_the_worker_keeps_serving() {
    let (redis, logs, workers) = common::on_redis("ch04-malformed", 1, 1);
    common::with_client(&redis.url(), async |client| {
        let wrong_type = serde_json::json!({
            "body": "W1siYWJjIl0sIHt9LCB7fV0=", // [["abc"], {}, {}]
            "content-encoding": "utf-8", "content-type": "application/json",
            "headers": {"id": "wrong-type", "task": "fib", "retries": 0,
                        "timelimit": [null, null]},
            "properties": {"correlation_id": "wrong-type", "body_encoding": "base64",
                           "delivery_tag": "tag-wrong-type",
                           "delivery_info": {"exchange": "", "routing_key": "celery"}}
        });
        let mut unknown = wrong_type.clone();
        unknown["headers"]["task"] = "no_such_task".into();
        unknown["properties"]["delivery_tag"] = "tag-unknown".into();
        let garbage = ["this is not json".to_owned(), "{\"body\": 1}".to_owned()];
        client.push(&garbage).await.expect("sent");
        client
            .push(&[wrong_type.to_string(), unknown.to_string()])
            .await
            .expect("sent");
        let said: String = client
            .call(echo::new("still here".into()), WAIT)
            .await
            .expect("the worker still serves")
            .value()
            .expect("a string");
        assert_eq!(said, "still here");
    });
    drop(workers);
    let log = common::read_logs(logs.path());
    assert_eq!(
        log.matches("rejecting a malformed message").count(),
        2,
        "{log}"
    );
    assert!(log.contains("no_such_task"), "{log}");
    assert!(log.contains("invalid type"), "{log}");
}
