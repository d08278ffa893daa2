//! Chapter 6 · Solutions to the chapter's exercises (tested in
//! `tests/slurm.rs` on the real cluster, and below on sample files).

use std::path::Path;

use anyhow::{Context, Result};

use crate::slurm::JobRecord;

// ANCHOR: failed_tasks
/// Exercise 1: which array tasks failed? Without `sacct`, read two things
/// the scheduler leaves: each task's exit code (`scontrol show job`, kept
/// for `MinJobAge` seconds) and its output file, for the reason.
pub fn failed_tasks(tasks: &[JobRecord]) -> Vec<(u32, i32, String)> {
    tasks
        .iter()
        .filter(|t| t.state != "COMPLETED" || t.exit_code != 0)
        .filter_map(|t| {
            let (_, index) = t.array?;
            let output = std::fs::read_to_string(&t.stdout).unwrap_or_default();
            let reason = output
                .lines()
                .find(|l| l.starts_with("error:"))
                .unwrap_or("(no error line in the output)")
                .to_owned();
            Some((index, t.exit_code, reason))
        })
        .collect()
}
// ANCHOR_END: failed_tasks

// ANCHOR: grep_outputs
/// Exercise 2: the same question from the output files alone, as on a
/// cluster where the job has long left `scontrol`: every task that
/// succeeded printed `task N:`, so the missing numbers are the failures.
pub fn tasks_without_output(dir: &Path, count: u32) -> Result<Vec<u32>> {
    let mut answered = vec![false; count as usize];
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "out") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for line in text.lines() {
            let task = line
                .split_once(" task ")
                .and_then(|(_, rest)| rest.split(':').next()?.parse::<usize>().ok());
            if let Some(slot) = task.and_then(|t| answered.get_mut(t)) {
                *slot = true;
            }
        }
    }
    Ok((0..count).filter(|&t| !answered[t as usize]).collect())
}
// ANCHOR_END: grep_outputs

/// Exercise 3: what starting an MPI job costs, read off a fib record: the
/// wall time of `dist` on `workers` ranks beyond the time spent in them.
pub fn startup_s(record: &workbench::Record, workers: usize) -> Option<f64> {
    let dist = record.run("dist", workers)?;
    Some(dist.wall_s - dist.extra.get("in_ranks_s")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_is_the_wall_time_outside_the_ranks() {
        let mut record =
            workbench::Record::new("ch06", "fib", serde_json::json!({}));
        let mut dist = workbench::Run::new("dist", 2, 0.5, 0.8);
        dist.extra.insert("in_ranks_s".into(), 0.375);
        record.runs.push(dist);
        assert_eq!(startup_s(&record, 2), Some(0.125));
        assert_eq!(startup_s(&record, 4), None);
        record.runs[0].extra.clear();
        assert_eq!(startup_s(&record, 2), None);
    }

    #[test]
    fn missing_task_lines_are_the_failures() {
        let scratch = workbench::testing::scratch("ch06-ex-");
        let dir = scratch.path();
        for task in [0, 1, 3] {
            std::fs::write(
                dir.join(format!("array-9_{task}.out")),
                format!("array job 9 task {task}: WORKBOOK_JOB_ID=9 WORKBOOK_TASK_ID={task}\n"),
            )
            .expect("write");
        }
        std::fs::write(
            dir.join("array-9_2.out"),
            "error: WORKBOOK_TASK_ID is not set\n",
        )
        .expect("write");
        assert_eq!(tasks_without_output(dir, 4).expect("reads"), vec![2]);
        let failed = JobRecord::parse(&format!(
            "JobId=12 ArrayJobId=9 ArrayTaskId=2 JobName=array JobState=FAILED \
             ExitCode=1:0 StdOut={}",
            dir.join("array-9_2.out").display()
        ))
        .expect("parses");
        let found = failed_tasks(&[failed]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (2, 1));
        assert!(found[0].2.contains("WORKBOOK_TASK_ID"), "{found:?}");
    }
}
