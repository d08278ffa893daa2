//! Chapter 1 · criterion benches: one group per workload, one id per variant.

use std::hint::black_box;
use std::time::Duration;

use ch01::memory::{reduce_atomic, reduce_channel, reduce_mutex, reduce_seq};
use ch01::workload::{Job, run_async, run_seq, run_threads};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn amdahl_group(c: &mut Criterion) {
    let job = Job {
        units: 20_000,
        serial: 0.05,
    };
    let (w, size) = (workers(), "20000u-s0.05");
    let mut group = c.benchmark_group("amdahl");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    group.bench_function(BenchmarkId::new("seq", size), |b| {
        b.iter(|| run_seq(black_box(&job)))
    });
    group.bench_function(BenchmarkId::new("threads", size), |b| {
        b.iter(|| run_threads(black_box(&job), w))
    });
    group.bench_function(BenchmarkId::new("async", size), |b| {
        b.iter(|| run_async(black_box(&job), w))
    });
    // Worker processes are the chapter's binary: skip them if it cannot be built.
    if let Ok(command) = ch01::dist::locate_worker() {
        group.bench_function(BenchmarkId::new("dist", size), |b| {
            b.iter(|| ch01::dist::run_dist(black_box(&job), w, &command))
        });
    }
    group.finish();
}

fn memory_group(c: &mut Criterion) {
    let (n, w, size) = (200_000u64, workers(), "200000");
    let mut group = c.benchmark_group("memory");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    group.bench_function(BenchmarkId::new("seq", size), |b| {
        b.iter(|| reduce_seq(black_box(n)))
    });
    group.bench_function(BenchmarkId::new("mutex", size), |b| {
        b.iter(|| reduce_mutex(black_box(n), w))
    });
    group.bench_function(BenchmarkId::new("atomic", size), |b| {
        b.iter(|| reduce_atomic(black_box(n), w))
    });
    group.bench_function(BenchmarkId::new("channel", size), |b| {
        b.iter(|| reduce_channel(black_box(n), w))
    });
    group.finish();
}

criterion_group!(benches, amdahl_group, memory_group);
criterion_main!(benches);
