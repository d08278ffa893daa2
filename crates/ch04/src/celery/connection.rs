//! Chapter 4 · Connecting to Redis: fail fast when it is absent, retry
//! with backoff when it goes away for a while.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{ErrorKind, RedisError, RedisResult};
use workbench::redact;

/// How long a caller waits for an absent broker before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// How long an operation keeps retrying while the broker is away.
pub const OUTAGE_TOLERANCE: Duration = Duration::from_secs(60);

/// Open `url` and check it answers, or fail within [`CONNECT_TIMEOUT`]
/// with an error that says what to do.
pub async fn connect(url: &str) -> Result<(redis::Client, ConnectionManager)> {
    let client = redis::Client::open(url)
        .with_context(|| format!("`{}` is not a Redis URL", redact::url(url)))?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Duration::from_secs(2))
        .set_response_timeout(Duration::from_secs(10))
        .set_number_of_retries(1)
        .set_max_delay(2_000);
    let attempt = async {
        let mut conn = client.get_connection_manager_with_config(config).await?;
        redis::cmd("PING").query_async::<String>(&mut conn).await?;
        RedisResult::Ok(conn)
    };
    let unreachable = || {
        format!(
            "cannot reach the Redis broker at {}; is redis-server running \
             there? (without --broker the examples start their own)",
            redact::url(url)
        )
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
        Ok(Ok(conn)) => Ok((client, conn)),
        Ok(Err(err)) => match refused(url, &err) {
            Some(refused) => Err(anyhow::anyhow!(refused)),
            None => Err(err).with_context(unreachable),
        },
        Err(_) => Err(anyhow::anyhow!("no answer within {CONNECT_TIMEOUT:?}"))
            .with_context(unreachable),
    }
}

/// `WRONGPASS` (a wrong user or password) or `NOAUTH` (the URL has none):
/// the broker answered, and retrying will not change its mind.
fn refused(url: &str, err: &RedisError) -> Option<String> {
    let said = format!("{err} {:?}", err.kind());
    redact::refused_credentials("Redis", url, &said, "--broker / REDIS_URL")
}

/// Errors that go away when the broker comes back.
pub fn is_transient(err: &RedisError) -> bool {
    err.is_connection_dropped()
        || err.is_connection_refusal()
        || err.is_io_error()
        || err.is_timeout()
        || matches!(
            err.kind(),
            ErrorKind::BusyLoadingError | ErrorKind::TryAgain
        )
}

// ANCHOR: retry
/// Run `op` until it succeeds, retrying transient errors with exponential
/// backoff (50 ms doubling up to 2 s) for at most [`OUTAGE_TOLERANCE`].
pub async fn with_retry<T, F, Fut>(what: &str, mut op: F) -> RedisResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = RedisResult<T>>,
{
    let start = Instant::now();
    let mut delay = Duration::from_millis(50);
    loop {
        match op().await {
            Ok(value) => return Ok(value),
            Err(err) if is_transient(&err) && start.elapsed() < OUTAGE_TOLERANCE => {
                tracing::warn!("{what}: {err}; retrying in {delay:?}");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(2));
            }
            Err(err) => return Err(err),
        }
    }
}
// ANCHOR_END: retry

/// Seconds since the Unix epoch, as Python's `time.time()`.
pub fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_absent_broker_is_a_clear_error_within_seconds() {
        let port = workbench::services::free_port().expect("a port");
        let start = Instant::now();
        let Err(err) = connect(&format!("redis://127.0.0.1:{port}/0")).await else {
            panic!("nothing listens there");
        };
        assert!(start.elapsed() < Duration::from_secs(5));
        assert!(format!("{err:#}").contains("cannot reach the Redis broker"));
    }

    #[tokio::test]
    async fn retry_gives_up_at_once_on_a_permanent_error() {
        let mut calls = 0;
        let result: RedisResult<()> = with_retry("test", || {
            calls += 1;
            async { Err(RedisError::from((ErrorKind::TypeError, "wrong type"))) }
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls, 1);
    }
}
