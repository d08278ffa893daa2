//! Chapter 4 · Alternatives: Python-RQ — the jobs a worker performs, and
//! how it reads them off the queue without ever choking on a bad one.

use apalis::prelude::{AbortError, BoxDynError, Codec, WorkerContext};
use serde::{Deserialize, Serialize};

use crate::limits;

// ANCHOR: job
/// A function call put on the queue, as RQ's `q.enqueue(fib, 30)` does:
/// the function's name and its arguments, as JSON
/// (`{"function":"fib","args":{"n":30}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "function", content = "args", rename_all = "snake_case")]
pub enum Job {
    /// The book's CPU-bound workload.
    Fib { n: u32 },
    /// Sort one chunk of the merge sort.
    Sort { numbers: Vec<i64> },
    /// Sleep without holding a CPU (for the worker-crash test).
    Nap { ms: u64 },
}

/// What a job returned, and which worker ran it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub worker: String,
    pub output: Output,
}

/// A job's return value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    Fib(u64),
    Sort(Vec<i64>),
    Nap(u64),
}
// ANCHOR_END: job

// ANCHOR: perform
/// The worker's side: run one delivered job. CPU work goes to tokio's
/// blocking pool so the worker's heartbeat keeps beating meanwhile. A
/// malformed delivery is logged and aborted (no retry): the job ends as
/// `Killed` with the reason, and the worker goes on to the next one.
pub async fn perform(
    delivery: Delivery,
    worker: WorkerContext,
) -> Result<Answer, BoxDynError> {
    let job = match delivery {
        Delivery::Job(job) => job,
        Delivery::Malformed { why } => {
            tracing::error!(worker = worker.name(), "rejected a job: {why}");
            return Err(AbortError::new(format!("malformed job: {why}")).into());
        }
    };
    if let Err(why) = job.bounded() {
        tracing::error!(worker = worker.name(), "refused a job: {why}");
        return Err(AbortError::new(why).into());
    }
    tracing::info!(worker = worker.name(), "started {job:?}", job = Brief(&job));
    let output = match job {
        Job::Fib { n } => Output::Fib(
            tokio::task::spawn_blocking(move || workbench::fib::fib(n)).await?,
        ),
        Job::Sort { mut numbers } => Output::Sort(
            tokio::task::spawn_blocking(move || {
                numbers.sort_unstable();
                numbers
            })
            .await?,
        ),
        Job::Nap { ms } => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            Output::Nap(ms)
        }
    };
    let worker = worker.name().to_owned();
    tracing::info!(worker, "finished");
    Ok(Answer { worker, output })
}
// ANCHOR_END: perform

impl Job {
    /// `Ok(())` if every argument is within its bound (`limits.rs`, the
    /// same bounds as the Celery tasks'), else why not: such a job is
    /// refused, not started.
    pub fn bounded(&self) -> Result<(), String> {
        match self {
            Job::Fib { n } => workbench::fib::bounded(*n).map(drop),
            Job::Sort { numbers } => {
                limits::at_most("a sort", numbers.len(), limits::MAX_SORT_LEN)
            }
            Job::Nap { ms } => {
                let max = limits::MAX_NAP.as_millis();
                limits::at_most("a nap (ms)", *ms as usize, max as usize)
            }
        }
    }
}

/// A job as logged: the function and a short form of its arguments.
struct Brief<'a>(&'a Job);

impl std::fmt::Debug for Brief<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Job::Fib { n } => write!(f, "fib({n})"),
            Job::Sort { numbers } => write!(f, "sort({} numbers)", numbers.len()),
            Job::Nap { ms } => write!(f, "nap({ms} ms)"),
        }
    }
}

// ANCHOR: delivery
/// What a worker finds on the queue: a job it knows, or bytes it cannot
/// read (not JSON, an unknown function, arguments of the wrong type).
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Job(Job),
    Malformed { why: String },
}

/// JSON that never fails to decode: a payload that is not a [`Job`]
/// becomes [`Delivery::Malformed`]. (With apalis' own JSON codec a bad
/// payload is an error of the queue itself, which stops the worker.)
#[derive(Debug, Clone, Copy, Default)]
pub struct LenientJson;

impl Codec<Delivery> for LenientJson {
    type Compact = Vec<u8>;
    type Error = serde_json::Error;

    fn encode(&self, delivery: &Delivery) -> Result<Vec<u8>, Self::Error> {
        match delivery {
            Delivery::Job(job) => serde_json::to_vec(job),
            Delivery::Malformed { why } => serde_json::to_vec(why),
        }
    }

    fn decode(&self, bytes: &Vec<u8>) -> Result<Delivery, Self::Error> {
        Ok(match serde_json::from_slice(bytes) {
            Ok(job) => Delivery::Job(job),
            Err(e) => Delivery::Malformed {
                why: format!("{e} in {:?}", String::from_utf8_lossy(bytes)),
            },
        })
    }
}
// ANCHOR_END: delivery

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_past_their_bounds_are_refused() {
        assert!(Job::Fib { n: 30 }.bounded().is_ok());
        assert!(Job::Fib { n: 1_000_000 }.bounded().is_err());
        assert!(Job::Nap { ms: u64::MAX }.bounded().is_err());
    }

    #[test]
    fn jobs_read_like_rq_calls_and_bad_bytes_are_malformed() {
        let job = Job::Fib { n: 30 };
        let json = serde_json::to_string(&job).expect("encodes");
        assert_eq!(json, r#"{"function":"fib","args":{"n":30}}"#);
        let codec = LenientJson;
        let bytes = codec.encode(&Delivery::Job(job.clone())).expect("encodes");
        assert_eq!(codec.decode(&bytes).expect("decodes"), Delivery::Job(job));
        for bad in [
            &b"not json"[..],
            br#"{"function":"fib","args":{"n":"thirty"}}"#,
            br#"{"function":"launch_rockets","args":{}}"#,
        ] {
            let delivery = codec.decode(&bad.to_vec()).expect("never fails");
            assert!(
                matches!(delivery, Delivery::Malformed { .. }),
                "{delivery:?}"
            );
        }
    }
}
