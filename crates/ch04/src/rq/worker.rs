//! Chapter 4 · Alternatives: Python-RQ — the worker (RQ's `rq worker`):
//! one job at a time from the queue, the result stored for the caller.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use apalis::prelude::{
    BackendExt, Event, WorkerBuilder, WorkerBuilderExt, WorkerContext, WorkerError,
};
use apalis_redis::RedisStorage;
use apalis_sqlite::{SqlitePool, SqliteStorage};
use futures::{Stream, StreamExt};

use super::job::{Delivery, LenientJson, perform};
use super::{POLL, QUEUE, Store};

/// One worker process's settings.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    pub store: Store,
    /// Unique among the live workers of a queue (RQ: `host.pid`).
    pub name: String,
    /// How often the worker says it is alive. A worker silent for two
    /// heartbeats is dead: the next live worker to beat puts its job back.
    pub heartbeat: Duration,
}

// ANCHOR: serve
/// Serve the queue until `stop` completes (then finish the job in hand).
/// Each worker fetches one job at a time (`batch_size(1)`) and runs one at
/// a time (`concurrency(1)`), as an RQ worker does; many processes make
/// the parallelism.
pub async fn serve(
    options: &WorkerOptions,
    stop: impl Future<Output = ()>,
) -> Result<()> {
    let context = WorkerContext::new(&options.name);
    let beat = options.heartbeat;
    match &options.store {
        Store::Sqlite(path) => {
            let pool = SqlitePool::connect_with(Store::sqlite_options(path))
                .await
                .with_context(|| format!("opening {}", path.display()))?;
            SqliteStorage::setup(&pool)
                .await
                .context("the queue's tables")?;
            // ANCHOR: sqlite_worker
            let config = apalis_sqlite::Config::default()
                .queue(QUEUE)
                .batch_size(1)
                .heartbeat_interval(beat)
                .missed_heartbeats(2);
            let backend = SqliteStorage::<Delivery>::new(&pool)
                .with_config(config)
                .with_codec(LenientJson)
                .poll_with_interval(POLL);
            let worker = WorkerBuilder::new(&context)
                .backend(backend)
                .concurrency(1)
                .build(perform);
            drive(worker.stream(), &context, stop).await
            // ANCHOR_END: sqlite_worker
        }
        Store::Redis(url) => {
            let connection = super::connect::connect(url, "CH04_RQ_BROKER").await?;
            let config = apalis_redis::Config::default()
                .queue(QUEUE)
                .batch_size(1)
                .heartbeat_interval(beat)
                .missed_heartbeats(2);
            let backend = RedisStorage::<Delivery>::new(connection)
                .with_config(config)
                .with_codec(LenientJson)
                .poll_with_interval(POLL);
            let worker = WorkerBuilder::new(&context)
                .backend(backend)
                .concurrency(1)
                .build(perform);
            drive(worker.stream(), &context, stop).await
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: drive
/// Run the worker's event stream: a failed job is logged and the worker
/// carries on; `stop` asks it to finish the job in hand and leave.
async fn drive(
    events: impl Stream<Item = Result<Event, WorkerError>>,
    context: &WorkerContext,
    stop: impl Future<Output = ()>,
) -> Result<()> {
    let mut events = std::pin::pin!(events);
    let mut stop = std::pin::pin!(stop);
    let mut stopping = false;
    println!("ready: {}", context.name());
    std::io::stdout().flush()?;
    loop {
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Error(e))) => tracing::warn!("a job failed: {e}"),
                Some(Ok(_)) => {}
                Some(Err(e)) => tracing::error!("the queue: {e}"),
                None if stopping => return Ok(()),
                None => bail!("worker {} lost its queue", context.name()),
            },
            () = &mut stop, if !stopping => {
                stopping = true;
                tracing::info!("stopping after the job in hand");
                if let Err(e) = context.stop() {
                    tracing::warn!("stopping: {e}");
                    return Ok(());
                }
            }
        }
    }
}
// ANCHOR_END: drive
