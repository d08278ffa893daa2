//! Chapter 4 · Communication against computation: fib(n) tasks, sweeping
//! n, on one local thread (seq) and as Celery tasks on two worker
//! processes (dist). Below some n the broker's round trips cost more than
//! the work they spread; above it, distributing pays.

use anyhow::Result;
use workbench::fib::{fib, verify};
use workbench::{CommonArgs, Contender, Experiment, Record};

use crate::compare::fib_dist;
use crate::setup::Setup;
use crate::sizes::crossover_ns;

/// Tasks per point of the sweep.
pub const TASKS: usize = 16;

/// Worker processes of the `dist` points.
pub const WORKERS: usize = 2;

// ANCHOR: crossover
/// seq and dist in rounds at each n; each run notes its `n`, and the
/// record's size says the smallest n at which dist was faster
/// (`crossover_n`).
pub fn crossover(common: &CommonArgs, setup: &Setup) -> Result<Record> {
    let ns = crossover_ns(common.size);
    let _workers = setup.workers(WORKERS, 1)?;
    let (runtime, client) = setup.client()?;
    let mut record = Record::new("ch04", "crossover", serde_json::json!({}));
    let mut crossover_n = None;
    for &n in &ns {
        // ANCHOR: sweep
        let list = vec![n; TASKS];
        let size = serde_json::json!({ "n": n, "tasks": TASKS });
        let mut exp =
            Experiment::new("ch04", "crossover", size, common.measure_opts());
        let check = |answers: &Vec<u64>| verify(&list, answers);
        let seq = || Ok(list.iter().map(|&n| fib(n)).collect());
        let dist = || fib_dist(&runtime, &client, &list);
        exp.measure_rounds(vec![
            Contender::new("seq", 1, seq, check),
            Contender::new("dist", WORKERS, dist, check),
        ])?;
        // ANCHOR_END: sweep
        exp.note_on("seq", 1, "n", n.into());
        exp.note_on("dist", WORKERS, "n", n.into());
        let point = exp.finish();
        let faster = point.runs[1].speedup.is_some_and(|s| s > 1.0);
        if faster && crossover_n.is_none() {
            crossover_n = Some(n);
        }
        record.runs.extend(point.runs);
    }
    record.size = serde_json::json!({
        "tasks": TASKS,
        "n": format!("{}..{}", ns[0], ns[ns.len() - 1]),
        "crossover_n": crossover_n,
    });
    Ok(record)
}
// ANCHOR_END: crossover
