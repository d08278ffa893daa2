//! `cargo xtask compare` · Chapter 3: fib on threads, pools and processes.

use super::{Pair, bar, fib_sum_agrees, line, quotes_agree, reps};
use crate::compare::Scale;

// --- ch03 · fib: the GIL, a thread pool, a process pool's start-up --------

/// fib(n) and how many tasks of it.
fn fib_size(scale: Scale) -> (&'static str, &'static str) {
    scale.pick(("18", "4"), ("30", "8"))
}

pub fn fib() -> Pair {
    Pair {
        rust_args: |ctx| {
            let ((n, tasks), reps) = (fib_size(ctx.scale), reps(ctx.scale, true));
            line(&format!(
                "fib --size {n} --tasks {tasks} \
                 --variants seq,threads,pool,processes --workers 2 --reps {reps}"
            ))
        },
        python_args: |ctx| {
            let ((n, tasks), reps) = (fib_size(ctx.scale), reps(ctx.scale, false));
            line(&format!(
                "--n {n} --tasks {tasks} --workers 2 --reps {reps}"
            ))
        },
        same_size: &["n", "tasks"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("threads ×2", "threads", "threads", 2),
            bar("thread pool ×2", "pool", "pool", 2),
            bar("processes ×2", "processes", "processes", 2),
            bar("queue workers ×2", "processes", "queues", 2),
        ],
        check: |rust, answer, _| fib_sum_agrees(rust, answer, "answers"),
        ..Pair::plain("ch03", "fib", "ch03.fib")
    }
}

// --- ch03 · currency: one thread per pair, asyncio, a request at a time ----

const CURRENCY_LATENCY_MS: u64 = 100;
const CURRENCY_PAIRS: usize = 12;

pub fn currency() -> Pair {
    Pair {
        // The Python side's service; the Rust CLI starts its own, the same
        // program with the same latency.
        service_ms: Some(CURRENCY_LATENCY_MS),
        rust_args: |ctx| {
            let (pairs, reps) = (ctx.scale.pick("3", "12"), reps(ctx.scale, false));
            line(&format!(
                "currency --size {pairs} --latency-ms 100 --reps {reps}"
            ))
        },
        python_args: |ctx| {
            let (pairs, reps) = (ctx.scale.pick("3", "12"), reps(ctx.scale, false));
            let rest = format!("--pairs {pairs} --latency-ms 100 --reps {reps}");
            ctx.service_args("--url", &rest)
        },
        same_size: &["pairs", "latency_ms"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("a thread per pair", "threads", "threads", CURRENCY_PAIRS),
            bar("async", "async", "async", CURRENCY_PAIRS),
        ],
        check: |rust, answer, _| quotes_agree(answer, &rust.size["pairs"]),
        ..Pair::plain("ch03", "currency", "ch03.currency")
    }
}
