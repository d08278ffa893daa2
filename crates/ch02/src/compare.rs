//! Chapter 2 · The comparisons behind the CLI, the figures and the notebook.
//!
//! One function per measured example returns its results record, so the
//! terminal, the book and the notebook report the same measurements.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use workbench::rates::{self, Quote, RateService};
use workbench::{CommonArgs, Contender, Experiment, Record, Size, Variant};

use crate::FetchVariant;
use crate::fetch::asynchronous::AsyncClient;
use crate::fetch::dist::{Team, worker_command};
use crate::fetch::h2::H2Client;
use crate::fetch::{ASYNC_LIMIT, H2_CONNECTIONS, POOL_THREADS, blocking_agent};
use crate::fetch::{fetch_pool, fetch_seq, fetch_threads};
use crate::probe::{self, Probe};

mod search;
pub use search::{corpus_or, grep, grep_c, mgrep};

/// What the `fetch` comparison is asked to do.
#[derive(Debug, Clone)]
pub struct FetchPlan {
    /// Request counts to measure.
    pub requests: Vec<usize>,
    /// The largest count `seq` is run at (it takes count × latency).
    pub seq_up_to: usize,
    /// The service's latency; also the unit of the `x_latency` column.
    pub latency: Duration,
    /// An external service instead of the embedded one.
    pub service: Option<String>,
    /// Measure peak memory in child processes.
    pub memory: bool,
}

impl FetchPlan {
    /// quick: 1, 10, 100, 1,000 requests, `seq` up to 10; full: the same
    /// with `seq` up to 1,000 (50 s a run); N: N requests.
    pub fn from_size(size: Size, latency: Duration) -> Self {
        let (requests, seq_up_to) = match size {
            Size::Quick => (vec![1, 10, 100, 1000], 10),
            Size::Full => (vec![1, 10, 100, 1000], 1000),
            Size::N(n) => (vec![n.min(10_000) as usize], 100),
        };
        FetchPlan {
            requests,
            seq_up_to,
            latency,
            service: None,
            memory: true,
        }
    }
}

// ANCHOR: fetch
/// Every fetch variant at every request count; `program` is this
/// chapter's binary (worker processes and memory probes).
pub fn fetch(
    common: &CommonArgs,
    plan: &FetchPlan,
    program: &Path,
) -> Result<Record> {
    let variants = common.variants_of::<FetchVariant>()?;
    let processes = common
        .workers
        .as_ref()
        .and_then(|w| w.first().copied())
        .unwrap_or(2);
    let embedded = match &plan.service {
        Some(_) => None,
        None => Some(RateService::start_with_threads(plan.latency, 2)?),
    };
    let url = match (&plan.service, &embedded) {
        (Some(url), _) => url.trim_end_matches('/').to_owned(),
        (None, Some(service)) => service.base_url(),
        (None, None) => unreachable!("one of the two is set"),
    };
    let latency_ms = plan.latency.as_secs_f64() * 1e3;
    let size =
        serde_json::json!({ "requests": plan.requests, "latency_ms": latency_ms });
    let mut record = Record::new("ch02", "fetch", size);
    // Long-lived clients, as a real program keeps them.
    let agent = blocking_agent();
    let keep_alive = AsyncClient::keep_alive()?;
    let fresh = AsyncClient::fresh_connections()?;
    let h2 = H2Client::new(H2_CONNECTIONS)?;
    let mut team = match variants.contains(&FetchVariant::Dist) {
        true => Some(Team::start(processes, &worker_command(program))?),
        false => None,
    };
    let (agent, keep_alive, fresh, h2) = (&agent, &keep_alive, &fresh, &h2);
    let url = url.as_str();
    for &count in &plan.requests {
        let pairs = &rates::pairs(count);
        let opts = common.measure_opts();
        let mut exp = Experiment::new("ch02", "fetch", serde_json::json!({}), opts);
        let check = |quotes: &Vec<Quote>| rates::verify(pairs, quotes);
        let mut contenders = Vec::new();
        let mut team_here = team.as_mut();
        for &variant in &variants {
            use FetchVariant::*;
            let workers = match variant {
                Seq => 1,
                Pool => POOL_THREADS.min(count),
                Dist => processes,
                Threads | Async | AsyncH2 | AsyncFresh => count.min(ASYNC_LIMIT),
            };
            if variant == Seq && count > plan.seq_up_to {
                let why = format!(
                    "{count} × {latency_ms} ms in a row; measured at --size full"
                );
                contenders.push(Contender::skipped("seq", workers, why));
                continue;
            }
            let mut team = team_here.take_if(|_| variant == Dist);
            // ANCHOR: fetch_run
            let run = move || match variant {
                Seq => fetch_seq(agent, url, pairs),
                Threads => fetch_threads(agent, url, pairs),
                Pool => fetch_pool(agent, url, pairs, POOL_THREADS),
                Async => keep_alive.fetch(url, pairs, ASYNC_LIMIT),
                AsyncH2 => h2.fetch(url, pairs, ASYNC_LIMIT),
                AsyncFresh => fresh.fetch(url, pairs, ASYNC_LIMIT),
                Dist => {
                    let team = team.as_mut().context("the worker team")?;
                    Ok(team.fetch(url, pairs)?.0)
                }
            };
            // ANCHOR_END: fetch_run
            contenders.push(Contender::new(variant.name(), workers, run, check));
        }
        exp.measure_rounds(contenders)
            .with_context(|| format!("{count} requests"))?;
        for mut run in exp.finish().runs {
            run.extra.insert("requests".into(), count as f64);
            if run.skipped.is_none() {
                let x_latency = run.wall_s / plan.latency.as_secs_f64().max(1e-9);
                run.extra.insert("x_latency".into(), x_latency);
            }
            if plan.memory && run.skipped.is_none() {
                let probe = Probe {
                    variant: run.variant.clone(),
                    requests: count,
                    base_url: url.to_owned(),
                    processes,
                };
                let memory = probe::in_child(program, &probe)?;
                run.extra
                    .insert("peak_mib".into(), memory.peak_kib as f64 / 1024.0);
                let added = memory.added_kib() as f64 / 1024.0;
                run.extra.insert("added_mib".into(), added);
            }
            record.runs.push(run);
        }
    }
    Ok(record)
}
// ANCHOR_END: fetch
