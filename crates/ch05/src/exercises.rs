//! Chapter 5 · Solutions to the chapter's exercises (tested in
//! `tests/exercises.rs`, the backlog check against a real Redis).

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, Result};
use redis::aio::MultiplexedConnection;

use crate::config::{self, WorkerConfig};
use crate::health::Status;
use crate::queue::Keys;

// ANCHOR: backlog
/// Exercise 1: readiness that also fails when too many jobs wait. A
/// service that *accepts* jobs uses it so a load balancer stops sending
/// more when the workers cannot keep up (load shedding); the body says why.
pub fn ready_with_backlog(
    status: &Status,
    waiting: u64,
    limit: u64,
) -> (bool, String) {
    if status.draining {
        (false, "draining".into())
    } else if !status.broker {
        (false, "broker unreachable".into())
    } else if waiting > limit {
        (false, format!("backlog {waiting} > {limit}"))
    } else {
        (true, format!("ok, backlog {waiting}"))
    }
}

/// The same with the backlog read from the broker (LLEN of the queue).
pub async fn check_backlog(
    conn: &mut MultiplexedConnection,
    keys: &Keys,
    status: &Status,
    limit: u64,
) -> Result<(bool, String)> {
    let waiting: u64 = redis::cmd("LLEN")
        .arg(&keys.queue)
        .query_async(conn)
        .await
        .context("LLEN of the queue")?;
    Ok(ready_with_backlog(status, waiting, limit))
}
// ANCHOR_END: backlog

/// Exercise 2: read the configuration from environment variables and
/// report *every* bad one at once, not just the first, so one failed
/// deployment shows everything that must be fixed.
// ANCHOR: load_all
pub fn load_all(env: &HashMap<String, String>) -> Result<WorkerConfig, Vec<String>> {
    let defaults = WorkerConfig::new("redis://127.0.0.1:6379/0");
    let e = &mut Vec::new();
    let config = WorkerConfig {
        redis_url: read(env, e, "REDIS_URL", config::parse_redis_url)
            .unwrap_or(defaults.redis_url),
        queue: read(env, e, "CH05_QUEUE", config::parse_queue)
            .unwrap_or(defaults.queue),
        worker_id: read(env, e, "CH05_WORKER_ID", config::parse_queue),
        health_addr: read(env, e, "CH05_HEALTH_ADDR", |v| {
            v.parse().map_err(|err| format!("`{v}`: {err}"))
        })
        .unwrap_or(defaults.health_addr),
        grace_seconds: read(env, e, "CH05_GRACE_SECONDS", config::parse_seconds)
            .unwrap_or(defaults.grace_seconds),
        heartbeat_seconds: read(env, e, "CH05_HEARTBEAT_SECONDS", |v| {
            match v.parse::<u64>() {
                Ok(secs @ 1..=3600) => Ok(secs),
                _ => Err(format!("`{v}` is not a whole number from 1 to 3600")),
            }
        })
        .unwrap_or(defaults.heartbeat_seconds),
    };
    if e.is_empty() {
        Ok(config)
    } else {
        Err(std::mem::take(e))
    }
}
// ANCHOR_END: load_all

/// One variable: its parsed value, or its error added to `errors`.
fn read<T>(
    env: &HashMap<String, String>,
    errors: &mut Vec<String>,
    name: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    let value = env.get(name)?;
    parse(value)
        .map_err(|why| errors.push(format!("{name}: {why}")))
        .ok()
}

/// Exercise 3: reconnecting with exponential backoff and "full jitter":
/// wait a random time between 0 and `base * 2^attempt` (at most `cap`), so
/// a hundred workers that lost the broker together do not return together.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    attempt: u32,
    state: u64,
}

// ANCHOR: backoff
impl Backoff {
    pub fn new(base: Duration, cap: Duration, seed: u64) -> Self {
        Backoff {
            base,
            cap,
            attempt: 0,
            // Spread small seeds over all 64 bits (and never 0).
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
        }
    }

    /// The ceiling of the next wait: `base * 2^attempt`, at most `cap`.
    pub fn ceiling(&self) -> Duration {
        let factor = 2u32.saturating_pow(self.attempt.min(31));
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The next wait; each call doubles the ceiling.
    pub fn next_delay(&mut self) -> Duration {
        // xorshift64: enough randomness for spreading retries.
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        let fraction = (self.state >> 11) as f64 / (1u64 << 53) as f64;
        let delay = self.ceiling().mul_f64(fraction);
        self.attempt = self.attempt.saturating_add(1);
        delay
    }

    /// After a success, start again from `base`.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}
// ANCHOR_END: backoff

// ANCHOR: reader_policy
/// Exercise 5: a policy for a reader of results — `s3:GetObject` on the
/// objects under `results/` of `bucket`, and nothing else (not the inputs,
/// not writing, not even listing).
pub fn reader_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "ReadResults",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{bucket}/results/*"),
        }]
    })
    .to_string()
}
// ANCHOR_END: reader_policy
