//! Chapter 8 · Synthetic records for the tests: legitimate test data with
//! known answers, never shown as a measurement.

#![allow(dead_code)]

use ch08::{Comparison, Loaded};
use workbench::Record;
use workbench::record::Run;

/// A run that used `cpu_s` CPU seconds in `wall_s` seconds.
pub fn run(variant: &str, workers: usize, wall_s: f64, cpu_s: f64) -> Run {
    Run::new(variant, workers, wall_s, cpu_s)
}

/// A run with one `extra` measurement.
pub fn with(mut run: Run, key: &str, value: f64) -> Run {
    run.extra.insert(key.into(), value);
    run
}

/// A record of `runs` on a 2-CPU machine, speed-ups filled in against
/// its (first) `seq`.
pub fn record(
    chapter: &str,
    example: &str,
    size: serde_json::Value,
    runs: Vec<Run>,
) -> Record {
    let mut record = Record::new(chapter, example, size);
    record.machine.cpus = 2;
    record.runs = runs;
    record.compute_speedups();
    record
}

/// A CPU-bound record: seq takes 1 s; each other run is (variant,
/// workers, wall seconds), using all its workers' CPU.
pub fn cpu_record(example: &str, runs: &[(&str, usize, f64)]) -> Record {
    let mut all = vec![run("seq", 1, 1.0, 1.0)];
    all.extend(
        runs.iter()
            .map(|&(v, w, wall)| run(v, w, wall, wall * w as f64)),
    );
    record("ch90", example, serde_json::json!({"n": 30}), all)
}

/// A waiting record: seq waits 1 s using 1 ms of CPU.
pub fn waiting_record(example: &str, runs: &[(&str, usize, f64, f64)]) -> Record {
    let mut all = vec![run("seq", 1, 1.0, 0.001)];
    all.extend(runs.iter().map(|&(v, w, wall, cpu)| run(v, w, wall, cpu)));
    record("ch91", example, serde_json::json!({"requests": 10}), all)
}

pub fn compare(records: Vec<Record>) -> Comparison {
    Comparison::new(Loaded {
        records,
        others: Vec::new(),
    })
}
