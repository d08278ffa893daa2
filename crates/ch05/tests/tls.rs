//! Chapter 5 · The worker against a broker with a password and TLS
//! (`rediss://`), its private CA trusted through `SSL_CERT_FILE`; a wrong
//! password stops it at once with an error that names the broker.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use ch05::fleet::WorkerProcess;
use workbench::services::free_port;
use workbench::testing::{text, tls_redis};

const WORKER: &str = env!("CARGO_BIN_EXE_ch05-worker");
const LONG: Duration = Duration::from_secs(30);
const WRONG: &str = "not-the-pass-5m1";

/// `ch05 ARGS` with the broker and the CA in its environment.
fn ch05(url: &str, ca: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch05"))
        .args(args)
        .env("REDIS_URL", url)
        .env("SSL_CERT_FILE", ca)
        .output()
        .expect("ch05 runs")
}

#[test]
fn the_worker_answers_jobs_over_rediss() {
    let redis = tls_redis();
    let ca = redis.ca_file().expect("a CA");
    let ca_env = ca.to_string_lossy().into_owned();
    let env = [("SSL_CERT_FILE", ca_env.as_str())];
    let mut worker =
        WorkerProcess::start(Path::new(WORKER), &redis.url(), "tls", &env)
            .expect("the worker starts");
    worker
        .wait_ready(LONG)
        .expect("ready: it reached the broker");
    let sent = ch05(&redis.url(), &ca, &["enqueue", "--count", "3", "--n", "12"]);
    assert!(sent.status.success(), "{}", text(&sent.stderr));
    let start = Instant::now();
    let mut said = String::new();
    while !said.contains("answered 3") {
        assert!(start.elapsed() < LONG, "not answered: {said}");
        std::thread::sleep(Duration::from_millis(100));
        let status = ch05(&redis.url(), &ca, &["status"]);
        said = format!("{}{}", text(&status.stdout), text(&status.stderr));
    }
    let summary = worker.stop_cleanly(LONG).expect("SIGTERM: exits 0");
    assert_eq!(summary.done, 3);
}

#[test]
fn a_wrong_password_stops_the_worker_with_the_broker_named() {
    let redis = tls_redis();
    let ca = redis.ca_file().expect("a CA");
    let password = redis.password().expect("a password");
    let url = redis.url().replace(password, WRONG);
    let health = format!("127.0.0.1:{}", free_port().expect("a port"));
    let mut worker = Command::new(WORKER)
        .env("REDIS_URL", &url)
        .env("SSL_CERT_FILE", &ca)
        .env("CH05_HEALTH_ADDR", &health)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the worker runs");
    let start = Instant::now();
    while worker.try_wait().expect("waits").is_none() {
        if start.elapsed() > LONG {
            let _ = worker.kill();
            panic!("the worker retries a refused password forever");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = worker.wait_with_output().expect("its output");
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{said}");
    let expected = format!(
        "Redis at rediss://app:***@127.0.0.1:{}/0 refused the credentials",
        redis.port()
    );
    assert!(said.contains(&expected), "{said}");
    assert!(!said.contains(WRONG) && !said.contains(password), "{said}");
    let status = ch05(&url, &ca, &["status"]);
    let said = text(&status.stderr);
    assert_eq!(status.status.code(), Some(1), "{said}");
    assert!(said.contains(&expected) && !said.contains(WRONG), "{said}");
}
