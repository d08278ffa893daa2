//! Chapter 4 · The book's `currency.py` measured: N `rate` tasks sent as
//! one group to two workers (one task at a time each) that ask the rate
//! service, in rounds; every rate checked against the service's table.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use workbench::rates::{self, RateService};
use workbench::{CommonArgs, Contender, Experiment, Record};

use crate::celery::client::Outcome;
use crate::rpc::compare::pair_count;
use crate::setup::Setup;
use crate::tasks::rate;

/// Worker processes, one task at a time each (as Python's `--pool solo`).
pub const WORKERS: usize = 2;

/// Time `--size` rate tasks (quick 20 pairs) as one group through
/// [`WORKERS`] workers that ask the service at `rates_url` (one of
/// `latency` started here when `None`). The run is `dist`, with
/// `tasks_per_s`.
pub fn rate_group(
    common: &CommonArgs,
    setup: &Setup,
    rates_url: Option<&str>,
    latency: Duration,
) -> Result<Record> {
    let (url, _service) = match rates_url {
        Some(url) => (url.to_owned(), None),
        None => {
            let service = RateService::start(latency)?;
            (service.base_url(), Some(service))
        }
    };
    let pairs = rates::pairs(pair_count(common.size));
    let _workers = setup
        .workers_with(WORKERS, 1, Some(&url))
        .context("starting the rate workers")?;
    let (runtime, client) = setup.client()?;
    let size = serde_json::json!({
        "pairs": pairs.len(),
        "latency_ms": latency.as_millis() as u64,
    });
    let mut exp = Experiment::new("ch04", "rate-group", size, common.measure_opts());
    // ANCHOR: group
    let group = || {
        let tasks = pairs.iter().map(|p| rate::new(p.clone())).collect();
        runtime.block_on(client.run_all(tasks, Duration::from_secs(60)))
    };
    // ANCHOR_END: group
    let check = |outcomes: &Vec<Outcome>| {
        ensure!(outcomes.len() == pairs.len(), "{} answers", outcomes.len());
        for (pair, outcome) in pairs.iter().zip(outcomes) {
            let got: f64 = outcome.clone().value()?;
            ensure!(Some(got) == rates::rate_of(pair), "{pair} = {got}?");
        }
        Ok(())
    };
    exp.measure_rounds(vec![Contender::new("dist", WORKERS, group, check)])?;
    let mut record = exp.finish();
    for run in record.runs.iter_mut().filter(|r| r.skipped.is_none()) {
        let per_s = pairs.len() as f64 / run.wall_s;
        run.extra.insert("tasks_per_s".into(), per_s);
    }
    Ok(record)
}
