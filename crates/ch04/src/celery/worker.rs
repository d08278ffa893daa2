//! Chapter 4 · A worker: the `celery` crate's consumer loop on our broker
//! and backend, with every task of the chapter registered.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use celery::CeleryBuilder;
use celery::broker::Broker;
use workbench::redact::Redacted;

use crate::celery::amqp;
use crate::celery::backend::PublishingBackend;
use crate::celery::broker::{Acks, BrokerOptions, ReliableRedisBroker};
use crate::celery::chain::broker::Follow;
use crate::celery::chain::follow::Chains;
use crate::celery::chain::next::NextLink;
use crate::celery::connection::connect;
use crate::celery::events::control::WorkerInfo;
use crate::celery::events::start::Seen;
use crate::celery::events::wrap::{Watch, WatchedBackend};
use crate::celery::layer::Layered;
use crate::tasks;

/// What a worker process is told on its command line. Its `Debug` hides
/// the URLs' passwords.
#[derive(Clone)]
pub struct WorkerConfig {
    /// `redis://...` (the broker, and the result backend too) or
    /// `amqp://...` (RabbitMQ; then `backend` names the Redis for results).
    pub broker: String,
    /// The Redis result backend, when it is not the broker.
    pub backend: Option<String>,
    /// Tasks run at once.
    pub concurrency: u16,
    /// The queue to consume.
    pub queue: String,
    /// See [`BrokerOptions::visibility_timeout`].
    pub visibility_timeout: Duration,
    /// The exchange-rate service for the `rate` task.
    pub rates: Option<String>,
    /// After SIGTERM (or Ctrl-C), how long running tasks may go on before
    /// their messages are handed back and the worker exits.
    pub grace: Duration,
    /// Publish Celery's events and answer its remote control (`-E`).
    pub events: bool,
    /// Serve Prometheus metrics on this loopback port.
    pub metrics_port: Option<u16>,
}

impl std::fmt::Debug for WorkerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerConfig")
            .field("broker", &Redacted(&self.broker))
            .field("backend", &self.backend.as_deref().map(Redacted))
            .field("concurrency", &self.concurrency)
            .field("queue", &self.queue)
            .field("visibility_timeout", &self.visibility_timeout)
            .field("rates", &self.rates.as_deref().map(Redacted))
            .field("grace", &self.grace)
            .field("events", &self.events)
            .field("metrics_port", &self.metrics_port)
            .finish()
    }
}

/// The default [`WorkerConfig::grace`]: shorter than the launcher's wait
/// before SIGKILL, so workers it stops hand their tasks back themselves.
pub const GRACE: Duration = Duration::from_secs(4);

/// What the crate's builder is given for the broker it makes and we
/// replace: a plain `redis://` URL it accepts (it panics on `rediss://`),
/// never connected to, with no password in it.
const UNUSED_BROKER: &str = "redis://127.0.0.1:1/0";

impl WorkerConfig {
    pub fn new(broker: &str) -> Self {
        WorkerConfig {
            broker: broker.to_owned(),
            backend: None,
            concurrency: 1,
            queue: "celery".into(),
            visibility_timeout: Duration::from_secs(3600),
            rates: None,
            grace: GRACE,
            events: false,
            metrics_port: None,
        }
    }
}

// ANCHOR: worker
/// Serve tasks until SIGTERM or SIGINT, then finish the tasks in hand
/// within the grace period, give back every message still held (running
/// or not), and return.
pub async fn serve(config: &WorkerConfig) -> Result<()> {
    if let Some(url) = &config.rates {
        tasks::set_rates_url(url);
    }
    // ANCHOR: worker_app
    let backend = config.backend.as_deref().unwrap_or(&config.broker);
    let (broker, acks) = broker(config).await?;
    let chains = Chains::new(&config.queue); // see "Chains" below
    let broker = Layered::wrap(broker, Follow(chains.clone()));
    let hostname = format!("ch04-{}@localhost", std::process::id());
    let mut seen = Seen::new(config, &hostname).await?;
    // Watching reads every message again: only when someone looks.
    let watch = Watch(seen.monitor.clone());
    let broker: Box<dyn Broker> = match seen.watching() {
        true => Box::new(Layered::wrap(Box::new(broker), watch)),
        false => Box::new(broker),
    };
    let (_, results) = connect(backend).await?;
    let mut results = PublishingBackend::new(results)
        .follow_chains(chains, next_link(config, backend).await?);
    if let Some(acks) = acks.filter(|_| backend == config.broker) {
        results = results.acknowledge(acks); // result + ack: one round trip
    }
    // The crate picks a broker from the URL; ours replaces it below, so
    // the (lazily connecting) Redis one it makes here is never used.
    let mut app = CeleryBuilder::new("ch04", UNUSED_BROKER)
        .hostname(&hostname)
        .broker_connection_retry_delay(amqp::RETRY_DELAY.as_secs() as u32)
        .broker_connection_max_retries(amqp::MAX_RETRIES)
        .default_queue(&config.queue)
        .acks_late(true) // a message is acknowledged once its result is stored
        .task_max_retries(0) // errors are final unless a task asks to retry
        .result_backend(WatchedBackend::new(results, seen.monitor.clone()))
        .build()
        .await
        .context("building the Celery app")?;
    app.broker = broker; // ours, not the crate's polling one
    // ANCHOR_END: worker_app
    app.register_task::<tasks::echo>().await?;
    app.register_task::<tasks::rate>().await?;
    app.register_task::<tasks::fib>().await?;
    app.register_task::<tasks::sort>().await?;
    app.register_task::<tasks::fail>().await?;
    app.register_task::<tasks::nap>().await?;
    let app = Arc::new(app);
    let stopping = stop_signal(config.grace)?;
    seen.online(worker_info(config)).await?; // with -E: online, heartbeats
    tracing::info!("worker {hostname} consuming {}", config.queue);
    println!("ready: {hostname}");
    let queues = [config.queue.as_str()];
    let consumed = tokio::select! {
        consumed = app.consume_from(&queues) => consumed,
        () = stopping => Ok(()), // the grace period is over
    };
    let closed = app.close().await; // hands back every message still held
    seen.offline().await;
    closed?;
    consumed?;
    tracing::info!("worker {hostname} stopped");
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: grace
/// Ends `grace` after the first SIGTERM or SIGINT. (The crate's loop hears
/// the same signal and stops taking messages; left alone, it would wait
/// for the running tasks without limit.)
fn stop_signal(grace: Duration) -> Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).context("SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("SIGINT handler")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
        tokio::time::sleep(grace).await;
        tracing::warn!("tasks still running after {grace:?}: handing them back");
    })
}
// ANCHOR_END: grace

/// What the remote control's `stats`, `registered`, `active_queues` say.
fn worker_info(config: &WorkerConfig) -> WorkerInfo {
    use celery::task::Task;
    let tasks = [
        tasks::echo::NAME,
        tasks::rate::NAME,
        tasks::fib::NAME,
        tasks::sort::NAME,
        tasks::fail::NAME,
        tasks::nap::NAME,
    ];
    WorkerInfo {
        queue: config.queue.clone(),
        concurrency: config.concurrency,
        tasks: tasks.map(str::to_owned).to_vec(),
    }
}

/// A chain's next link goes into the results' Redis when that is the
/// broker too, else through a connection of its own to the broker.
async fn next_link(config: &WorkerConfig, backend: &str) -> Result<NextLink> {
    if backend == config.broker {
        return Ok(NextLink::SameRedis);
    }
    Ok(NextLink::Broker(broker(config).await?.0.into()))
}

/// The reliable Redis broker (with its messages in hand), or RabbitMQ
/// through the crate's AMQP broker.
async fn broker(config: &WorkerConfig) -> Result<(Box<dyn Broker>, Option<Acks>)> {
    if config.broker.starts_with("amqp") {
        anyhow::ensure!(
            config.backend.is_some(),
            "an AMQP broker needs a Redis result backend (--backend redis://...)"
        );
        let broker =
            amqp::connect(&config.broker, &config.queue, config.concurrency).await?;
        return Ok((broker, None));
    }
    let options = BrokerOptions {
        prefetch: config.concurrency,
        visibility_timeout: config.visibility_timeout,
    };
    let broker = ReliableRedisBroker::connect(&config.broker, options).await?;
    let acks = broker.acks();
    Ok((Box::new(broker), Some(acks)))
}
