//! Chapter 4 · Alternatives: Python-RQ — the apalis queue end to end on
//! SQLite and on a Redis the test starts: every job done and checked, the
//! embedded default with and without `redis-server`, a worker killed in
//! the middle of a job, malformed jobs rejected while the worker serves on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use apalis::prelude::Status;
use ch04::rq::example::{RqOptions, rq_demo, start_workers};
use ch04::rq::{Job, Output, Queue, Store};
use workbench::services::{RedisServer, TempDir};
use workbench::testing::{assert_lists_examples, assert_usage_errors, text};

fn rq_worker() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rq-worker"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The stores the tests run on: a SQLite file in `dir`, a Redis of ours.
fn stores(dir: &Path, redis: &RedisServer) -> [Store; 2] {
    [
        Store::Sqlite(dir.join("queue.sqlite")),
        Store::Redis(redis.url()),
    ]
}

#[test]
fn every_job_is_done_and_verified_on_sqlite_and_on_redis() {
    let dir = TempDir::new("ch04-rq-test").expect("dir");
    let redis = RedisServer::start().expect("redis-server");
    for store in stores(dir.path(), &redis) {
        let options = RqOptions {
            backend: None,
            broker: Some(store.url()),
            workers: 2,
            program: rq_worker(),
        };
        let report = rq_demo(&options).expect("the example runs");
        assert_eq!(report.rows.len(), 8, "{report}");
        assert!(report.rows.iter().all(|row| row.verified), "{report}");
        assert!(
            report.rows.iter().all(|row| row.got.status == Status::Done),
            "{report}"
        );
    }
}

fn ch04_rq(redis_server: Option<&str>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ch04"));
    command
        .args(["rq", "--workers", "2"])
        .env_remove("REDIS_URL")
        .env("CH04_RQ_WORKER", rq_worker());
    match redis_server {
        Some(program) => command.env("CH04_REDIS_SERVER", program),
        None => command.env_remove("CH04_REDIS_SERVER"),
    };
    command.output().expect("ch04 runs")
}

#[test]
fn the_default_uses_redis_when_installed_and_sqlite_when_not() {
    let with_redis = ch04_rq(None);
    let out = text(&with_redis.stdout);
    assert!(with_redis.status.success(), "{}", text(&with_redis.stderr));
    assert!(
        out.contains("a redis-server of our own at redis://app:***@127.0.0.1:"),
        "{out}"
    );
    assert_eq!(out.matches(" yes").count(), 8, "{out}");

    let without = ch04_rq(Some("/nonexistent/redis-server"));
    let out = text(&without.stdout);
    assert!(without.status.success(), "{}", text(&without.stderr));
    for needle in [
        "apt install redis-server",
        "cargo xtask setup",
        "SQLite file",
    ] {
        assert!(out.contains(needle), "{needle}: {out}");
    }
    assert_eq!(out.matches(" yes").count(), 8, "{out}");
}

/// Wait until a worker's log says it started `what`; that worker's index.
fn worker_running(logs: &Path, count: usize, what: &str) -> usize {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        for index in 0..count {
            let log =
                std::fs::read_to_string(logs.join(format!("worker-{index}.log")))
                    .unwrap_or_default();
            if log.contains(what) {
                return index;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("no worker started {what}");
}

#[test]
fn a_job_of_a_killed_worker_is_run_again_by_another() {
    let dir = TempDir::new("ch04-rq-kill").expect("dir");
    let redis = RedisServer::start().expect("redis-server");
    let runtime = runtime();
    for store in stores(dir.path(), &redis) {
        let logs = TempDir::new("ch04-rq-kill-logs").expect("logs");
        let mut queue = runtime.block_on(Queue::connect(&store)).expect("queue");
        // Heartbeats every second: a worker silent for 2 s is dead.
        let mut workers = start_workers(&rq_worker(), &store, 2, logs.path(), 1)
            .expect("workers start");
        let nap = runtime
            .block_on(queue.enqueue(Job::Nap { ms: 1500 }))
            .expect("enqueued");
        let victim = worker_running(logs.path(), 2, "started nap(1500 ms)");
        let victim_name = format!("rq-{}", workers.pids()[victim]);
        workers.kill(victim).expect("SIGKILL");
        let killed_at = Instant::now();
        let results = runtime
            .block_on(queue.wait(&[nap], Duration::from_secs(60)))
            .expect("the job comes back and finishes");
        let done = &results[0];
        eprintln!(
            "{}: finished {:?} after the kill, attempt {}",
            store.kind(),
            killed_at.elapsed(),
            done.attempt
        );
        let answer = done.result.as_ref().expect("the nap's answer");
        assert_eq!(answer.output, Output::Nap(1500), "{store:?}");
        assert_ne!(answer.worker, victim_name, "{store:?}: run again elsewhere");
        assert_eq!(done.status, Status::Done, "{store:?}");
        // apalis-sqlite counts the lost run as an attempt; apalis-redis
        // puts the job back as it was.
        match store.kind() {
            "sqlite" => assert!(done.attempt >= 2, "{store:?}: {done:?}"),
            _ => assert_eq!(done.attempt, 1, "{store:?}: {done:?}"),
        }
        workers.stop(Duration::from_secs(10)).expect("stops");
    }
}

#[test]
fn malformed_jobs_are_rejected_and_the_worker_serves_on() {
    let dir = TempDir::new("ch04-rq-bad").expect("dir");
    let redis = RedisServer::start().expect("redis-server");
    let runtime = runtime();
    for store in stores(dir.path(), &redis) {
        let logs = TempDir::new("ch04-rq-bad-logs").expect("logs");
        let mut queue = runtime.block_on(Queue::connect(&store)).expect("queue");
        let mut workers =
            start_workers(&rq_worker(), &store, 1, logs.path(), 2).expect("worker");
        let ids = runtime.block_on(async {
            let mut ids = Vec::new();
            for bad in [
                &b"this is not JSON"[..],
                br#"{"function":"fib","args":{"n":"thirty"}}"#,
                br#"{"function":"launch_rockets","args":{}}"#,
            ] {
                ids.push(queue.enqueue_raw(bad).await.expect("raw"));
            }
            ids.push(queue.enqueue(Job::Fib { n: 20 }).await.expect("fib"));
            ids
        });
        let results = runtime
            .block_on(queue.wait(&ids, Duration::from_secs(60)))
            .expect("all four finish");
        for rejected in &results[..3] {
            assert_eq!(rejected.status, Status::Killed, "{store:?}: {rejected:?}");
            let why = rejected.result.as_ref().expect_err("rejected");
            assert!(why.contains("malformed job"), "{why}");
        }
        let fib = results[3].result.as_ref().expect("the worker served on");
        assert_eq!(fib.output, Output::Fib(6765));
        let log = std::fs::read_to_string(logs.path().join("worker-0.log"))
            .expect("the worker's log");
        assert_eq!(log.matches("rejected a job").count(), 3, "{log}");
        workers.stop(Duration::from_secs(10)).expect("stops");
    }
}

/// A job caught between its result and its status (apalis-redis reads the
/// two with separate commands) is not taken as finished while its status
/// still says `Running`: the race that once made a rejected job come back
/// `Running`. No worker runs; the test writes the job's record itself.
#[test]
fn a_result_under_a_running_status_is_not_taken_as_finished() {
    let redis = RedisServer::start().expect("redis-server");
    let store = Store::Redis(redis.url());
    let runtime = runtime();
    let mut queue = runtime.block_on(Queue::connect(&store)).expect("queue");
    let id = runtime
        .block_on(queue.enqueue(Job::Fib { n: 20 }))
        .expect("enqueued");
    let meta = format!(
        "{}:{id}",
        apalis_redis::Config::default()
            .queue(ch04::rq::QUEUE)
            .job_meta_hash()
    );
    let client = redis::Client::open(redis.url()).expect("client");
    let mut conn = client.get_connection().expect("connection");
    let set = |conn: &mut redis::Connection, status: &str| {
        redis::cmd("HSET")
            .arg(&meta)
            .arg("status")
            .arg(status)
            .arg("result")
            .arg(r#"{"Err":"AbortError: malformed job"}"#)
            .query::<()>(conn)
            .expect("HSET");
    };
    set(&mut conn, "Running");
    let early = runtime
        .block_on(queue.wait(std::slice::from_ref(&id), Duration::from_millis(400)));
    let why = early
        .expect_err("a Running job is not finished")
        .to_string();
    assert!(why.contains("1 of 1 jobs unfinished"), "{why}");
    set(&mut conn, "Killed");
    let done = runtime
        .block_on(queue.wait(std::slice::from_ref(&id), Duration::from_secs(5)))
        .expect("finished once its status says so");
    assert_eq!(done[0].status, Status::Killed);
    assert!(
        done[0]
            .result
            .as_ref()
            .is_err_and(|why| why.contains("malformed"))
    );
}

#[test]
fn a_job_past_its_bound_is_refused_and_the_worker_serves_on() {
    let dir = TempDir::new("ch04-rq-bound").expect("dir");
    let redis = RedisServer::start().expect("redis-server");
    let runtime = runtime();
    let [sqlite, _] = stores(dir.path(), &redis);
    let logs = TempDir::new("ch04-rq-bound-logs").expect("logs");
    let mut queue = runtime.block_on(Queue::connect(&sqlite)).expect("queue");
    let mut workers =
        start_workers(&rq_worker(), &sqlite, 1, logs.path(), 1).expect("worker");
    let ids = runtime.block_on(async {
        let poison = queue.enqueue(Job::Fib { n: 1_000_000 }).await.expect("fib");
        let good = queue.enqueue(Job::Fib { n: 20 }).await.expect("fib");
        vec![poison, good]
    });
    let results = runtime
        .block_on(queue.wait(&ids, Duration::from_secs(30)))
        .expect("both finish");
    assert_eq!(results[0].status, Status::Killed, "{:?}", results[0]);
    let why = results[0].result.as_ref().expect_err("refused");
    assert!(why.contains("too large"), "{why}");
    let fib = results[1].result.as_ref().expect("the worker served on");
    assert_eq!(fib.output, Output::Fib(6765));
    workers.stop(Duration::from_secs(10)).expect("stops");
}

#[test]
fn exercise_3_sorts_through_the_queue() {
    let dir = TempDir::new("ch04-rq-exercise").expect("dir");
    let store = Store::Sqlite(dir.path().join("queue.sqlite"));
    let runtime = runtime();
    let mut queue = runtime.block_on(Queue::connect(&store)).expect("queue");
    let mut workers =
        start_workers(&rq_worker(), &store, 2, dir.path(), 2).expect("workers");
    let numbers = ch04::mergesort::seeded_numbers(30_001, 9);
    let sorted = runtime
        .block_on(ch04::exercises::rq_mergesort(&mut queue, &numbers, 3))
        .expect("sorted through the queue");
    ch04::mergesort::verify(&numbers, &sorted).expect("right");
    workers.stop(Duration::from_secs(10)).expect("stops");
}

fn ch04(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ch04"))
        .args(args)
        .env_remove("REDIS_URL")
        .env("CH04_RQ_WORKER", rq_worker())
        .output()
        .expect("ch04 runs")
}

#[test]
fn bad_rq_arguments_exit_2_and_rq_is_listed() {
    let cases: [(&[&str], &str); 4] = [
        (&["rq", "--workers", "0"], "0 is not in 1..=64"),
        (&["rq", "--backend", "mysql"], "invalid value 'mysql'"),
        (
            &["rq", "--broker", "amqp://127.0.0.1"],
            "neither sqlite:PATH",
        ),
        (&["rq", "--broker", "sqlite:"], "names no database file"),
    ];
    assert_usage_errors(ch04, &cases);
    assert_lists_examples(ch04, &["rq"]);
}
