//! Chapter 5 · Bad input and stalled peers: a queue name with glob
//! characters, a job that would wait for ever, a broker that never
//! answers, a password in the broker URL.

use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::Duration;

use ch05::job::Job;
use ch05::queue::{self, Keys};
use ch05::report::BrokerView;
use workbench::services::{RedisServer, free_port};
use workbench::testing::text;

const PASSWORD: &str = "s3cret7k2";

fn ch05(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch05"))
        .args(args)
        .env_remove("REDIS_URL")
        .output()
        .expect("ch05 runs")
}

#[tokio::test]
async fn a_glob_in_the_queue_name_matches_only_its_own_lists() {
    let redis = RedisServer::start().expect("redis-server starts");
    let mut conn = queue::connect(&redis.url()).await.expect("connects");
    // Another queue's processing lists, which `jobs*` would match as a glob;
    // the second is shorter than the prefix `jobs*:processing:`.
    for key in ["jobs-other:processing:w1", "jobs:processing:"] {
        redis::cmd("LPUSH")
            .arg(key)
            .arg("{}")
            .query_async::<()>(&mut conn)
            .await
            .expect("pushed");
    }
    let reaped = queue::reap_dead(&mut conn, &Keys::new("jobs*"))
        .await
        .expect("reaps");
    assert!(reaped.is_empty(), "took another queue's jobs: {reaped:?}");
    let mut view = BrokerView::connect(&redis.url(), "jobs*").expect("view");
    assert_eq!(view.backlog().expect("backlog"), (0, 0));
}

#[test]
fn a_job_that_waits_too_long_is_refused() {
    let out = ch05(&["enqueue", "--io-ms", "99999999999"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("60000"), "{}", text(&out.stderr));
    let raw = r#"{"id":"slow","n":10,"io_ms":99999999999}"#;
    let err = Job::parse(raw).expect_err("refused");
    assert!(format!("{err:#}").contains("60000"), "{err:#}");
}

#[test]
fn a_broker_that_never_answers_is_an_error_not_a_hang() {
    // Accepts connections (the kernel's backlog) and never says a word.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bound");
    let url = format!(
        "redis://127.0.0.1:{}/0",
        silent.local_addr().expect("addr").port()
    );
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let result =
            BrokerView::connect(&url, "ch05:jobs").and_then(|mut v| v.backlog());
        let _ = done.send(result.map(|_| ()));
    });
    // A guard against a hang, not a timing assertion: the deadlines are
    // seconds, the guard a minute.
    let result = finished.recv_timeout(Duration::from_secs(60));
    let result = result.expect("the broker view gave up by itself");
    assert!(result.is_err(), "a silent broker answered?");
    drop(silent);
}

#[test]
fn a_password_in_the_broker_url_is_never_shown() {
    let port = free_port().expect("a port");
    let url = format!("redis://app:{PASSWORD}@127.0.0.1:{port}/0");
    let bad = format!("http://app:{PASSWORD}@127.0.0.1:{port}/0");
    for args in [
        vec!["status", "--redis-url", &url],
        vec!["enqueue", "--redis-url", &url],
        vec!["status", "--redis-url", &bad],
    ] {
        let out = ch05(&args);
        assert!(!out.status.success(), "{args:?}");
        for said in [text(&out.stdout), text(&out.stderr)] {
            assert!(!said.contains(PASSWORD), "{args:?}: {said}");
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_ch05"))
        .args(["status", "--help"])
        .env("REDIS_URL", &url)
        .output()
        .expect("runs");
    assert!(
        !text(&out.stdout).contains(PASSWORD),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn the_worker_logs_an_unreachable_broker_without_its_password() {
    use std::io::{BufRead, BufReader};
    let port = free_port().expect("a port");
    let health = free_port().expect("a port");
    let mut worker = Command::new(env!("CARGO_BIN_EXE_ch05-worker"))
        .env(
            "REDIS_URL",
            format!("redis://app:{PASSWORD}@127.0.0.1:{port}/0"),
        )
        .env("CH05_HEALTH_ADDR", format!("127.0.0.1:{health}"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the worker starts");
    let stderr = worker.stderr.take().expect("piped");
    let mut seen = Vec::new();
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        let names_broker = line.contains(&format!("127.0.0.1:{port}"));
        seen.push(line);
        if names_broker || seen.len() > 50 {
            break;
        }
    }
    let _ = worker.kill();
    let _ = worker.wait();
    let log = seen.join("\n");
    assert!(log.contains(&format!("127.0.0.1:{port}")), "{log}");
    assert!(!log.contains(PASSWORD), "{log}");
}
