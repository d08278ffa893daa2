//! Chapter 5 · The price of distribution through the cloud's services: what
//! one task costs when its input, message and result travel through S3 and
//! SQS, against the same task through Redis on the same machine.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};

use super::Aws;
use super::tasks::{TaskQueue, handle, receive};

/// Per-task times of a run of `tasks` tiny tasks (fib(1)), one at a time.
#[derive(Debug, Clone)]
pub struct TaskCost {
    pub tasks: usize,
    /// Submit (S3 put + SQS send), per task.
    pub submit: Duration,
    /// Receive, read input, compute, store result, delete, per task.
    pub work: Duration,
    /// Read the result back from S3, per task.
    pub fetch: Duration,
}

impl TaskCost {
    /// The cost per task of `tasks` tasks that took these times in all.
    fn per_task(
        tasks: usize,
        submit: Duration,
        work: Duration,
        fetch: Duration,
    ) -> Self {
        let per = |d: Duration| d / u32::try_from(tasks).unwrap_or(u32::MAX);
        TaskCost {
            tasks,
            submit: per(submit),
            work: per(work),
            fetch: per(fetch),
        }
    }

    pub fn total(&self) -> Duration {
        self.submit + self.work + self.fetch
    }
}

/// Send `tasks` tasks through `queue` one by one and time each stage.
pub async fn measure(
    aws: &Aws,
    queue: &TaskQueue,
    tasks: usize,
) -> Result<TaskCost> {
    ensure!(tasks > 0, "no tasks to time");
    let (mut submit, mut work, mut fetch) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for i in 0..tasks {
        let id = format!("cost-{i}");
        let start = Instant::now();
        queue.submit(aws, &id, 1).await?;
        submit += start.elapsed();
        let start = Instant::now();
        let received = receive(aws, queue, Duration::from_secs(5)).await?;
        let received = received.context("the task's message did not arrive")?;
        let result = handle(aws, queue, &received).await?;
        work += start.elapsed();
        ensure!(result.answer == 1, "fib(1) came back as {}", result.answer);
        let start = Instant::now();
        let stored = queue.result(aws, &id).await?;
        fetch += start.elapsed();
        ensure!(stored.is_some(), "the result of {id} is not in the bucket");
    }
    Ok(TaskCost::per_task(tasks, submit, work, fetch))
}

/// The same tiny tasks through the chapter's Redis queue at `url`: LPUSH
/// the job, take it (BLMOVE), store its outcome (HSET + LREM), HGET it.
pub async fn measure_redis(url: &str, tasks: usize) -> Result<TaskCost> {
    use crate::queue::{Keys, complete, connect, take};
    use crate::{Job, job::Outcome};
    ensure!(tasks > 0, "no tasks to time");
    let mut conn = connect(url).await?;
    let keys = Keys::new("ch05-cost");
    let (mut submit, mut work, mut fetch) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    // ANCHOR: redis
    for i in 0..tasks {
        let job = Job::new(format!("cost-{i}"), 1, 0);
        let start = Instant::now();
        redis::cmd("LPUSH")
            .arg(&keys.queue)
            .arg(job.to_json())
            .query_async::<()>(&mut conn)
            .await
            .context("LPUSH a job")?;
        submit += start.elapsed();
        let start = Instant::now();
        let raw = take(&mut conn, &keys, "cost").await?;
        let raw = raw.context("the job did not arrive")?;
        let taken = Job::parse(&raw)?;
        let answer = taken.run().await?;
        let outcome = Outcome {
            id: taken.id.clone(),
            n: taken.n,
            answer,
            worker: "cost".into(),
        };
        let stored = serde_json::to_string(&outcome)?;
        complete(&mut conn, &keys, "cost", &raw, &taken.id, &stored).await?;
        work += start.elapsed();
        let start = Instant::now();
        let back: Option<String> = redis::cmd("HGET")
            .arg(keys.results())
            .arg(&job.id)
            .query_async(&mut conn)
            .await
            .context("HGET the outcome")?;
        fetch += start.elapsed();
        let back: Outcome = serde_json::from_str(&back.context("no outcome")?)?;
        ensure!(job.verify(&back), "{back:?} is not fib(1) of {}", job.id);
    }
    // ANCHOR_END: redis
    Ok(TaskCost::per_task(tasks, submit, work, fetch))
}
