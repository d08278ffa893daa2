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
    /// The round with the median time per task through S3 + SQS.
    pub cloud: TaskCost,
    /// The round with the median time per task through Redis.
    pub redis: TaskCost,
    /// The median of every PING to the same Redis (50 a round).
    pub ping: Duration,
    /// Every round's time per task: S3 + SQS, Redis, and its median PING.
    pub rounds: Vec<[Duration; 3]>,
}

/// Rounds of [`measure`]: S3 + SQS, Redis, PINGs, then again, so that a slow
/// moment of a shared machine falls on every way alike.
pub const ROUNDS: usize = 3;

/// The tiny tasks each way, each round, of the book's record `ch05-task-cost`.
pub const FIGURE_TASKS: usize = 50;

/// Time `tasks` tiny tasks through S3 + SQS on `aws` and through a
/// `redis-server` started (and stopped) here, and 50 PINGs, in [`ROUNDS`]
/// rounds.
pub async fn measure(aws: &Aws, tasks: usize) -> Result<Price> {
    let visibility = Duration::from_secs(30);
    let queue = TaskQueue::create(aws, "ch05-cost", "ch05-cost", visibility).await?;
    let started = tokio::task::spawn_blocking(RedisServer::start).await;
    let server = started.context("starting redis-server")??;
    let (mut server, measured) = rounds(aws, &queue, server, tasks).await;
    tokio::task::spawn_blocking(move || server.stop()).await??;
    let (mut clouds, mut redises, pings) = measured?;
    let rounds = clouds
        .iter()
        .zip(&redises)
        .zip(&pings)
        .map(|((cloud, redis), pings)| [cloud.total(), redis.total(), median(pings)])
        .collect();
    let ping = median(&pings.concat());
    Ok(Price {
        cloud: take_median(&mut clouds),
        redis: take_median(&mut redises),
        ping,
        rounds,
    })
}

type Measured = (Vec<TaskCost>, Vec<TaskCost>, Vec<Vec<Duration>>);

/// The rounds, on `server`, which comes back to be stopped whatever happened.
async fn rounds(
    aws: &Aws,
    queue: &TaskQueue,
    mut server: RedisServer,
    tasks: usize,
) -> (RedisServer, Result<Measured>) {
    let (mut clouds, mut redises, mut pings) = (Vec::new(), Vec::new(), Vec::new());
    let url = server.url();
    for _ in 0..ROUNDS {
        let cloud = cost::measure(aws, queue, tasks).await;
        let redis = cost::measure_redis(&url, tasks).await;
        let (back, ping) = tokio::task::spawn_blocking(move || {
            let ping: Result<Vec<_>> = (0..50).map(|_| server.ping()).collect();
            (server, ping)
        })
        .await
        .unwrap_or_else(|err| std::panic::resume_unwind(err.into_panic()));
        server = back;
        match (cloud, redis, ping) {
            (Ok(cloud), Ok(redis), Ok(ping)) => {
                clouds.push(cloud);
                redises.push(redis);
                pings.push(ping);
            }
            (Err(err), _, _) | (_, Err(err), _) | (_, _, Err(err)) => {
                return (server, Err(err));
            }
        }
    }
    (server, Ok((clouds, redises, pings)))
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// The cost whose total is the median of `costs`.
fn take_median(costs: &mut Vec<TaskCost>) -> TaskCost {
    costs.sort_by_key(TaskCost::total);
    let middle = costs.len() / 2;
    costs.swap_remove(middle)
}

impl Price {
    /// The record `ch05-task-cost`: one run per way, `wall_s` the time of
    /// one task in the median round (the median PING, for `ping`), its
    /// stages in `extra` (ms), and every round's time (`round1_s`, ...).
    pub fn record(&self) -> Record {
        let size = serde_json::json!({
            "tasks": self.cloud.tasks, "n": 1, "rounds": self.rounds.len()
        });
        let mut record = Record::new("ch05", "task-cost", size);
        let ping = self.ping.as_secs_f64();
        let ways = [("s3+sqs", Some(&self.cloud)), ("redis", Some(&self.redis))];
        for (way, (variant, cost)) in
            ways.into_iter().chain([("ping", None)]).enumerate()
        {
            let wall_s = cost.map_or(ping, |cost| cost.total().as_secs_f64());
            let mut run = Run::new(variant, 1, wall_s, 0.0);
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            if let Some(cost) = cost {
                run.extra.insert("submit_ms".into(), ms(cost.submit));
                run.extra.insert("work_ms".into(), ms(cost.work));
                run.extra.insert("fetch_ms".into(), ms(cost.fetch));
                run.extra.insert("x_ping".into(), wall_s / ping);
            }
            for (i, round) in self.rounds.iter().enumerate() {
                let took = round[way].as_secs_f64();
                run.extra.insert(format!("round{}_s", i + 1), took);
            }
            record.runs.push(run);
        }
        record
    }
}

impl Price {
    /// The figure of `ch05-task-cost`, on log axes (a PING is a thousandth
    /// of a task through S3 + SQS): each way's time per task in every round,
    /// and the stages of the median round.
    pub fn figure(&self) -> String {
        use workbench::curves::{Panel, Series, Style};
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let ways = ["s3+sqs", "redis", "ping"];
        let per_round = ways.iter().enumerate().map(|(way, name)| {
            let points = (self.rounds.iter().enumerate())
                .map(|(i, round)| ((i + 1) as f64, ms(round[way])))
                .collect();
            Series::new(*name, points, Style::LinePoints).coloured(way)
        });
        let stages = [("s3+sqs", &self.cloud), ("redis", &self.redis)];
        let stages = stages.iter().enumerate().map(|(way, (name, cost))| {
            let points = [cost.submit, cost.work, cost.fetch]
                .into_iter()
                .enumerate()
                .map(|(i, d)| ((i + 1) as f64, ms(d)))
                .collect();
            Series::new(*name, points, Style::LinePoints).coloured(way)
        });
        let panel = |title: &str, x_label: &str, series: Vec<Series>| Panel {
            title: title.into(),
            x_label: x_label.into(),
            y_label: "ms (log scale)".into(),
            log_y: true,
            series,
            ..Panel::default()
        };
        let record = self.record();
        let footer =
            format!("{} · {}", record.size_text(), record.machine.summary());
        let panels = [
            panel("one task, each round", "round", per_round.collect()),
            panel(
                "stages, median round",
                "1 submit, 2 work, 3 fetch",
                stages.collect(),
            ),
        ];
        workbench::curves::svg(&panels, &footer)
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
            "{:>9}: {:.3} ms ({} tasks each way, median of {} rounds)",
            "PING",
            ms(self.ping),
            self.cloud.tasks,
            self.rounds.len()
        )
    }
}
