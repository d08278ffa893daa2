//! Chapter 4 · A broker's password stays secret: not on stdout, not in an
//! error, not in `--help`, not in any worker's argv (`/proc/PID/cmdline`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use workbench::services::{RedisServer, free_port};
use workbench::testing::text;

const PASSWORD: &str = "s3cret4q9";

/// The password of the tests that look at every process's argv: another
/// than the one the other tests (running at the same time) put in theirs.
const ARGV_PASSWORD: &str = "hunter7z8";

fn ch04() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ch04"));
    command
        .env_remove("REDIS_URL")
        .env("CH04_WORKER", env!("CARGO_BIN_EXE_worker"))
        .env("CH04_RQ_WORKER", env!("CARGO_BIN_EXE_rq-worker"));
    command
}

fn assert_no_password(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let said = text(bytes);
        let shown = said.contains(PASSWORD) || said.contains(ARGV_PASSWORD);
        assert!(!shown, "{what}: {stream} shows it:\n{said}");
    }
}

/// Every process whose command line shows [`ARGV_PASSWORD`].
fn argv_with_password() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|raw| text(&raw).replace('\0', " "))
        .filter(|line| line.contains(ARGV_PASSWORD))
        .collect()
}

/// A Redis of our own that asks for the password (the `default` user's,
/// [`ARGV_PASSWORD`], rather than the random one of `RedisServer::start`).
fn redis_with_password() -> RedisServer {
    let redis = RedisServer::start_open().expect("redis-server starts");
    let mut conn =
        TcpStream::connect(("127.0.0.1", redis.port())).expect("connects");
    conn.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let set = format!("CONFIG SET requirepass {ARGV_PASSWORD}\r\n");
    conn.write_all(set.as_bytes()).expect("sent");
    let mut reply = [0u8; 5];
    conn.read_exact(&mut reply).expect("answered");
    assert_eq!(&reply, b"+OK\r\n");
    redis
}

#[test]
fn a_broker_url_that_is_not_a_broker_exits_2_without_its_password() {
    let url = format!("http://app:{PASSWORD}@127.0.0.1:1/");
    let out = ch04()
        .args(["echo", "--broker", &url])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("not a broker URL"),
        "{}",
        text(&out.stderr)
    );
    assert_no_password("http:// broker", &out);
}

#[test]
fn an_unreachable_broker_is_reported_without_its_password() {
    let port = free_port().expect("a port");
    let url = format!("redis://app:{PASSWORD}@127.0.0.1:{port}/0");
    for args in [["echo", "--broker", &url], ["rq", "--broker", &url]] {
        let out = ch04().args(args).output().expect("runs");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_no_password(args[0], &out);
    }
}

#[test]
fn help_does_not_show_the_broker_from_the_environment() {
    let url = format!("redis://:{PASSWORD}@127.0.0.1:6379/0");
    for example in ["echo", "rq", "launch"] {
        let out = ch04()
            .env("REDIS_URL", &url)
            .args([example, "--help"])
            .output();
        assert_no_password(example, &out.expect("runs"));
    }
}

/// Read `child`'s stdout until a line starting with `prefix` appears; the
/// rest is read (and dropped) by a thread, so the child never meets a
/// closed pipe.
fn line_starting(child: &mut Child, prefix: &str) -> String {
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    for line in lines.by_ref() {
        let line = line.expect("a line");
        if line.starts_with(prefix) {
            std::thread::spawn(move || lines.for_each(drop));
            return line;
        }
    }
    panic!("no line starting {prefix:?}")
}

/// `ch04 ARGS` with the URL of `redis` (password [`ARGV_PASSWORD`]) in
/// `REDIS_URL`, its stdout piped.
fn ch04_by_env(redis: &RedisServer, args: &[&str]) -> Command {
    let url = format!("redis://:{ARGV_PASSWORD}@127.0.0.1:{}/0", redis.port());
    let mut command = ch04();
    command
        .env("REDIS_URL", url)
        .args(args)
        .stdout(Stdio::piped());
    command
}

#[test]
fn workers_get_the_broker_by_environment_not_argv() {
    let redis = redis_with_password();
    let mut launch =
        ch04_by_env(&redis, &["launch", "--count", "2", "--for-s", "60"])
            .spawn()
            .expect("launch starts");
    let said = line_starting(&mut launch, "2 workers on");
    let leaked = argv_with_password();
    let _ = Command::new("kill").arg(launch.id().to_string()).status();
    let status = launch.wait().expect("launch stops");
    assert!(!said.contains(ARGV_PASSWORD), "{said}");
    assert!(said.contains("redis://:***@127.0.0.1"), "{said}");
    assert!(leaked.is_empty(), "in argv: {leaked:?}");
    assert!(status.success(), "{status}");
}

#[test]
fn rq_workers_get_the_queue_by_environment_not_argv() {
    let redis = redis_with_password();
    let mut rq = ch04_by_env(&redis, &["rq", "--workers", "2"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("rq starts");
    // Look at every process's argv while the example runs.
    let (start, mut leaked) = (Instant::now(), Vec::new());
    while rq.try_wait().expect("waits").is_none() {
        leaked.extend(argv_with_password());
        assert!(start.elapsed() < Duration::from_secs(120), "rq hangs");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = rq.wait_with_output().expect("rq ends");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_no_password("rq", &out);
    assert!(leaked.is_empty(), "in argv: {leaked:?}");
}
