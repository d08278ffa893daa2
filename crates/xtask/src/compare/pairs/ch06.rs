//! `cargo xtask compare` · Chapter 6: fib over MPI ranks and the ping-pong,
//! rsmpi against mpi4py, both started by mpirun on this machine.

use anyhow::{Context, Result, ensure};
use serde_json::Value;
use workbench::Record;

use super::{Pair, RustSide, bar, fib_sum_agrees, line, reps};
use crate::compare::{Ctx, Scale};

/// fib(n) of each of the 8 tasks.
fn n(scale: Scale) -> &'static str {
    scale.pick("18", "30")
}

pub fn fib() -> Pair {
    Pair {
        features: Some("ch06/mpi"),
        rust_args: |ctx| {
            let (n, reps) = (n(ctx.scale), reps(ctx.scale, false));
            line(&format!(
                "fib --size {n} --tasks 8 --variants seq,dist --workers 2 --reps {reps}"
            ))
        },
        python_args: |ctx| {
            let (n, reps) = (n(ctx.scale), reps(ctx.scale, false));
            line(&format!("--n {n} --tasks 8 --workers 2 --reps {reps}"))
        },
        // Seconds inside the ranks, from the barrier: the work without
        // mpirun's start-up.
        extras: &["in_ranks_s"],
        same_size: &["n", "tasks"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("2 MPI ranks (mpirun)", "dist", "dist", 2),
        ],
        check: |rust, answer, _| fib_sum_agrees(rust, answer, "ranks"),
        ..Pair::plain("ch06", "fib", "ch06.fib")
    }
}

/// The message sizes of both ping-pongs (bytes, and the figure's labels
/// as chapter 6's table writes them).
const SIZES: [(usize, &str); 7] = [
    (8, "8 B"),
    (64, "64 B"),
    (512, "512 B"),
    (4096, "4 KiB"),
    (32768, "32 KiB"),
    (262_144, "256 KiB"),
    (1_048_576, "1 MiB"),
];

fn sizes(scale: Scale) -> String {
    let all: Vec<String> = SIZES.iter().map(|(b, _)| b.to_string()).collect();
    match scale {
        Scale::Tiny => format!("{},{}", all[0], all[3]),
        Scale::Measure => all.join(","),
    }
}

/// Round trips per size, and rounds (of which the median is kept).
fn iters_rounds(scale: Scale) -> (&'static str, &'static str) {
    scale.pick(("50", "1"), ("2000", "3"))
}

/// Chapter 6's ping-pong record (Rust and C runs) as a record of the Rust
/// runs alone, named by message size as mpi4py's are: one run per size,
/// its time the one-way latency.
fn pingpong_record(own: &std::path::Path, _stdout: &str) -> Result<Record> {
    let both = Record::load_json(own)?;
    let mut record = Record::new("ch06", "pingpong", Value::Null);
    record.machine = both.machine;
    let mut sizes = Vec::new();
    for mut run in both.runs.into_iter().filter(|r| r.variant == "rust") {
        let bytes = *run.extra.get("bytes").context("a run's bytes")? as u64;
        let label = SIZES.iter().find(|(b, _)| *b as u64 == bytes);
        run.variant = label.map_or(format!("{bytes} B"), |(_, l)| l.to_string());
        run.extra
            .retain(|k, _| k == "latency_us" || k == "bandwidth_mb_s");
        record.runs.push(run);
        sizes.push(bytes);
    }
    ensure!(!sizes.is_empty(), "the Rust ping-pong measured no size");
    record.size = serde_json::json!({ "sizes": sizes });
    Ok(record)
}

/// Point to point: rsmpi's ping-pong against mpi4py's, same sizes, same
/// trips, both under `mpirun -n 2`.
pub fn pingpong() -> Pair {
    Pair {
        features: Some("ch06/mpi"),
        rust: RustSide::Converted {
            flags: true,
            convert: pingpong_record,
            rounds: 1, // ch06 pingpong keeps the median of its own rounds
        },
        rust_args: |ctx| {
            let mut args = line("pingpong");
            args.extend(python_args(ctx));
            args
        },
        python_args,
        extras: &["bandwidth_mb_s", "latency_us"],
        same_size: &["sizes"],
        bars: SIZES.iter().map(|&(_, l)| bar(l, l, l, 2)).collect(),
        check: |rust, answer, _| {
            ensure!(
                answer["sizes"] == rust.size["sizes"],
                "Python sent {} bytes, Rust {}",
                answer["sizes"],
                rust.size["sizes"]
            );
            Ok(())
        },
        ..Pair::plain("ch06", "pingpong", "ch06.pingpong")
    }
}

/// Both ping-pongs' arguments (the Rust CLI's after its subcommand).
fn python_args(ctx: &Ctx) -> Vec<String> {
    let (iters, rounds) = iters_rounds(ctx.scale);
    let sizes = sizes(ctx.scale);
    line(&format!(
        "--sizes {sizes} --iters {iters} --rounds {rounds}"
    ))
}
