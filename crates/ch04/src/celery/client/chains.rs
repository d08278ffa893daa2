//! Chapter 4 · Sending a chain from Rust (Python: `chain(...).apply_async()`)
//! and waiting for it (Python: `.get()` on the chain's result).

use std::time::Duration;

use anyhow::{Context, Result};

use super::{Client, Outcome};
use crate::celery::chain::Chain;

impl Client {
    /// Send a chain: one message, its first link, carrying the rest.
    /// Returns every link's task id in the order they run.
    pub async fn send_chain(&self, chain: &Chain) -> Result<Vec<String>> {
        let first = chain
            .first_message()
            .context("building a chain's message")?
            .context("a chain needs at least one link")?;
        self.send_messages(std::slice::from_ref(&first)).await?;
        Ok(chain.ids())
    }

    // ANCHOR: run_chain
    /// Send a chain and wait for it: the last link's outcome, or the
    /// failure of the first link that failed (the links after it never run).
    pub async fn run_chain(
        &self,
        chain: &Chain,
        timeout: Duration,
    ) -> Result<Outcome> {
        let deadline = tokio::time::Instant::now() + timeout;
        let first = chain
            .first_message()
            .context("building a chain's message")?
            .context("a chain needs at least one link")?;
        let mut sending = Some(self.send_messages(std::slice::from_ref(&first)));
        let mut outcome = None;
        for id in chain.ids() {
            let left =
                deadline.saturating_duration_since(tokio::time::Instant::now());
            let ids = [id];
            let mut done = match sending.take() {
                Some(send) => self.collect(&ids, send, left).await?,
                None => self.collect(&ids, async { Ok(()) }, left).await?,
            };
            let link = done.pop().context("no outcome")?;
            if matches!(link, Outcome::Failure { .. }) {
                return Ok(link);
            }
            outcome = Some(link);
        }
        outcome.context("an empty chain")
    }
    // ANCHOR_END: run_chain
}
