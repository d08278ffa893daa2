//! Chapter 4 · Alternatives: Python-RQ — the `rq` example's table.

use std::fmt;
use std::time::Duration;

use super::{Job, JobResult, Output};

/// A job as the table shows it: `fib(27)`, `sort(50000 numbers)`.
pub fn describe(job: &Job) -> String {
    match job {
        Job::Fib { n } => format!("fib({n})"),
        Job::Sort { numbers } => format!("sort({} numbers)", numbers.len()),
        Job::Nap { ms } => format!("nap({ms} ms)"),
    }
}

/// The last lines of each worker's log, to explain a failed run.
pub fn logs_tail(dir: &std::path::Path) -> String {
    let mut text = String::from("the workers' logs end:");
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let log = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        for line in &lines[lines.len().saturating_sub(4)..] {
            text.push_str(&format!("\n  {line}"));
        }
    }
    text
}

/// One job's line in the report.
#[derive(Debug)]
pub struct Row {
    pub job: String,
    pub got: JobResult,
    pub verified: bool,
}

/// What the `rq` example prints.
#[derive(Debug)]
pub struct RqReport {
    pub notes: Vec<String>,
    pub workers: usize,
    pub wall: Duration,
    pub rows: Vec<Row>,
}

impl fmt::Display for RqReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for note in &self.notes {
            writeln!(f, "{note}")?;
        }
        writeln!(
            f,
            "{:<10} {:<20} {:<12} {:<22} verified",
            "job", "function", "worker", "result"
        )?;
        for row in &self.rows {
            let id = row.got.id.to_string();
            let short = &id[id.len().saturating_sub(8)..];
            let (worker, result) = match &row.got.result {
                Ok(answer) => (answer.worker.clone(), summary(&answer.output)),
                Err(why) => ("-".into(), why.clone()),
            };
            let verified = if row.verified { "yes" } else { "NO" };
            writeln!(
                f,
                "{short:<10} {:<20} {worker:<12} {result:<22} {verified}",
                row.job
            )?;
        }
        let seconds = self.wall.as_secs_f64();
        writeln!(
            f,
            "{} jobs on {} workers in {seconds:.2} s",
            self.rows.len(),
            self.workers
        )
    }
}

fn summary(output: &Output) -> String {
    match output {
        Output::Fib(value) => value.to_string(),
        Output::Sort(numbers) => match (numbers.first(), numbers.last()) {
            (Some(low), Some(high)) => format!("{low} … {high}"),
            _ => "(empty)".into(),
        },
        Output::Nap(ms) => format!("slept {ms} ms"),
    }
}
