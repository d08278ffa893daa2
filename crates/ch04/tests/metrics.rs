//! Chapter 4 · A worker's Prometheus metrics, scraped while it works and
//! after: tasks in flight, the queue behind them, tasks by state.

mod common;

use std::time::{Duration, Instant};

use ch04::celery::client::{Client, Outcome};
use ch04::celery::worker::WorkerConfig;
use ch04::launcher::Workers;
use ch04::tasks::{fail, fib, nap};
use workbench::services::{RedisServer, TempDir, free_port};

const WAIT: Duration = Duration::from_secs(60);

fn scrape(port: u16) -> String {
    let url = format!("http://127.0.0.1:{port}/metrics");
    let mut response = ureq::get(&url).call().expect("the worker answers a scrape");
    response.body_mut().read_to_string().expect("a text body")
}

/// Scrape until every one of `lines` is in the text, or fail after [`WAIT`].
fn scrape_until(port: u16, lines: &[&str]) -> String {
    let start = Instant::now();
    loop {
        let text = scrape(port);
        if lines.iter().all(|line| text.lines().any(|l| l == *line)) {
            return text;
        }
        assert!(start.elapsed() < WAIT, "never saw {lines:?} in\n{text}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_worker_serves_prometheus_metrics_of_its_tasks_and_queue() {
    let redis = RedisServer::start().expect("redis-server");
    let logs = TempDir::new("ch04-metrics").expect("dir");
    let port = free_port().expect("a port");
    let config = WorkerConfig {
        metrics_port: Some(port),
        ..WorkerConfig::new(&redis.url())
    };
    let _worker =
        Workers::start(common::worker_program(), &config, 1, Some(logs.path()))
            .expect("a worker");
    common::runtime().block_on(async {
        let client = Client::connect(&redis.url(), "celery")
            .await
            .expect("client");
        // One slot: while the nap runs, the other three wait in the queue.
        let napping = client.send(nap::new(3.0)).await.expect("sent");
        let mut ids = vec![napping];
        ids.push(client.send(fib::new(20)).await.expect("sent"));
        ids.push(client.send(fib::new(21)).await.expect("sent"));
        ids.push(
            client
                .send(fail::new("on purpose".into()))
                .await
                .expect("sent"),
        );
        let busy = [
            "ch04_tasks_in_flight 1",
            r#"ch04_queue_length{queue="celery"} 3"#,
        ];
        scrape_until(port, &busy);
        let outcomes = client.wait(&ids, WAIT).await.expect("results");
        assert_eq!(outcomes[1], Outcome::Success(6765.into()));
    });
    let text = scrape_until(
        port,
        &[
            r#"ch04_tasks_total{task="fib",state="succeeded"} 2"#,
            r#"ch04_tasks_total{task="fail",state="failed"} 1"#,
            r#"ch04_tasks_total{task="nap",state="started"} 1"#,
            r#"ch04_task_runtime_seconds_count{task="fib",state="succeeded"} 2"#,
            "ch04_tasks_in_flight 0",
            r#"ch04_queue_length{queue="celery"} 0"#,
        ],
    );
    assert!(
        text.contains("# TYPE ch04_task_runtime_seconds histogram"),
        "{text}"
    );
    assert!(text.ends_with("# EOF\n"), "{text}");
}
