//! Chapter 7 · criterion benches: what logging costs, one id per variant
//! and instrumentation (`seq/off`, `threads/json`, ...).

use std::hint::black_box;
use std::time::Duration;

use ch07::logs::observe::{
    LEVELS, N, dispatch, dist, empty, run_async, seq, threads,
};
use criterion::{
    BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main,
};

/// Each run starts from empty log files, so the JSON level's files stay
/// one run long (emptying them is not timed).
const PER_RUN: BatchSize = BatchSize::PerIteration;

fn observability_group(c: &mut Criterion) {
    let tasks = 2_000u64;
    let dir = workbench::bins::target_dir().join("ch07-bench");
    if std::fs::create_dir_all(&dir).is_err() {
        return; // nowhere to write the JSON logs
    }
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_ch07"));
    let mut group = c.benchmark_group("observability");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    for level in LEVELS {
        let log = dir.join(format!("{level}.jsonl"));
        let Ok(subscriber) = dispatch(level, &log) else {
            continue;
        };
        group.bench_function(BenchmarkId::new("seq", level), |b| {
            b.iter_batched(
                || empty(&log),
                |_| seq(0..black_box(tasks), N, &subscriber),
                PER_RUN,
            )
        });
        group.bench_function(BenchmarkId::new("threads", level), |b| {
            b.iter_batched(
                || empty(&log),
                |_| threads(black_box(tasks), N, &subscriber),
                PER_RUN,
            )
        });
        group.bench_function(BenchmarkId::new("async", level), |b| {
            b.iter_batched(
                || empty(&log),
                |_| run_async(black_box(tasks), N, &subscriber),
                PER_RUN,
            )
        });
        group.bench_function(BenchmarkId::new("dist", level), |b| {
            b.iter_batched(
                || empty(&log),
                |_| dist(exe, black_box(tasks), N, level, &log),
                PER_RUN,
            )
        });
        let _ = std::fs::remove_file(&log);
    }
    group.finish();
}

criterion_group!(benches, observability_group);
criterion_main!(benches);
