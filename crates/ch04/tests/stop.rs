//! Chapter 4 · Faults: workers that must stop. SIGTERM gives running
//! tasks a grace period, then hands them back and exits, even a task that
//! would run for minutes (asleep, or computing on the blocking pool); and
//! a visibility timeout too short to be safe is refused; a worker started
//! with `--exit-with-parent` dies with its parent process.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use ch04::celery::client::Client;
use ch04::launcher::Workers;
use ch04::tasks::{fib, nap};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use workbench::services::{RedisServer, TempDir, free_port};

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn a_visibility_timeout_below_the_floor_is_a_usage_error() {
    let url = format!("redis://127.0.0.1:{}/0", free_port().expect("a port"));
    let out = Command::new(common::worker_program())
        .args(["--broker", &url, "--visibility-timeout", "0.1"])
        .output()
        .expect("the worker runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("at least"), "{stderr}");
}

#[test]
fn sigterm_hands_back_a_task_that_runs_for_minutes_and_exits() {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-stop").expect("dir");
    let mut command = Command::new(common::worker_program());
    // The URL holds redis's password: by environment, never in argv.
    command
        .args(["--concurrency", "2", "--visibility-timeout", "60"])
        .env("REDIS_URL", redis.url())
        .env("CH04_WORKER_GRACE_S", "1")
        .env("RUST_LOG", "warn,celery=info"); // "Task nap[..] received"
    let mut workers =
        Workers::spawn_ready(vec![command], Some(logs.path())).expect("a worker");
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery").await.expect("conn");
        // Minutes of sleep, and fib(45) (tens of seconds of CPU).
        client.send(nap::new(300.0)).await.expect("sent");
        client.send(fib::new(45)).await.expect("sent");
        let (_, mut conn) = ch04::celery::connection::connect(&redis.url())
            .await
            .expect("c");
        let two = |held| held == 2;
        common::wait_for_unacked(&redis.url(), two, "the worker took less", WAIT)
            .await;
        let start = Instant::now();
        // Both tasks started (not merely taken): a stop must now wait.
        while common::read_logs(logs.path()).matches("] received").count() < 2 {
            assert!(start.elapsed() < WAIT, "the tasks never started");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let pid = Pid::from_raw(workers.pids()[0] as i32);
        kill(pid, Signal::SIGTERM).expect("SIGTERM");
        let start = Instant::now();
        while workers.alive()[0] {
            if start.elapsed() > Duration::from_secs(20) {
                let log = common::read_logs(logs.path());
                panic!("the worker ignored SIGTERM for 20 s:\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        eprintln!("the worker exited {:?} after SIGTERM", start.elapsed());
        let counts = common::queue_counts(&mut conn).await;
        assert_eq!(counts, (2, 0), "both tasks handed back");
    });
    drop(workers);
    let log = common::read_logs(logs.path());
    assert!(log.contains("handing them back"), "{log}");
}

#[test]
fn a_worker_started_with_exit_with_parent_dies_with_its_parent() {
    use std::io::{BufRead, BufReader};
    let redis = RedisServer::start().expect("redis-server");
    // A parent process of its own (a shell) starts the worker, says the
    // worker's pid, and waits; the worker prints `ready:` once it serves.
    let mut parent = Command::new("sh")
        .args(["-c", "\"$0\" --exit-with-parent & echo $!; wait"])
        .arg(common::worker_program())
        .env("REDIS_URL", redis.url())
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sh starts");
    let stdout = parent.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    let worker: i32 = lines.next().expect("a pid").trim().parse().expect("pid");
    assert!(
        lines.any(|l| l.starts_with("ready:")),
        "the worker never served"
    );
    parent.kill().expect("kill -9 the parent");
    parent.wait().expect("reaped");
    let start = Instant::now();
    while workbench::stop::alive(worker) {
        if start.elapsed() > WAIT {
            let _ = kill(Pid::from_raw(worker), Signal::SIGKILL);
            panic!("the worker outlived its parent by {WAIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
