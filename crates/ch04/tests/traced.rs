//! Chapter 4 · One task's life across processes: a `traceparent` in the
//! message's headers, from this test (the client) through Redis to two
//! worker processes and through the task's retries; the trace collected
//! from every process's JSON lines in time order.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use ch04::client::{Client, Outcome};
use ch04::launcher::Workers;
use ch04::tasks::{fib, rate};
use ch04::traced::{self, TRACE_LOG};
use serde_json::{Value, json};
use workbench::services::{RedisServer, TempDir};

const WAIT: Duration = Duration::from_secs(60);

fn events(story: &[Value]) -> Vec<String> {
    story
        .iter()
        .map(|line| line["event"].as_str().unwrap_or("?").to_owned())
        .collect()
}

/// The trace's lines once its worker side is complete (the worker logs
/// its last step after storing the result the client may already have).
fn story(trace_id: &str, logs: &std::path::Path, last: &str) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let story = workbench::jsonl::collect(trace_id, &[logs.to_owned()])
            .expect("the logs read");
        let kinds = events(&story);
        if kinds.iter().any(|k| k == last) && kinds.iter().any(|k| k == "result") {
            return story;
        }
        assert!(start.elapsed() < WAIT, "no {last} in {story:#?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_traced_task_is_followed_through_workers_and_retries() {
    let redis = RedisServer::start().expect("redis-server");
    let dir = TempDir::new("ch04-traced").expect("dir");
    let logs = dir.path().join("traces");
    traced::init(&logs, "client").expect("the client's log");
    let commands = (0..2)
        .map(|_| {
            let mut worker = Command::new(common::worker_program());
            worker
                .env("REDIS_URL", redis.url())
                .env(TRACE_LOG, &logs)
                // Nothing listens there: every attempt fails and is retried.
                .env("CH04_RATES_URL", "http://127.0.0.1:9/closed")
                .args(["--exit-with-parent", "--visibility-timeout", "2"]);
            worker
        })
        .collect();
    let _workers =
        Workers::spawn_ready(commands, Some(dir.path())).expect("workers");

    let (rate_trace, fib_trace) = common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery")
            .await
            .expect("client");
        let rate = rate::new("EURUSD".into());
        let (rate_id, rate_trace) = traced::send(&client, rate).await.expect("sent");
        let (fib_id, fib_trace) =
            traced::send(&client, fib::new(20)).await.expect("sent");
        let ids = [rate_id.clone(), fib_id.clone()];
        let outcomes = client.wait(&ids, WAIT).await.expect("outcomes");
        assert!(
            matches!(outcomes[0], Outcome::Failure { .. }),
            "{outcomes:?}"
        );
        assert_eq!(outcomes[1], Outcome::Success(6765.into()));
        for ((id, trace), outcome) in [(rate_id, &rate_trace), (fib_id, &fib_trace)]
            .into_iter()
            .zip(&outcomes)
        {
            let fields = json!({ "outcome": format!("{outcome:?}") });
            traced::log("result", &id, &trace.child(), Some(trace), fields);
        }
        (rate_trace, fib_trace)
    });

    let rate_story = story(&rate_trace.trace_id, &logs, "task-failed");
    let kinds = events(&rate_story);
    assert_eq!(kinds[0], "sent", "{kinds:?}");
    let count = |kind: &str| kinds.iter().filter(|k| *k == kind).count();
    assert_eq!(count("task-received"), 4, "{kinds:?}");
    assert_eq!(count("task-started"), 4, "{kinds:?}");
    assert_eq!(count("task-retried"), 3, "{kinds:?}");
    assert_eq!(count("task-failed"), 1, "{kinds:?}");
    for line in &rate_story[1..] {
        assert_eq!(
            line["parent_span_id"],
            rate_trace.span_id.as_str(),
            "{line}"
        );
    }
    let worker_pids: Vec<_> = rate_story
        .iter()
        .filter(|line| line["role"] == "worker")
        .map(|line| line["pid"].clone())
        .collect();
    assert!(!worker_pids.is_empty());
    assert!(worker_pids.iter().all(|pid| *pid != std::process::id()));

    let fib_story = story(&fib_trace.trace_id, &logs, "task-succeeded");
    let fib_kinds = events(&fib_story);
    for kind in ["sent", "task-received", "task-started", "task-succeeded"] {
        assert!(fib_kinds.contains(&kind.to_owned()), "{fib_kinds:?}");
    }
    assert!(
        fib_story
            .iter()
            .all(|line| line["task_id"] == fib_story[0]["task_id"]),
        "another task's line in fib's trace: {fib_story:#?}"
    );
}
