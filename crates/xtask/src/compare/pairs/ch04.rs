//! `cargo xtask compare` · Chapter 4: the merge sort, locally and as Celery
//! `sort` tasks through the same Redis.

use anyhow::ensure;
use serde_json::Value;

use super::{Pair, bar, bar_of, line, quotes_agree, reps};
use crate::compare::{Ctx, Scale};

/// How many numbers are sorted.
fn numbers(scale: Scale) -> &'static str {
    scale.pick("20000", "1000000")
}

pub fn mergesort() -> Pair {
    Pair {
        redis: true,
        celery_workers: 2,
        rust_args: |ctx: &Ctx| {
            let (numbers, reps) = (numbers(ctx.scale), reps(ctx.scale, false));
            line(&format!(
                "mergesort --size {numbers} --variants seq,threads,dist \
                 --workers 2 --reps {reps}"
            ))
        },
        python_args: |ctx: &Ctx| {
            let (numbers, reps) = (numbers(ctx.scale), reps(ctx.scale, false));
            line(&format!("--numbers {numbers} --workers 2 --reps {reps}"))
        },
        same_size: &["numbers", "chunks"],
        bars: vec![
            bar("seq (Rust sort / book's mergesort)", "seq", "seq", 1),
            bar_of(
                "seq (Rust sort / Python sorted)",
                ("seq", 1),
                Some(("sorted", 1)),
            ),
            bar_of("threads ×2 (Rust only)", ("threads", 2), None),
            bar("Celery, 4 tasks, 2 workers", "dist", "dist", 2),
        ],
        check: |rust, answer, _| {
            let count = rust.size["numbers"].as_u64().unwrap_or_default() as usize;
            let input = seeded_numbers(count, 2016);
            let sum: i64 = input.iter().sum();
            ensure!(
                answer["input_sum"] == sum
                    && answer["input_head"]
                        == Value::from(input[..5.min(count)].to_vec()),
                "the Python side sorted other numbers than ch04's seeded input"
            );
            Ok(())
        },
        ..Pair::plain("ch04", "mergesort", "ch04.mergesort")
    }
}

/// ch04's input generator, to check that the Python side sorted the same
/// numbers.
pub(super) use workbench::seeded::seeded_numbers;

/// The book's Pyro: a remote object called through a proxy; tarpc on the
/// Rust side. Each side's server looks rates up in a rate service of the
/// same latency (the Rust CLI starts its own).
pub fn rpc() -> Pair {
    Pair {
        service_ms: Some(50),
        rust_args: |ctx| {
            let (calls, reps) = (ctx.scale.pick("3", "20"), reps(ctx.scale, false));
            line(&format!("rpc --size {calls} --latency-ms 50 --reps {reps}"))
        },
        python_args: |ctx| {
            let (calls, reps) = (ctx.scale.pick("3", "20"), reps(ctx.scale, false));
            let rest = format!("--calls {calls} --latency-ms 50 --reps {reps}");
            ctx.service_args("--rates", &rest)
        },
        same_size: &["calls", "latency_ms"],
        bars: vec![
            bar("one call at a time", "seq", "seq", 1),
            bar("all calls at once", "async", "async", 20),
        ],
        check: |rust, answer, _| quotes_agree(answer, &rust.size["calls"]),
        ..Pair::plain("ch04", "rpc", "ch04.rpc")
    }
}
