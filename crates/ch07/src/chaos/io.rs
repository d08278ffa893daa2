//! Chapter 7 · Fault injection on the real services: the chaos run's
//! plumbing — Celery messages onto Redis, results off it, the broker's
//! process paused and resumed, worker processes started and killed.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use futures::StreamExt;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use redis::AsyncConnectionConfig;
use redis::aio::MultiplexedConnection;
use serde_json::{Value, json};
use tokio::time::Instant;

/// Every call to Redis has this deadline: longer than any pause the run
/// applies, so a paused broker delays a call and does not fail it.
const DEADLINE: Duration = Duration::from_secs(10);

// ANCHOR: message
/// A Celery protocol 2 message for `fib(n)`, as the Redis transport
/// queues it: the body `[args, kwargs, embed]`, base64, in an envelope.
pub fn fib_message(id: &str, n: u32) -> Result<String> {
    let embed = json!({"callbacks": null, "errbacks": null,
                       "chain": null, "chord": null});
    let body = serde_json::to_vec(&json!([[n], {}, embed]))?;
    let envelope = json!({
        "body": base64::engine::general_purpose::STANDARD.encode(body),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": {"id": id, "task": "fib", "lang": "py", "root_id": id,
                    "retries": 0, "timelimit": [null, null]},
        "properties": {"correlation_id": id, "body_encoding": "base64",
                       "delivery_tag": id, "delivery_mode": 2,
                       "delivery_info": {"exchange": "", "routing_key": "celery"}},
    });
    Ok(envelope.to_string())
}
// ANCHOR_END: message

/// The broker as the client sees it: a connection and the server's pid.
#[derive(Clone, Debug)]
pub struct Broker {
    client: redis::Client,
    conn: MultiplexedConnection,
    pid: Pid,
}

/// One result published by a worker: the task and when it was heard.
#[derive(Debug, Clone)]
pub struct Publication {
    pub id: String,
    pub at_s: f64,
}

impl Broker {
    pub async fn connect(url: &str) -> Result<Self> {
        let client = redis::Client::open(url).context("a Redis URL")?;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(DEADLINE)
            .set_response_timeout(DEADLINE);
        let mut conn = client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .context("connecting to the broker")?;
        let info: String = redis::cmd("INFO")
            .arg("server")
            .query_async(&mut conn)
            .await?;
        let pid = info
            .lines()
            .find_map(|l| l.strip_prefix("process_id:"))
            .and_then(|p| p.trim().parse().ok())
            .context("INFO server names no process_id")?;
        Ok(Broker {
            client,
            conn,
            pid: Pid::from_raw(pid),
        })
    }

    /// Queue `messages` on the `celery` list in one round trip.
    pub async fn push(&self, messages: &[String]) -> Result<()> {
        if messages.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn.clone();
        let mut pipe = redis::pipe();
        for message in messages {
            pipe.lpush("celery", message).ignore();
        }
        pipe.query_async::<()>(&mut conn)
            .await
            .context("queueing tasks")
    }

    /// Stop the broker's process (SIGSTOP): connections stay open, nothing
    /// is answered.
    pub fn pause(&self) -> Result<()> {
        kill(self.pid, Signal::SIGSTOP).context("SIGSTOP to redis-server")
    }

    pub fn resume(&self) -> Result<()> {
        kill(self.pid, Signal::SIGCONT).context("SIGCONT to redis-server")
    }

    /// The stored `fib` result of each task (`None`: missing or failed).
    pub async fn results(&self, ids: &[String]) -> Result<Vec<Option<u64>>> {
        let mut conn = self.conn.clone();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let keys: Vec<String> = chunk
                .iter()
                .map(|id| format!("celery-task-meta-{id}"))
                .collect();
            let docs: Vec<Option<String>> =
                redis::cmd("MGET").arg(&keys).query_async(&mut conn).await?;
            out.extend(docs.into_iter().map(|doc| success(doc.as_deref())));
        }
        Ok(out)
    }

    /// Subscribe to every task's result channel; the publications heard
    /// from `start` on gather in the returned list until it is dropped.
    pub async fn listen(&self, start: Instant) -> Result<Heard> {
        let subscribe = async {
            let mut pubsub = self.client.get_async_pubsub().await?;
            pubsub.psubscribe("celery-task-meta-*").await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        let pubsub = tokio::time::timeout(DEADLINE, subscribe)
            .await
            .context("subscribing to the results took too long")??;
        let heard = Arc::new(Mutex::new(Vec::new()));
        let list = Arc::clone(&heard);
        let task = tokio::spawn(async move {
            let mut messages = pubsub.into_on_message();
            while let Some(message) = messages.next().await {
                let payload: String = message.get_payload().unwrap_or_default();
                let channel = message.get_channel_name();
                if let (Some(id), Some(_)) = (
                    channel.strip_prefix("celery-task-meta-"),
                    success(Some(&payload)),
                ) {
                    let at_s = start.elapsed().as_secs_f64();
                    let publication = Publication {
                        id: id.to_owned(),
                        at_s,
                    };
                    lock(&list).push(publication);
                }
            }
        });
        Ok(Heard { heard, task })
    }
}

/// A result document's value when its status is SUCCESS.
fn success(doc: Option<&str>) -> Option<u64> {
    let doc: Value = serde_json::from_str(doc?).ok()?;
    (doc["status"] == "SUCCESS").then(|| doc["result"].as_u64())?
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Results heard so far; dropping it unsubscribes.
#[derive(Debug)]
pub struct Heard {
    heard: Arc<Mutex<Vec<Publication>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Heard {
    /// Wait until `tasks` distinct tasks were heard of, or `deadline`;
    /// everything heard.
    pub async fn wait_for(
        self,
        tasks: usize,
        deadline: Instant,
    ) -> Vec<Publication> {
        loop {
            let distinct = {
                let heard = lock(&self.heard);
                let ids: std::collections::HashSet<&str> =
                    heard.iter().map(|p| p.id.as_str()).collect();
                ids.len()
            };
            if distinct >= tasks || Instant::now() >= deadline {
                // Late duplicates (a restored message run again) still count.
                tokio::time::sleep(Duration::from_millis(300)).await;
                return lock(&self.heard).clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Heard {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Chapter 4's worker processes on one broker URL (given by environment,
/// not argv); dropping them kills them. Its `Debug` hides the URL's
/// password.
pub struct Workers {
    program: PathBuf,
    url: String,
    log_dir: PathBuf,
    children: Vec<Child>,
}

impl std::fmt::Debug for Workers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workers")
            .field("program", &self.program)
            .field("url", &workbench::redact::Redacted(&self.url))
            .field("log_dir", &self.log_dir)
            .field("children", &self.children)
            .finish()
    }
}

impl Workers {
    pub fn new(program: &Path, url: &str, log_dir: &Path) -> Self {
        Workers {
            program: program.to_owned(),
            url: url.to_owned(),
            log_dir: log_dir.to_owned(),
            children: Vec::new(),
        }
    }

    /// Start `count` more workers; a lost message comes back after 2 s.
    /// Each dies with the thread that started it (`--exit-with-parent`).
    pub fn start(&mut self, count: usize, concurrency: u16) -> Result<()> {
        std::fs::create_dir_all(&self.log_dir)
            .with_context(|| format!("creating {}", self.log_dir.display()))?;
        for _ in 0..count {
            let name = format!("worker-{}.log", self.children.len());
            let log = File::create(self.log_dir.join(name))?;
            let child = Command::new(&self.program)
                .env("REDIS_URL", &self.url)
                .args(["--concurrency", &concurrency.to_string()])
                .args(["--visibility-timeout", "2", "--exit-with-parent"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .with_context(|| format!("starting {}", self.program.display()))?;
            self.children.push(child);
        }
        Ok(())
    }

    /// SIGKILL worker `index`, as a crash would.
    pub fn kill(&mut self, index: usize) -> Result<()> {
        let Some(child) = self.children.get_mut(index) else {
            bail!("no worker {index}");
        };
        child.kill().context("killing a worker")?;
        child.wait().context("reaping a worker")?;
        Ok(())
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
