//! Chapter 4 · Faults: a result that cannot be stored (Redis at
//! `maxmemory` with `noeviction`). The message must not be acknowledged
//! without its result, nor held for ever by the live worker: once memory
//! is free again it runs again and its client gets the result.

mod common;

use std::time::{Duration, Instant};

use ch04::celery::client::Client;
use ch04::tasks::echo;
use workbench::services::{RedisServer, TempDir};

const WAIT: Duration = Duration::from_secs(30);

async fn config_set(
    conn: &mut redis::aio::ConnectionManager,
    name: &str,
    value: &str,
) {
    redis::cmd("CONFIG")
        .arg("SET")
        .arg(name)
        .arg(value)
        .query_async::<()>(conn)
        .await
        .expect("CONFIG SET");
}

#[test]
fn a_result_that_cannot_be_stored_leaves_its_message_unacknowledged() {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-store").expect("dir");
    let rt = common::runtime();
    let (client, mut conn, id) = rt.block_on(async {
        let client = Client::connect(&redis.url(), "celery").await.expect("conn");
        let (_, mut conn) = ch04::celery::connection::connect(&redis.url())
            .await
            .expect("c");
        let id = client.send(echo::new("kept".into())).await.expect("sent");
        // Full: every write that needs memory is refused from now on.
        config_set(&mut conn, "maxmemory-policy", "noeviction").await;
        config_set(&mut conn, "maxmemory", "1").await;
        (client, conn, id)
    });
    let workers = common::workers(&redis.url(), 1, 1, logs.path());
    rt.block_on(async {
        let start = Instant::now();
        while !common::read_logs(logs.path()).contains("Failed storing result") {
            assert!(start.elapsed() < WAIT, "the worker never tried to store");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await; // its ack, if any
        let (queued, unacked) = common::queue_counts(&mut conn).await;
        assert_eq!(
            queued + unacked,
            1,
            "the message was acknowledged without its result"
        );
        config_set(&mut conn, "maxmemory", "0").await;
        let outcome = client.wait(&[id], WAIT).await.expect("the result, at last");
        let said: String = outcome[0].clone().value().expect("a string");
        assert_eq!(said, "kept");
    });
    drop(workers);
    let log = common::read_logs(logs.path());
    assert!(
        log.contains("outcome not recorded; handing it back"),
        "{log}"
    );
}
