//! Chapter 4 · A Rust worker seen by Celery's own monitors, beside a
//! Python worker: `celery events --dump`, `celery inspect ping` and
//! Flower's HTTP API, all from the venv, on a Redis of the test's own.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ch04::celery::worker::WorkerConfig;
use ch04::launcher::Workers;
use ch04::python::{python, scripts_dir};
use serde_json::Value;
use workbench::services::{RedisServer, TempDir, free_port, wait_for_port};

const WAIT: Duration = Duration::from_secs(60);

/// A Python tool of the venv; killed when dropped.
struct Tool(Child);

impl Drop for Tool {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tool(broker: &str, args: &[&str], out: &Path) -> Tool {
    let child = Command::new(python().expect("the venv's Python"))
        .current_dir(scripts_dir())
        .args(["-m", "celery", "-b", broker])
        .args(args)
        .env("REDIS_URL", broker)
        .env("PYTHONUNBUFFERED", "1")
        .env("FLOWER_UNAUTHENTICATED_API", "true")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(out).expect("a log"))
        .stderr(std::fs::File::create(out.with_extension("err")).expect("a log"))
        .spawn()
        .expect("a celery tool starts");
    Tool(child)
}

/// Poll `check` until it holds, or fail after [`WAIT`] saying `what`.
fn eventually(what: &str, mut check: impl FnMut() -> Option<String>) {
    let start = Instant::now();
    let mut last = String::new();
    while start.elapsed() < WAIT {
        match check() {
            None => return,
            Some(why) => last = why,
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: not after {WAIT:?}; last seen: {last}");
}

fn get_json(url: &str) -> Option<Value> {
    let mut response = ureq::get(url).call().ok()?;
    response.body_mut().read_json().ok()
}

/// The Python side: tasks to the Rust worker (a success, a failure, a
/// retried rate) and one to the Python worker's queue; waits for them.
const CLIENT: &str = r#"
import tasks
print(tasks.fib.delay(20).get(timeout=60))
for call in (tasks.fail.delay("on purpose"), tasks.rate.delay("EURUSD")):
    try: call.get(timeout=60)
    except Exception as e: print(repr(e))
print(tasks.echo.apply_async(("from Python",), queue="python").get(timeout=60))
"#;

/// `celery inspect ping` on the broker at `url`, answers awaited for
/// `timeout` seconds.
fn inspect_ping(url: &str, timeout: &str) -> std::process::Output {
    Command::new(python().expect("python"))
        .args([
            "-m",
            "celery",
            "-b",
            url,
            "inspect",
            "ping",
            "--timeout",
            timeout,
        ])
        .output()
        .expect("celery inspect ping runs")
}

#[test]
fn celery_events_inspect_and_flower_see_a_rust_worker() {
    let redis = RedisServer::start().expect("redis-server");
    let url = redis.url();
    let dir = TempDir::new("ch04-monitors").expect("dir");
    let dump = dir.path().join("dump.txt");
    let _dump = tool(&url, &["events", "--dump"], &dump);
    let port = free_port().expect("a port");
    let flower_args = ["flower", "--address=127.0.0.1", &format!("--port={port}")];
    let _flower = tool(&url, &flower_args, &dir.path().join("flower.txt"));
    // Both listen on `/0.celeryev/*` before any worker says it is online.
    let conn = redis::Client::open(url.as_str()).expect("url");
    let mut conn = conn.get_connection().expect("a connection");
    eventually("celery events and Flower subscribed", || {
        let clients: String =
            redis::cmd("CLIENT").arg("LIST").query(&mut conn).ok()?;
        let listening =
            clients.matches(" psub=").count() - clients.matches(" psub=0").count();
        (listening < 2).then(|| format!("{listening} subscribers"))
    });
    let python_args = [
        "-A",
        "tasks",
        "worker",
        "--pool",
        "solo",
        "-E",
        "-Q",
        "python",
        "--hostname",
        "python@localhost",
        "--without-mingle",
        "--without-gossip",
    ];
    let _python_worker = tool(&url, &python_args, &dir.path().join("py.txt"));
    let config = WorkerConfig {
        events: true,
        rates: Some("http://127.0.0.1:9/closed".into()), // unreachable: retried
        ..WorkerConfig::new(&url)
    };
    let mut rust =
        Workers::start(common::worker_program(), &config, 1, Some(dir.path()))
            .expect("a Rust worker");
    let rust_name = format!("ch04-{}@localhost", rust.pids()[0]);

    let client = Command::new(python().expect("python"))
        .current_dir(scripts_dir())
        .args(["-c", CLIENT])
        .env("REDIS_URL", &url)
        .output()
        .expect("the client runs");
    let said = String::from_utf8_lossy(&client.stdout);
    let err = String::from_utf8_lossy(&client.stderr);
    assert!(client.status.success(), "client: {said}\n{err}");
    assert!(
        said.contains("6765") && said.contains("from Python"),
        "{said}"
    );

    let ping = inspect_ping(&url, "5");
    let pong = String::from_utf8_lossy(&ping.stdout);
    assert!(pong.contains(&format!("{rust_name}: OK")), "{pong}");
    assert!(
        pong.contains("pong") && pong.contains("python@localhost"),
        "{pong}"
    );

    let flower = format!("http://127.0.0.1:{port}/api");
    wait_for_port(port, WAIT, || Ok(())).expect("Flower listens");
    eventually("Flower's /api/tasks shows both workers' tasks", || {
        let tasks = get_json(&format!("{flower}/tasks"))?;
        let seen = |worker: &str, name: &str, state: &str| {
            tasks.as_object().is_some_and(|all| {
                all.values().any(|t| {
                    t["worker"] == worker && t["name"] == name && t["state"] == state
                })
            })
        };
        let all = seen(&rust_name, "fib", "SUCCESS")
            && seen(&rust_name, "fail", "FAILURE")
            && seen(&rust_name, "rate", "FAILURE")
            && seen("python@localhost", "echo", "SUCCESS");
        (!all).then(|| tasks.to_string())
    });
    eventually("Flower's /api/workers lists both workers", || {
        let alive = get_json(&format!("{flower}/workers?status=1"))?;
        let listed = get_json(&format!("{flower}/workers?refresh=1"))?;
        let stats = &listed[&rust_name]["stats"];
        let all = alive[&rust_name] == true
            && alive["python@localhost"] == true
            && stats["pid"] == rust.pids()[0]
            && listed[&rust_name]["registered"].to_string().contains("fib");
        (!all).then(|| format!("{alive} {listed}"))
    });

    rust.stop(Duration::from_secs(10))
        .expect("the Rust worker stops");
    let ours = |text: &str| {
        text.lines()
            .filter(|line| line.starts_with(&rust_name))
            .map(str::to_owned)
            .collect::<Vec<_>>()
            .join("\n")
    };
    eventually("celery events --dump prints every kind of event", || {
        let text = ours(&std::fs::read_to_string(&dump).unwrap_or_default());
        let kinds = [
            "] started: active",
            "] heartbeat: active",
            "task received: fib",
            "task started: fib",
            "task succeeded: fib",
            "task failed: fail",
            "task retried: rate",
            "task failed: rate",
            "] shutdown: active",
        ];
        let missing: Vec<_> = kinds.iter().filter(|k| !text.contains(*k)).collect();
        (!missing.is_empty()).then(|| format!("{missing:?} in\n{text}"))
    });
}

#[test]
fn events_and_metrics_on_a_broker_other_than_redis_are_a_usage_error() {
    for flag in [&["-E"][..], &["--metrics-port", "0"]] {
        let out = Command::new(common::worker_program())
            .args(flag)
            .args(["--broker", "amqp://127.0.0.1:1"])
            .output()
            .expect("the worker runs");
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag:?}: {said}");
        assert!(said.contains("need a Redis broker"), "{flag:?}: {said}");
    }
}

#[test]
fn the_remote_control_answers_again_after_a_broker_restart() {
    let mut redis = RedisServer::start().expect("redis-server");
    let url = redis.url();
    let dir = TempDir::new("ch04-monitors").expect("dir");
    let config = WorkerConfig {
        events: true,
        ..WorkerConfig::new(&url)
    };
    let rust =
        Workers::start(common::worker_program(), &config, 1, Some(dir.path()))
            .expect("a Rust worker");
    let rust_name = format!("ch04-{}@localhost", rust.pids()[0]);
    let ping = || {
        let out = inspect_ping(&url, "2");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let answered = |said: &str| said.contains(&format!("{rust_name}: OK"));
    eventually("the worker answers ping", || {
        let said = ping();
        (!answered(&said)).then_some(said)
    });
    redis.restart().expect("the broker restarts");
    eventually("the worker answers ping after the restart", || {
        let said = ping();
        (!answered(&said)).then_some(said)
    });
}
