//! Chapter 3 · criterion benches: one group per workload, one id per variant.

use std::hint::black_box;
use std::time::Duration;

use ch03::fib::{
    fib_async, fib_pool, fib_rayon, fib_seq, fib_spawn_blocking, fib_threads,
};
use ch03::processes::{fib_processes, worker_command};
use criterion::{Criterion, criterion_group, criterion_main};
use workbench::rates::{self, RateService};
use workbench::testing::bench::variants;

fn fib_group(c: &mut Criterion) {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let tasks = vec![27u32; 8];
    let size = "27x8";
    let mut group = variants(c, "fib", size, 20, 3);
    group
        .bench("seq", || fib_seq(black_box(&tasks)))
        .bench("threads", || fib_threads(black_box(&tasks), workers))
        .bench("pool", || fib_pool(black_box(&tasks), workers))
        .bench("rayon", || fib_rayon(black_box(&tasks), workers))
        .bench("async", || fib_async(black_box(&tasks), workers))
        .bench("spawn_blocking", || {
            fib_spawn_blocking(black_box(&tasks), workers)
        });
    // The worker processes are the chapter's own binary; skip them when it
    // has not been built (criterion benches the library, not the binary).
    if let Ok(exe) = workbench::bins::cargo_bin("ch03", "ch03") {
        let command = worker_command(exe);
        group.bench("processes", || {
            fib_processes(black_box(&tasks), workers, &command)
        });
    }
    group.finish();
}

fn currency_group(c: &mut Criterion) {
    let service = match RateService::start(Duration::from_millis(20)) {
        Ok(service) => service,
        Err(err) => panic!("the rate service did not start: {err:#}"),
    };
    let url = service.base_url();
    let pairs = rates::pairs(8);
    let size = "8x20ms";
    let mut group = variants(c, "currency", size, 10, 3);
    group
        .bench("seq", || ch03::currency::rates_seq(&url, &pairs))
        .bench("threads", || ch03::currency::rates_threads(&url, &pairs))
        .bench("async", || ch03::currency::rates_async(&url, &pairs));
    group.finish();
}

criterion_group!(benches, fib_group, currency_group);
criterion_main!(benches);
