//! Chapter 5 · The exercises' solutions: the backlog readiness check (also
//! against a real `redis-server` on a free loopback port), the loader that
//! reports every bad variable, the backoff with jitter.

use std::collections::HashMap;
use std::time::Duration;

use ch05::WorkerConfig;
use ch05::exercises::{Backoff, check_backlog, load_all, ready_with_backlog};
use ch05::health::{Health, Status};
use ch05::queue::{Keys, connect};
use workbench::services::RedisServer;

#[tokio::test]
async fn readiness_turns_false_when_the_backlog_passes_the_limit() {
    let redis = RedisServer::start().expect("redis-server");
    let mut conn = connect(&redis.url()).await.expect("connects");
    let keys = Keys::new("ch05:exercise");
    let health = Health::new("front-end");
    health.set_broker(true);
    let status = health.status();
    let (ready, why) = check_backlog(&mut conn, &keys, &status, 3)
        .await
        .expect("LLEN");
    assert!(ready, "{why}");
    let jobs: Vec<String> = (0..4)
        .map(|i| ch05::Job::new(format!("fib-{i}"), 20, 0).to_json())
        .collect();
    redis::cmd("LPUSH")
        .arg(&keys.queue)
        .arg(&jobs)
        .exec_async(&mut conn)
        .await
        .expect("LPUSH");
    let (ready, why) = check_backlog(&mut conn, &keys, &status, 3)
        .await
        .expect("LLEN");
    assert!(!ready, "{why}");
    assert_eq!(why, "backlog 4 > 3");
}

fn status(broker: bool, draining: bool) -> Status {
    Status {
        worker: "w".into(),
        ready: broker && !draining,
        draining,
        broker,
        done: 0,
        handed_back: 0,
        current: None,
    }
}

#[test]
fn backlog_over_the_limit_is_not_ready() {
    assert!(ready_with_backlog(&status(true, false), 5, 10).0);
    let (ready, why) = ready_with_backlog(&status(true, false), 11, 10);
    assert!(!ready && why.contains("backlog 11 > 10"), "{why}");
    assert_eq!(
        ready_with_backlog(&status(false, false), 0, 10).1,
        "broker unreachable"
    );
    assert_eq!(ready_with_backlog(&status(true, true), 0, 10).1, "draining");
}

#[test]
fn every_bad_variable_is_reported_at_once() {
    let env: HashMap<String, String> = [
        ("REDIS_URL", "http://broker"),
        ("CH05_GRACE_SECONDS", "soon"),
        ("CH05_HEALTH_ADDR", "0.0.0.0:8080"),
        ("CH05_HEARTBEAT_SECONDS", "0"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .into();
    let errors = load_all(&env).expect_err("three are bad");
    assert_eq!(errors.len(), 3, "{errors:?}");
    for name in ["REDIS_URL", "CH05_GRACE_SECONDS", "CH05_HEARTBEAT_SECONDS"] {
        assert!(
            errors.iter().any(|e| e.starts_with(name)),
            "{name}: {errors:?}"
        );
    }
    let good: HashMap<String, String> =
        [("CH05_GRACE_SECONDS".to_owned(), "2.5".to_owned())].into();
    let config = load_all(&good).expect("valid");
    assert_eq!(config.grace_seconds, Duration::from_millis(2500));
}

#[test]
fn the_loader_knows_every_variable_the_worker_reads() {
    for name in WorkerConfig::env_names() {
        let env: HashMap<String, String> = [(name.clone(), " ".to_owned())].into();
        let errors = load_all(&env).expect_err("a blank value is bad");
        assert!(errors[0].starts_with(&name), "{name}: {errors:?}");
    }
}

#[test]
fn backoff_grows_to_the_cap_with_jitter() {
    let (base, cap) = (Duration::from_millis(100), Duration::from_secs(2));
    let mut backoff = Backoff::new(base, cap, 42);
    let mut delays = Vec::new();
    for attempt in 0..8 {
        let ceiling = backoff.ceiling();
        assert_eq!(ceiling, (base * 2u32.pow(attempt)).min(cap));
        let delay = backoff.next_delay();
        assert!(delay <= ceiling, "{delay:?} > {ceiling:?}");
        delays.push(delay);
    }
    delays.dedup();
    assert!(delays.len() > 4, "jitter varies the waits: {delays:?}");
    backoff.reset();
    assert_eq!(backoff.ceiling(), base);
    let again: Vec<_> = (0..3)
        .map(|_| Backoff::new(base, cap, 7).next_delay())
        .collect();
    assert!(again.windows(2).all(|w| w[0] == w[1]), "seeded: repeatable");
}
