//! `cargo xtask compare` · Chapter 1: the Amdahl workload on both sides.

use anyhow::ensure;

use super::{Pair, RustSide, bar, reps, words};
use crate::compare::Scale;

// --- ch01 · amdahl: the GIL caps the fitted serial fraction ---------------

const AMDAHL: (&str, &str) = ("5000", "0.05");
const AMDAHL_TINY: (&str, &str) = ("200", "0.05");

fn amdahl_size(scale: Scale) -> (&'static str, &'static str) {
    match scale {
        Scale::Tiny => AMDAHL_TINY,
        Scale::Measure => AMDAHL,
    }
}

pub fn amdahl() -> Pair {
    Pair {
        chapter: "ch01",
        example: "amdahl",
        service_ms: None,
        redis: false,
        features: None,
        celery_workers: 0,
        rust: RustSide::Record,
        rust_args: |ctx| {
            let scale = ctx.scale;
            let (units, serial) = amdahl_size(scale);
            words(&[
                "amdahl",
                "--size",
                units,
                "--serial",
                serial,
                "--variants",
                "seq,threads,dist",
                "--workers",
                "2",
                "--reps",
                reps(scale, true),
            ])
        },
        python_module: "ch01.amdahl",
        python_args: |ctx| {
            let scale = ctx.scale;
            let (units, serial) = amdahl_size(scale);
            words(&[
                "--units",
                units,
                "--serial",
                serial,
                "--workers",
                "2",
                "--reps",
                reps(scale, false),
            ])
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
        derive: None,
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
    }
}
