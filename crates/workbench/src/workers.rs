//! Worker processes spoken to in JSON lines: the plumbing under the `dist`
//! variants of chapters 1 and 2 (the book's `multiprocessing`).
//!
//! The parent writes one JSON message per line on a worker's stdin and
//! reads one JSON answer per line from its stdout; the worker side is
//! [`serve`]. What the messages say is the chapter's business.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::{Serialize, de::DeserializeOwned};

/// How to start one worker: a program and its arguments.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

impl WorkerCommand {
    pub fn new(program: impl Into<PathBuf>, args: &[&str]) -> Self {
        WorkerCommand {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// `bin` of `package` ([`crate::bins::chapter_program`]): this program
    /// when it is `bin`, else built by cargo — what a notebook needs, since
    /// there the running executable is the kernel's.
    pub fn locate(package: &str, bin: &str, args: &[&str]) -> Result<Self> {
        Ok(Self::new(
            crate::bins::chapter_program(package, bin, None)?,
            args,
        ))
    }
}

/// A running worker process; dropping it kills the process if it is
/// still running.
#[derive(Debug)]
pub struct WorkerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl WorkerProcess {
    pub fn spawn(command: &WorkerCommand) -> Result<Self> {
        let mut child = Command::new(&command.program)
            .args(&command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| {
                format!("starting worker {}", command.program.display())
            })?;
        let stdin = child.stdin.take().context("the worker's stdin")?;
        let stdout = child.stdout.take().context("the worker's stdout")?;
        Ok(WorkerProcess {
            child,
            stdin: Some(stdin),
            stdout: BufReader::new(stdout),
        })
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Send one message (one JSON line).
    pub fn send<T: Serialize>(&mut self, message: &T) -> Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .context("the worker's input is closed")?;
        let line = serde_json::to_string(message)?;
        writeln!(stdin, "{line}")
            .and_then(|()| stdin.flush())
            .with_context(|| format!("writing to worker {}", self.child.id()))
    }

    /// Read one answer (one JSON line).
    pub fn receive<T: DeserializeOwned>(&mut self) -> Result<T> {
        let mut line = String::new();
        let read = self.stdout.read_line(&mut line);
        let pid = self.child.id();
        if read.with_context(|| format!("reading from worker {pid}"))? == 0 {
            bail!("worker {pid} exited without answering");
        }
        serde_json::from_str(&line)
            .with_context(|| format!("decoding worker {pid}'s answer"))
    }

    /// Close the worker's input (its signal to stop) and wait for it.
    pub fn finish(mut self) -> Result<()> {
        drop(self.stdin.take());
        let status = self.child.wait().context("waiting for a worker")?;
        anyhow::ensure!(
            status.success(),
            "worker {} ended with {status}",
            self.child.id()
        );
        Ok(())
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The worker's side: answer each JSON line of `input` with `handle`,
/// one JSON line on `output`, until the input ends.
pub fn serve<Q, A>(
    input: impl BufRead,
    mut output: impl Write,
    mut handle: impl FnMut(Q) -> Result<A>,
) -> Result<()>
where
    Q: DeserializeOwned,
    A: Serialize,
{
    for line in input.lines() {
        let line = line.context("reading a message")?;
        let message = serde_json::from_str(&line).context("decoding a message")?;
        let answer = handle(message)?;
        writeln!(output, "{}", serde_json::to_string(&answer)?)?;
        output.flush()?;
    }
    Ok(())
}

/// End this worker when the process that started it dies: the kernel
/// sends it SIGKILL (`prctl(PR_SET_PDEATHSIG)`), no polling thread needed.
///
/// Linux sends the signal when the *thread* that started this process
/// ends, not only when the whole parent does, and only if this call came
/// first: a parent must start such workers from a thread that outlives
/// them (or at least this call: wait for the worker's "ready").
pub fn exit_with_parent() -> Result<()> {
    let parent = std::os::unix::process::parent_id();
    nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)
        .context("prctl(PR_SET_PDEATHSIG)")?;
    // The parent process gone before the call: no signal will come.
    if std::os::unix::process::parent_id() != parent {
        std::process::exit(3);
    }
    Ok(())
}

/// Start `command` (running `program`) with its stdout piped and read the
/// first line it prints (empty if it closed stdout first); the rest of its
/// stdout stays with the child.
pub fn spawn_first_line(
    command: &mut Command,
    program: &std::path::Path,
) -> Result<(Child, String)> {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", program.display()))?;
    let stdout = child.stdout.as_mut().context("the child's stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    Ok((child, line))
}

/// A worker program's runtime: `threads` threads, all drivers on; first,
/// if `with_parent`, the process is bound to exit with its parent
/// ([`exit_with_parent`]).
pub fn worker_runtime(
    threads: usize,
    with_parent: bool,
) -> Result<tokio::runtime::Runtime> {
    if with_parent {
        exit_with_parent()?;
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .context("starting the worker's runtime")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_answers_each_line_until_the_end() {
        let mut output = Vec::new();
        serve(&b"[1,2]\n[3,4]\n"[..], &mut output, |pair: (u32, u32)| {
            Ok(pair.0 + pair.1)
        })
        .expect("serves");
        assert_eq!(String::from_utf8(output).expect("utf-8"), "3\n7\n");
    }

    #[test]
    fn a_malformed_message_is_an_error() {
        let err =
            serve(&b"nonsense\n"[..], Vec::new(), |n: u32| Ok(n)).expect_err("bad");
        assert!(format!("{err:#}").contains("decoding a message"), "{err:#}");
    }

    #[test]
    fn a_real_process_answers_and_a_missing_one_is_named() {
        // `cat` echoes each line back: a worker that answers with its input.
        let cat = WorkerCommand::new("cat", &[]);
        let mut worker = WorkerProcess::spawn(&cat).expect("cat starts");
        worker.send(&vec![1, 2, 3]).expect("sends");
        let echoed: Vec<u32> = worker.receive().expect("receives");
        assert_eq!(echoed, [1, 2, 3]);
        worker.finish().expect("cat exits cleanly");
        let err =
            WorkerProcess::spawn(&WorkerCommand::new("/nonexistent/worker", &[]))
                .expect_err("missing");
        assert!(
            format!("{err:#}").contains("/nonexistent/worker"),
            "{err:#}"
        );
    }
}
