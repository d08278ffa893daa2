//! Chapter 5 · Health endpoints: what an orchestrator asks a worker.
//! `/healthz` (liveness): is the process working at all? `/readyz`
//! (readiness): should it be given work now? Not while it drains after
//! SIGTERM, and not while it cannot reach its broker.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde::Serialize;

/// The liveness endpoint's path (the deployment files' probes use it).
pub const LIVE_PATH: &str = "/healthz";
/// The readiness endpoint's path.
pub const READY_PATH: &str = "/readyz";

/// What the worker loop reports and the endpoints read.
#[derive(Debug, Default)]
pub struct Health {
    pub worker: String,
    draining: AtomicBool,
    broker_ok: AtomicBool,
    done: AtomicU64,
    handed_back: AtomicU64,
    current: Mutex<Option<String>>,
}

/// The JSON both endpoints answer with.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Status {
    pub worker: String,
    pub ready: bool,
    pub draining: bool,
    pub broker: bool,
    pub done: u64,
    pub handed_back: u64,
    pub current: Option<String>,
}

impl Health {
    pub fn new(worker: &str) -> Arc<Self> {
        Arc::new(Health {
            worker: worker.to_owned(),
            ..Health::default()
        })
    }
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
    pub fn set_broker(&self, reachable: bool) {
        self.broker_ok.store(reachable, Ordering::SeqCst);
    }
    pub fn set_current(&self, job: Option<&str>) {
        if let Ok(mut current) = self.current.lock() {
            *current = job.map(str::to_owned);
        }
    }
    pub fn finished(&self) {
        self.done.fetch_add(1, Ordering::SeqCst);
    }
    pub fn handed_back(&self, count: usize) {
        self.handed_back.fetch_add(count as u64, Ordering::SeqCst);
    }

    // ANCHOR: ready
    /// Ready = not draining and the broker answered its last PING.
    pub fn status(&self) -> Status {
        let draining = self.is_draining();
        let broker = self.broker_ok.load(Ordering::SeqCst);
        Status {
            worker: self.worker.clone(),
            ready: broker && !draining,
            draining,
            broker,
            done: self.done.load(Ordering::SeqCst),
            handed_back: self.handed_back.load(Ordering::SeqCst),
            current: self.current.lock().ok().and_then(|c| c.clone()),
        }
    }
}

/// `/healthz` answers 200 while the process serves at all; `/readyz`
/// answers 503 when the worker should get no work (the body says why).
pub fn router(health: Arc<Health>) -> Router {
    Router::new()
        .route(LIVE_PATH, get(live))
        .route(READY_PATH, get(ready))
        .with_state(health)
}

async fn live(State(health): State<Arc<Health>>) -> Json<Status> {
    Json(health.status())
}

async fn ready(State(health): State<Arc<Health>>) -> (StatusCode, Json<Status>) {
    let status = health.status();
    let code = if status.ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(status))
}
// ANCHOR_END: ready

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_needs_the_broker_and_no_draining() {
        let health = Health::new("w");
        assert!(
            !health.status().ready,
            "not ready before the broker answers"
        );
        health.set_broker(true);
        assert!(health.status().ready);
        health.set_current(Some("fib-3"));
        assert_eq!(health.status().current.as_deref(), Some("fib-3"));
        health.start_draining();
        let status = health.status();
        assert!(!status.ready && status.draining && status.broker);
    }
}
