//! A `redis-server` of our own on a free loopback port (Debian: `redis-server`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::{TempDir, free_port, tail, wait_for_port};
use crate::bins::require_program;

/// A running `redis-server`; dropping it stops it and removes its directory.
#[derive(Debug)]
pub struct RedisServer {
    program: PathBuf,
    port: u16,
    persistent: bool,
    child: Option<Child>,
    dir: TempDir,
}

impl RedisServer {
    /// Start with no persistence at all (`--save '' --appendonly no`):
    /// the embedded default of the examples.
    pub fn start() -> Result<Self> {
        Self::launch(false)
    }

    /// Start with an append-only file synced on every write, so that
    /// [`restart`](Self::restart) keeps every queue and result: a broker
    /// restart as in production.
    pub fn start_persistent() -> Result<Self> {
        Self::launch(true)
    }

    /// Start `program` (a `redis-server` the caller found itself, e.g. named
    /// by an environment variable) with no persistence, like [`start`](Self::start).
    pub fn start_program(program: PathBuf) -> Result<Self> {
        Self::launch_program(program, false)
    }

    fn launch(persistent: bool) -> Result<Self> {
        let program = require_program("redis-server", "redis-server")?;
        Self::launch_program(program, persistent)
    }

    fn launch_program(program: PathBuf, persistent: bool) -> Result<Self> {
        let mut server = RedisServer {
            program,
            port: free_port()?,
            persistent,
            child: None,
            dir: TempDir::new("workbench-redis")?,
        };
        server.spawn()?;
        Ok(server)
    }

    fn spawn(&mut self) -> Result<()> {
        let dir = self.dir.path();
        let log = dir.join("redis.log");
        let aof = if self.persistent { "yes" } else { "no" };
        let child = Command::new(&self.program)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", aof, "--appendfsync", "always"])
            .args(["--daemonize", "no", "--protected-mode", "yes"])
            .arg("--dir")
            .arg(dir)
            .arg("--logfile")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", self.program.display()))?;
        self.child = Some(child);
        let ready = self.wait_ready(Duration::from_secs(10));
        ready.with_context(|| {
            format!("redis-server did not start; its log:\n{}", tail(&log, 8))
        })
    }

    fn wait_ready(&mut self, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        let child = self.child.as_mut().context("no redis-server process")?;
        wait_for_port(self.port, timeout, || match child.try_wait()? {
            Some(status) => bail!("redis-server exited at start ({status})"),
            None => Ok(()),
        })?;
        // The port opens before an append-only file is loaded: wait for PONG.
        while start.elapsed() < timeout {
            if self.ping().is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        bail!("redis-server on port {} never answered PING", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://127.0.0.1:PORT/0`
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// One PING round trip on a fresh connection; its duration.
    pub fn ping(&self) -> Result<Duration> {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        let start = Instant::now();
        stream.write_all(b"PING\r\n")?;
        let mut reply = [0u8; 7];
        stream.read_exact(&mut reply)?;
        let took = start.elapsed();
        anyhow::ensure!(&reply == b"+PONG\r\n", "redis answered {reply:?}");
        Ok(took)
    }

    /// Stop the server as an operator would (SIGTERM: it flushes its
    /// append-only file), killing it if it has not exited after 5 s.
    pub fn stop(&mut self) -> Result<()> {
        if let Some(child) = self.child.take() {
            terminate(child, Duration::from_secs(5))?;
        }
        Ok(())
    }

    /// Kill the server abruptly (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stop and start again on the same port and directory. With
    /// [`start_persistent`](Self::start_persistent) nothing is lost.
    pub fn restart(&mut self) -> Result<()> {
        self.stop()?;
        self.spawn()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(Child::try_wait), Some(Ok(None)))
    }
}

/// SIGTERM, then SIGKILL after `grace`; always reaps the child.
pub(crate) fn terminate(mut child: Child, grace: Duration) -> Result<()> {
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    let pid = Pid::from_raw(i32::try_from(child.id()).context("a pid fits i32")?);
    let _ = kill(pid, Signal::SIGTERM);
    let start = Instant::now();
    while start.elapsed() < grace {
        if child.try_wait()?.is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    child.wait()?;
    Ok(())
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            let _ = terminate(child, Duration::from_secs(2));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redis_starts_answers_restarts_and_stops() {
        let mut server =
            RedisServer::start_persistent().expect("redis-server starts");
        assert!(server.url().starts_with("redis://127.0.0.1:"));
        server.ping().expect("PONG");
        let port = server.port();
        server.restart().expect("restarts");
        assert_eq!(server.port(), port);
        server.ping().expect("PONG after restart");
        server.stop().expect("stops");
        assert!(!server.is_running());
        assert!(server.ping().is_err(), "nothing answers once stopped");
    }
}
