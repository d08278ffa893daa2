//! Chapter 3 · The comparisons behind the CLI, the figures and the notebook.
//!
//! One function per example measures every variant asked for and returns
//! the results record, so the three ways in report the same numbers.

use std::time::Duration;

use anyhow::Result;
use workbench::rates::{self, RateService};
use workbench::{CommonArgs, Experiment, Record, Size, cli::UsageError};

use crate::currency::{rates_async, rates_seq, rates_threads};
use crate::fib::{
    fib_async, fib_pool, fib_rayon, fib_seq, fib_spawn_blocking, fib_threads, verify,
};
use crate::processes::{WorkerCommand, fib_processes};
use crate::sizes::FibSize;
use crate::{CURRENCY_VARIANTS, FIB_VARIANTS};

// ANCHOR: fib
/// Measure every fib variant asked for in `common` on `tasks` copies of
/// the size's fib(n); worker processes are started with `command`.
pub fn fib(
    common: &CommonArgs,
    tasks: usize,
    command: &WorkerCommand,
) -> Result<Record> {
    let size = FibSize::from_size(common.size, tasks);
    let list = size.task_list();
    let variants = common.variants_among(&FIB_VARIANTS)?;
    let workers = common.worker_counts();
    let mut exp =
        Experiment::new("ch03", "fib", size.to_json(), common.measure_opts());
    let check = |answers: &Vec<u64>| verify(&list, answers);
    for variant in &variants {
        if variant == "seq" {
            exp.measure("seq", 1, || Ok(fib_seq(&list)), check)?;
            continue;
        }
        for &w in &workers {
            match variant.as_str() {
                "threads" => {
                    exp.measure(variant, w, || Ok(fib_threads(&list, w)), check)
                }
                "pool" => exp.measure(variant, w, || fib_pool(&list, w), check),
                "rayon" => exp.measure(variant, w, || fib_rayon(&list, w), check),
                "async" => exp.measure(variant, w, || fib_async(&list, w), check),
                "spawn_blocking" => {
                    exp.measure(variant, w, || fib_spawn_blocking(&list, w), check)
                }
                _ => exp.measure(
                    variant,
                    w,
                    || fib_processes(&list, w, command),
                    check,
                ),
            }?;
        }
    }
    Ok(exp.finish())
}
// ANCHOR_END: fib

/// Measure the currency variants against a local rate service.
pub fn currency(common: &CommonArgs, latency_ms: u64) -> Result<Record> {
    if common.workers.is_some() {
        let why =
            "currency runs one request per pair at once; use --size N for N pairs";
        return Err(UsageError(why.into()).into());
    }
    let pairs: Vec<String> = match common.size {
        Size::Quick => rates::BOOK_PAIRS.map(String::from).to_vec(),
        Size::Full => rates::pairs(12),
        Size::N(n) => rates::pairs(n.min(1000) as usize),
    };
    let service = RateService::start(Duration::from_millis(latency_ms))?;
    let url = service.base_url();
    let size = serde_json::json!({ "pairs": pairs.len(), "latency_ms": latency_ms });
    let mut exp = Experiment::new("ch03", "currency", size, common.measure_opts());
    let check = |quotes: &Vec<rates::Quote>| rates::verify(&pairs, quotes);
    for variant in common.variants_among(&CURRENCY_VARIANTS)? {
        let (variant, concurrent) = match variant.as_str() {
            "seq" => ("seq", 1),
            other => (other, pairs.len()),
        };
        match variant {
            "seq" => exp.measure(variant, 1, || rates_seq(&url, &pairs), check),
            "threads" => exp.measure(
                variant,
                concurrent,
                || rates_threads(&url, &pairs),
                check,
            ),
            _ => {
                exp.measure(variant, concurrent, || rates_async(&url, &pairs), check)
            }
        }?;
    }
    Ok(exp.finish())
}
