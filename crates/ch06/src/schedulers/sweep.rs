//! Chapter 6 · A bag of tasks: a parameter sweep as a Slurm job array,
//! each task one fib size, the outputs gathered into one record.

use std::path::Path;

use anyhow::{Context, Result};

use crate::cluster::Cluster;
use crate::jobs::{JobDir, LIMIT, SWEEP};
use crate::slurm;
use crate::task::SweepResult;

// ANCHOR: sweep
/// Submit one array task per size, wait for all, gather their JSON files
/// (in size order); a task that failed or left no file is an error.
pub fn run_array(
    cluster: &Cluster,
    ch06: &Path,
    sizes: &[u32],
) -> Result<Vec<SweepResult>> {
    anyhow::ensure!(!sizes.is_empty(), "a sweep needs at least one size");
    let dir = JobDir::create(cluster, "sweep", ch06)?;
    let list = sizes
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let tasks = format!("0-{}", sizes.len() - 1);
    let script = dir.script(
        "sweep.sbatch",
        SWEEP,
        &[("@SIZES@", &list), ("@TASKS@", &tasks)],
    )?;
    let id = slurm::submit(cluster, &script, &[])?;
    let records = slurm::wait(cluster, &[id], LIMIT)?;
    if let Some(failed) = records.iter().find(|r| r.state != "COMPLETED") {
        anyhow::bail!(
            "sweep task {:?} ended {} (exit {}): {}",
            failed.array.map(|(_, t)| t),
            failed.state,
            failed.exit_code,
            crate::jobs::output_of(failed).trim()
        );
    }
    gather(&dir.path, sizes.len())
}
// ANCHOR_END: sweep

/// Read `sweep-0.json` .. `sweep-{count-1}.json` from `dir`.
pub fn gather(dir: &Path, count: usize) -> Result<Vec<SweepResult>> {
    (0..count)
        .map(|task| {
            let path = dir.join(format!("sweep-{task}.json"));
            let text = std::fs::read_to_string(&path).with_context(|| {
                format!("task {task} left no {}", path.display())
            })?;
            serde_json::from_str(&text)
                .with_context(|| format!("reading {}", path.display()))
        })
        .collect()
}

/// The same sweep in this process, one size after another.
pub fn run_seq(sizes: &[u32]) -> Vec<SweepResult> {
    sizes
        .iter()
        .enumerate()
        .map(|(task, &n)| {
            let start = std::time::Instant::now();
            let answer = workbench::fib::fib(n);
            SweepResult {
                task,
                n,
                answer,
                seconds: start.elapsed().as_secs_f64(),
                host: crate::task::host(),
            }
        })
        .collect()
}

/// Every task answered its own size correctly.
pub fn verify(sizes: &[u32], results: &[SweepResult]) -> Result<()> {
    let answers: Vec<u64> = results.iter().map(|r| r.answer).collect();
    let ns: Vec<u32> = results.iter().map(|r| r.n).collect();
    anyhow::ensure!(ns == sizes, "results for sizes {ns:?}, asked {sizes:?}");
    workbench::fib::verify(sizes, &answers)
}
