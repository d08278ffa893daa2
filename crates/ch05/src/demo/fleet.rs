//! Chapter 5 · Worker processes on this machine, as an orchestrator sees
//! them: started with environment variables, watched through their health
//! endpoint, stopped with SIGTERM (or killed).

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::health::Status;
use crate::worker::Summary;

/// Where `ch05-worker` is: `CH05_WORKER`, else beside the running `ch05`,
/// else built by cargo (in a notebook the running program is the kernel).
pub fn worker_program() -> Result<PathBuf> {
    workbench::bins::chapter_program("ch05", "ch05-worker", Some("CH05_WORKER"))
}

/// One running `ch05-worker`; dropping it kills it if it still runs.
#[derive(Debug)]
pub struct WorkerProcess {
    pub name: String,
    pub health: SocketAddr,
    child: Child,
    stdout: Option<ChildStdout>,
}

impl WorkerProcess {
    /// Start `program` configured the cloud way, by environment variables
    /// only: the broker, its name, a free health port, and `env`. The
    /// worker dies with the thread that calls this (`--exit-with-parent`,
    /// [`workbench::workers::exit_with_parent`]): call it from one that
    /// outlives the worker.
    pub fn start(
        program: &Path,
        redis_url: &str,
        name: &str,
        env: &[(&str, &str)],
    ) -> Result<Self> {
        let port = workbench::services::free_port()?;
        let health = SocketAddr::from(([127, 0, 0, 1], port));
        let mut command = Command::new(program);
        command
            .arg("--exit-with-parent")
            .env("REDIS_URL", redis_url)
            .env("CH05_WORKER_ID", name)
            .env("CH05_HEALTH_ADDR", health.to_string())
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or("warn".into()),
            )
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped());
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", program.display()))?;
        let stdout = child.stdout.take();
        Ok(WorkerProcess {
            name: name.to_owned(),
            health,
            child,
            stdout,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The worker's `/healthz` answer.
    pub fn status(&self) -> Result<Status> {
        crate::probe::status(self.health)
    }

    /// Wait until `/readyz` says 200.
    pub fn wait_ready(&mut self, timeout: Duration) -> Result<()> {
        self.wait_until(timeout, "ready", |w| crate::probe::is_ready(w.health))
    }

    /// Wait until the worker is in the middle of a job; its id.
    pub fn wait_busy(&mut self, timeout: Duration) -> Result<String> {
        self.wait_until(timeout, "busy", |w| Ok(w.status()?.current.is_some()))?;
        self.status()?.current.context("the job ended at once")
    }

    fn wait_until(
        &mut self,
        timeout: Duration,
        what: &str,
        mut check: impl FnMut(&Self) -> Result<bool>,
    ) -> Result<()> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "worker {} exited ({status}) before it was {what}",
                    self.name
                );
            }
            if check(self).unwrap_or(false) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        bail!("worker {} was not {what} within {timeout:?}", self.name)
    }

    /// Send SIGTERM, as `docker stop` or Kubernetes does.
    pub fn terminate(&self) -> Result<()> {
        self.signal(Signal::SIGTERM)
    }

    /// SIGTERM, then a clean exit (code 0) within `timeout`: the summary
    /// the worker printed last.
    pub fn stop_cleanly(&mut self, timeout: Duration) -> Result<Summary> {
        self.terminate()?;
        let (status, summary) = self.wait(timeout)?;
        anyhow::ensure!(
            status.code() == Some(0),
            "worker {} exited with {status}",
            self.name
        );
        summary.with_context(|| format!("worker {} printed no summary", self.name))
    }

    /// Send SIGKILL: the machine is gone, nothing runs any more.
    pub fn kill(&mut self) -> Result<()> {
        self.signal(Signal::SIGKILL)?;
        self.child.wait()?;
        Ok(())
    }

    fn signal(&self, signal: Signal) -> Result<()> {
        let pid = Pid::from_raw(i32::try_from(self.child.id())?);
        kill(pid, signal)
            .with_context(|| format!("sending {signal} to {}", self.name))
    }

    /// Wait for the exit (killing the worker after `timeout`); the status
    /// and the summary it printed last.
    pub fn wait(
        &mut self,
        timeout: Duration,
    ) -> Result<(ExitStatus, Option<Summary>)> {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait()? {
                break status;
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                bail!("worker {} did not exit within {timeout:?}", self.name);
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut out = String::new();
        if let Some(mut stdout) = self.stdout.take() {
            stdout.read_to_string(&mut out)?;
        }
        let summary = out
            .lines()
            .last()
            .and_then(|l| serde_json::from_str(l).ok());
        Ok((status, summary))
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
