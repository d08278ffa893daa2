//! Chapter 5 · The SQS worker as a process, against a moto server the test
//! starts: one worker killed mid-run (SIGKILL) loses nothing, another is
//! ready on `/readyz` and drains on SIGTERM, exiting 0; no settings means
//! exit 2 naming what to set.

#[path = "support/moto.rs"]
mod moto;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ch05::cloud::Aws;
use ch05::cloud::tasks::TaskQueue;
use ch05::probe;
use moto::local_queue;
use workbench::services::free_port;
use workbench::testing::text;

const WORKER: &str = env!("CARGO_BIN_EXE_ch05-sqs-worker");

fn worker(aws: &Aws, queue: &TaskQueue, health: SocketAddr) -> Child {
    let endpoint = aws.endpoint().expect("a local endpoint");
    Command::new(WORKER)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("CH05_SQS_QUEUE_URL", &queue.queue_url)
        .env("CH05_BUCKET", &queue.bucket)
        .env("CH05_HEALTH_ADDR", health.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the worker starts")
}

async fn answered(aws: &Aws, queue: &TaskQueue, ids: &[String]) -> usize {
    let mut count = 0;
    for id in ids {
        if queue.result(aws, id).await.expect("read").is_some() {
            count += 1;
        }
    }
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_worker_loses_nothing_and_a_terminated_one_drains() {
    let visibility = Duration::from_secs(2);
    let (mut aws, queue) = local_queue("ch05-work", "ch05-work", visibility).await;
    let ids: Vec<String> = (0..8).map(|i| format!("fib-{i}")).collect();
    for id in &ids {
        queue.submit(&aws, id, 27).await.expect("submitted");
    }
    let give_up = Instant::now() + Duration::from_secs(120);

    // The first worker dies (SIGKILL) once it has answered something.
    let free = || SocketAddr::from(([127, 0, 0, 1], free_port().expect("a port")));
    let mut first = worker(&aws, &queue, free());
    while answered(&aws, &queue, &ids).await == 0 && Instant::now() < give_up {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.kill().expect("killed");
    first.wait().expect("reaped");

    // The second finishes the rest, then is told to stop.
    let second_health = free();
    let second = worker(&aws, &queue, second_health);
    while answered(&aws, &queue, &ids).await < ids.len() && Instant::now() < give_up
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        answered(&aws, &queue, &ids).await,
        ids.len(),
        "tasks were lost"
    );
    // The first may have answered every task before it died: the second
    // can then be here before its health endpoint is up. Ask until it is.
    let mut ready = false;
    while !ready && Instant::now() < give_up {
        let probe =
            tokio::task::spawn_blocking(move || probe::is_ready(second_health));
        ready = probe.await.expect("joined").unwrap_or(false);
        if !ready {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(ready, "the second worker never became ready");
    let status = tokio::task::spawn_blocking(move || probe::status(second_health));
    let status = status.await.expect("joined").expect("/healthz answers");
    // (How many it did depends on when the first one died: not checked.)
    assert!(status.broker && !status.draining, "{status:?}");
    let pid = nix::unistd::Pid::from_raw(second.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("SIGTERM");
    let out = second.wait_with_output().expect("exits");
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("stopped"),
        "{}",
        text(&out.stderr)
    );
    aws.stop().expect("stops");
}

#[test]
fn without_its_settings_the_worker_exits_2_saying_what_to_set() {
    let out = Command::new(WORKER)
        .env_remove("CH05_SQS_QUEUE_URL")
        .env_remove("CH05_BUCKET")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("CH05_SQS_QUEUE_URL"),
        "{}",
        text(&out.stderr)
    );
}
