//! Chapter 5 · The price of distribution through the cloud's services: one
//! tiny task through S3 + SQS and through the chapter's Redis queue on the
//! same machine, and one Redis PING: the record `ch05-task-cost`.

use std::time::Duration;

use anyhow::{Context, Result};
use workbench::services::RedisServer;
use workbench::{Record, Run};

use super::Aws;
use super::cost::{self, TaskCost};
use super::tasks::TaskQueue;

/// What one task costs each way, and the round-trip floor.
#[derive(Debug, Clone)]
pub struct Price {
    pub cloud: TaskCost,
    pub redis: TaskCost,
    /// The median of 50 PINGs to the same Redis.
    pub ping: Duration,
}

/// Time `tasks` tiny tasks through S3 + SQS on `aws`, then through a
/// `redis-server` started (and stopped) here.
pub async fn measure(aws: &Aws, tasks: usize) -> Result<Price> {
    let visibility = Duration::from_secs(30);
    let queue = TaskQueue::create(aws, "ch05-cost", "ch05-cost", visibility).await?;
    let cloud = cost::measure(aws, &queue, tasks).await?;
    let started = tokio::task::spawn_blocking(start_and_ping).await;
    let (mut server, ping) = started.context("starting redis-server")??;
    let redis = cost::measure_redis(&server.url(), tasks).await;
    tokio::task::spawn_blocking(move || server.stop()).await??;
    Ok(Price {
        cloud,
        redis: redis?,
        ping,
    })
}

/// A `redis-server` of our own and the median of 50 PINGs to it.
fn start_and_ping() -> Result<(RedisServer, Duration)> {
    let redis = RedisServer::start()?;
    let mut pings: Vec<_> = (0..50).map(|_| redis.ping()).collect::<Result<_>>()?;
    pings.sort();
    let median = pings[pings.len() / 2];
    Ok((redis, median))
}

impl Price {
    /// The record `ch05-task-cost`: one run per way, `wall_s` the time of
    /// one task (of the PING, for `ping`), the stages in `extra` (ms).
    pub fn record(&self) -> Record {
        let size = serde_json::json!({ "tasks": self.cloud.tasks, "n": 1 });
        let mut record = Record::new("ch05", "task-cost", size);
        let ping = self.ping.as_secs_f64();
        for (variant, cost) in [("s3+sqs", &self.cloud), ("redis", &self.redis)] {
            let total = cost.total().as_secs_f64();
            let mut run = Run::new(variant, 1, total, 0.0);
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            run.extra.insert("submit_ms".into(), ms(cost.submit));
            run.extra.insert("work_ms".into(), ms(cost.work));
            run.extra.insert("fetch_ms".into(), ms(cost.fetch));
            run.extra.insert("x_ping".into(), total / ping);
            record.runs.push(run);
        }
        record.runs.push(Run::new("ping", 1, ping, 0.0));
        record
    }
}

impl std::fmt::Display for Price {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        for (name, cost) in [("S3 + SQS", &self.cloud), ("Redis", &self.redis)] {
            writeln!(
                f,
                "{name:>9}: {:.2} ms per task (submit {:.2}, work {:.2}, fetch {:.2}) \
                 = {:.1} PINGs",
                ms(cost.total()),
                ms(cost.submit),
                ms(cost.work),
                ms(cost.fetch),
                cost.total().as_secs_f64() / self.ping.as_secs_f64(),
            )?;
        }
        write!(
            f,
            "{:>9}: {:.3} ms ({} tasks each way)",
            "PING",
            ms(self.ping),
            self.cloud.tasks
        )
    }
}
