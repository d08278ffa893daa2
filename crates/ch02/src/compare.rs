//! Chapter 2 · The comparisons behind the CLI, the figures and the notebook.
//!
//! One function per measured example returns its results record, so the
//! terminal, the book and the notebook report the same measurements.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use workbench::rates::{self, Quote, RateService};
use workbench::{CommonArgs, Experiment, Record, Size};

use crate::FETCH_VARIANTS;
use crate::dist::{Team, worker_command};
use crate::fetch::{ASYNC_LIMIT, H2_CONNECTIONS, POOL_THREADS, blocking_agent};
use crate::fetch::{fetch_pool, fetch_seq, fetch_threads};
use crate::fetch_async::AsyncClient;
use crate::fetch_h2::H2Client;
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
    let variants = common.variants_among(&FETCH_VARIANTS)?;
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
    let mut team = match variants.iter().any(|v| v == "dist") {
        true => Some(Team::start(processes, &worker_command(program))?),
        false => None,
    };
    for &count in &plan.requests {
        let pairs = rates::pairs(count);
        let mut exp = Experiment::new(
            "ch02",
            "fetch",
            serde_json::json!({}),
            common.measure_opts(),
        );
        let check = |quotes: &Vec<Quote>| rates::verify(&pairs, quotes);
        for variant in &variants {
            let v = variant.as_str();
            let workers = match v {
                "seq" => 1,
                "pool" => POOL_THREADS.min(count),
                "dist" => processes,
                _ => count.min(ASYNC_LIMIT),
            };
            if v == "seq" && count > plan.seq_up_to {
                let why = format!(
                    "{count} × {latency_ms} ms in a row; measured at --size full"
                );
                exp.skip(v, workers, why);
                exp.note("requests", count as f64);
                continue;
            }
            let wall = match v {
                "seq" => exp.measure(
                    v,
                    workers,
                    || fetch_seq(&agent, &url, &pairs),
                    check,
                ),
                "threads" => exp.measure(
                    v,
                    workers,
                    || fetch_threads(&agent, &url, &pairs),
                    check,
                ),
                "pool" => exp.measure(
                    v,
                    workers,
                    || fetch_pool(&agent, &url, &pairs, POOL_THREADS),
                    check,
                ),
                "async" => exp.measure(
                    v,
                    workers,
                    || keep_alive.fetch(&url, &pairs, ASYNC_LIMIT),
                    check,
                ),
                "async-h2" => exp.measure(
                    v,
                    workers,
                    || h2.fetch(&url, &pairs, ASYNC_LIMIT),
                    check,
                ),
                "async-fresh" => exp.measure(
                    v,
                    workers,
                    || fresh.fetch(&url, &pairs, ASYNC_LIMIT),
                    check,
                ),
                _ => {
                    let team = team.as_mut().context("the worker team")?;
                    exp.measure(
                        v,
                        workers,
                        || Ok(team.fetch(&url, &pairs)?.0),
                        check,
                    )
                }
            }
            .with_context(|| format!("{v} with {count} requests"))?
            .wall_s;
            exp.note("requests", count as f64);
            exp.note("x_latency", wall / plan.latency.as_secs_f64().max(1e-9));
            if plan.memory {
                let probe = Probe {
                    variant: v.into(),
                    requests: count,
                    base_url: url.clone(),
                    processes,
                };
                let memory = probe::in_child(program, &probe)?;
                exp.note("peak_mib", memory.peak_kib as f64 / 1024.0);
                exp.note("added_mib", memory.added_kib() as f64 / 1024.0);
            }
        }
        record.runs.extend(exp.finish().runs);
    }
    Ok(record)
}
// ANCHOR_END: fetch
