//! `cargo xtask compare` · Chapter 4: Celery's echo, fib and rate tasks,
//! Rust client and workers against Python client and workers on the same
//! Redis: the per-task overhead (one round trip, over a bare PING),
//! throughput, and the book's currency.py (rate tasks asking one service).

use anyhow::{Context, Result, ensure};
use serde_json::json;
use workbench::Record;

use super::{Pair, RustSide, bar, bar_of, line, quotes_agree, reps, words};
use crate::compare::{Ctx, Scale};

/// Timed round trips; the echo group has ten times as many tasks.
fn round_trips(scale: Scale) -> &'static str {
    scale.pick("10", "200")
}

/// fib(n) of each of the 16 fib tasks.
fn fib_n(scale: Scale) -> &'static str {
    scale.pick("15", "30")
}

/// Rate tasks in the group, each asking the service (50 ms) for one pair.
fn rate_tasks(scale: Scale) -> &'static str {
    scale.pick("4", "20")
}

/// The rate service's latency (ms), the same for both sides' workers.
const RATE_LATENCY_MS: u64 = 50;

/// The Rust side: `ch04 overhead`, `ch04 throughput` (which also sends
/// the Rust client's tasks to Python workers), `ch04 fib` and `ch04
/// rate-group` (its workers asking the service both sides share).
fn calls(ctx: &Ctx) -> Vec<Vec<String>> {
    let trips = round_trips(ctx.scale);
    let reps = reps(ctx.scale, false);
    let common = |example: &str, size: &str| {
        words(&[example, "--size", size, "--reps", reps])
    };
    let mut fib = common("fib", fib_n(ctx.scale));
    fib.extend(words(&["--variants", "seq,dist", "--workers", "2"]));
    let mut rate = common("rate-group", rate_tasks(ctx.scale));
    let latency = RATE_LATENCY_MS.to_string();
    rate.extend(words(&["--rates", &ctx.url(), "--latency-ms", &latency]));
    vec![
        common("overhead", trips),
        common("throughput", trips),
        fib,
        rate,
    ]
}

/// One record of the four: the size under the Python side's names,
/// `tasks_per_s` on every run, speed-ups only among the fib runs; the rate
/// group's `dist` run is `rate_group` (fib's is `dist`).
fn merge(records: Vec<Record>) -> Result<Record> {
    let [overhead, throughput, fib, rate] = <[Record; 4]>::try_from(records)
        .map_err(|_| anyhow::anyhow!("four Rust records expected"))?;
    let size = |r: &Record, key: &str| r.size[key].as_u64().context("a size");
    let fib_tasks = size(&fib, "tasks")?;
    let rate_tasks = size(&rate, "pairs")?;
    let mut merged = Record::new(
        "ch04",
        "celery",
        json!({
            "round_trips": size(&overhead, "round_trips")?,
            "echo_tasks": size(&throughput, "tasks")?,
            "fib_n": size(&fib, "n")?,
            "fib_tasks": fib_tasks,
            "rate_tasks": rate_tasks,
            "latency_ms": size(&rate, "latency_ms")?,
        }),
    );
    merged.machine = fib.machine.clone();
    let rate_runs = rate.runs.into_iter().map(|mut run| {
        run.variant = "rate_group".into();
        if run.skipped.is_none() {
            let per_s = rate_tasks as f64 / run.wall_s;
            run.extra.insert("tasks_per_s".into(), per_s);
        }
        run
    });
    for mut run in overhead
        .runs
        .into_iter()
        .chain(throughput.runs)
        .chain(rate_runs)
    {
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
        service_ms: Some(RATE_LATENCY_MS),
        redis: true,
        celery_workers: 2,
        rust: RustSide::Merged { calls, merge },
        python_args: |ctx| {
            let scale = ctx.scale;
            let mut args = line(&format!(
                "--workers 2 --round-trips {} --n {}",
                round_trips(scale),
                fib_n(scale)
            ));
            args.extend(words(&["--pairs-file", &ctx.pairs_file_arg()]));
            args.extend(line(&format!(
                "--rate-tasks {} --latency-ms {RATE_LATENCY_MS} --reps {}",
                rate_tasks(scale),
                reps(scale, false)
            )));
            args
        },
        extras: &["tasks_per_s", "x_ping"],
        same_size: &[
            "round_trips",
            "echo_tasks",
            "fib_n",
            "fib_tasks",
            "rate_tasks",
            "latency_ms",
        ],
        bars: vec![
            bar("Redis PING (floor)", "ping", "ping", 1),
            bar("echo, one round trip", "echo", "echo", 1),
            bar_of("echo × N, 2 workers", ("rust", 2), Some(("echo_group", 2))),
            bar_of("same, Rust client", ("python", 2), None),
            bar("rate × N, 2 workers", "rate_group", "rate_group", 2),
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
            // The pairs the Rust rate group asked, and the rates it checked.
            quotes_agree(answer, &rust.size["rate_tasks"])
                .context("Python's rate tasks")
        },
        ..Pair::plain("ch04", "celery", "ch04.overhead")
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
    fn four_records_merge_into_one_with_tasks_per_second() {
        let merged = four_records();
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

    /// The rate group's record joins the other three: its size under the
    /// Python side's names, its run as `rate_group` beside fib's `dist`.
    fn four_records() -> Record {
        let mut rate = record(
            "rate-group",
            json!({"pairs": 4, "latency_ms": 50}),
            &[("dist", 0.2)],
        );
        rate.runs[0].workers = 2;
        merge(vec![
            record("overhead", json!({"round_trips": 10}), &[("echo", 0.004)]),
            record("throughput", json!({"tasks": 100}), &[("rust", 0.1)]),
            record("fib", json!({"n": 15, "tasks": 16}), &[("dist", 0.5)]),
            rate,
        ])
        .expect("four records merge")
    }

    #[test]
    fn the_rate_group_merges_as_rate_group_with_tasks_per_second() {
        let merged = four_records();
        assert_eq!(merged.size["rate_tasks"], 4);
        assert_eq!(merged.size["latency_ms"], 50);
        let rate = merged.run("rate_group", 2).expect("rate_group@2");
        assert_eq!(rate.extra["tasks_per_s"], 20.0);
        assert_eq!(rate.speedup, None);
        assert!(merged.run("dist", 1).is_some(), "fib's dist stays");
    }

    #[test]
    fn python_rates_must_be_the_services_for_the_same_pairs() {
        let rust = four_records();
        let quotes = |pairs: &[String]| -> Vec<serde_json::Value> {
            pairs
                .iter()
                .map(|p| json!({"pair": p, "rate": workbench::rates::rate_of(p)}))
                .collect()
        };
        let pairs = workbench::rates::pairs(4);
        let answer = |quotes: Vec<serde_json::Value>| json!({"fib_sum": 16 * 610, "echoed": 100, "quotes": quotes});
        let check = celery().check;
        check(&rust, &answer(quotes(&pairs)), None).expect("the same rates");
        let mut wrong = quotes(&pairs);
        wrong[2]["rate"] = json!(1.0);
        assert!(check(&rust, &answer(wrong), None).is_err(), "a wrong rate");
        let other = quotes(&workbench::rates::pairs(5)[1..]);
        assert!(check(&rust, &answer(other), None).is_err(), "other pairs");
        assert!(check(&rust, &answer(Vec::new()), None).is_err(), "no rates");
    }
}
