//! Chapter 4 · One task's life across processes: a `traceparent` in the
//! message's headers, from this test (the client) through Redis to two
//! worker processes and through the task's retries; the trace collected
//! from every process's JSON lines in time order.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use ch04::celery::client::{Client, Outcome};
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

/// A Python client: a `traceparent` of its own in `apply_async`'s headers,
/// and its own JSON lines beside the workers'.
const PYTHON_CLIENT: &str = r#"
import json, os, sys, time, uuid
from datetime import datetime, timezone
import tasks
trace, span = uuid.uuid4().hex, uuid.uuid4().hex[:16]
path = os.path.join(sys.argv[1], f"client-py-{os.getpid()}.jsonl")
def log(event, task_id, **fields):
    when = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    line = dict(timestamp=when, role="client", pid=os.getpid(), event=event,
                task_id=task_id, trace_id=trace, span_id=uuid.uuid4().hex[:16],
                parent_span_id=span, **fields)
    with open(path, "a") as f: f.write(json.dumps(line) + "\n")
task_id = str(uuid.uuid4())
log("sent", task_id)
result = tasks.fib.apply_async((20,), task_id=task_id,
                               headers={"traceparent": f"00-{trace}-{span}-01"})
log("result", task_id, outcome=result.get(timeout=60))
print(trace)
"#;

#[test]
fn a_python_clients_traceparent_reaches_a_rust_worker() {
    let redis = RedisServer::start().expect("redis-server");
    let dir = TempDir::new("ch04-traced-py").expect("dir");
    let logs = dir.path().join("traces");
    std::fs::create_dir_all(&logs).expect("the log directory");
    let mut worker = Command::new(common::worker_program());
    worker
        .env("REDIS_URL", redis.url())
        .env(TRACE_LOG, &logs)
        .arg("--exit-with-parent");
    let _workers =
        Workers::spawn_ready(vec![worker], Some(dir.path())).expect("a worker");
    let out = Command::new(ch04::python::python().expect("the venv's Python"))
        .current_dir(ch04::python::scripts_dir())
        .args(["-c", PYTHON_CLIENT])
        .arg(&logs)
        .env("REDIS_URL", redis.url())
        .output()
        .expect("the Python client runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let story = story(said.trim(), &logs, "task-succeeded");
    let kinds = events(&story);
    assert_eq!(kinds[0], "sent", "{kinds:?}");
    for kind in ["task-received", "task-started", "task-succeeded", "result"] {
        assert!(kinds.contains(&kind.to_owned()), "{kinds:?}");
    }
    let roles: Vec<_> = story.iter().map(|line| line["role"].clone()).collect();
    assert!(roles.contains(&"worker".into()) && roles.contains(&"client".into()));
}
