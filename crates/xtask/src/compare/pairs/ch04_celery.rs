//! `cargo xtask compare` · Chapter 4: Celery's echo and fib tasks, Rust
//! client and workers against Python client and workers on the same Redis:
//! the per-task overhead (one round trip, over a bare PING) and throughput.

use anyhow::{Context, Result, ensure};
use serde_json::json;
use workbench::Record;

use super::{Bar, Pair, RustSide, bar, reps, words};
use crate::compare::{Ctx, Scale};

/// Timed round trips; the echo group has ten times as many tasks.
fn round_trips(scale: Scale) -> &'static str {
    match scale {
        Scale::Tiny => "10",
        Scale::Measure => "200",
    }
}

/// fib(n) of each of the 16 fib tasks.
fn fib_n(scale: Scale) -> &'static str {
    match scale {
        Scale::Tiny => "15",
        Scale::Measure => "30",
    }
}

/// The Rust side: `ch04 overhead`, `ch04 throughput` (which also sends
/// the Rust client's tasks to Python workers) and `ch04 fib`.
fn calls(ctx: &Ctx) -> Vec<Vec<String>> {
    let broker = ctx.broker();
    let trips = round_trips(ctx.scale);
    let reps = reps(ctx.scale, false);
    let common = |example: &str, size: &str| {
        words(&[example, "--size", size, "--broker", &broker, "--reps", reps])
    };
    let mut fib = common("fib", fib_n(ctx.scale));
    fib.extend(words(&["--variants", "seq,dist", "--workers", "2"]));
    vec![common("overhead", trips), common("throughput", trips), fib]
}

/// One record of the three: the size under the Python side's names,
/// `tasks_per_s` on every run, speed-ups only among the fib runs.
fn merge(records: Vec<Record>) -> Result<Record> {
    let [overhead, throughput, fib] = <[Record; 3]>::try_from(records)
        .map_err(|_| anyhow::anyhow!("three Rust records expected"))?;
    let size = |r: &Record, key: &str| r.size[key].as_u64().context("a size");
    let fib_tasks = size(&fib, "tasks")?;
    let mut merged = Record::new(
        "ch04",
        "celery",
        json!({
            "round_trips": size(&overhead, "round_trips")?,
            "echo_tasks": size(&throughput, "tasks")?,
            "fib_n": size(&fib, "n")?,
            "fib_tasks": fib_tasks,
        }),
    );
    merged.machine = fib.machine.clone();
    for mut run in overhead.runs.into_iter().chain(throughput.runs) {
        run.speedup = None;
        run.efficiency = None;
        if run.skipped.is_none() && !run.extra.contains_key("tasks_per_s") {
            run.extra.insert("tasks_per_s".into(), 1.0 / run.wall_s);
        }
        merged.runs.push(run);
    }
    for mut run in fib.runs {
        let per_s = fib_tasks as f64 / run.wall_s;
        run.extra.insert("tasks_per_s".into(), per_s);
        merged.runs.push(run);
    }
    Ok(merged)
}

pub fn celery() -> Pair {
    Pair {
        chapter: "ch04",
        example: "celery",
        service_ms: None,
        redis: true,
        features: None,
        celery_workers: 2,
        rust: RustSide::Merged { calls, merge },
        rust_args: |_| Vec::new(),
        python_module: "ch04.overhead",
        python_args: |ctx| {
            let broker = ctx.broker();
            words(&[
                "--broker",
                &broker,
                "--workers",
                "2",
                "--round-trips",
                round_trips(ctx.scale),
                "--n",
                fib_n(ctx.scale),
                "--reps",
                reps(ctx.scale, false),
            ])
        },
        probe: None,
        extras: &["tasks_per_s", "x_ping"],
        derive: None,
        same_size: &["round_trips", "echo_tasks", "fib_n", "fib_tasks"],
        bars: vec![
            bar("Redis PING (floor)", "ping", "ping", 1),
            bar("echo, one round trip", "echo", "echo", 1),
            Bar {
                label: "echo × N, 2 workers",
                rust: Some(("rust", 2)),
                python: Some(("echo_group", 2)),
            },
            Bar {
                label: "same, Rust client",
                rust: Some(("python", 2)),
                python: None,
            },
            bar("fib × 16, one core", "seq", "seq", 1),
            bar("fib × 16, 2 workers", "dist", "dist", 2),
        ],
        check: |rust, answer, _| {
            let n = rust.size["fib_n"].as_u64().unwrap_or_default() as u32;
            let tasks = rust.size["fib_tasks"].as_u64().unwrap_or_default();
            let want = workbench::fib::fib_expected(n) * tasks;
            ensure!(
                answer["fib_sum"] == want,
                "Python's fib tasks sum to {}, Rust verified {tasks} × fib({n}) = {want}",
                answer["fib_sum"]
            );
            ensure!(
                answer["echoed"] == rust.size["echo_tasks"],
                "Python echoed {} tasks, Rust {}",
                answer["echoed"],
                rust.size["echo_tasks"]
            );
            Ok(())
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(
        example: &str,
        size: serde_json::Value,
        runs: &[(&str, f64)],
    ) -> Record {
        let mut record = Record::new("ch04", example, size);
        for &(variant, wall_s) in runs {
            let mut run = workbench::Run::new(variant, 1, wall_s, 0.0);
            run.speedup = Some(1.0);
            record.runs.push(run);
        }
        record
    }

    #[test]
    fn three_records_merge_into_one_with_tasks_per_second() {
        let merged = merge(vec![
            record("overhead", json!({"round_trips": 10}), &[("echo", 0.004)]),
            record("throughput", json!({"tasks": 100}), &[("rust", 0.1)]),
            record("fib", json!({"n": 15, "tasks": 16}), &[("dist", 0.5)]),
        ])
        .expect("three records merge");
        assert_eq!(merged.size["echo_tasks"], 100);
        assert_eq!(merged.size["fib_n"], 15);
        let per_s = |v: &str| merged.run(v, 1).expect(v).extra["tasks_per_s"];
        assert_eq!(per_s("echo"), 250.0);
        assert_eq!(per_s("rust"), 10.0);
        assert_eq!(per_s("dist"), 32.0);
        assert_eq!(merged.run("echo", 1).expect("echo").speedup, None);
        assert_eq!(merged.run("dist", 1).expect("dist").speedup, Some(1.0));
        assert!(merge(Vec::new()).is_err());
    }
}
