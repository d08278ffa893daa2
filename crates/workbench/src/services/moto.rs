//! A local AWS-compatible endpoint: moto's server (PyPI `moto[server]`, in
//! the venv under `target/`) on a free loopback port.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::redis::terminate;
use super::{TempDir, free_port, tail, wait_for_port};
use crate::bins::target_dir;

/// A running moto server; dropping it stops it.
#[derive(Debug)]
pub struct MotoServer {
    port: u16,
    child: Option<Child>,
    dir: TempDir,
}

/// The venv's Python, where `moto[server]` is installed
/// (`WORKBENCH_PYTHON` names another one).
pub fn venv_python() -> PathBuf {
    match std::env::var_os("WORKBENCH_PYTHON") {
        Some(python) => PathBuf::from(python),
        None => target_dir().join("venv").join("bin").join("python"),
    }
}

const INSTALL: &str = "install it with `target/venv/bin/python -m pip install -r \
                       python/requirements.txt` (or `cargo xtask setup`)";

impl MotoServer {
    /// Start `python -m moto.server` on 127.0.0.1 and a free port, and wait
    /// until it answers.
    pub fn start() -> Result<Self> {
        Self::start_with_env(&[])
    }

    /// [`MotoServer::start`] with extra environment variables for the
    /// server, e.g. `INITIAL_NO_AUTH_ACTION_COUNT` (IAM enforced after that
    /// many requests).
    pub fn start_with_env(vars: &[(&str, &str)]) -> Result<Self> {
        let python = venv_python();
        if !python.is_file() {
            bail!("no Python venv at {}: {INSTALL}", python.display());
        }
        let has_moto = Command::new(&python)
            .args(["-c", "import moto.server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("running {}", python.display()))?;
        if !has_moto.success() {
            bail!(
                "moto's server is not installed in {}: {INSTALL}",
                python.display()
            );
        }
        let dir = TempDir::new("workbench-moto")?;
        let log = dir.path().join("moto.log");
        let port = free_port()?;
        let out = std::fs::File::create(&log)
            .with_context(|| format!("creating {}", log.display()))?;
        let child = Command::new(&python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .envs(vars.iter().copied())
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .with_context(|| {
                format!("starting moto's server with {}", python.display())
            })?;
        let mut server = MotoServer {
            port,
            child: Some(child),
            dir,
        };
        let ready = server.wait_ready(Duration::from_secs(60));
        ready.with_context(|| {
            format!("moto's server did not start; its log:\n{}", tail(&log, 8))
        })?;
        Ok(server)
    }

    fn wait_ready(&mut self, timeout: Duration) -> Result<()> {
        let child = self.child.as_mut().context("no moto process")?;
        wait_for_port(self.port, timeout, || match child.try_wait()? {
            Some(status) => bail!("moto's server exited at start ({status})"),
            None => Ok(()),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`: the value for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The server's log so far (requests it answered, errors).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("moto.log")).unwrap_or_default()
    }

    /// Stop the server (SIGTERM, SIGKILL after 5 s).
    pub fn stop(&mut self) -> Result<()> {
        if let Some(child) = self.child.take() {
            terminate(child, Duration::from_secs(5))?;
        }
        Ok(())
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}
