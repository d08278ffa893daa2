//! Chapter 4 · The broker's housekeeping while a worker runs: renew the
//! leases of the messages in hand, restore the overdue ones of others.

use std::time::Duration;

use redis::aio::ConnectionManager;

use super::delivery::{Ledger, lock};
use super::keys::{UNACKED_INDEX, renew};
use super::restore::restore_overdue;

// ANCHOR: renew
/// Refresh the delivery time of every message in hand, so that only a
/// dead worker's messages ever look overdue: four times per visibility
/// timeout (which is at least [`MIN_VISIBILITY_TIMEOUT`]), so a lease has
/// three more chances to be renewed before it lapses, stamped with the
/// server's clock.
///
/// [`MIN_VISIBILITY_TIMEOUT`]: super::MIN_VISIBILITY_TIMEOUT
pub async fn renew_leases(
    mut conn: ConnectionManager,
    ledger: Ledger,
    vt: Duration,
) {
    let every = vt / 4;
    let renew = renew();
    loop {
        tokio::time::sleep(every).await;
        let held: Vec<String> = lock(&ledger).iter().cloned().collect();
        if held.is_empty() {
            continue;
        }
        let mut call = renew.key(UNACKED_INDEX);
        for tag in &held {
            call.arg(tag);
        }
        if let Err(err) = call.invoke_async::<i64>(&mut conn).await {
            tracing::warn!("renewing {} leases: {err}", held.len());
        }
    }
}
// ANCHOR_END: renew

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
