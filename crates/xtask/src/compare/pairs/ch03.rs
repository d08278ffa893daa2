//! `cargo xtask compare` · Chapter 3: fib on threads, pools and processes.

use super::{Pair, RustSide, bar, fib_sum_agrees, reps, words};
use crate::compare::Scale;

// --- ch03 · fib: the GIL, a thread pool, a process pool's start-up --------

const FIB: (&str, &str) = ("30", "8");
const FIB_TINY: (&str, &str) = ("18", "4");

fn fib_size(scale: Scale) -> (&'static str, &'static str) {
    match scale {
        Scale::Tiny => FIB_TINY,
        Scale::Measure => FIB,
    }
}

pub fn fib() -> Pair {
    Pair {
        chapter: "ch03",
        example: "fib",
        service_ms: None,
        redis: false,
        features: None,
        celery_workers: 0,
        rust: RustSide::Record,
        rust_args: |ctx| {
            let scale = ctx.scale;
            let (n, tasks) = fib_size(scale);
            let reps = reps(scale, true);
            words(&[
                "fib",
                "--size",
                n,
                "--tasks",
                tasks,
                "--variants",
                "seq,threads,pool,processes",
                "--workers",
                "2",
                "--reps",
                reps,
            ])
        },
        python_module: "ch03.fib",
        python_args: |ctx| {
            let scale = ctx.scale;
            let (n, tasks) = fib_size(scale);
            let reps = reps(scale, false);
            words(&["--n", n, "--tasks", tasks, "--workers", "2", "--reps", reps])
        },
        probe: None,
        extras: &[],
        derive: None,
        same_size: &["n", "tasks"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("threads ×2", "threads", "threads", 2),
            bar("thread pool ×2", "pool", "pool", 2),
            bar("processes ×2", "processes", "processes", 2),
            bar("queue workers ×2", "processes", "queues", 2),
        ],
        check: |rust, answer, _| fib_sum_agrees(rust, answer, "answers"),
    }
}

// --- ch03 · currency: one thread per pair, asyncio, a request at a time ----

const CURRENCY_LATENCY_MS: u64 = 100;
const CURRENCY_PAIRS: usize = 12;

fn currency_pairs(scale: Scale) -> &'static str {
    match scale {
        Scale::Tiny => "3",
        Scale::Measure => "12",
    }
}

pub fn currency() -> Pair {
    Pair {
        chapter: "ch03",
        example: "currency",
        // The Python side's service; the Rust CLI starts its own, the same
        // program with the same latency.
        redis: false,
        features: None,
        celery_workers: 0,
        service_ms: Some(CURRENCY_LATENCY_MS),
        rust: RustSide::Record,
        rust_args: |ctx| {
            words(&[
                "currency",
                "--size",
                currency_pairs(ctx.scale),
                "--latency-ms",
                "100",
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        python_module: "ch03.currency",
        python_args: |ctx| {
            let url = ctx.url();
            let file = ctx.pairs_file_arg();
            words(&[
                "--url",
                &url,
                "--pairs-file",
                &file,
                "--pairs",
                currency_pairs(ctx.scale),
                "--latency-ms",
                "100",
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        probe: None,
        extras: &[],
        derive: None,
        same_size: &["pairs", "latency_ms"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("a thread per pair", "threads", "threads", CURRENCY_PAIRS),
            bar("async", "async", "async", CURRENCY_PAIRS),
        ],
        check: |rust, answer, _| {
            let quotes: Vec<workbench::rates::Quote> =
                serde_json::from_value(answer["quotes"].clone())?;
            let asked = rust.size["pairs"].as_u64().unwrap_or_default();
            // The Rust side's own check of the quotes it fetched.
            workbench::rates::verify(
                &workbench::rates::pairs(asked as usize),
                &quotes,
            )
        },
    }
}
