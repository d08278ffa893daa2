//! Chapter 2 · Peak memory of one variant, measured in a child process.
//!
//! A process's peak resident memory (`VmHWM`) only ever grows, so the peak
//! of one variant cannot be read inside a process that has run others.
//! Each probe is therefore a fresh child (`ch02 probe`): it notes its
//! memory at start, runs the variant twice as the timed runs do (a warm-up
//! that opens the connections, then the run), and reports its peak. For
//! `dist` the peak of its worker processes is added.

use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use workbench::procmem::peak_rss_kib;
use workbench::rates;
use workbench::workers::{WorkerCommand, WorkerProcess};

use crate::FetchVariant;
use crate::fetch::asynchronous::AsyncClient;
use crate::fetch::dist::{Team, worker_command};
use crate::fetch::h2::H2Client;
use crate::fetch::{ASYNC_LIMIT, H2_CONNECTIONS, POOL_THREADS, blocking_agent};
use crate::fetch::{fetch_pool, fetch_seq, fetch_threads};

/// What to run in the child.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub variant: String,
    pub requests: usize,
    pub base_url: String,
    pub processes: usize,
}

/// What the child measured, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryUse {
    /// Peak at start, before any request.
    pub start_kib: u64,
    /// Peak at the end (plus the worker processes' peaks for `dist`).
    pub peak_kib: u64,
}

impl MemoryUse {
    /// What the requests added to the process: peak minus start.
    pub fn added_kib(&self) -> u64 {
        self.peak_kib.saturating_sub(self.start_kib)
    }
}

/// The child's side: run the variant twice, report the memory.
pub fn run(probe: &Probe, program: &Path) -> Result<MemoryUse> {
    let start_kib = peak_rss_kib()?;
    let pairs = rates::pairs(probe.requests);
    let url = probe.base_url.as_str();
    let mut extra_kib = 0;
    // The name travels as text; the dispatch is on the enum, so a variant
    // added to `FetchVariant` without a probe here does not compile.
    let variant: FetchVariant = probe.variant.parse().map_err(anyhow::Error::msg)?;
    match variant {
        FetchVariant::Seq => {
            let agent = blocking_agent();
            twice(|| fetch_seq(&agent, url, &pairs))?;
        }
        FetchVariant::Threads => {
            let agent = blocking_agent();
            twice(|| fetch_threads(&agent, url, &pairs))?;
        }
        FetchVariant::Pool => {
            let agent = blocking_agent();
            twice(|| fetch_pool(&agent, url, &pairs, POOL_THREADS))?;
        }
        FetchVariant::Async => {
            let client = AsyncClient::keep_alive()?;
            twice(|| client.fetch(url, &pairs, ASYNC_LIMIT))?;
        }
        FetchVariant::AsyncFresh => {
            let client = AsyncClient::fresh_connections()?;
            twice(|| client.fetch(url, &pairs, ASYNC_LIMIT))?;
        }
        FetchVariant::AsyncH2 => {
            let client = H2Client::new(H2_CONNECTIONS)?;
            twice(|| client.fetch(url, &pairs, ASYNC_LIMIT))?;
        }
        FetchVariant::Dist => {
            let mut team = Team::start(probe.processes, &worker_command(program))?;
            extra_kib = twice(|| team.fetch(url, &pairs))?.1;
        }
    }
    Ok(MemoryUse {
        start_kib,
        peak_kib: peak_rss_kib()? + extra_kib,
    })
}

/// Run `work` twice, as the timed runs do (a warm-up, then the run).
fn twice<T>(mut work: impl FnMut() -> Result<T>) -> Result<T> {
    work()?;
    work()
}

/// The child's main (`ch02 probe`): one probe on stdin, its memory on stdout.
pub fn probe_main() -> Result<()> {
    let program = workbench::bins::this_program()?;
    workbench::workers::serve(
        std::io::stdin().lock(),
        std::io::stdout().lock(),
        |probe: Probe| run(&probe, &program),
    )
}

// ANCHOR: probe
/// Run `probe` in a fresh child process of `program` and read its memory.
pub fn in_child(program: &Path, probe: &Probe) -> Result<MemoryUse> {
    let mut child = WorkerProcess::spawn(&WorkerCommand::new(program, &["probe"]))?;
    child.send(probe)?;
    let memory = child
        .receive()
        .with_context(|| format!("probing the memory of {}", probe.variant))?;
    child.finish()?;
    Ok(memory)
}
// ANCHOR_END: probe
