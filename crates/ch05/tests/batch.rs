//! Chapter 5 · Packaging: the batch run the Kubernetes Job does —
//! `ch05 enqueue --wait` pushes jobs and exits 0 only once every one has a
//! verified answer, 1 when the deadline passes first.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use ch05::fleet::WorkerProcess;
use workbench::services::RedisServer;
use workbench::testing::text;

/// `ch05 enqueue --wait WAIT` on `queue`, which must exit `code`: its
/// stdout and stderr.
fn enqueue(url: &str, queue: &str, wait: &str, code: i32) -> (String, String) {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_ch05"))
        .args(["enqueue", "--count", "4", "--n", "15", "--wait", wait])
        .env("REDIS_URL", url)
        .env("CH05_QUEUE", queue)
        .output()
        .expect("ch05 runs");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "{stdout}\n{stderr}");
    (stdout, stderr)
}

#[test]
fn a_batch_run_ends_when_every_job_is_answered() {
    let redis = RedisServer::start().expect("redis-server starts");
    let program = Path::new(env!("CARGO_BIN_EXE_ch05-worker"));
    let queue = [("CH05_QUEUE", "batch")];
    let mut worker = WorkerProcess::start(program, &redis.url(), "w1", &queue)
        .expect("the worker starts");
    worker
        .wait_ready(Duration::from_secs(20))
        .expect("the worker is ready");
    let (stdout, _) = enqueue(&redis.url(), "batch", "60", 0);
    assert!(stdout.contains("4 answered and verified"), "{stdout}");
    // A second batch has ids of its own: it waits for its own answers.
    enqueue(&redis.url(), "batch", "60", 0);
    let mut view =
        ch05::report::BrokerView::connect(&redis.url(), "batch").expect("view");
    assert_eq!(view.answered().expect("HLEN"), 8);
    worker.kill().expect("stopped");
}

#[test]
fn a_batch_run_without_workers_fails_at_its_deadline() {
    let redis = RedisServer::start().expect("redis-server starts");
    let (_, stderr) = enqueue(&redis.url(), "idle", "0.5", 1);
    assert!(stderr.contains("no answer for"), "{stderr}");
}
