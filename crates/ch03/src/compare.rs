//! Chapter 3 · The comparisons behind the CLI, the figures and the notebook.
//!
//! One function per example measures every variant asked for and returns
//! the results record, so the three ways in report the same numbers.

use std::time::Duration;

use anyhow::Result;
use workbench::rates::{self, RateService};
use workbench::{
    CommonArgs, Contender, Experiment, Record, Size, Variant, cli::UsageError,
};

use crate::currency::{rates_async, rates_seq, rates_threads};
use crate::fib::{
    fib_async, fib_pool, fib_rayon, fib_seq, fib_spawn_blocking, fib_threads, verify,
};
use crate::processes::{WorkerCommand, fib_processes};
use crate::sizes::fib_size;
use crate::{CurrencyVariant, FibVariant};

// ANCHOR: fib
/// Measure every fib variant asked for in `common` on `tasks` copies of
/// the size's fib(n), in rounds (every variant once per round); worker
/// processes are started with `command`.
pub fn fib(
    common: &CommonArgs,
    tasks: usize,
    command: &WorkerCommand,
) -> Result<Record> {
    let size = fib_size(common.size, tasks);
    let list = &size.task_list();
    let mut exp =
        Experiment::new("ch03", "fib", size.to_json(), common.measure_opts());
    let check = |answers: &Vec<u64>| verify(list, answers);
    let mut contenders = Vec::new();
    for variant in common.variants_of::<FibVariant>()? {
        use FibVariant::*;
        for w in common.workers_for(variant) {
            // ANCHOR: fib_run
            let run = move || match variant {
                Seq => Ok(fib_seq(list)),
                Threads => Ok(fib_threads(list, w)),
                Pool => fib_pool(list, w),
                Rayon => fib_rayon(list, w),
                Async => fib_async(list, w),
                SpawnBlocking => fib_spawn_blocking(list, w),
                Processes => fib_processes(list, w, command),
            };
            // ANCHOR_END: fib_run
            contenders.push(Contender::new(variant.name(), w, run, check));
        }
    }
    exp.measure_rounds(contenders)?;
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
    let (url, pairs) = (&url, &pairs);
    let mut contenders = Vec::new();
    for variant in common.variants_of::<CurrencyVariant>()? {
        use CurrencyVariant::*;
        let concurrent = if variant == Seq { 1 } else { pairs.len() };
        let run = move || match variant {
            Seq => rates_seq(url, pairs),
            Threads => rates_threads(url, pairs),
            Async => rates_async(url, pairs),
        };
        contenders.push(Contender::new(variant.name(), concurrent, run, check));
    }
    exp.measure_rounds(contenders)?;
    Ok(exp.finish())
}
