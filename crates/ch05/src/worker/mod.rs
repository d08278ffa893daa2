//! Chapter 5 · The cloud-ready worker: take a job, do it, store the answer;
//! on SIGTERM stop taking work, let the job in hand finish within the
//! grace period or hand it back, and exit 0.
//!
//! Its parts: [`config`] (flags and environment), [`job`] (what a job is),
//! [`queue`] (the Redis list a job is never lost from), [`health`] and
//! [`probe`] (the orchestrator's probes); this file is the serving loop.

pub mod config;
pub mod health;
pub mod job;
pub mod probe;
pub mod queue;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use redis::aio::MultiplexedConnection;
use serde::Serialize;
use tracing::{info, warn};

use crate::config::WorkerConfig;
use crate::health::Health;
use crate::job::{Job, Outcome};
use crate::queue::Keys;

/// What the worker printed on its last line (JSON): its tally.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Summary {
    pub worker: String,
    pub done: u64,
    pub handed_back: u64,
}

/// Serve jobs until `stop` completes (the binary passes SIGTERM/SIGINT).
pub async fn serve(
    config: &WorkerConfig,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<Summary> {
    let name = config.worker_name();
    let keys = Keys::new(&config.queue);
    let health = Health::new(&name);
    queue::check_credentials(&config.redis_url).await?;
    let listener = tokio::net::TcpListener::bind(config.health_addr)
        .await
        .with_context(|| format!("listening on {}", config.health_addr))?;
    let app = health::router(health.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let (draining_tx, draining) = tokio::sync::watch::channel(false);
    let on_stop = health.clone();
    tokio::spawn(async move {
        stop.await;
        info!("asked to stop: draining");
        on_stop.start_draining(); // /readyz turns 503 at once
        let _ = draining_tx.send(true);
    });
    tokio::spawn(keep_alive(config.clone(), keys.clone(), health.clone()));
    info!(worker = %name, queue = %keys.queue, "serving");
    let mut conn = None;
    if let Some(c) = connected(&mut conn, config, &health).await {
        // A worker restarted under the same name takes up where it was.
        let again = queue::hand_back(c, &keys, &name).await?;
        if again > 0 {
            info!("{again} unfinished job(s) of an earlier run back in the queue");
        }
    }
    // ANCHOR: serve
    while !health.is_draining() {
        let Some(c) = connected(&mut conn, config, &health).await else {
            continue;
        };
        match queue::take(c, &keys, &name).await {
            Ok(Some(raw)) => {
                handle(c, &keys, config, &health, &raw, &draining).await
            }
            Ok(None) => {} // nothing for a second: look again
            Err(err) => {
                warn!("{err:#}");
                health.set_broker(false);
                conn = None;
            }
        }
    }
    if let Some(c) = connected(&mut conn, config, &health).await {
        health.handed_back(queue::hand_back(c, &keys, &name).await?);
        let _ = redis::cmd("DEL").arg(keys.alive(&name)).exec_async(c).await;
    }
    // ANCHOR_END: serve
    let status = health.status();
    Ok(Summary {
        worker: name,
        done: status.done,
        handed_back: status.handed_back,
    })
}

/// Do one job. If SIGTERM comes meanwhile, the job gets the grace period
/// to finish; past it, it goes back to the queue for another worker.
async fn handle(
    conn: &mut MultiplexedConnection,
    keys: &Keys,
    config: &WorkerConfig,
    health: &Health,
    raw: &str,
    draining: &tokio::sync::watch::Receiver<bool>,
) {
    let name = &health.worker;
    let job = match Job::parse(raw) {
        Ok(job) => job,
        Err(err) => {
            warn!("{err:#}; set aside in {}", keys.dead());
            let _ = queue::bury(conn, keys, name, raw).await;
            return;
        }
    };
    // ANCHOR: handle
    health.set_current(Some(&job.id));
    let mut draining = draining.clone();
    let work = job.run();
    tokio::pin!(work);
    let answer = tokio::select! {
        answer = &mut work => Some(answer),
        _ = draining.wait_for(|d| *d) => {
            info!(job = %job.id, "stopping: {:?} to finish", config.grace_seconds);
            tokio::time::timeout(config.grace_seconds, &mut work).await.ok()
        }
    };
    health.set_current(None);
    let stored = match answer {
        Some(Ok(answer)) => {
            let outcome = Outcome {
                id: job.id.clone(),
                n: job.n,
                answer,
                worker: name.clone(),
            };
            let json = serde_json::to_string(&outcome).unwrap_or_default();
            let done = queue::complete(conn, keys, name, raw, &job.id, &json).await;
            done.map(|()| health.finished())
        }
        Some(Err(err)) => Err(err),
        None => queue::hand_back(conn, keys, name).await.map(|count| {
            info!(job = %job.id, "handed back");
            health.handed_back(count);
        }),
    };
    // ANCHOR_END: handle
    if let Err(err) = stored {
        // The job stays in our processing list: it goes back to the queue
        // when this worker restarts or its heartbeat lapses.
        warn!(job = %job.id, "{err:#}");
    }
}

/// The work connection, (re)connecting after a pause if it was lost.
async fn connected<'a>(
    conn: &'a mut Option<MultiplexedConnection>,
    config: &WorkerConfig,
    health: &Health,
) -> Option<&'a mut MultiplexedConnection> {
    if conn.is_none() {
        let keys = Keys::new(&config.queue);
        let (name, ttl) = (&health.worker, config.heartbeat_seconds);
        let fresh = match queue::connect(&config.redis_url).await {
            // Alive before taking any job, so no reaper takes ours.
            Ok(mut c) => {
                queue::heartbeat(&mut c, &keys, name, ttl).await.map(|()| c)
            }
            Err(err) => Err(err),
        };
        match fresh {
            Ok(c) => *conn = Some(c),
            Err(err) => {
                warn!("{err:#}");
                health.set_broker(false);
                tokio::time::sleep(Duration::from_millis(500)).await;
                return None;
            }
        }
    }
    conn.as_mut()
}

/// Twice a second: PING the broker (readiness follows it), refresh the
/// heartbeat, and now and then hand back the jobs of dead workers.
async fn keep_alive(config: WorkerConfig, keys: Keys, health: Arc<Health>) {
    let name = health.worker.clone();
    let ttl = config.heartbeat_seconds;
    let mut conn = None;
    for tick in 0u64.. {
        if let Some(c) = connected(&mut conn, &config, &health).await {
            let ping = redis::cmd("PING").query_async::<String>(c).await;
            let beat = queue::heartbeat(c, &keys, &name, ttl).await;
            let ok = ping.is_ok() && beat.is_ok();
            health.set_broker(ok);
            if !ok {
                conn = None;
            } else if tick % (ttl * 2) == 0 {
                match queue::reap_dead(c, &keys).await {
                    Ok(reaped) if !reaped.is_empty() => info!("reaped {reaped:?}"),
                    Ok(_) => {}
                    Err(err) => warn!("{err:#}"),
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

// ANCHOR: signals
/// Completes on SIGTERM (what `docker stop` and Kubernetes send) or Ctrl-C.
pub async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        Err(err) => {
            tracing::warn!("cannot listen for SIGTERM ({err}); Ctrl-C only");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
// ANCHOR_END: signals
