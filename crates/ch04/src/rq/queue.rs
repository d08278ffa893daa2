//! Chapter 4 · Alternatives: Python-RQ — the caller's side: enqueue a
//! function call, get its job id, wait for the results by id.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use apalis::prelude::WaitForCompletion;
use apalis::prelude::{Status, TaskBuilder, TaskId, TaskResult, TaskSink};
use apalis_redis::RedisStorage;
use apalis_sqlite::{SqlitePool, SqliteStorage};
use futures::SinkExt;

use super::{Answer, Job, QUEUE, Store};

/// How often a waiting caller asks the store for finished jobs.
pub const RESULTS_POLL: Duration = Duration::from_millis(100);

/// A queue in either store.
#[derive(Debug)]
pub enum Queue {
    Sqlite(SqliteStorage<Job>),
    Redis(RedisStorage<Job>),
}

/// One finished job as the caller sees it (RQ's `job.result`, or the
/// reason it failed).
#[derive(Debug, Clone)]
pub struct JobResult {
    pub id: TaskId,
    /// `Done`, `Failed` or `Killed`.
    pub status: Status,
    /// Which attempt finished it (more than 1 when it was run again).
    pub attempt: usize,
    pub result: Result<Answer, String>,
}

impl Queue {
    // ANCHOR: connect
    /// Open the queue; for SQLite, create the file and its tables.
    pub async fn connect(store: &Store) -> Result<Self> {
        match store {
            Store::Sqlite(path) => {
                let options = Store::sqlite_options(path);
                let pool = SqlitePool::connect_with(options)
                    .await
                    .with_context(|| format!("opening {}", path.display()))?;
                SqliteStorage::setup(&pool)
                    .await
                    .context("creating the queue's tables")?;
                let config = apalis_sqlite::Config::default().queue(QUEUE);
                Ok(Queue::Sqlite(SqliteStorage::new(&pool).with_config(config)))
            }
            Store::Redis(url) => {
                let connection =
                    super::connect::connect(url, "--broker / REDIS_URL").await?;
                let config = apalis_redis::Config::default().queue(QUEUE);
                Ok(Queue::Redis(
                    RedisStorage::new(connection).with_config(config),
                ))
            }
        }
    }
    // ANCHOR_END: connect

    // ANCHOR: enqueue
    /// Put `job` on the queue (RQ: `q.enqueue(fib, 30)`); its id comes back.
    pub async fn enqueue(&mut self, job: Job) -> Result<TaskId> {
        let id = TaskId::from_ulid(ulid::Ulid::generate());
        let task = TaskBuilder::new(job).task_id(id.clone()).build();
        match self {
            Queue::Sqlite(storage) => {
                storage.push_task(task).await.map_err(|e| anyhow!("{e}"))
            }
            Queue::Redis(storage) => {
                storage.push_task(task).await.map_err(|e| anyhow!("{e}"))
            }
        }
        .context("enqueueing a job")?;
        Ok(id)
    }
    // ANCHOR_END: enqueue

    /// Put raw bytes on the queue as a job's payload, bypassing the JSON
    /// encoding: what a buggy or hostile producer could do.
    pub async fn enqueue_raw(&mut self, payload: &[u8]) -> Result<TaskId> {
        let id = TaskId::from_ulid(ulid::Ulid::generate());
        let task = TaskBuilder::new(payload.to_vec())
            .task_id(id.clone())
            .build();
        match self {
            Queue::Sqlite(storage) => {
                storage.send(task).await.map_err(|e| anyhow!("{e}"))
            }
            Queue::Redis(storage) => {
                storage.send(task).await.map_err(|e| anyhow!("{e}"))
            }
        }
        .context("enqueueing raw bytes")?;
        Ok(id)
    }

    // ANCHOR: wait
    /// Wait until every job in `ids` has finished (done, failed or killed),
    /// polling the store; results in the order of `ids`.
    pub async fn wait(
        &mut self,
        ids: &[TaskId],
        timeout: Duration,
    ) -> Result<Vec<JobResult>> {
        let mut pending: Vec<TaskId> = ids.to_vec();
        let mut results: HashMap<String, TaskResult<Answer>> = HashMap::new();
        let collect = async {
            while !pending.is_empty() {
                for done in self.finished(&pending).await? {
                    results.insert(done.task_id.to_string(), done);
                }
                pending.retain(|id| !results.contains_key(&id.to_string()));
                if !pending.is_empty() {
                    tokio::time::sleep(RESULTS_POLL).await;
                }
            }
            anyhow::Ok(())
        };
        let in_time = tokio::time::timeout(timeout, collect).await;
        match in_time {
            Ok(collected) => collected?,
            Err(_) => bail!(
                "{} of {} jobs unfinished after {timeout:?}",
                ids.len() - results.len(),
                ids.len()
            ),
        }
        ids.iter()
            .map(|id| {
                let Some(done) = results.remove(&id.to_string()) else {
                    bail!("no result for job {id}");
                };
                Ok(JobResult {
                    id: id.clone(),
                    status: done.status,
                    attempt: done.attempt,
                    result: done.result,
                })
            })
            .collect()
    }
    // ANCHOR_END: wait

    // ANCHOR: finished
    /// The jobs among `ids` that have finished, as the store reports them.
    async fn finished(&mut self, ids: &[TaskId]) -> Result<Vec<TaskResult<Answer>>> {
        let reported = match self {
            Queue::Sqlite(storage) => {
                WaitForCompletion::<Answer>::check_status(storage, ids.to_vec())
                    .await
                    .map_err(|e| anyhow!("{e}"))
            }
            Queue::Redis(storage) => {
                WaitForCompletion::<Answer>::check_status(storage, ids.to_vec())
                    .await
                    .map_err(|e| anyhow!("{e}"))
            }
        }
        .context("reading results")?;
        // apalis-redis reads a job's status and its result with two
        // commands: a job that finishes between them comes back with its
        // result under the status it had before, `Running`. Such a job is
        // taken on the next poll, when the status has caught up.
        Ok(reported
            .into_iter()
            .filter(|r| {
                matches!(r.status, Status::Done | Status::Failed | Status::Killed)
            })
            .collect())
    }
    // ANCHOR_END: finished
}
