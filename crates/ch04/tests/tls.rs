//! Chapter 4 · Brokers with a password and TLS: the echo example (a Rust
//! client and Rust workers) through `rediss://` and `amqps://`, a private
//! CA trusted through `SSL_CERT_FILE`; a wrong password is a clear error
//! that names the broker and not the password; no argv shows it.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;

use ch04::launcher::Workers;
use ch04::python::{python, scripts_dir};
use workbench::services::{RabbitMq, RedisServer, TempDir};
use workbench::testing::{text, tls_redis};

/// A password no URL of these tests has: what a wrong one looks like.
const WRONG: &str = "not-the-pass-8k2";

/// `ch04 echo` on the broker `url`, as [`run`] says.
fn echo(url: &str, ca: Option<&Path>, secret: &str) -> (Output, Vec<String>) {
    run("echo", url, ca, secret)
}

/// `ch04 EXAMPLE` on the broker `url`, the CA `ca` trusted (or none);
/// every process's argv is searched for `secret` while it runs.
fn run(
    example: &str,
    url: &str,
    ca: Option<&Path>,
    secret: &str,
) -> (Output, Vec<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ch04"));
    command
        .arg(example)
        .env("REDIS_URL", url)
        .env("CH04_WORKER", env!("CARGO_BIN_EXE_worker"))
        .env("CH04_RQ_WORKER", env!("CARGO_BIN_EXE_rq-worker"))
        .env_remove("SSL_CERT_FILE");
    if let Some(ca) = ca {
        command.env("SSL_CERT_FILE", ca);
    }
    watch(command, secret)
}

/// Run `command` to its end, its output piped, searching every process's
/// argv for `secret` while it runs.
fn watch(mut command: Command, secret: &str) -> (Output, Vec<String>) {
    let what = format!("{:?}", command.get_program());
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the program starts");
    let (start, mut leaked) = (Instant::now(), Vec::new());
    while child.try_wait().expect("waits").is_none() {
        leaked.extend(argv_with(secret));
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{what} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (child.wait_with_output().expect("output"), leaked)
}

/// Every process whose command line shows `secret`.
fn argv_with(secret: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let mut raw = Vec::new();
            let mut file = std::fs::File::open(e.path().join("cmdline")).ok()?;
            file.read_to_end(&mut raw).ok()?;
            Some(text(&raw).replace('\0', " "))
        })
        .filter(|line| line.contains(secret))
        .collect()
}

fn said(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

#[test]
fn echo_runs_over_rediss_with_a_password_that_no_argv_shows() {
    let redis = tls_redis();
    let password = redis.password().expect("a password").to_owned();
    let ca = redis.ca_file().expect("a CA");
    let (out, leaked) = echo(&redis.url(), Some(&ca), &password);
    let all = said(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("Hello, Celery!"), "{all}");
    assert!(!all.contains(&password), "{all}");
    assert!(leaked.is_empty(), "in argv: {leaked:?}");
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let redis = tls_redis();
    let (out, _) = echo(&redis.url(), None, "-");
    let all = said(&out);
    assert!(!out.status.success(), "{all}");
    assert!(all.contains("rediss://app:***@127.0.0.1"), "{all}");
    assert!(all.to_lowercase().contains("certificate"), "{all}");
}

#[test]
fn a_wrong_redis_password_names_the_broker_and_not_the_password() {
    let redis = tls_redis();
    let password = redis.password().expect("a password");
    let url = redis.url().replace(password, WRONG);
    let (out, _) = echo(&url, redis.ca_file().as_deref(), WRONG);
    let all = said(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    let expected = format!(
        "Redis at rediss://app:***@127.0.0.1:{}/0 refused the credentials \
         (WRONGPASS)",
        redis.port()
    );
    assert!(all.contains(&expected), "{all}");
    assert!(!all.contains(WRONG) && !all.contains(password), "{all}");
}

#[test]
fn echo_runs_over_amqps_and_a_wrong_password_is_refused_by_name() {
    let rabbit = RabbitMq::start_tls().expect("rabbitmq-server starts with TLS");
    let (url, password) = (rabbit.url(), rabbit.password().to_owned());
    assert!(url.starts_with("amqps://app:"), "{}", rabbit.port());
    let ca = rabbit.ca_file().expect("a CA");
    let (out, leaked) = echo(&url, Some(&ca), &password);
    let all = said(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("Hello, Celery!"), "{all}");
    assert!(!all.contains(&password), "{all}");
    assert!(leaked.is_empty(), "in argv: {leaked:?}");

    let (out, _) = echo(&url.replace(&password, WRONG), Some(&ca), WRONG);
    let all = said(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    let expected = format!(
        "RabbitMQ at amqps://app:***@127.0.0.1:{}/%2f refused the credentials",
        rabbit.port()
    );
    assert!(all.contains(&expected), "{all}");
    assert!(!all.contains(WRONG) && !all.contains(&password), "{all}");
}

#[test]
fn python_celery_and_rust_interoperate_over_rediss() {
    let redis = tls_redis();
    let password = redis.password().expect("a password").to_owned();
    let ca = redis.ca_file().expect("a CA");
    let (out, leaked) = run("interop", &redis.url(), Some(&ca), &password);
    let all = said(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("Rust client, Python worker: echo"), "{all}");
    assert!(!all.contains(&password), "{all}");
    assert!(leaked.is_empty(), "in argv: {leaked:?}");
}

#[test]
fn rq_jobs_run_over_rediss_with_a_password_that_no_argv_shows() {
    let redis = tls_redis();
    let password = redis.password().expect("a password").to_owned();
    let ca = redis.ca_file().expect("a CA");
    let (out, leaked) = run("rq", &redis.url(), Some(&ca), &password);
    let all = said(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("queue: rediss://app:***@127.0.0.1:"), "{all}");
    assert_eq!(all.matches(" yes").count(), 8, "{all}");
    assert!(all.contains("8 jobs on 2 workers"), "{all}");
    assert!(!all.contains(&password), "{all}");
    assert!(leaked.is_empty(), "in argv: {leaked:?}");
}

#[test]
fn rq_refuses_an_untrusted_certificate_and_names_a_wrong_password() {
    let redis = tls_redis();
    let password = redis.password().expect("a password");
    let url = redis.url().replace(password, WRONG);
    let ca = redis.ca_file().expect("a CA");
    let expected = format!(
        "Redis at rediss://app:***@127.0.0.1:{}/0 refused the credentials \
         (WRONGPASS)",
        redis.port()
    );
    let (out, _) = run("rq", &redis.url(), None, "-");
    let all = said(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("rediss://app:***@127.0.0.1"), "{all}");
    assert!(all.to_lowercase().contains("certificate"), "{all}");

    let (out, _) = run("rq", &url, Some(&ca), WRONG);
    let all = said(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains(&expected), "{all}");
    assert!(!all.contains(WRONG) && !all.contains(password), "{all}");

    let worker = Command::new(env!("CARGO_BIN_EXE_rq-worker"))
        .env("CH04_RQ_BROKER", &url)
        .env("SSL_CERT_FILE", &ca)
        .output()
        .expect("rq-worker runs");
    let all = said(&worker);
    assert_eq!(worker.status.code(), Some(1), "{all}");
    assert!(all.contains(&expected), "{all}");
    assert!(!all.contains(WRONG) && !all.contains(password), "{all}");
}

#[test]
fn a_python_celery_client_reaches_rust_workers_over_amqps() {
    let rabbit = RabbitMq::start_tls().expect("rabbitmq-server starts with TLS");
    let redis = RedisServer::start().expect("redis-server for the results");
    let (ca, password) = (rabbit.ca_file().expect("a CA"), rabbit.password());
    let logs = TempDir::new("ch04-amqps-interop").expect("dir");
    let mut worker = Command::new(env!("CARGO_BIN_EXE_worker"));
    worker
        .env("REDIS_URL", rabbit.url())
        .env("CH04_BACKEND_URL", redis.url())
        .env("SSL_CERT_FILE", &ca)
        .arg("--exit-with-parent");
    let _workers = Workers::spawn_ready(vec![worker], Some(logs.path()))
        .expect("a Rust worker on amqps");

    // Python's Celery (py-amqp over TLS), the CA from SSL_CERT_FILE.
    let mut client = Command::new(python().expect("the venv's python"));
    client
        .arg(scripts_dir().join("client.py"))
        .env("CELERY_BROKER_URL", rabbit.url())
        .env("CELERY_RESULT_BACKEND", redis.url())
        .env("SSL_CERT_FILE", &ca);
    let (out, leaked) = watch(client, password);
    let all = said(&out);
    assert!(out.status.success(), "{all}");
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("the client's report");
    common::check_python_client_report(&report);
    assert!(!all.contains(password), "{all}");
    assert!(leaked.is_empty(), "in argv: {leaked:?}");
    let logged = common::read_logs(logs.path());
    assert!(!logged.contains(password), "{logged}");
}

#[test]
fn the_wrong_password_capture_holds_both_refusals_and_no_password() {
    let said = ch04::refusal::capture(Path::new(env!("CARGO_BIN_EXE_ch04")))
        .expect("the capture");
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 2, "{said}");
    assert!(
        lines[0].starts_with("error: Redis at rediss://app:***@"),
        "{said}"
    );
    assert!(
        lines[0].contains("refused the credentials (WRONGPASS)"),
        "{said}"
    );
    assert!(
        lines[1].starts_with("error: RabbitMQ at amqps://app:***@"),
        "{said}"
    );
    assert!(lines[1].contains("(ACCESS_REFUSED)"), "{said}");
    assert!(!said.contains("not-the-password"), "{said}");
}
