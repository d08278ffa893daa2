//! Chapter 5 · The worker under an orchestrator's treatment, on a real
//! `redis-server` each test starts on a free loopback port: probes,
//! SIGTERM mid-job (finished or handed back), SIGKILL, a broker that goes
//! away, a malformed job. No job may be lost in any of them.

use std::path::Path;
use std::time::{Duration, Instant};

use ch05::Job;
use ch05::demo::wait_for_answers;
use ch05::fleet::WorkerProcess;
use ch05::report::BrokerView;
use ch05::worker::Summary;
use workbench::services::RedisServer;

const PROGRAM: &str = env!("CARGO_BIN_EXE_ch05-worker");
const LONG: Duration = Duration::from_secs(30);

fn start(redis: &RedisServer, name: &str, env: &[(&str, &str)]) -> WorkerProcess {
    let mut worker =
        WorkerProcess::start(Path::new(PROGRAM), &redis.url(), name, env)
            .expect("the worker starts");
    worker.wait_ready(LONG).expect("the worker gets ready");
    worker
}

fn broker(redis: &RedisServer) -> BrokerView {
    BrokerView::connect(&redis.url(), "ch05:jobs").expect("a connection")
}

/// A broker, worker `name` (with `env`) on it, and `job` pushed: returned
/// once the worker is busy with the job.
fn busy_with(
    name: &str,
    env: &[(&str, &str)],
    job: &Job,
) -> (RedisServer, WorkerProcess, BrokerView) {
    let redis = RedisServer::start().expect("redis-server");
    let mut worker = start(&redis, name, env);
    let mut view = broker(&redis);
    view.push(std::slice::from_ref(job)).expect("LPUSH");
    assert_eq!(worker.wait_busy(LONG).expect("busy"), job.id);
    (redis, worker, view)
}

/// Worker `name` with a grace period of `grace_s` is sent SIGTERM while
/// busy with `job`: the broker, its view and the summary of a clean exit.
fn sigterm_mid_job(
    name: &str,
    grace_s: &str,
    job: &Job,
) -> (RedisServer, BrokerView, Summary) {
    let grace = [("CH05_GRACE_SECONDS", grace_s)];
    let (redis, mut worker, view) = busy_with(name, &grace, job);
    let summary = worker.stop_cleanly(LONG).expect("SIGTERM: exits 0");
    (redis, view, summary)
}

/// Poll until `check` holds; false if it never did within `LONG`.
fn eventually(mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < LONG {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn verified(view: &mut BrokerView, job: &Job) -> bool {
    let outcome = view.outcome(&job.id).expect("HGET").expect("an outcome");
    job.verify(&outcome)
}

#[test]
fn readiness_follows_the_broker_and_liveness_does_not() {
    let mut redis = RedisServer::start().expect("redis-server");
    let mut worker = start(&redis, "probed", &[]);
    let status = worker.status().expect("/healthz answers");
    assert!(
        status.ready && status.broker && !status.draining,
        "{status:?}"
    );
    redis.stop().expect("the broker stops");
    assert!(eventually(
        || !ch05::probe::is_ready(worker.health).unwrap_or(true)
    ));
    let status = worker.status().expect("still alive without a broker");
    assert!(!status.broker && !status.ready, "{status:?}");
    redis.restart().expect("the broker comes back");
    worker.wait_ready(LONG).expect("ready again");
    let summary = worker.stop_cleanly(LONG).expect("SIGTERM: exits 0");
    assert_eq!(summary.done, 0);
}

#[test]
fn sigterm_mid_job_lets_the_job_finish_within_the_grace_period() {
    let job = Job::new("fib-slow", 25, 1500);
    let (_redis, mut view, summary) = sigterm_mid_job("finisher", "20", &job);
    assert_eq!((summary.done, summary.handed_back), (1, 0));
    assert!(verified(&mut view, &job));
    assert_eq!(view.backlog().expect("LLEN"), (0, 0));
}

#[test]
fn sigterm_mid_job_past_the_grace_period_hands_the_job_back() {
    let job = Job::new("fib-long", 25, 3000);
    let (redis, mut view, summary) = sigterm_mid_job("quitter", "0.2", &job);
    assert_eq!((summary.done, summary.handed_back), (0, 1));
    assert_eq!(view.backlog().expect("LLEN"), (1, 0), "back in the queue");
    assert!(view.outcome("fib-long").expect("HGET").is_none());
    let _second = start(&redis, "successor", &[]);
    wait_for_answers(&mut view, std::slice::from_ref(&job), LONG).expect("done");
    let outcome = view.outcome("fib-long").expect("HGET").expect("stored");
    assert_eq!(outcome.worker, "successor");
    assert!(job.verify(&outcome));
}

#[test]
fn a_killed_workers_job_is_reaped_and_done_by_another() {
    let beat = [("CH05_HEARTBEAT_SECONDS", "1")];
    let job = Job::new("fib-orphan", 25, 2000);
    let (redis, mut doomed, mut view) = busy_with("doomed", &beat, &job);
    doomed.kill().expect("SIGKILL");
    assert_eq!(view.backlog().expect("LLEN"), (0, 1), "stuck with the dead");
    let _rescuer = start(&redis, "rescuer", &beat);
    wait_for_answers(&mut view, std::slice::from_ref(&job), LONG).expect("done");
    assert!(verified(&mut view, &job));
    assert_eq!(view.backlog().expect("LLEN"), (0, 0));
}

#[test]
fn a_malformed_job_is_set_aside_and_the_worker_goes_on() {
    let redis = RedisServer::start().expect("redis-server");
    let _worker = start(&redis, "sorter", &[]);
    let mut view = broker(&redis);
    view.push_raw("fib please").expect("LPUSH");
    let jobs = [Job::new("fib-after", 20, 0)];
    view.push(&jobs).expect("LPUSH");
    wait_for_answers(&mut view, &jobs, LONG).expect("served");
    assert!(verified(&mut view, &jobs[0]));
    let dead = view.keys.dead();
    assert_eq!(view.len(&dead).expect("LLEN"), 1);
    assert_eq!(view.backlog().expect("LLEN"), (0, 0));
}

#[test]
fn without_a_broker_the_worker_lives_but_is_not_ready() {
    let port = workbench::services::free_port().expect("a port");
    let url = format!("redis://127.0.0.1:{port}/0");
    let mut worker = WorkerProcess::start(Path::new(PROGRAM), &url, "alone", &[])
        .expect("starts");
    assert!(eventually(|| worker.status().is_ok()), "/healthz answers");
    for _ in 0..5 {
        let status = worker.status().expect("/healthz");
        assert!(!status.ready && !status.broker, "{status:?}");
        assert!(!ch05::probe::is_ready(worker.health).expect("/readyz"));
        std::thread::sleep(Duration::from_millis(200));
    }
    worker.terminate().expect("SIGTERM");
    assert_eq!(worker.wait(LONG).expect("exits").0.code(), Some(0));
}
