//! Chapter 1 · criterion benches: one group per workload, one id per variant.

use std::hint::black_box;

use ch01::memory::{reduce_atomic, reduce_channel, reduce_mutex, reduce_seq};
use ch01::workload::{Job, run_async, run_seq, run_threads};
use criterion::{Criterion, criterion_group, criterion_main};
use workbench::testing::bench::variants;

fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn amdahl_group(c: &mut Criterion) {
    let job = Job {
        units: 20_000,
        serial: 0.05,
    };
    let (w, size) = (workers(), "20000u-s0.05");
    let mut group = variants(c, "amdahl", size, 20, 3);
    group
        .bench("seq", || run_seq(black_box(&job)))
        .bench("threads", || run_threads(black_box(&job), w))
        .bench("async", || run_async(black_box(&job), w));
    // Worker processes are the chapter's binary: skip them if it cannot be built.
    if let Ok(command) = ch01::dist::locate_worker() {
        group.bench("dist", || {
            ch01::dist::run_dist(black_box(&job), w, &command)
        });
    }
    group.finish();
}

fn memory_group(c: &mut Criterion) {
    let (n, w, size) = (200_000u64, workers(), "200000");
    let mut group = variants(c, "memory", size, 20, 3);
    group
        .bench("seq", || reduce_seq(black_box(n)))
        .bench("mutex", || reduce_mutex(black_box(n), w))
        .bench("atomic", || reduce_atomic(black_box(n), w))
        .bench("channel", || reduce_channel(black_box(n), w));
    group.finish();
}

criterion_group!(benches, amdahl_group, memory_group);
criterion_main!(benches);
