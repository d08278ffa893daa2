//! Chapter 3 · Worker processes fed through a queue (the book's `queues.py`).
//!
//! The parent keeps a queue of tasks. Each worker process reads one JSON
//! message per line on its stdin — a task, or the `Stop` sentinel — and
//! answers one JSON line on its stdout. A worker that dies mid-task does
//! not lose the task: it goes back on the queue for the others.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Condvar, Mutex, MutexGuard};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::fib::fib;

// ANCHOR: messages
/// Parent → worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Message {
    /// Compute `fib(n)` for task number `id`.
    Fib { id: usize, n: u32 },
    /// The sentinel: no more work, exit.
    Stop,
}

/// Worker → parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub id: usize,
    pub value: u64,
    pub pid: u32,
}
// ANCHOR_END: messages

pub use workbench::workers::WorkerCommand;

/// `PROGRAM worker`, the hidden subcommand of the chapter's binary.
pub fn worker_command(program: impl Into<PathBuf>) -> WorkerCommand {
    WorkerCommand::new(program, &["worker"])
}

/// The chapter's binary, built by cargo if needed (for notebooks).
pub fn locate_worker() -> Result<WorkerCommand> {
    WorkerCommand::locate("ch03", "ch03", &["worker"])
}

// ANCHOR: worker
/// The worker's loop: read a message, answer it, until `Stop` or EOF.
/// `crash_after` makes the worker exit abruptly after that many answers
/// (to show that a dying worker loses nothing).
pub fn worker_loop(
    input: impl BufRead,
    mut output: impl Write,
    crash_after: Option<usize>,
) -> Result<()> {
    let pid = std::process::id();
    for (done, line) in input.lines().enumerate() {
        if crash_after == Some(done) {
            std::process::exit(101);
        }
        let line = line.context("reading a task")?;
        match serde_json::from_str(&line).context("decoding a task")? {
            Message::Stop => break,
            Message::Fib { id, n } => {
                let answer = Answer {
                    id,
                    value: fib(n),
                    pid,
                };
                writeln!(output, "{}", serde_json::to_string(&answer)?)?;
                output.flush()?;
            }
        }
    }
    Ok(())
}
// ANCHOR_END: worker

// ANCHOR: processes
/// Compute the tasks on `workers` worker processes pulling from one queue.
pub fn fib_processes(
    tasks: &[u32],
    workers: usize,
    command: &WorkerCommand,
) -> Result<Vec<u64>> {
    fib_processes_with(tasks, &vec![command.clone(); workers.max(1)])
}

/// The same, with one command per worker (they may differ: tests start a
/// worker that crashes beside one that does not).
// ANCHOR: processes_feed
pub fn fib_processes_with(
    tasks: &[u32],
    commands: &[WorkerCommand],
) -> Result<Vec<u64>> {
    let queue = TaskQueue::new(tasks);
    let mut children = Vec::new();
    for command in commands {
        children.push(spawn(command)?);
    }
    std::thread::scope(|scope| {
        for child in &mut children {
            let queue = &queue;
            scope.spawn(move || feed(child, queue));
        }
    });
    for mut child in children {
        let _ = child.process.wait(); // reap; a crashed worker is expected
    }
    queue.into_answers()
}

/// One parent thread per worker: take a task, send it, read the answer.
/// If the worker dies, its task goes back on the queue for the others.
fn feed(child: &mut Worker, queue: &TaskQueue) {
    while let Some((id, n)) = queue.take() {
        match child
            .send(Message::Fib { id, n })
            .and_then(|()| child.receive())
        {
            Ok(answer) if answer.id == id => queue.answer(id, answer.value),
            _ => return queue.give_back(id, n), // not lost
        }
    }
    let _ = child.send(Message::Stop); // the sentinel
}
// ANCHOR_END: processes_feed
// ANCHOR_END: processes

/// The parent's queue: tasks not yet sent, how many are out, the answers.
struct TaskQueue {
    state: Mutex<QueueState>,
    changed: Condvar,
}

struct QueueState {
    pending: VecDeque<(usize, u32)>,
    in_flight: usize,
    answers: Vec<Option<u64>>,
}

impl TaskQueue {
    fn new(tasks: &[u32]) -> Self {
        let state = QueueState {
            pending: tasks.iter().copied().enumerate().collect(),
            in_flight: 0,
            answers: vec![None; tasks.len()],
        };
        TaskQueue {
            state: Mutex::new(state),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next task; `None` once nothing is pending or out (a task that is
    /// out may still come back if its worker dies, so wait for it).
    fn take(&self) -> Option<(usize, u32)> {
        let mut state = self.lock();
        loop {
            if let Some(task) = state.pending.pop_front() {
                state.in_flight += 1;
                return Some(task);
            }
            if state.in_flight == 0 {
                return None;
            }
            state = self.changed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn answer(&self, id: usize, value: u64) {
        let mut state = self.lock();
        state.answers[id] = Some(value);
        state.in_flight -= 1;
        self.changed.notify_all();
    }

    fn give_back(&self, id: usize, n: u32) {
        let mut state = self.lock();
        state.pending.push_back((id, n));
        state.in_flight -= 1;
        self.changed.notify_all();
    }

    fn into_answers(self) -> Result<Vec<u64>> {
        let state = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        let missing = state.answers.iter().filter(|a| a.is_none()).count();
        if missing > 0 {
            bail!("{missing} tasks unanswered: every worker process died");
        }
        Ok(state.answers.into_iter().flatten().collect())
    }
}

struct Worker {
    process: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

fn spawn(command: &WorkerCommand) -> Result<Worker> {
    let mut process = Command::new(&command.program)
        .args(&command.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting worker {}", command.program.display()))?;
    let stdin = process.stdin.take().context("worker stdin")?;
    let stdout = BufReader::new(process.stdout.take().context("worker stdout")?);
    Ok(Worker {
        process,
        stdin,
        stdout,
    })
}

impl Worker {
    fn send(&mut self, message: Message) -> Result<()> {
        writeln!(self.stdin, "{}", serde_json::to_string(&message)?)?;
        Ok(self.stdin.flush()?)
    }

    fn receive(&mut self) -> Result<Answer> {
        let mut line = String::new();
        if self.stdout.read_line(&mut line)? == 0 {
            bail!("worker {} exited", self.process.id());
        }
        Ok(serde_json::from_str(&line)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_loop_answers_until_the_sentinel() {
        let input = [
            Message::Fib { id: 0, n: 10 },
            Message::Fib { id: 1, n: 20 },
            Message::Stop,
            Message::Fib { id: 2, n: 5 },
        ]
        .map(|m| serde_json::to_string(&m).expect("encodes"))
        .join("\n");
        let mut output = Vec::new();
        worker_loop(input.as_bytes(), &mut output, None).expect("serves");
        let answers: Vec<Answer> = String::from_utf8(output)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("an answer"))
            .collect();
        let values: Vec<_> = answers.iter().map(|a| (a.id, a.value)).collect();
        assert_eq!(values, [(0, 55), (1, 6765)], "nothing after Stop");
    }

    #[test]
    fn a_malformed_task_is_an_error_not_a_panic() {
        let err =
            worker_loop(&b"{\"Fib\": 3}\n"[..], Vec::new(), None).expect_err("bad");
        assert!(format!("{err:#}").contains("decoding a task"), "{err:#}");
    }
}
