//! Chapter 4 · What a worker's tasks go through, seen from outside the
//! `celery` crate's loop: its broker and its result backend, each wrapped.
//!
//! The loop asks the broker for a message (received), stores STARTED in
//! the backend (started), stores the outcome, then either asks the broker
//! to retry the message (retried) or acknowledges it (succeeded, failed).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use celery::backend::{TaskMeta, TaskState};
use celery::broker::Delivery;
use celery::protocol::Message;
use serde_json::{Value, json};

use super::Events;
use super::metrics::Metrics;

/// The tasks of one worker, as its monitors see them.
#[derive(Debug, Clone, Default)]
pub struct Monitor {
    events: Option<Events>,
    metrics: Option<Metrics>,
    tally: Arc<Mutex<Tally>>,
}

/// Counts kept for heartbeats, `stats` and metrics.
#[derive(Debug, Default)]
pub struct Tally {
    /// By task id: a retried task's new message may come before the old
    /// one is acknowledged, so one id can have two deliveries in hand.
    running: HashMap<String, Vec<Running>>,
    /// Tasks finished (succeeded, failed or handed back for a retry).
    pub processed: u64,
    /// Messages received, by task name.
    pub total: BTreeMap<String, u64>,
}

#[derive(Debug)]
struct Running {
    name: String,
    retries: u32,
    started: Option<Instant>,
    outcome: Option<Outcome>,
}

#[derive(Debug)]
enum Outcome {
    Succeeded {
        result: String,
        runtime: f64,
    },
    Failed {
        exception: String,
        traceback: String,
    },
    Retried,
}

impl Monitor {
    /// A monitor that publishes Celery events through `events`, if given.
    pub fn new(events: Option<Events>) -> Self {
        Monitor {
            events,
            metrics: None,
            tally: Arc::default(),
        }
    }

    /// Also count tasks in `metrics`.
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = Some(metrics);
        self
    }

    fn count(&self, task: &str, state: &str) {
        if let Some(metrics) = &self.metrics {
            metrics.count(task, state);
        }
    }

    pub fn tally(&self) -> MutexGuard<'_, Tally> {
        self.tally
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Tasks started and not yet settled.
    pub fn active(&self) -> usize {
        let tally = self.tally();
        let all = tally.running.values().flatten();
        all.filter(|r| r.started.is_some() && r.outcome.is_none())
            .count()
    }

    fn send(&self, kind: &str, fields: Value) {
        if let Some(events) = &self.events {
            events.send(kind, fields);
        }
    }

    /// The broker handed the worker `delivery`.
    pub fn received(&self, delivery: &dyn Delivery) {
        let Ok(message) = delivery.try_deserialize_message() else {
            return; // the loop rejects it; nothing to show
        };
        let headers = &message.headers;
        {
            let mut tally = self.tally();
            *tally.total.entry(headers.task.clone()).or_default() += 1;
            let running = Running {
                name: headers.task.clone(),
                retries: headers.retries.unwrap_or(0),
                started: None,
                outcome: None,
            };
            tally
                .running
                .entry(headers.id.clone())
                .or_default()
                .push(running);
        }
        self.count(&headers.task, "received");
        let retries = headers.retries.unwrap_or(0);
        crate::traced::step(
            "task-received",
            &headers.id,
            json!({ "retries": retries }),
        );
        // ANCHOR: received
        let (args, kwargs) = arguments(&message);
        self.send(
            "task-received",
            json!({
                "uuid": headers.id,
                "name": headers.task,
                "args": args,
                "kwargs": kwargs,
                "root_id": headers.root_id.as_ref().unwrap_or(&headers.id),
                "parent_id": headers.parent_id,
                "retries": headers.retries.unwrap_or(0),
                "eta": headers.eta.map(|t| t.to_rfc3339()),
                "expires": headers.expires.map(|t| t.to_rfc3339()),
            }),
        );
        // ANCHOR_END: received
    }

    /// The backend was asked to store `meta`.
    pub fn stored(&self, meta: &TaskMeta) {
        let id = &meta.task_id;
        let outcome = match meta.status {
            TaskState::Started => {
                let mut tally = self.tally();
                let waiting = tally.running.get_mut(id).into_iter().flatten();
                if let Some(running) =
                    waiting.into_iter().find(|r| r.started.is_none())
                {
                    running.started = Some(Instant::now());
                    let name = running.name.clone();
                    drop(tally);
                    self.count(&name, "started");
                    crate::traced::step("task-started", id, json!({}));
                }
                self.send("task-started", json!({ "uuid": id }));
                return;
            }
            TaskState::Success => Outcome::Succeeded {
                result: meta.result.as_ref().unwrap_or(&Value::Null).to_string(),
                runtime: 0.0,
            },
            TaskState::Failure | TaskState::Retry => Outcome::Failed {
                exception: exception(meta),
                traceback: meta.traceback.clone().unwrap_or_default(),
            },
            _ => return,
        };
        let mut tally = self.tally();
        let ran = tally.running.get_mut(id).into_iter().flatten();
        let ran = ran
            .into_iter()
            .find(|r| r.started.is_some() && r.outcome.is_none());
        if let Some(running) = ran {
            let runtime = running.started.map_or(0.0, |t| t.elapsed().as_secs_f64());
            running.outcome = Some(match outcome {
                Outcome::Succeeded { result, .. } => {
                    Outcome::Succeeded { result, runtime }
                }
                other => other,
            });
        }
    }

    /// The loop handed task `id`'s message (its `retries`th) back for a
    /// retry.
    pub fn retried(&self, id: &str, retries: u32) {
        let mut tally = self.tally();
        let held = tally.running.get_mut(id).into_iter().flatten();
        let failed =
            held.into_iter()
                .find(|r| r.retries == retries)
                .and_then(|running| {
                    match running.outcome.replace(Outcome::Retried) {
                        Some(Outcome::Failed {
                            exception,
                            traceback,
                        }) => Some((exception, traceback)),
                        _ => None,
                    }
                });
        drop(tally);
        let (exception, traceback) = failed.unwrap_or_default();
        crate::traced::step("task-retried", id, json!({ "exception": exception }));
        self.send(
            "task-retried",
            json!({"uuid": id, "exception": exception, "traceback": traceback}),
        );
    }

    /// The loop acknowledged task `id`'s message: its outcome is final.
    /// Returns the outcome's state and run time, for metrics.
    pub fn settled(&self, id: &str, retries: u32) -> Option<(&'static str, f64)> {
        let running = {
            let mut tally = self.tally();
            let held = tally.running.get_mut(id)?;
            let at = held.iter().position(|r| r.retries == retries)?;
            let running = held.remove(at);
            if held.is_empty() {
                tally.running.remove(id);
            }
            tally.processed += 1;
            running
        };
        let ran = running.started.map_or(0.0, |t| t.elapsed().as_secs_f64());
        let (state, seconds) = match running.outcome? {
            Outcome::Succeeded { result, runtime } => {
                let fields =
                    json!({"uuid": id, "result": result, "runtime": runtime});
                self.send("task-succeeded", fields);
                ("succeeded", runtime)
            }
            Outcome::Failed {
                exception,
                traceback,
            } => {
                let fields = json!({"uuid": id, "exception": exception, "traceback": traceback});
                self.send("task-failed", fields);
                ("failed", ran)
            }
            Outcome::Retried => ("retried", ran),
        };
        self.count(&running.name, state);
        if state != "retried" {
            crate::traced::step(&format!("task-{state}"), id, json!({}));
            crate::traced::forget(id); // (a retry's new message holds it)
        }
        if let Some(metrics) = &self.metrics {
            metrics.ran(&running.name, state, seconds);
        }
        Some((state, seconds))
    }
}

/// A message's positional and keyword arguments, as text (Celery sends
/// Python's `repr`; this is their JSON).
fn arguments(message: &Message) -> (String, String) {
    let body: Value =
        serde_json::from_slice(&message.raw_body).unwrap_or(Value::Null);
    let args = body.get(0).cloned().unwrap_or_else(|| json!([]));
    let kwargs = body.get(1).cloned().unwrap_or_else(|| json!({}));
    (args.to_string(), kwargs.to_string())
}

/// A failure as Python's `repr` of its exception: `ExpectedError('why')`.
fn exception(meta: &TaskMeta) -> String {
    if meta.status == TaskState::Retry {
        // Celery's own `Retry` exception, as its task-retried events show.
        return match meta.eta {
            Some(eta) => format!("Retry('Retry at {}')", eta.to_rfc3339()),
            None => "Retry('Retry now')".into(),
        };
    }
    let python = crate::celery::meta::to_python(meta);
    let kind = python["result"]["exc_type"]
        .as_str()
        .unwrap_or("RuntimeError");
    let message = python["result"]["exc_message"][0].as_str().unwrap_or("");
    format!("{kind}('{message}')")
}
