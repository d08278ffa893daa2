//! Chapter 4 · The comparisons behind the CLI, the figures and the
//! notebook: seq, threads, async and dist (Celery tasks through a real
//! broker) on fib tasks and on the book's merge sort.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Result;
use workbench::fib::{fib, verify as verify_fib};
use workbench::{CommonArgs, Experiment, Record};

use crate::mergesort::{
    seeded_numbers, sort_async, sort_dist, sort_seq, sort_threads, verify,
};
use crate::setup::Setup;
use crate::sizes::{FibSize, sort_count};
use crate::tasks;

/// The variants of both comparisons, in the order they are shown.
pub const VARIANTS: [&str; 4] = ["seq", "threads", "async", "dist"];

/// Chunks of the book's merge sort.
pub const SORT_CHUNKS: usize = 4;

/// fib of every task on `workers` threads taking tasks from a counter.
pub fn fib_threads(list: &[u32], workers: usize) -> Vec<u64> {
    let next = AtomicUsize::new(0);
    let mut answers = vec![0; list.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&n) = list.get(index) else {
                            break done;
                        };
                        done.push((index, fib(n)));
                    }
                })
            })
            .collect();
        for handle in handles {
            for (index, value) in handle.join().unwrap_or_default() {
                answers[index] = value;
            }
        }
    });
    answers
}

/// fib of every task as tokio tasks on a runtime of `workers` threads:
/// CPU work gains from async only through those threads.
pub fn fib_async(list: &[u32], workers: usize) -> Result<Vec<u64>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1))
        .build()?;
    runtime.block_on(async {
        let handles: Vec<_> = list
            .iter()
            .map(|&n| tokio::spawn(async move { fib(n) }))
            .collect();
        let mut answers = Vec::with_capacity(list.len());
        for handle in handles {
            answers.push(handle.await?);
        }
        Ok(answers)
    })
}

// ANCHOR: fib_dist
/// fib of every task as a Celery group through the broker.
pub fn fib_dist(
    runtime: &tokio::runtime::Runtime,
    client: &crate::client::Client,
    list: &[u32],
) -> Result<Vec<u64>> {
    let group = list.iter().map(|&n| tasks::fib::new(n)).collect();
    let outcomes =
        runtime.block_on(client.run_all(group, Duration::from_secs(600)))?;
    outcomes.into_iter().map(|o| o.value::<u64>()).collect()
}
// ANCHOR_END: fib_dist

/// Measure every variant asked for in `common` on fib tasks; `dist` on
/// N worker processes of one task each, for every worker count N.
pub fn fib_comparison(common: &CommonArgs, setup: &Setup) -> Result<Record> {
    let size = FibSize::from_size(common.size);
    let list = vec![size.n; size.tasks];
    let mut exp =
        Experiment::new("ch04", "fib", size.to_json(), common.measure_opts());
    let check = |answers: &Vec<u64>| verify_fib(&list, answers);
    for variant in common.variants_among(&VARIANTS)? {
        if variant == "seq" {
            exp.measure(
                "seq",
                1,
                || Ok(list.iter().map(|&n| fib(n)).collect()),
                check,
            )?;
            continue;
        }
        for w in common.worker_counts() {
            match variant.as_str() {
                "threads" => {
                    exp.measure("threads", w, || Ok(fib_threads(&list, w)), check)
                }
                "async" => exp.measure("async", w, || fib_async(&list, w), check),
                _ => {
                    let _workers = setup.workers(w, 1)?;
                    let (runtime, client) = setup.client()?;
                    exp.measure(
                        "dist",
                        w,
                        || fib_dist(&runtime, &client, &list),
                        check,
                    )
                }
            }?;
        }
    }
    Ok(exp.finish())
}

// ANCHOR: mergesort
/// The book's merge sort: seq sorts everything on one thread; the others
/// sort four chunks (on threads, on tokio's blocking pool, or as Celery
/// tasks on N worker processes) and merge them here.
pub fn mergesort_comparison(common: &CommonArgs, setup: &Setup) -> Result<Record> {
    let count = sort_count(common.size);
    let numbers = seeded_numbers(count, 2016);
    let size = serde_json::json!({ "numbers": count, "chunks": SORT_CHUNKS });
    let mut exp = Experiment::new("ch04", "mergesort", size, common.measure_opts());
    let check = |sorted: &Vec<i64>| verify(&numbers, sorted);
    for variant in common.variants_among(&VARIANTS)? {
        if variant == "seq" {
            exp.measure("seq", 1, || Ok(sort_seq(&numbers)), check)?;
            continue;
        }
        for w in common.worker_counts() {
            match variant.as_str() {
                "threads" => exp.measure(
                    "threads",
                    w,
                    || Ok(sort_threads(&numbers, SORT_CHUNKS, w)),
                    check,
                ),
                "async" => exp.measure(
                    "async",
                    w,
                    || sort_async(&numbers, SORT_CHUNKS, w),
                    check,
                ),
                _ => {
                    let _workers = setup.workers(w, 1)?;
                    let (runtime, client) = setup.client()?;
                    let run = || {
                        runtime.block_on(sort_dist(&client, &numbers, SORT_CHUNKS))
                    };
                    exp.measure("dist", w, run, check)
                }
            }?;
        }
    }
    Ok(exp.finish())
}
// ANCHOR_END: mergesort
