//! Chapter 6 · Job schedulers: submitting batch scripts to Slurm and reading
//! back what happened to them, with `sbatch` and `scontrol` only (the local
//! cluster has no accounting database, so no `sacct`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::cluster::Cluster;
use crate::process::run_within;

/// One job, or one task of a job array, as `scontrol show job` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    pub job_id: u64,
    pub name: String,
    /// The array's job id and this task's index, for array tasks.
    pub array: Option<(u64, u32)>,
    /// PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, ...
    pub state: String,
    /// The script's exit status (`ExitCode=1:0` gives 1).
    pub exit_code: i32,
    /// Why a job waits or ended (`None`, `DependencyNeverSatisfied`, ...).
    pub reason: String,
    pub stdout: PathBuf,
}

impl JobRecord {
    /// Parse one line of `scontrol show job --oneliner`.
    pub fn parse(line: &str) -> Option<JobRecord> {
        let fields: BTreeMap<&str, &str> = line
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .collect();
        let array = match (fields.get("ArrayJobId"), fields.get("ArrayTaskId")) {
            // A range such as `2-99` means tasks not started yet: no index.
            (Some(job), Some(task)) => job.parse().ok().zip(task.parse().ok()),
            _ => None,
        };
        Some(JobRecord {
            job_id: fields.get("JobId")?.parse().ok()?,
            name: fields.get("JobName").unwrap_or(&"").to_string(),
            array,
            state: fields.get("JobState")?.to_string(),
            exit_code: fields
                .get("ExitCode")
                .and_then(|code| code.split(':').next()?.parse().ok())
                .unwrap_or(0),
            reason: fields.get("Reason").unwrap_or(&"None").to_string(),
            stdout: PathBuf::from(fields.get("StdOut").unwrap_or(&"")),
        })
    }

    /// Whether the job will not change any more.
    pub fn finished(&self) -> bool {
        !matches!(
            self.state.as_str(),
            "PENDING"
                | "RUNNING"
                | "CONFIGURING"
                | "COMPLETING"
                | "SUSPENDED"
                | "REQUEUED"
        )
    }
}

// ANCHOR: submit
/// `sbatch --parsable [options] script`: the new job's id.
pub fn submit(cluster: &Cluster, script: &Path, options: &[String]) -> Result<u64> {
    let mut sbatch = cluster.command("sbatch")?;
    sbatch.arg("--parsable").args(options).arg(script);
    let out = run_within(&mut sbatch, Duration::from_secs(30))?;
    let id = out.trim().split(';').next().unwrap_or_default();
    id.parse()
        .with_context(|| format!("sbatch printed `{}`, not a job id", out.trim()))
}
// ANCHOR_END: submit

/// Every record of job `id` (an array gives one per task).
pub fn records(cluster: &Cluster, id: u64) -> Result<Vec<JobRecord>> {
    let mut scontrol = cluster.command("scontrol")?;
    scontrol.args(["show", "job", "--oneliner", &id.to_string()]);
    let out = run_within(&mut scontrol, Duration::from_secs(30))?;
    Ok(out.lines().filter_map(JobRecord::parse).collect())
}

/// Poll until every job in `ids` (all tasks of arrays) has finished.
pub fn wait(
    cluster: &Cluster,
    ids: &[u64],
    limit: Duration,
) -> Result<Vec<JobRecord>> {
    let start = Instant::now();
    loop {
        let mut all = Vec::new();
        for &id in ids {
            all.extend(records(cluster, id)?);
        }
        // A pending array shows one PENDING record for its unstarted tasks.
        if all.iter().all(JobRecord::finished) {
            return Ok(all);
        }
        if start.elapsed() > limit {
            let waiting: Vec<String> = all
                .iter()
                .filter(|r| !r.finished())
                .map(|r| format!("{} {} ({})", r.job_id, r.state, r.reason))
                .collect();
            bail!(
                "jobs still not finished after {limit:?}: {}",
                waiting.join(", ")
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scontrol_lines_parse() {
        let line = "JobId=42 ArrayJobId=40 ArrayTaskId=13 JobName=array \
                    UserId=root(0) JobState=FAILED Reason=NonZeroExitCode \
                    Dependency=(null) ExitCode=1:0 StdOut=/tmp/array-40_13.out";
        let record = JobRecord::parse(line).expect("parses");
        assert_eq!(record.job_id, 42);
        assert_eq!(record.array, Some((40, 13)));
        assert_eq!(record.exit_code, 1);
        assert_eq!(record.reason, "NonZeroExitCode");
        assert!(record.finished());
        let pending =
            "JobId=7 JobName=D JobState=PENDING Reason=Dependency ExitCode=0:0";
        let record = JobRecord::parse(pending).expect("parses");
        assert!(!record.finished());
        assert_eq!(record.array, None);
        assert!(JobRecord::parse("no fields here").is_none());
        let range =
            "JobId=9 ArrayJobId=9 ArrayTaskId=2-99 JobName=array JobState=PENDING";
        let record = JobRecord::parse(range).expect("a pending range parses");
        assert_eq!(record.array, None);
        assert!(!record.finished());
    }
}
