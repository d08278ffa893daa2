//! Chapter 6 · The comparisons behind the CLI, the figures and the notebook:
//! one function per example, each returning its record.

use std::path::Path;

use anyhow::Result;
use workbench::{CommonArgs, Experiment, Record};

use crate::FIB_VARIANTS;
use crate::cluster::Cluster;
use crate::fib::{fib_async, fib_dist_timed, fib_seq, fib_threads, verify};
use crate::launch::{Launcher, MpiJob, mpi_program};
use crate::sizes::{FibSize, sweep_sizes};
use crate::sweep;

// ANCHOR: fib
/// seq, threads, async and dist (MPI ranks under `launcher`) on the same
/// fib tasks. Without MPI the dist runs are recorded as skipped.
pub fn fib(
    common: &CommonArgs,
    tasks: usize,
    launcher: &Launcher,
) -> Result<Record> {
    let size = FibSize::from_size(common.size, tasks);
    let list = size.task_list();
    let variants = common.variants_among(&FIB_VARIANTS)?;
    let mut exp =
        Experiment::new("ch06", "fib", size.to_json(), common.measure_opts());
    let check = |answers: &Vec<u64>| verify(&list, answers);
    let program = if variants.iter().any(|v| v == "dist") {
        Some(mpi_program())
    } else {
        None
    };
    for variant in &variants {
        if variant == "seq" {
            exp.measure("seq", 1, || Ok(fib_seq(&list)), check)?;
            continue;
        }
        for &w in &common.worker_counts() {
            match (variant.as_str(), &program) {
                ("threads", _) => {
                    exp.measure("threads", w, || Ok(fib_threads(&list, w)), check)?
                }
                ("async", _) => {
                    exp.measure("async", w, || fib_async(&list, w), check)?
                }
                (_, Some(Ok(program))) => {
                    let job = MpiJob {
                        launcher: launcher.clone(),
                        ..MpiJob::mpirun(program, w)
                    };
                    // Time inside the ranks too: mpirun's start-up is part
                    // of the wall time, not of the computation.
                    let inside = std::cell::RefCell::new(Vec::new());
                    let run = || {
                        let (answers, seconds) =
                            fib_dist_timed(size.n, tasks, &job)?;
                        inside.borrow_mut().push(seconds);
                        Ok(answers)
                    };
                    exp.measure("dist", w, run, check)?;
                    let mut seconds = inside.into_inner();
                    seconds.sort_by(f64::total_cmp);
                    exp.note("in_ranks_s", seconds[seconds.len() / 2]);
                    continue;
                }
                (_, Some(Err(why))) => {
                    exp.skip("dist", w, format!("{why:#}"));
                    continue;
                }
                (_, None) => continue,
            };
        }
    }
    Ok(exp.finish())
}
// ANCHOR_END: fib

/// The sweep as a bag of tasks: `seq` in this process against a Slurm job
/// array on the local cluster (skipped, with the reason, when it is down).
pub fn sweep(common: &CommonArgs, cluster: &Cluster, ch06: &Path) -> Result<Record> {
    let sizes = sweep_sizes(common.size);
    let size = serde_json::json!({ "fib_sizes": format!("{}..={}", sizes[0], sizes[sizes.len() - 1]), "tasks": sizes.len() });
    let mut exp = Experiment::new("ch06", "sweep", size, common.measure_opts());
    let check =
        |results: &Vec<crate::task::SweepResult>| sweep::verify(&sizes, results);
    exp.measure("seq", 1, || Ok(sweep::run_seq(&sizes)), check)?;
    let cpus = workbench::Machine::describe().cpus;
    if cluster.status().running() {
        exp.measure(
            "slurm-array",
            cpus,
            || sweep::run_array(cluster, ch06, &sizes),
            check,
        )?;
    } else {
        exp.skip(
            "slurm-array",
            cpus,
            "the local Slurm cluster is not running (`ch06 cluster up`)",
        );
    }
    Ok(exp.finish())
}
