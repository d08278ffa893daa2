//! Chapter 2 · `dist`: the requests split across worker processes of this
//! chapter's binary, each of which runs its share as async tasks — the
//! mixed paradigm of chapter 1 (processes outside, concurrency inside).
//!
//! The workers stay up between runs and keep their connections, like the
//! long-lived clients of the other variants.

use anyhow::Result;
use serde::{Deserialize, Serialize};
use workbench::rates::Quote;
use workbench::workers::{WorkerCommand, WorkerProcess};

use crate::fetch::ASYNC_LIMIT;
use crate::fetch::asynchronous::AsyncClient;

// ANCHOR: messages
/// Parent → worker: fetch these pairs from this service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    pub base_url: String,
    pub pairs: Vec<String>,
}

/// Worker → parent: the quotes, in order, and the worker's peak memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub quotes: Vec<Quote>,
    pub peak_kib: u64,
}
// ANCHOR_END: messages

/// The worker's side (`ch02 worker`): answer batches until stdin closes.
pub fn worker_main() -> Result<()> {
    let client = AsyncClient::keep_alive()?;
    workbench::workers::serve(
        std::io::stdin().lock(),
        std::io::stdout().lock(),
        |batch: Batch| {
            let quotes = client.fetch(&batch.base_url, &batch.pairs, ASYNC_LIMIT)?;
            let peak_kib = workbench::procmem::peak_rss_kib()?;
            Ok(Answer { quotes, peak_kib })
        },
    )
}

/// The `ch02` binary started as a worker.
pub fn worker_command(program: &std::path::Path) -> WorkerCommand {
    WorkerCommand::new(program, &["worker"])
}

// ANCHOR: dist
/// A team of worker processes that stays up between runs.
#[derive(Debug)]
pub struct Team {
    workers: Vec<WorkerProcess>,
}

impl Team {
    pub fn start(size: usize, command: &WorkerCommand) -> Result<Self> {
        let workers = (0..size.max(1))
            .map(|_| WorkerProcess::spawn(command))
            .collect::<Result<_>>()?;
        Ok(Team { workers })
    }

    /// Send each worker an even share, then collect the answers in order.
    /// Returns the quotes and the workers' summed peak memory (KiB).
    pub fn fetch(
        &mut self,
        base_url: &str,
        pairs: &[String],
    ) -> Result<(Vec<Quote>, u64)> {
        let share = pairs.len().div_ceil(self.workers.len());
        let batches: Vec<&[String]> = pairs.chunks(share.max(1)).collect();
        for (worker, batch) in self.workers.iter_mut().zip(&batches) {
            let batch = Batch {
                base_url: base_url.to_owned(),
                pairs: batch.to_vec(),
            };
            worker.send(&batch)?;
        }
        let (mut quotes, mut peak_kib) = (Vec::with_capacity(pairs.len()), 0);
        for worker in self.workers.iter_mut().take(batches.len()) {
            let answer: Answer = worker.receive()?;
            quotes.extend(answer.quotes);
            peak_kib += answer.peak_kib;
        }
        Ok((quotes, peak_kib))
    }
}
// ANCHOR_END: dist
