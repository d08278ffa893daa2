//! Chapter 6 · The comparisons behind the CLI, the figures and the notebook:
//! one function per example, each returning its record.

use std::cell::RefCell;
use std::path::Path;

use anyhow::Result;
use workbench::{CommonArgs, Contender, Experiment, Record};

use crate::FibVariant;
use crate::cluster::Cluster;
use crate::fib::{fib_async, fib_dist_timed, fib_seq, fib_threads, verify};
use crate::launch::{Launcher, MpiJob, mpi_program};
use crate::sizes::{fib_size, sweep_record_size, sweep_sizes};
use crate::sweep;

// ANCHOR: fib
/// seq, threads, async and dist (MPI ranks under `launcher`) on the same
/// fib tasks, measured in rounds (every variant once per round). Without
/// MPI the dist runs are recorded as skipped.
pub fn fib(
    common: &CommonArgs,
    tasks: usize,
    launcher: &Launcher,
) -> Result<Record> {
    let size = fib_size(common.size, tasks)?;
    let list = size.task_list();
    let list = &list;
    let variants = common.variants_of::<FibVariant>()?;
    let workers = common.worker_counts();
    let mut exp =
        Experiment::new("ch06", "fib", size.to_json(), common.measure_opts());
    let check = |answers: &Vec<u64>| verify(list, answers);
    // One MPI job per rank count, and the seconds rank 0 measured inside
    // each run: mpirun's start-up is part of the wall time, not of the work.
    let mut jobs = Vec::new();
    let mut skipped = Vec::new();
    if variants.contains(&FibVariant::Dist) {
        let program = mpi_program();
        for &w in &workers {
            match &program {
                Ok(program) => jobs.push((
                    w,
                    MpiJob {
                        launcher: launcher.clone(),
                        ..MpiJob::mpirun(program, w)
                    },
                    RefCell::new(Vec::new()),
                )),
                Err(why) => skipped.push((w, format!("{why:#}"))),
            }
        }
    }
    let mut contenders = Vec::new();
    for variant in variants {
        match variant {
            FibVariant::Seq => contenders.push(Contender::new(
                "seq",
                1,
                || Ok(fib_seq(list)),
                check,
            )),
            FibVariant::Threads => contenders.extend(workers.iter().map(|&w| {
                Contender::new("threads", w, move || Ok(fib_threads(list, w)), check)
            })),
            FibVariant::Async => contenders.extend(workers.iter().map(|&w| {
                Contender::new("async", w, move || fib_async(list, w), check)
            })),
            FibVariant::Dist => {
                // ANCHOR: dist_timed
                contenders.extend(jobs.iter().map(|(w, job, inside)| {
                    let run = move || {
                        let (answers, seconds) = fib_dist_timed(size.n, tasks, job)?;
                        inside.borrow_mut().push(seconds);
                        Ok(answers)
                    };
                    Contender::new("dist", *w, run, check)
                }));
                // ANCHOR_END: dist_timed
                contenders.extend(
                    skipped.iter().map(|(w, why)| {
                        Contender::skipped("dist", *w, why.as_str())
                    }),
                );
            }
        }
    }
    exp.measure_rounds(contenders)?;
    let reps = usize::from(common.reps.max(1));
    for (w, _, inside) in &jobs {
        let inside = inside.borrow();
        let mut timed = inside[inside.len().saturating_sub(reps)..].to_vec();
        timed.sort_by(f64::total_cmp);
        exp.note_on("dist", *w, "in_ranks_s", timed[timed.len() / 2]);
    }
    Ok(exp.finish())
}
// ANCHOR_END: fib

workbench::variants! {
    /// The variants of the sweep.
    pub enum SweepVariant, names SWEEP_VARIANTS {
        Seq = "seq",
        SlurmArray = "slurm-array",
    }
}

/// The sweep as a bag of tasks: `seq` in this process against a Slurm job
/// array on the local cluster (skipped, with the reason, when it is down),
/// measured in rounds.
pub fn sweep(common: &CommonArgs, cluster: &Cluster, ch06: &Path) -> Result<Record> {
    let variants = common.variants_of::<SweepVariant>()?;
    let sizes = sweep_sizes(common.size)?;
    let size = sweep_record_size(&sizes);
    let mut exp = Experiment::new("ch06", "sweep", size, common.measure_opts());
    let check =
        |results: &Vec<crate::task::SweepResult>| sweep::verify(&sizes, results);
    let cpus = workbench::Machine::describe().cpus;
    let running = cluster.status().running();
    let contenders = variants.into_iter().map(|variant| match variant {
        SweepVariant::Seq => {
            Contender::new("seq", 1, || Ok(sweep::run_seq(&sizes)), check)
        }
        SweepVariant::SlurmArray if running => {
            let run = || sweep::run_array(cluster, ch06, &sizes);
            Contender::new("slurm-array", cpus, run, check)
        }
        SweepVariant::SlurmArray => {
            let why = "the local Slurm cluster is not running (`ch06 cluster up`)";
            Contender::skipped("slurm-array", cpus, why)
        }
    });
    exp.measure_rounds(contenders.collect())?;
    Ok(exp.finish())
}
