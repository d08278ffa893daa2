//! Chapter 5 · The reliable queue on Redis: a job is never only in a
//! worker's memory. BLMOVE moves it atomically from the queue to the
//! worker's own processing list; it leaves that list only together with
//! its result (or when it is handed back).

use std::time::Duration;

use anyhow::{Context, Result};
use redis::aio::MultiplexedConnection;
use workbench::redact;

/// The Redis keys of one queue (the names derive from the queue's).
#[derive(Debug, Clone)]
pub struct Keys {
    pub queue: String,
}

impl Keys {
    pub fn new(queue: &str) -> Self {
        Keys {
            queue: queue.to_owned(),
        }
    }
    /// The jobs `worker` has taken and not finished.
    pub fn processing(&self, worker: &str) -> String {
        format!("{}:processing:{worker}", self.queue)
    }
    /// job id -> outcome (JSON).
    pub fn results(&self) -> String {
        format!("{}:results", self.queue)
    }
    /// Exists while `worker` is alive (it expires unless refreshed).
    pub fn alive(&self, worker: &str) -> String {
        format!("{}:alive:{worker}", self.queue)
    }
    /// Jobs that could not be read.
    pub fn dead(&self) -> String {
        format!("{}:dead", self.queue)
    }
}

/// `key` as a Redis glob pattern that matches only itself: a queue named
/// `jobs*` must not match the keys of every queue starting with `jobs`.
pub fn glob_escape(key: &str) -> String {
    let mut pattern = String::with_capacity(key.len());
    for c in key.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern
}

/// A connection with timeouts, so an unreachable broker is an error in
/// seconds rather than a hang.
pub async fn connect(url: &str) -> Result<MultiplexedConnection> {
    let client = redis::Client::open(url)
        .with_context(|| format!("bad URL {}", redact::url(url)))?;
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(Duration::from_secs(2))
        .set_response_timeout(Duration::from_secs(5));
    let connected = client
        .get_multiplexed_async_connection_with_config(&config)
        .await;
    connected.map_err(|err| match refused(url, &err) {
        Some(refused) => anyhow::anyhow!(refused),
        None => anyhow::Error::new(err)
            .context(format!("connecting to {}", redact::url(url))),
    })
}

/// The error for a broker that refused the credentials (`WRONGPASS`,
/// `NOAUTH`), naming it by its redacted URL; `None` for any other error.
pub fn refused(url: &str, err: &redis::RedisError) -> Option<String> {
    let said = format!("{err} {:?}", err.kind());
    redact::refused_credentials("Redis", url, &said, "REDIS_URL")
}

// ANCHOR: check_credentials
/// Connect once: a broker that refuses the credentials is an error at
/// once (retrying will not change its answer); any other failure (a
/// broker not up yet) is left to the worker's reconnecting loop.
pub async fn check_credentials(url: &str) -> Result<()> {
    match connect(url).await {
        Err(err) if err.to_string().contains("refused the credentials") => Err(err),
        _ => Ok(()),
    }
}
// ANCHOR_END: check_credentials

// ANCHOR: take
/// Wait up to a second for a job and move it, in one atomic step, from the
/// queue's tail to the head of this worker's processing list.
pub async fn take(
    conn: &mut MultiplexedConnection,
    keys: &Keys,
    worker: &str,
) -> Result<Option<String>> {
    let job: Option<String> = redis::cmd("BLMOVE")
        .arg(&keys.queue)
        .arg(keys.processing(worker))
        .arg("RIGHT")
        .arg("LEFT")
        .arg(1.0)
        .query_async(conn)
        .await
        .context("BLMOVE from the queue")?;
    Ok(job)
}

/// Store the outcome and drop the job from the processing list, both or
/// neither (MULTI/EXEC).
pub async fn complete(
    conn: &mut MultiplexedConnection,
    keys: &Keys,
    worker: &str,
    raw: &str,
    id: &str,
    outcome: &str,
) -> Result<()> {
    redis::pipe()
        .atomic()
        .hset(keys.results(), id, outcome)
        .lrem(keys.processing(worker), 1, raw)
        .query_async::<()>(conn)
        .await
        .context("storing an outcome")
}
// ANCHOR_END: take

/// Give every job of `worker`'s processing list back to the queue, at the
/// end that is served next. Returns how many went back.
pub async fn hand_back(
    conn: &mut MultiplexedConnection,
    keys: &Keys,
    worker: &str,
) -> Result<usize> {
    let mut count = 0;
    loop {
        let moved: Option<String> = redis::cmd("LMOVE")
            .arg(keys.processing(worker))
            .arg(&keys.queue)
            .arg("LEFT")
            .arg("RIGHT")
            .query_async(conn)
            .await
            .context("LMOVE back to the queue")?;
        match moved {
            Some(_) => count += 1,
            None => return Ok(count),
        }
    }
}

/// Set aside a job that cannot be read, so it is neither lost nor retried.
pub async fn bury(
    conn: &mut MultiplexedConnection,
    keys: &Keys,
    worker: &str,
    raw: &str,
) -> Result<()> {
    redis::pipe()
        .atomic()
        .lpush(keys.dead(), raw)
        .lrem(keys.processing(worker), 1, raw)
        .query_async::<()>(conn)
        .await
        .context("moving a malformed job to the dead list")
}

/// Say this worker is alive for the next `ttl_s` seconds.
pub async fn heartbeat(
    conn: &mut MultiplexedConnection,
    keys: &Keys,
    worker: &str,
    ttl_s: u64,
) -> Result<()> {
    redis::cmd("SET")
        .arg(keys.alive(worker))
        .arg(1)
        .arg("EX")
        .arg(ttl_s)
        .query_async::<()>(conn)
        .await
        .context("refreshing the heartbeat")
}

// ANCHOR: reap
/// Hand back the jobs of every worker whose heartbeat has expired: a
/// machine that vanished (SIGKILL, a lost instance) loses no work.
pub async fn reap_dead(
    conn: &mut MultiplexedConnection,
    keys: &Keys,
) -> Result<Vec<(String, usize)>> {
    let prefix = keys.processing("");
    let (mut lists, mut cursor) = (Vec::<String>::new(), 0u64);
    loop {
        // SCAN, not KEYS: it does not block the broker on a large keyspace.
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{}*", glob_escape(&prefix)))
            .query_async(conn)
            .await
            .context("listing processing lists")?;
        lists.extend(batch);
        cursor = next;
        if cursor == 0 {
            break;
        }
    }
    let mut reaped = Vec::new();
    for list in lists {
        // MATCH is a hint; keep only this queue's lists.
        let Some(worker) = list.strip_prefix(&prefix) else {
            continue;
        };
        let alive: bool = redis::cmd("EXISTS")
            .arg(keys.alive(worker))
            .query_async(conn)
            .await?;
        if !alive {
            reaped.push((worker.to_owned(), hand_back(conn, keys, worker).await?));
        }
    }
    Ok(reaped)
}
// ANCHOR_END: reap
