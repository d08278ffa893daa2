//! Chapter 4 · criterion benches: fib tasks and the merge sort on seq,
//! threads, async and dist (a local Redis and two worker processes), and
//! one trivial task's round trip against a Redis PING.

use std::hint::black_box;
use std::time::Duration;

use ch04::compare::{SORT_CHUNKS, fib_async, fib_dist, fib_threads};
use ch04::mergesort::{
    seeded_numbers, sort_async, sort_dist, sort_seq, sort_threads,
};
use ch04::setup::Setup;
use ch04::tasks::echo;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    // The dist variants need a broker and the worker program; without
    // them the local variants still run and the reason is printed.
    let cluster = Setup::new(None).and_then(|setup| {
        let workers = setup.workers(2, 1)?;
        let (runtime, client) = setup.client()?;
        Ok((workers, runtime, client, setup)) // dropped in this order
    });
    if let Err(why) = &cluster {
        eprintln!("dist variants skipped: {why:#}");
    }
    let dist = cluster.as_ref().ok();

    let tasks = vec![27u32; 16];
    let mut group = c.benchmark_group("fib");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    let size = "27x16";
    group.bench_function(BenchmarkId::new("seq", size), |b| {
        b.iter(|| {
            tasks
                .iter()
                .map(|&n| workbench::fib::fib(black_box(n)))
                .sum::<u64>()
        })
    });
    group.bench_function(BenchmarkId::new("threads", size), |b| {
        b.iter(|| fib_threads(black_box(&tasks), 2))
    });
    group.bench_function(BenchmarkId::new("async", size), |b| {
        b.iter(|| fib_async(black_box(&tasks), 2))
    });
    if let Some((_, runtime, client, _)) = dist {
        group.bench_function(BenchmarkId::new("dist", size), |b| {
            b.iter(|| fib_dist(runtime, client, black_box(&tasks)))
        });
    }
    group.finish();

    let numbers = seeded_numbers(250_000, 2016);
    let mut group = c.benchmark_group("mergesort");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    let size = "250000";
    group.bench_function(BenchmarkId::new("seq", size), |b| {
        b.iter(|| sort_seq(black_box(&numbers)))
    });
    group.bench_function(BenchmarkId::new("threads", size), |b| {
        b.iter(|| sort_threads(black_box(&numbers), SORT_CHUNKS, 2))
    });
    group.bench_function(BenchmarkId::new("async", size), |b| {
        b.iter(|| sort_async(black_box(&numbers), SORT_CHUNKS, 2))
    });
    if let Some((_, runtime, client, _)) = dist {
        group.bench_function(BenchmarkId::new("dist", size), |b| {
            b.iter(|| {
                runtime.block_on(sort_dist(client, black_box(&numbers), SORT_CHUNKS))
            })
        });
    }
    group.finish();

    if let Some((_, runtime, client, _)) = dist {
        let mut group = c.benchmark_group("round_trip");
        group.bench_function(BenchmarkId::new("ping", 1), |b| {
            b.iter(|| runtime.block_on(client.ping()))
        });
        group.bench_function(BenchmarkId::new("echo", 1), |b| {
            let wait = Duration::from_secs(10);
            b.iter(|| runtime.block_on(client.call(echo::new(String::new()), wait)))
        });
        group.finish();
    }
}

criterion_group!(variants, benches);
criterion_main!(variants);
