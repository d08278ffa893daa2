//! Chapter 4 · Starting and stopping worker processes (the book's
//! `start_workers.py`): N workers, stopped with SIGTERM and, after a grace
//! period, SIGKILL.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::celery::worker::WorkerConfig;

/// Where the `worker` program is: `CH04_WORKER`, else next to the running
/// program (`target/*/ch04` has `target/*/worker`), else built by cargo
/// (what a notebook needs: there the running program is the kernel's).
pub fn worker_program() -> Result<PathBuf> {
    chapter_program("worker", "CH04_WORKER")
}

/// The chapter's program `bin`, found the same way (`variable` first).
pub fn chapter_program(bin: &str, variable: &str) -> Result<PathBuf> {
    workbench::bins::chapter_program("ch04", bin, Some(variable))
}

/// Running worker processes; dropping them stops them.
#[derive(Debug)]
pub struct Workers {
    children: Vec<Child>,
}

impl Workers {
    // ANCHOR: start
    /// Start `count` workers of `program` with `config` and wait until each
    /// says it is consuming. Their logs go to `log_dir/worker-N.log` when
    /// given, else to this program's stderr. Each dies with the thread that
    /// started it (`--exit-with-parent`): start them from one that outlives
    /// them, never from a short-lived or pooled thread.
    pub fn start(
        program: &Path,
        config: &WorkerConfig,
        count: usize,
        log_dir: Option<&Path>,
    ) -> Result<Self> {
        let commands = (0..count).map(|index| {
            let mut command = Command::new(program);
            command
                // URLs by environment, not argv (which anyone can read in
                // /proc): they may hold a password.
                .env("REDIS_URL", &config.broker)
                .args(["--queue", &config.queue])
                .args(["--concurrency", &config.concurrency.to_string()])
                .arg("--exit-with-parent")
                .arg("--visibility-timeout")
                .arg(config.visibility_timeout.as_secs_f64().to_string())
                .arg("--grace-s")
                .arg(config.grace.as_secs_f64().to_string());
            if config.events {
                command.arg("-E"); // Celery's events and remote control
            }
            if let Some(port) = config.metrics_port {
                // One port each, counting up from the one given.
                let port = usize::from(port) + index;
                command.arg("--metrics-port").arg(port.to_string());
            }
            match &config.backend {
                Some(backend) => command.env("CH04_BACKEND_URL", backend),
                None => command.env_remove("CH04_BACKEND_URL"),
            };
            match &config.rates {
                Some(rates) => command.env("CH04_RATES_URL", rates),
                None => command.env_remove("CH04_RATES_URL"),
            };
            command
        });
        Self::spawn_ready(commands.collect(), log_dir)
    }
    // ANCHOR_END: start

    /// Start one process per command and wait until each prints a line
    /// beginning `ready:` on its stdout; stderr goes to
    /// `log_dir/worker-N.log` when given.
    pub fn spawn_ready(
        commands: Vec<Command>,
        log_dir: Option<&Path>,
    ) -> Result<Self> {
        let mut workers = Workers {
            children: Vec::new(),
        };
        let (ready_tx, ready_rx) = mpsc::channel();
        for (index, mut command) in commands.into_iter().enumerate() {
            command.stdin(Stdio::null()).stdout(Stdio::piped());
            if let Some(dir) = log_dir {
                let log = dir.join(format!("worker-{index}.log"));
                command.stderr(std::fs::File::create(&log)?);
            }
            let program = command.get_program().to_owned();
            let mut child = command
                .spawn()
                .with_context(|| format!("starting worker {}", program.display()))?;
            let stdout = child.stdout.take().context("worker stdout")?;
            let ready = ready_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if line.starts_with("ready:") {
                        let _ = ready.send(index);
                    }
                }
            });
            workers.children.push(child);
        }
        workers.wait_ready(&ready_rx, Duration::from_secs(20))?;
        Ok(workers)
    }

    fn wait_ready(
        &mut self,
        ready: &mpsc::Receiver<usize>,
        timeout: Duration,
    ) -> Result<()> {
        let start = Instant::now();
        let mut count = 0;
        while count < self.children.len() {
            if ready.recv_timeout(Duration::from_millis(50)).is_ok() {
                count += 1;
                continue;
            }
            for (index, child) in self.children.iter_mut().enumerate() {
                if let Some(status) = child.try_wait()? {
                    bail!("worker {index} exited before it was ready ({status})");
                }
            }
            if start.elapsed() > timeout {
                bail!(
                    "{} workers not ready after {timeout:?}",
                    self.children.len() - count
                );
            }
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.children.len()
    }

    pub fn is_empty(&self) -> bool {
        self.children.is_empty()
    }

    /// Which workers are still running (none has exited or been killed).
    pub fn alive(&mut self) -> Vec<bool> {
        self.children
            .iter_mut()
            .map(|child| matches!(child.try_wait(), Ok(None)))
            .collect()
    }

    pub fn pids(&self) -> Vec<u32> {
        self.children.iter().map(Child::id).collect()
    }

    /// Kill worker `index` at once (SIGKILL), as a crash would.
    pub fn kill(&mut self, index: usize) -> Result<()> {
        let child = self.children.get_mut(index).context("no such worker")?;
        child.kill()?;
        child.wait()?;
        Ok(())
    }

    // ANCHOR: stop
    /// SIGTERM every worker (each finishes the task in hand and gives back
    /// the rest), then SIGKILL whoever is still there after `grace`.
    pub fn stop(&mut self, grace: Duration) -> Result<()> {
        let killed = workbench::stop::terminate_all(&mut self.children, grace)?;
        for pid in killed {
            tracing::warn!("worker {pid} ignored SIGTERM; it was killed");
        }
        self.children.clear();
        Ok(())
    }
    // ANCHOR_END: stop
}

impl Drop for Workers {
    fn drop(&mut self) {
        let _ = self.stop(Duration::from_secs(5));
    }
}
