//! Chapter 1 · The comparisons behind the CLI, the figures and the notebook.
//!
//! One function per example returns its results record, so the terminal,
//! the book and the notebook report the same measurements.

use anyhow::Result;
use workbench::workers::WorkerCommand;
use workbench::{CommonArgs, Contender, Experiment, Record, Size, Variant};

use crate::dist::{Task, run_dist, scatter};
use crate::laws::{self, LawRow};
use crate::memory::{reduce_atomic, reduce_channel, reduce_mutex, reduce_seq};
use crate::workload::{Answer, Job, run_async, run_seq, run_threads, split};
use crate::{AmdahlVariant, MemoryVariant};

/// The Amdahl job at a size: quick (≈0.55 s of CPU on one core in a
/// release build, ≈0.29 s per timed run on two workers; 100,000 units was
/// 0.22 s, too short to time), full (four times more) or N units.
pub fn amdahl_job(size: Size, serial: f64) -> Job {
    let units = match size {
        Size::Quick => 250_000,
        Size::Full => 1_000_000,
        Size::N(n) => n.clamp(100, 100_000_000),
    };
    Job { units, serial }
}

/// The book's example as a table: T(1) = 100 s, 99 % parallel.
pub fn laws(parallel: f64, t1: f64, workers: &[u64]) -> Vec<LawRow> {
    laws::table(t1, parallel, workers)
}

// ANCHOR: amdahl
/// Strong scaling: the same job on every variant and worker count. Weak
/// scaling: with `threads`, a job whose parallel part grows with the
/// workers, against `seq` on that grown job.
pub fn amdahl(
    common: &CommonArgs,
    serial: f64,
    command: &WorkerCommand,
) -> Result<Record> {
    let job = &amdahl_job(common.size, serial);
    let variants = common.variants_of::<AmdahlVariant>()?;
    let workers = common.worker_counts();
    let size = serde_json::json!({ "units": job.units, "serial": serial });
    let mut exp = Experiment::new("ch01", "amdahl", size, common.measure_opts());
    let expected = run_seq(job);
    let check = |answer: &Answer| {
        anyhow::ensure!(
            *answer == expected,
            "got {answer:?}, expected {expected:?}"
        );
        Ok(())
    };
    let mut contenders = Vec::new();
    for &variant in &variants {
        use AmdahlVariant::*;
        for w in common.workers_for(variant) {
            // ANCHOR: amdahl_run
            let run = move || match variant {
                Seq => Ok(run_seq(job)),
                Threads => Ok(run_threads(job, w)),
                Async => run_async(job, w),
                Dist => run_dist(job, w, command),
            };
            // ANCHOR_END: amdahl_run
            contenders.push(Contender::new(variant.name(), w, run, check));
        }
    }
    exp.measure_rounds(contenders)?;
    let mut record = exp.finish();
    for run in &mut record.runs {
        if let (Some(s), true) = (run.speedup, run.workers >= 2) {
            let e = laws::karp_flatt(s, run.workers as f64);
            run.extra.insert("karp_flatt".into(), e);
        }
    }
    if variants.contains(&AmdahlVariant::Threads) {
        weak_scaling(common, job, &workers, &mut record)?;
    }
    Ok(record)
}
// ANCHOR_END: amdahl

/// Gustafson's experiment: for each worker count n, `seq` and `threads`
/// on the job with n times the parallel work (variants `seq-weak` and
/// `threads-weak`, `scale` = n).
fn weak_scaling(
    common: &CommonArgs,
    job: &Job,
    workers: &[usize],
    record: &mut Record,
) -> Result<()> {
    for &w in workers {
        let big = job.scaled(w as u64);
        let size = serde_json::json!({ "units": big.units });
        let mut exp = Experiment::new("ch01", "amdahl", size, common.measure_opts());
        let expected = run_seq(&big);
        let check = |answer: &Answer| {
            anyhow::ensure!(*answer == expected, "weak scaling ×{w}: wrong answer");
            Ok(())
        };
        exp.measure_rounds(vec![
            Contender::new("seq", 1, || Ok(run_seq(&big)), check),
            Contender::new("threads", w, || Ok(run_threads(&big, w)), check),
        ])?;
        for mut run in exp.finish().runs {
            run.variant = format!("{}-weak", run.variant);
            run.workers = w;
            if run.variant == "seq-weak" {
                run.efficiency = None;
            }
            run.extra.insert("scale".into(), w as f64);
            record.runs.push(run);
        }
    }
    Ok(())
}

/// The serial fraction fitted from the strong-scaling runs of `variant`.
pub fn fitted_serial(record: &Record, variant: &str) -> Option<f64> {
    let measured: Vec<(usize, f64)> = record
        .runs
        .iter()
        .filter(|r| r.variant == variant)
        .filter_map(|r| Some((r.workers, r.speedup?)))
        .collect();
    laws::fit_serial_fraction(&measured)
}

/// How many values the `memory` reduction sums at a size: quick 20
/// million (release build, two workers: seq ≈27 ms, atomic ≈54 ms, mutex
/// ≈0.16 s, channel ≈1 s of CPU; 2 million was 3 ms for seq), full ten
/// times more.
pub fn memory_values(size: Size) -> u64 {
    match size {
        Size::Quick => 20_000_000,
        Size::Full => 200_000_000,
        Size::N(n) => n.min(1_000_000_000),
    }
}

// ANCHOR: memory
/// The same reduction with shared memory (a lock, an atomic) and with
/// message passing (a channel, worker processes).
pub fn memory(common: &CommonArgs, command: &WorkerCommand) -> Result<Record> {
    let n = memory_values(common.size);
    let size = serde_json::json!({ "values": n });
    let mut exp = Experiment::new("ch01", "memory", size, common.measure_opts());
    let expected = reduce_seq(n);
    let check = |&sum: &u64| {
        anyhow::ensure!(sum == expected, "sum {sum}, expected {expected}");
        Ok(())
    };
    let mut contenders = Vec::new();
    for variant in common.variants_of::<MemoryVariant>()? {
        use MemoryVariant::*;
        for w in common.workers_for(variant) {
            let tasks: Vec<Task> = split(0..n, w)
                .into_iter()
                .map(|r| Task::Reduce {
                    start: r.start,
                    end: r.end,
                })
                .collect();
            // ANCHOR: memory_run
            let run = move || match variant {
                Seq => Ok(reduce_seq(n)),
                Mutex => Ok(reduce_mutex(n, w)),
                Atomic => Ok(reduce_atomic(n, w)),
                Channel => Ok(reduce_channel(n, w)),
                Dist => scatter(&tasks, command),
            };
            // ANCHOR_END: memory_run
            contenders.push(Contender::new(variant.name(), w, run, check));
        }
    }
    exp.measure_rounds(contenders)?;
    Ok(exp.finish())
}
// ANCHOR_END: memory
