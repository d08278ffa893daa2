//! Chapter 4 · The comparisons behind the CLI, the figures and the
//! notebook: seq, threads, async and dist (Celery tasks through a real
//! broker) on fib tasks and on the book's merge sort.

use std::time::Duration;

use anyhow::{Context, Result};
use workbench::fib::{fib, verify as verify_fib};
use workbench::{CommonArgs, Contender, Experiment, Record, Variant};

use crate::mergesort::{
    seeded_numbers, sort_async, sort_dist, sort_seq, sort_threads, verify,
};
use crate::setup::Setup;
use crate::sizes::{fib_size, sort_count};
use crate::tasks;

/// The chapter's measured comparisons, one subcommand each: a `match`
/// names every one, so one added without its code or figure does not
/// compile, and `figures` writes every one (`value_variants`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Comparison {
    Mergesort,
    Fib,
    Overhead,
    Throughput,
    Crossover,
}

impl Comparison {
    /// Measure this comparison with the variants and sizes of `common`.
    pub fn measure(self, common: &CommonArgs, setup: &Setup) -> Result<Record> {
        match self {
            Comparison::Mergesort => mergesort_comparison(common, setup),
            Comparison::Fib => fib_comparison(common, setup),
            Comparison::Overhead => crate::overhead::overhead(common, setup),
            Comparison::Throughput => crate::overhead::throughput(common, setup),
            Comparison::Crossover => crate::crossover::crossover(common, setup),
        }
    }

    /// The figure of this comparison's record.
    pub fn figure(self, record: &Record) -> String {
        match self {
            Comparison::Overhead => crate::figures::overhead_svg(record),
            Comparison::Crossover => crate::figures::crossover_svg(record),
            Comparison::Mergesort | Comparison::Fib | Comparison::Throughput => {
                workbench::plot::svg(record)
            }
        }
    }
}

workbench::variants! {
    /// The variants of both comparisons, in the order they are shown.
    pub enum CompareVariant, names VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
        Dist = "dist",
    }
}

/// For each worker count, when `variants` has `dist`: that many worker
/// processes on a queue of their own and a client of it, started before
/// the rounds and kept for all of them.
pub fn dist_pools(
    setup: &Setup,
    variants: &[CompareVariant],
    workers: &[usize],
) -> Result<Vec<DistPool>> {
    if !variants.contains(&CompareVariant::Dist) {
        return Ok(Vec::new());
    }
    let mut pools = Vec::new();
    for &w in workers {
        let queue = format!("dist-{w}");
        let processes = setup.workers_on(&queue, w, 1)?;
        let (runtime, client) = setup.client_on(&queue)?;
        pools.push(DistPool {
            workers: w,
            _processes: processes,
            runtime,
            client,
        });
    }
    Ok(pools)
}

/// Every run of a comparison: seq once, on one thread; each other variant
/// at every worker count, `dist` with that count's pool.
fn runs<'a>(
    variants: &[CompareVariant],
    workers: &[usize],
    pools: &'a [DistPool],
) -> Vec<(CompareVariant, usize, Option<&'a DistPool>)> {
    let mut runs = Vec::new();
    for &variant in variants {
        let seq = variant == CompareVariant::Seq;
        let counts = if seq { &[1][..] } else { workers };
        for (i, &w) in counts.iter().enumerate() {
            runs.push((variant, w, pools.get(i)));
        }
    }
    runs
}

/// Worker processes of one queue, and a client sending to it.
#[derive(Debug)]
pub struct DistPool {
    pub workers: usize,
    _processes: crate::launcher::Workers,
    pub runtime: tokio::runtime::Runtime,
    pub client: crate::celery::client::Client,
}

/// Chunks of the book's merge sort.
pub const SORT_CHUNKS: usize = 4;

/// fib of every task on `workers` threads taking tasks from a counter
/// (chapter 3's exercise 1, in workbench).
pub use workbench::fib::fib_threads_dynamic as fib_threads;

/// fib of every task as tokio tasks on a runtime of `workers` threads:
/// CPU work gains from async only through those threads (workbench's).
pub use workbench::fib::fib_tokio_tasks as fib_async;

// ANCHOR: fib_dist
/// fib of every task as a Celery group through the broker.
pub fn fib_dist(
    runtime: &tokio::runtime::Runtime,
    client: &crate::celery::client::Client,
    list: &[u32],
) -> Result<Vec<u64>> {
    let group = list.iter().map(|&n| tasks::fib::new(n)).collect();
    let outcomes =
        runtime.block_on(client.run_all(group, Duration::from_secs(600)))?;
    outcomes.into_iter().map(|o| o.value::<u64>()).collect()
}
// ANCHOR_END: fib_dist

/// Measure every variant asked for in `common` on fib tasks, in rounds;
/// `dist` on N worker processes of one task each, for every worker count N.
pub fn fib_comparison(common: &CommonArgs, setup: &Setup) -> Result<Record> {
    let size = fib_size(common.size);
    let list = &vec![size.n; size.tasks];
    let variants = common.variants_of::<CompareVariant>()?;
    let workers = common.worker_counts();
    let pools = dist_pools(setup, &variants, &workers)?;
    let mut exp =
        Experiment::new("ch04", "fib", size.to_json(), common.measure_opts());
    let check = |answers: &Vec<u64>| verify_fib(list, answers);
    let mut contenders = Vec::new();
    for (variant, w, pool) in runs(&variants, &workers, &pools) {
        use CompareVariant::*;
        let run = move || match variant {
            Seq => Ok(list.iter().map(|&n| fib(n)).collect()),
            Threads => Ok(fib_threads(list, w)),
            Async => fib_async(list, w),
            Dist => {
                let pool = pool.context("no worker pool")?;
                fib_dist(&pool.runtime, &pool.client, list)
            }
        };
        contenders.push(Contender::new(variant.name(), w, run, check));
    }
    exp.measure_rounds(contenders)?;
    Ok(exp.finish())
}

// ANCHOR: mergesort
/// The book's merge sort: seq sorts everything on one thread; the others
/// sort four chunks (on threads, on tokio's blocking pool, or as Celery
/// tasks on N worker processes) and merge them here. In rounds: every
/// variant once per round.
pub fn mergesort_comparison(common: &CommonArgs, setup: &Setup) -> Result<Record> {
    let count = sort_count(common.size);
    let numbers = &seeded_numbers(count, 2016);
    let variants = common.variants_of::<CompareVariant>()?;
    let workers = common.worker_counts();
    let pools = dist_pools(setup, &variants, &workers)?;
    let size = serde_json::json!({ "numbers": count, "chunks": SORT_CHUNKS });
    let mut exp = Experiment::new("ch04", "mergesort", size, common.measure_opts());
    let check = |sorted: &Vec<i64>| verify(numbers, sorted);
    let mut contenders = Vec::new();
    for (variant, w, pool) in runs(&variants, &workers, &pools) {
        use CompareVariant::*;
        // ANCHOR: mergesort_run
        let run = move || match variant {
            Seq => Ok(sort_seq(numbers)),
            Threads => Ok(sort_threads(numbers, SORT_CHUNKS, w)),
            Async => sort_async(numbers, SORT_CHUNKS, w),
            Dist => {
                let pool = pool.context("no worker pool")?;
                let sorted = sort_dist(&pool.client, numbers, SORT_CHUNKS);
                pool.runtime.block_on(sorted)
            }
        };
        // ANCHOR_END: mergesort_run
        contenders.push(Contender::new(variant.name(), w, run, check));
    }
    exp.measure_rounds(contenders)?;
    Ok(exp.finish())
}
// ANCHOR_END: mergesort
