//! Chapter 5 · The work: a fib job as it travels through the broker, a
//! JSON document in a Redis list.

use std::time::Duration;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// One job: compute `fib(n)` after `io_ms` milliseconds of waiting, which
/// stands for the input a real job would first download (say, from S3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub n: u32,
    #[serde(default)]
    pub io_ms: u64,
}

/// What a worker stores for a finished job (in the results hash, under
/// the job's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: String,
    pub n: u32,
    pub answer: u64,
    pub worker: String,
}

/// fib(n) past this takes minutes; such a job is refused, not started.
pub const MAX_N: u32 = 45;

/// The longest wait a job may ask for (a minute), in milliseconds.
pub const MAX_IO_MS: u64 = 60_000;

impl Job {
    pub fn new(id: impl Into<String>, n: u32, io_ms: u64) -> Self {
        Job {
            id: id.into(),
            n,
            io_ms,
        }
    }

    /// Read a job from the queue; a malformed one is an error to report,
    /// never a reason to stop the worker.
    pub fn parse(raw: &str) -> Result<Self> {
        let job: Job = serde_json::from_str(raw)
            .with_context(|| format!("not a job: {}", clip(raw)))?;
        anyhow::ensure!(
            job.n <= MAX_N,
            "job {}: fib({}) is too large",
            job.id,
            job.n
        );
        anyhow::ensure!(
            job.io_ms <= MAX_IO_MS,
            "job {}: a wait of {} ms is longer than {MAX_IO_MS} ms",
            job.id,
            job.io_ms
        );
        Ok(job)
    }

    pub fn to_json(&self) -> String {
        serde_json::json!({ "id": self.id, "n": self.n, "io_ms": self.io_ms })
            .to_string()
    }

    /// Do the job: wait (the "download"), then compute on a blocking
    /// thread so the worker's health endpoints keep answering. No wait at
    /// all without `io_ms`: tokio's timer rounds a zero sleep up to its next
    /// millisecond tick.
    pub async fn run(&self) -> Result<u64> {
        if self.io_ms > 0 {
            tokio::time::sleep(Duration::from_millis(self.io_ms)).await;
        }
        let n = self.n;
        tokio::task::spawn_blocking(move || workbench::fib::fib(n))
            .await
            .context("the fib computation panicked")
    }

    /// Check an outcome against fib computed in linear time.
    pub fn verify(&self, outcome: &Outcome) -> bool {
        outcome.id == self.id
            && outcome.n == self.n
            && outcome.answer == workbench::fib::fib_expected(self.n)
    }
}

fn clip(raw: &str) -> String {
    raw.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_round_trips_and_bad_ones_are_errors() {
        let job = Job::new("fib-1", 20, 5);
        assert_eq!(Job::parse(&job.to_json()).expect("parses"), job);
        assert_eq!(
            Job::parse(r#"{"id":"a","n":3}"#)
                .expect("io_ms defaults")
                .io_ms,
            0
        );
        assert!(Job::parse("fib 20").is_err());
        assert!(Job::parse(r#"{"id":"big","n":90}"#).is_err());
    }

    #[tokio::test]
    async fn running_a_job_gives_fib() {
        let job = Job::new("fib-2", 20, 1);
        let answer = job.run().await.expect("runs");
        let outcome = Outcome {
            id: "fib-2".into(),
            n: 20,
            answer,
            worker: "test".into(),
        };
        assert!(job.verify(&outcome));
        assert_eq!(answer, 6765);
    }
}
