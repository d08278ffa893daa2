//! Chapter 4 · Alternatives: Python-RQ — opening the Redis that keeps the
//! queue: `redis://` or `rediss://` (rustls, checked against the system's
//! roots and `SSL_CERT_FILE`), within a deadline; a refused password is
//! an error at once that names the broker and not the password.

use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use redis1::AsyncConnectionConfig;
use redis1::aio::{ConnectionManager, ConnectionManagerConfig};
use workbench::redact;

/// How long opening the queue may take before it is an error.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

// ANCHOR: connect
/// A connection to the queue's Redis at `url`, checked first with a PING;
/// `check` says where the URL came from (for the error message).
pub async fn connect(url: &str, check: &str) -> Result<ConnectionManager> {
    let client = redis1::Client::open(url)
        .with_context(|| format!("`{}` is not a Redis URL", redact::url(url)))?;
    let timeout = Some(Duration::from_secs(2));
    let attempt = async {
        // One try first: a refused password or an untrusted certificate
        // is an error now, not a reason to retry until the deadline.
        let once = AsyncConnectionConfig::new()
            .set_connection_timeout(timeout)
            .set_response_timeout(timeout);
        let mut probe = client
            .get_multiplexed_async_connection_with_config(&once)
            .await?;
        redis1::cmd("PING")
            .query_async::<String>(&mut probe)
            .await?;
        // Then the worker's connection, with apalis's own retries (6, from
        // 100 ms doubling): it rides out a short outage by reconnecting.
        let config = ConnectionManagerConfig::new().set_connection_timeout(timeout);
        client.get_connection_manager_with_config(config).await
    };
    let unreachable =
        || format!("cannot reach the queue's Redis at {}", redact::url(url));
    match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(err)) => {
            let said = format!("{err} {:?}", err.kind());
            match redact::refused_credentials("Redis", url, &said, check) {
                Some(refused) => Err(anyhow!(refused)),
                None => Err(anyhow!(redact::text(&err.to_string())))
                    .with_context(unreachable),
            }
        }
        Err(_) => Err(anyhow!("no answer within {CONNECT_TIMEOUT:?}"))
            .with_context(unreachable),
    }
}
// ANCHOR_END: connect
