//! Chapter 4 · Faults: a stalled broker. A Redis process stopped with
//! SIGSTOP accepts connections and answers nothing; a client's wait must
//! still end with its time-out error, within its deadline plus a second.

mod common;

use std::time::{Duration, Instant};

use ch04::celery::client::Client;
use ch04::tasks::echo;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use workbench::services::RedisServer;

const DEADLINE: Duration = Duration::from_secs(2);

/// The server's process id, as it reports it.
fn pid_of(redis: &RedisServer) -> Pid {
    let client = redis::Client::open(redis.url()).expect("url");
    let mut conn = client.get_connection().expect("conn");
    let info: String = redis::cmd("INFO")
        .arg("server")
        .query(&mut conn)
        .expect("info");
    let pid = info
        .lines()
        .find_map(|line| line.strip_prefix("process_id:"))
        .and_then(|pid| pid.trim().parse().ok())
        .expect("process_id");
    Pid::from_raw(pid)
}

/// Continue the stopped server even if the test fails, so it can be stopped.
struct Continue(Pid);

impl Drop for Continue {
    fn drop(&mut self) {
        let _ = kill(self.0, Signal::SIGCONT);
    }
}

#[test]
fn a_wait_on_a_stopped_redis_ends_within_its_deadline_plus_a_second() {
    let redis = RedisServer::start().expect("redis-server");
    let pid = pid_of(&redis);
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery").await.expect("conn");
        // A wait that began while the server answered: no worker, so it
        // can only end by its deadline. The server stops in the middle.
        let waiting = client.call(echo::new("hello".into()), DEADLINE);
        let stopping = async {
            tokio::time::sleep(DEADLINE / 4).await;
            kill(pid, Signal::SIGSTOP).expect("SIGSTOP");
        };
        let bound = DEADLINE + Duration::from_secs(1);
        let start = Instant::now();
        let (ended, ()) =
            tokio::join!(tokio::time::timeout(bound, waiting), stopping);
        let _resume = Continue(pid);
        eprintln!("the first wait ended after {:?}", start.elapsed());
        let err = ended
            .expect("the wait hung past its deadline + 1 s")
            .expect_err("nothing can answer");
        assert!(format!("{err:#}").contains("timed out"), "{err:#}");
        // A new call while the server is stopped: sending, subscribing and
        // reading back all stall; the call still ends by its deadline.
        let again = client.call(echo::new("again".into()), DEADLINE);
        let start = Instant::now();
        let err = tokio::time::timeout(bound, again)
            .await
            .expect("the second wait hung past its deadline + 1 s")
            .expect_err("nothing can answer");
        eprintln!("the second wait ended after {:?}", start.elapsed());
        assert!(format!("{err:#}").contains("timed out"), "{err:#}");
    });
}
