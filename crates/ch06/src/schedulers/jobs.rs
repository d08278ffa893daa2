//! Chapter 6 · The book's three jobs on Slurm: hello, an array of 100 and
//! the diamond A → (B, C) → D, from the templates in `crates/ch06/jobs/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cluster::Cluster;
use crate::slurm::{self, JobRecord};

pub const HELLO: &str = include_str!("../../jobs/hello.sbatch");
pub const ARRAY: &str = include_str!("../../jobs/array.sbatch");
pub const ARRAY_TASK13: &str = include_str!("../../jobs/array-task13.sbatch");
pub const DIAMOND: &str = include_str!("../../jobs/diamond.sbatch");
pub const SWEEP: &str = include_str!("../../jobs/sweep.sbatch");

/// How long a job may take on the local cluster before we give up.
pub const LIMIT: Duration = Duration::from_secs(120);

/// A fresh directory for one submission's script and outputs.
#[derive(Debug, Clone)]
pub struct JobDir {
    pub path: PathBuf,
    /// The chapter binary the scripts run.
    pub ch06: PathBuf,
}

impl JobDir {
    pub fn create(cluster: &Cluster, name: &str, ch06: &Path) -> Result<Self> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let path = cluster.layout.jobs().join(format!("{name}-{stamp}"));
        std::fs::create_dir_all(&path)
            .with_context(|| format!("creating {}", path.display()))?;
        Ok(JobDir {
            path,
            ch06: ch06.to_path_buf(),
        })
    }

    /// Fill in a template and write it as `file`; returns its path.
    pub fn script(
        &self,
        file: &str,
        template: &str,
        extra: &[(&str, &str)],
    ) -> Result<PathBuf> {
        let mut text = template
            .replace("@CH06@", &self.ch06.display().to_string())
            .replace("@OUT@", &self.path.display().to_string());
        for (key, value) in extra {
            text = text.replace(key, value);
        }
        let path = self.path.join(file);
        std::fs::write(&path, text)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }
}

/// The text a job wrote to its output file.
pub fn output_of(record: &JobRecord) -> String {
    std::fs::read_to_string(&record.stdout).unwrap_or_default()
}

/// hello: submit, wait, return the record and what it printed.
pub fn hello(cluster: &Cluster, ch06: &Path) -> Result<(JobRecord, String)> {
    let dir = JobDir::create(cluster, "hello", ch06)?;
    let script = dir.script("hello.sbatch", HELLO, &[])?;
    let id = slurm::submit(cluster, &script, &[])?;
    let record = slurm::wait(cluster, &[id], LIMIT)?
        .pop()
        .context("scontrol forgot the hello job")?;
    let output = output_of(&record);
    Ok((record, output))
}

// ANCHOR: array
/// The array of 100 (or the exercise's version, where task 13 fails):
/// one record per task, in task order.
pub fn array(
    cluster: &Cluster,
    ch06: &Path,
    break_13: bool,
) -> Result<Vec<JobRecord>> {
    let dir = JobDir::create(cluster, "array", ch06)?;
    let template = if break_13 { ARRAY_TASK13 } else { ARRAY };
    let script = dir.script("array.sbatch", template, &[])?;
    let id = slurm::submit(cluster, &script, &[])?;
    let mut tasks = slurm::wait(cluster, &[id], LIMIT)?;
    tasks.sort_by_key(|r| r.array.map(|(_, task)| task));
    Ok(tasks)
}
// ANCHOR_END: array

/// The diamond's outcome: each step's record and the shared log.
#[derive(Debug, Clone)]
pub struct Diamond {
    pub steps: BTreeMap<String, JobRecord>,
    /// `start A`, `end A`, ... in the order they happened.
    pub log: Vec<String>,
}

// ANCHOR: diamond
/// A → (B, C) → D with `--dependency=afterok`; `fail` names a step that
/// exits 1, so the steps after it never run.
pub fn diamond(
    cluster: &Cluster,
    ch06: &Path,
    fail: Option<&str>,
) -> Result<Diamond> {
    let dir = JobDir::create(cluster, "diamond", ch06)?;
    let script = dir.script("diamond.sbatch", DIAMOND, &[])?;
    let export = format!("--export=ALL,WORKBOOK_FAIL_STEP={}", fail.unwrap_or(""));
    let submit = |name: &str, after: &[u64]| -> Result<u64> {
        let mut options = vec![format!("--job-name={name}"), export.clone()];
        if !after.is_empty() {
            let ids: Vec<String> = after.iter().map(u64::to_string).collect();
            options.push(format!("--dependency=afterok:{}", ids.join(":")));
        }
        slurm::submit(cluster, &script, &options)
    };
    let a = submit("A", &[])?;
    let b = submit("B", &[a])?;
    let c = submit("C", &[a])?;
    let d = submit("D", &[b, c])?;
    let records = slurm::wait(cluster, &[a, b, c, d], LIMIT)?;
    Ok(Diamond::collect(records, &dir.path.join("diamond.log")))
}
// ANCHOR_END: diamond

impl Diamond {
    /// The steps by name, and the log the steps wrote.
    fn collect(records: Vec<JobRecord>, log: &Path) -> Diamond {
        let log = std::fs::read_to_string(log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        let steps = records.into_iter().map(|r| (r.name.clone(), r)).collect();
        Diamond { steps, log }
    }

    /// Which steps failed and why, and which never ran.
    pub fn report(&self) -> String {
        let mut lines = Vec::new();
        for (name, record) in &self.steps {
            let line = match record.state.as_str() {
                "COMPLETED" => format!("{name}: completed (job {})", record.job_id),
                "FAILED" => format!(
                    "{name}: FAILED with exit code {} (job {}): {}",
                    record.exit_code,
                    record.job_id,
                    crate::process::tail(&output_of(record), 1)
                ),
                state => format!(
                    "{name}: {state}, never ran (job {}, reason {})",
                    record.job_id, record.reason
                ),
            };
            lines.push(line);
        }
        lines.join("\n")
    }

    /// Whether every step's start came after the end of the steps it needs.
    pub fn order_respected(&self) -> bool {
        let at = |what: &str| self.log.iter().position(|l| l == what);
        let before = |first: &str, then: &str| match (at(first), at(then)) {
            (Some(x), Some(y)) => x < y,
            (_, None) => true,
            (None, Some(_)) => false,
        };
        before("end A", "start B")
            && before("end A", "start C")
            && before("end B", "start D")
            && before("end C", "start D")
    }
}
