//! `cargo xtask compare` · Chapter 1: the Amdahl workload on both sides.

use anyhow::ensure;

use super::{Pair, bar, line, reps, words};
use crate::compare::Scale;

// --- ch01 · amdahl: the GIL caps the fitted serial fraction ---------------

/// Units of work and the serial fraction.
fn amdahl_size(scale: Scale) -> (&'static str, &'static str) {
    scale.pick(("200", "0.05"), ("5000", "0.05"))
}

pub fn amdahl() -> Pair {
    Pair {
        rust_args: |ctx| {
            let ((units, serial), reps) =
                (amdahl_size(ctx.scale), reps(ctx.scale, true));
            line(&format!(
                "amdahl --size {units} --serial {serial} \
                 --variants seq,threads,dist --workers 2 --reps {reps}"
            ))
        },
        python_args: |ctx| {
            let ((units, serial), reps) =
                (amdahl_size(ctx.scale), reps(ctx.scale, false));
            line(&format!(
                "--units {units} --serial {serial} --workers 2 --reps {reps}"
            ))
        },
        // The chapter's worker process sums the parallel units: the Rust
        // side's `sum`, from the Rust code.
        probe: Some(|rust| {
            let units = rust.size["units"].as_u64().unwrap_or_default();
            let serial = rust.size["serial"].as_f64().unwrap_or_default();
            let start = (units as f64 * serial).round() as u64;
            let task = serde_json::json!({"Units": {"start": start, "end": units}});
            (words(&["worker"]), format!("{task}\n"))
        }),
        // The serial fraction fitted from each run (Karp–Flatt).
        extras: &["karp_flatt"],
        same_size: &["units", "serial"],
        bars: vec![
            bar("seq", "seq", "seq", 1),
            bar("threads ×2", "threads", "threads", 2),
            bar("processes ×2", "dist", "dist", 2),
        ],
        check: |_, answer, probe| {
            let rust: u64 = probe.unwrap_or_default().trim().parse()?;
            ensure!(
                answer["sum"] == rust,
                "Python's sum of the parallel units is {}, Rust's worker says {rust}",
                answer["sum"]
            );
            Ok(())
        },
        ..Pair::plain("ch01", "amdahl", "ch01.amdahl")
    }
}
