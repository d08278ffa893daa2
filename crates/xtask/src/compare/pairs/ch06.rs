//! `cargo xtask compare` · Chapter 6: fib over MPI ranks, rsmpi against
//! mpi4py, both started by mpirun on this machine.

use super::{Pair, RustSide, bar, fib_sum_agrees, reps, words};
use crate::compare::Scale;

fn n(scale: Scale) -> &'static str {
    match scale {
        Scale::Tiny => "18",
        Scale::Measure => "30",
    }
}

pub fn fib() -> Pair {
    Pair {
        chapter: "ch06",
        example: "fib",
        service_ms: None,
        redis: false,
        features: Some("ch06/mpi"),
        celery_workers: 0,
        rust: RustSide::Record,
        rust_args: |ctx| {
            words(&[
                "fib",
                "--size",
                n(ctx.scale),
                "--tasks",
                "8",
                "--variants",
                "seq,dist",
                "--workers",
                "2",
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        python_module: "ch06.fib",
        python_args: |ctx| {
            words(&[
                "--n",
                n(ctx.scale),
                "--tasks",
                "8",
                "--workers",
                "2",
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        probe: None,
        // Seconds inside the ranks, from the barrier: the work without
        // mpirun's start-up.
        extras: &["in_ranks_s"],
        same_size: &["n", "tasks"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("2 MPI ranks (mpirun)", "dist", "dist", 2),
        ],
        check: |rust, answer, _| fib_sum_agrees(rust, answer, "ranks"),
    }
}
