//! Chapter 4 · The book's set-up — RabbitMQ as broker, Redis for results —
//! on a RabbitMQ node of the test's own: tasks, a worker killed mid-group,
//! the broker restarted mid-run, malformed messages, an absent broker.

mod common;

use std::time::{Duration, Instant};

use celery::protocol::Message;
use ch04::celery::client::{Client, Outcome};
use ch04::tasks::{echo, fail, fib};
use workbench::fib::fib_expected;
use workbench::services::{RabbitMq, RedisServer, TempDir, free_port};

const WAIT: Duration = Duration::from_secs(120);

async fn fib_group(
    client: &Client,
    n: u32,
    count: usize,
) -> (Vec<String>, Vec<Message>) {
    let messages: Vec<Message> = (0..count)
        .map(|_| Message::try_from(fib::new(n)).expect("a message"))
        .collect();
    let ids = messages.iter().map(|m| m.task_id().to_owned()).collect();
    client.send_messages(&messages).await.expect("published");
    (ids, messages)
}

/// Wait until at least `count` results are stored in the backend.
async fn wait_for_results(redis: &RedisServer, count: usize) {
    let (_, mut conn) = ch04::celery::connection::connect(&redis.url())
        .await
        .expect("redis");
    let start = Instant::now();
    loop {
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg("celery-task-meta-*")
            .query_async(&mut conn)
            .await
            .expect("keys");
        if keys.len() >= count {
            return;
        }
        assert!(start.elapsed() < WAIT, "only {} results", keys.len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn check_fibs(outcomes: Vec<Outcome>, n: u32) {
    for outcome in outcomes {
        assert_eq!(outcome.value::<u64>().expect("fib"), fib_expected(n));
    }
}

#[test]
fn rabbitmq_delivers_redelivers_and_survives_a_restart() {
    let mut rabbit = RabbitMq::start().expect("rabbitmq-server");
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-rabbitmq").expect("dir");
    let runtime = common::runtime();
    let client = runtime
        .block_on(Client::connect_amqp(&rabbit.url(), &redis.url(), "celery"))
        .expect("connects");

    // Tasks and a failure, through RabbitMQ.
    let mut workers =
        common::amqp_workers(&rabbit.url(), &redis.url(), 2, 2, logs.path());
    runtime.block_on(async {
        let said = client.call(echo::new("via RabbitMQ".into()), WAIT).await;
        assert_eq!(said.expect("echo"), Outcome::Success("via RabbitMQ".into()));
        let failed = client
            .call(fail::new("boom".into()), WAIT)
            .await
            .expect("ends");
        assert!(matches!(failed, Outcome::Failure { .. }), "{failed:?}");
    });

    // kill -9 one of two workers mid-group: RabbitMQ redelivers its messages.
    runtime.block_on(async {
        let (ids, _) = fib_group(&client, 26, 120).await;
        wait_for_results(&redis, 20).await;
        workers.kill(0).expect("kill -9");
        check_fibs(client.wait(&ids, WAIT).await.expect("every result"), 26);
    });
    drop(workers);

    // The broker restarted mid-run: workers reconnect and finish.
    let _workers =
        common::amqp_workers(&rabbit.url(), &redis.url(), 2, 1, logs.path());
    let ids = runtime.block_on(async {
        let before = count_results(&redis).await;
        let (ids, _) = fib_group(&client, 27, 60).await;
        wait_for_results(&redis, before + 5).await;
        ids
    });
    rabbit.restart().expect("RabbitMQ restarts");
    let outcomes = runtime.block_on(client.wait(&ids, WAIT));
    check_fibs(outcomes.expect("every result after the restart"), 27);

    // Malformed messages are logged and dropped; the workers keep serving.
    let client = runtime
        .block_on(Client::connect_amqp(&rabbit.url(), &redis.url(), "celery"))
        .expect("reconnects");
    runtime.block_on(async {
        let mut garbage = Message::try_from(fib::new(3)).expect("a message");
        garbage.raw_body = b"not json at all".to_vec();
        let mut unknown = Message::try_from(fib::new(3)).expect("a message");
        unknown.headers.task = "no_such_task".into();
        client
            .send_messages(&[garbage, unknown])
            .await
            .expect("published");
        let said = client.call(echo::new("still here".into()), WAIT).await;
        assert_eq!(said.expect("echo"), Outcome::Success("still here".into()));
    });
    drop(_workers);
    let log = common::read_logs(logs.path());
    assert!(log.contains("no_such_task"), "{log}");
    assert!(
        log.contains("reconnecting"),
        "the restart went unnoticed: {log}"
    );
}

async fn count_results(redis: &RedisServer) -> usize {
    let (_, mut conn) = ch04::celery::connection::connect(&redis.url())
        .await
        .expect("redis");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("celery-task-meta-*")
        .query_async(&mut conn)
        .await
        .expect("keys");
    keys.len()
}

#[test]
fn an_absent_rabbitmq_is_a_clear_error_within_five_seconds() {
    let url = format!(
        "amqp://guest:guest@127.0.0.1:{}/%2f",
        free_port().expect("port")
    );
    let backend = "redis://127.0.0.1:1/0";
    let stderr = common::worker_gives_up(&["--broker", &url, "--backend", backend]);
    assert!(stderr.contains("cannot reach the AMQP broker"), "{stderr}");
}
