//! Chapter 6 · criterion benches: fib on seq, threads, async and dist
//! (MPI ranks, when the rank program builds here).

use std::hint::black_box;
use std::time::Duration;

use ch06::fib::{fib_async, fib_dist, fib_seq, fib_threads};
use ch06::launch::{MpiJob, mpi_program};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn fib_group(c: &mut Criterion) {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (n, count) = (32u32, 8usize);
    let tasks = vec![n; count];
    let size = "32x8";
    let mut group = c.benchmark_group("fib");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.bench_function(BenchmarkId::new("seq", size), |b| {
        b.iter(|| fib_seq(black_box(&tasks)))
    });
    group.bench_function(BenchmarkId::new("threads", size), |b| {
        b.iter(|| fib_threads(black_box(&tasks), workers))
    });
    group.bench_function(BenchmarkId::new("async", size), |b| {
        b.iter(|| fib_async(black_box(&tasks), workers))
    });
    // dist starts mpirun each time: launch cost included, as in the record.
    match mpi_program() {
        Ok(program) => {
            let job = MpiJob::mpirun(program, workers);
            group.bench_function(BenchmarkId::new("dist", size), |b| {
                b.iter(|| fib_dist(n, count, &job))
            });
        }
        Err(err) => eprintln!("dist not benchmarked: {err:#}"),
    }
    group.finish();
}

criterion_group!(benches, fib_group);
criterion_main!(benches);
