//! `cargo xtask compare` · Chapter 4: the merge sort, locally and as Celery
//! `sort` tasks through the same Redis.

use anyhow::ensure;
use serde_json::Value;

use super::{Bar, Pair, RustSide, reps, words};
use crate::compare::{Ctx, Scale};

fn numbers(scale: Scale) -> &'static str {
    match scale {
        Scale::Tiny => "20000",
        Scale::Measure => "1000000",
    }
}

pub fn mergesort() -> Pair {
    Pair {
        chapter: "ch04",
        example: "mergesort",
        service_ms: None,
        redis: true,
        features: None,
        celery_workers: 2,
        rust: RustSide::Record,
        rust_args: |ctx: &Ctx| {
            words(&[
                "mergesort",
                "--size",
                numbers(ctx.scale),
                "--variants",
                "seq,threads,dist",
                "--workers",
                "2",
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        python_module: "ch04.mergesort",
        python_args: |ctx: &Ctx| {
            words(&[
                "--numbers",
                numbers(ctx.scale),
                "--workers",
                "2",
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        probe: None,
        extras: &[],
        derive: None,
        same_size: &["numbers", "chunks"],
        bars: vec![
            Bar {
                label: "seq (Rust sort / book's mergesort)",
                rust: Some(("seq", 1)),
                python: Some(("seq", 1)),
            },
            Bar {
                label: "seq (Rust sort / Python sorted)",
                rust: Some(("seq", 1)),
                python: Some(("sorted", 1)),
            },
            Bar {
                label: "threads ×2 (Rust only)",
                rust: Some(("threads", 2)),
                python: None,
            },
            Bar {
                label: "Celery, 4 tasks, 2 workers",
                rust: Some(("dist", 2)),
                python: Some(("dist", 2)),
            },
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
    }
}

/// ch04's input generator (`crates/ch04/src/mergesort.rs`, SplitMix64),
/// restated to check that the Python side sorted the same numbers.
pub(super) fn seeded_numbers(count: usize, seed: u64) -> Vec<i64> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % 10_000_000) as i64
        })
        .collect()
}

fn calls(scale: Scale) -> &'static str {
    match scale {
        Scale::Tiny => "3",
        Scale::Measure => "20",
    }
}

/// The book's Pyro: a remote object called through a proxy; tarpc on the
/// Rust side. Each side's server looks rates up in a rate service of the
/// same latency (the Rust CLI starts its own).
pub fn rpc() -> Pair {
    Pair {
        chapter: "ch04",
        example: "rpc",
        service_ms: Some(50),
        redis: false,
        features: None,
        celery_workers: 0,
        rust: RustSide::Record,
        rust_args: |ctx| {
            let calls = calls(ctx.scale);
            let reps = reps(ctx.scale, false);
            words(&["rpc", "--size", calls, "--latency-ms", "50", "--reps", reps])
        },
        python_module: "ch04.rpc",
        python_args: |ctx| {
            let (url, file) = (ctx.url(), ctx.pairs_file_arg());
            words(&[
                "--rates",
                &url,
                "--pairs-file",
                &file,
                "--calls",
                calls(ctx.scale),
                "--latency-ms",
                "50",
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        probe: None,
        extras: &[],
        derive: None,
        same_size: &["calls", "latency_ms"],
        bars: vec![
            Bar {
                label: "one call at a time",
                rust: Some(("seq", 1)),
                python: Some(("seq", 1)),
            },
            Bar {
                label: "all calls at once",
                rust: Some(("async", 20)),
                python: Some(("async", 20)),
            },
        ],
        check: |rust, answer, _| {
            let quotes: Vec<workbench::rates::Quote> =
                serde_json::from_value(answer["quotes"].clone())?;
            let calls = rust.size["calls"].as_u64().unwrap_or_default() as usize;
            // The Rust side's own check of the rates its proxy returned.
            workbench::rates::verify(&workbench::rates::pairs(calls), &quotes)
        },
    }
}
