//! Chapter 1 · Distributed memory in miniature: worker processes of this
//! chapter's own binary, each given a share of the work in a message.
//!
//! Nothing is shared: a worker sees only the message it reads on its stdin
//! and answers with a message on its stdout (the plumbing is
//! `workbench::workers`; the hidden `worker` subcommand is the other end).

use anyhow::Result;
use serde::{Deserialize, Serialize};
use workbench::workers::{WorkerCommand, WorkerProcess};

use crate::memory;
use crate::workload::{self, Answer, Job};

// ANCHOR: messages
/// Parent → worker: a share of one of the chapter's two workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Task {
    /// Sum these independent units of the Amdahl workload.
    Units { start: u64, end: u64 },
    /// Sum the reduction's values over this range (the `memory` example).
    Reduce { start: u64, end: u64 },
}

/// What a worker does with one task; its answer is one number.
pub fn handle(task: Task) -> Result<u64> {
    Ok(match task {
        Task::Units { start, end } => workload::partial_sum(start..end),
        Task::Reduce { start, end } => memory::sum_range(start..end),
    })
}
// ANCHOR_END: messages

/// The `ch01` binary started as a worker, `ch01 worker`: this program when
/// it is `ch01`, else built by cargo (notebooks, benches, tests).
pub fn locate_worker() -> Result<WorkerCommand> {
    WorkerCommand::locate("ch01", "ch01", &["worker"])
}

// ANCHOR: dist
/// Start one worker process per task, send each its task, add the answers.
pub fn scatter(tasks: &[Task], command: &WorkerCommand) -> Result<u64> {
    let mut workers = Vec::new();
    for task in tasks {
        let mut worker = WorkerProcess::spawn(command)?;
        worker.send(task)?;
        workers.push(worker);
    }
    let mut total = 0u64;
    for mut worker in workers {
        total = total.wrapping_add(worker.receive::<u64>()?);
        worker.finish()?;
    }
    Ok(total)
}

/// The Amdahl workload on `workers` processes: the chain here, the
/// independent units split across the processes.
pub fn run_dist(
    job: &Job,
    workers: usize,
    command: &WorkerCommand,
) -> Result<Answer> {
    let chain = workload::chain(job);
    let tasks: Vec<Task> = workload::split(job.parallel_units(), workers)
        .into_iter()
        .map(|r| Task::Units {
            start: r.start,
            end: r.end,
        })
        .collect();
    let sum = scatter(&tasks, command)?;
    Ok(Answer { chain, sum })
}
// ANCHOR_END: dist

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_travel_as_json_and_are_answered() {
        let task = Task::Reduce { start: 0, end: 10 };
        let line = serde_json::to_string(&task).expect("encodes");
        assert_eq!(line, r#"{"Reduce":{"start":0,"end":10}}"#);
        let back: Task = serde_json::from_str(&line).expect("decodes");
        assert_eq!(handle(back).expect("answers"), memory::sum_range(0..10));
        let units = handle(Task::Units { start: 3, end: 5 }).expect("answers");
        assert_eq!(units, workload::partial_sum(3..5));
    }
}
