//! Chapter 4 · The broker's housekeeping while a worker runs: renew the
//! leases of the messages in hand, restore the overdue ones of others.

use std::time::Duration;

use redis::aio::ConnectionManager;

use super::delivery::{Ledger, lock};
use super::keys::UNACKED_INDEX;
use super::restore::restore_overdue;
use crate::connection::unix_now;

/// Refresh the delivery time of every message in hand, so that only a
/// dead worker's messages ever look overdue.
pub async fn renew_leases(
    mut conn: ConnectionManager,
    ledger: Ledger,
    vt: Duration,
) {
    let every = (vt / 3).max(Duration::from_millis(100));
    loop {
        tokio::time::sleep(every).await;
        let held: Vec<String> = lock(&ledger).iter().cloned().collect();
        if held.is_empty() {
            continue;
        }
        let now = unix_now();
        let mut command = redis::cmd("ZADD");
        command.arg(UNACKED_INDEX).arg("XX");
        for tag in &held {
            command.arg(now).arg(tag);
        }
        if let Err(err) = command.query_async::<()>(&mut conn).await {
            tracing::warn!("renewing {} leases: {err}", held.len());
        }
    }
}

/// Restore overdue messages now and then (every quarter of the
/// visibility timeout, between 250 ms and 10 s).
pub async fn restore_loop(mut conn: ConnectionManager, vt: Duration) {
    let every = (vt / 4).clamp(Duration::from_millis(250), Duration::from_secs(10));
    loop {
        if let Err(err) = restore_overdue(&mut conn, vt).await {
            tracing::warn!("restoring overdue messages: {err}");
        }
        tokio::time::sleep(every).await;
    }
}
