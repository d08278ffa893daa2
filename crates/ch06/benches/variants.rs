//! Chapter 6 · criterion benches: fib on seq, threads, async and dist
//! (MPI ranks, when the rank program builds here).

use std::hint::black_box;

use ch06::fib::{fib_async, fib_dist, fib_seq, fib_threads};
use ch06::launch::{MpiJob, mpi_program};
use criterion::{Criterion, criterion_group, criterion_main};
use workbench::testing::bench::variants;

fn fib_group(c: &mut Criterion) {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (n, count) = (32u32, 8usize);
    let tasks = vec![n; count];
    let size = "32x8";
    let mut group = variants(c, "fib", size, 10, 5);
    group
        .bench("seq", || fib_seq(black_box(&tasks)))
        .bench("threads", || fib_threads(black_box(&tasks), workers))
        .bench("async", || fib_async(black_box(&tasks), workers));
    // dist starts mpirun each time: launch cost included, as in the record.
    match mpi_program() {
        Ok(program) => {
            let job = MpiJob::mpirun(program, workers);
            group.bench("dist", || fib_dist(n, count, &job));
        }
        Err(err) => eprintln!("dist not benchmarked: {err:#}"),
    }
    group.finish();
}

criterion_group!(benches, fib_group);
criterion_main!(benches);
