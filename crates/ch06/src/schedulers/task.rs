//! Chapter 6 · What the chapter's binary does inside a batch job: the hello,
//! one task of the array, one step of the diamond, one size of the sweep.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

/// Where a job runs, for its messages.
pub fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map_or_else(|_| "unknown host".into(), |h| h.trim().to_owned())
}

/// The book's hello job.
pub fn hello(mut out: impl Write) -> Result<()> {
    let job = std::env::var("SLURM_JOB_ID").unwrap_or_else(|_| "(no job)".into());
    writeln!(out, "hello from job {job} on {}", host())?;
    Ok(())
}

// ANCHOR: array_task
/// One task of the array: print the ids the job script handed over; a
/// missing variable is an error, so the task exits with status 1.
pub fn array_task(
    env: impl Fn(&str) -> Option<String>,
    mut out: impl Write,
) -> Result<()> {
    let mut ids = Vec::new();
    for name in ["WORKBOOK_JOB_ID", "WORKBOOK_TASK_ID"] {
        match env(name) {
            Some(value) if !value.is_empty() => ids.push(value),
            _ => bail!("{name} is not set: was this started by the array job?"),
        }
    }
    writeln!(
        out,
        "array job {} task {}: WORKBOOK_JOB_ID={} WORKBOOK_TASK_ID={} on {}",
        ids[0],
        ids[1],
        ids[0],
        ids[1],
        host()
    )?;
    Ok(())
}
// ANCHOR_END: array_task

/// One step of the diamond: note its start and end in the shared log, so
/// the order can be checked afterwards. `WORKBOOK_FAIL_STEP=NAME` makes
/// that step fail, to watch its dependants not run.
pub fn step(name: &str, log: &Path) -> Result<()> {
    let note = |what: &str| -> Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .with_context(|| format!("opening {}", log.display()))?;
        writeln!(file, "{what} {name}").context("writing the step log")
    };
    note("start")?;
    println!("step {name} running on {}", host());
    if std::env::var("WORKBOOK_FAIL_STEP").is_ok_and(|s| s == name) {
        bail!("step {name} fails on purpose (WORKBOOK_FAIL_STEP={name})");
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    note("end")
}

/// What one sweep task leaves behind.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SweepResult {
    pub task: usize,
    pub n: u32,
    pub answer: u64,
    pub seconds: f64,
    pub host: String,
}

/// One task of the sweep: fib of the size at this task's index.
pub fn sweep(sizes: &[u32], task: usize, out_dir: &Path) -> Result<SweepResult> {
    let Some(&n) = sizes.get(task) else {
        bail!("task {task} has no size: only {} sizes", sizes.len());
    };
    let start = Instant::now();
    let answer = workbench::fib::fib(n);
    let result = SweepResult {
        task,
        n,
        answer,
        seconds: start.elapsed().as_secs_f64(),
        host: host(),
    };
    let path = out_dir.join(format!("sweep-{task}.json"));
    let json =
        serde_json::to_string(&result).context("serialising a sweep result")?;
    std::fs::write(&path, json)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(result)
}

/// The array index Slurm gave this task.
pub fn array_index() -> Result<usize> {
    let index = std::env::var("SLURM_ARRAY_TASK_ID")
        .context("SLURM_ARRAY_TASK_ID is not set: run this inside an array job")?;
    index
        .parse()
        .with_context(|| format!("SLURM_ARRAY_TASK_ID={index} is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_task_prints_both_ids() {
        let env = |name: &str| match name {
            "WORKBOOK_JOB_ID" => Some("40".to_owned()),
            "WORKBOOK_TASK_ID" => Some("7".to_owned()),
            _ => None,
        };
        let mut out = Vec::new();
        array_task(env, &mut out).expect("both set");
        let line = String::from_utf8(out).expect("utf-8");
        assert!(line.starts_with("array job 40 task 7:"), "{line}");
    }

    #[test]
    fn a_missing_variable_names_itself() {
        let env = |name: &str| (name == "WORKBOOK_JOB_ID").then(|| "40".to_owned());
        let err = array_task(env, Vec::new()).expect_err("task id missing");
        assert!(
            err.to_string().contains("WORKBOOK_TASK_ID is not set"),
            "{err}"
        );
    }

    #[test]
    fn a_sweep_task_writes_its_result() {
        let scratch = workbench::testing::scratch("ch06-sweep-");
        let dir = scratch.path();
        let result = sweep(&[10, 20], 1, dir).expect("runs");
        assert_eq!((result.n, result.answer), (20, 6765));
        assert!(dir.join("sweep-1.json").is_file());
        assert!(sweep(&[10], 3, dir).is_err());
    }
}
