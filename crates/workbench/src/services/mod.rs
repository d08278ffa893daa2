//! Local services for examples and tests: a `redis-server` or a RabbitMQ
//! node on a free loopback port, in a temporary directory, stopped on drop.
//!
//! Nothing here listens beyond 127.0.0.1. A missing server program is an
//! error naming the Debian package that provides it.

pub mod moto;
pub mod rabbitmq;
pub mod redis;
pub mod tls;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

pub use moto::MotoServer;
pub use rabbitmq::RabbitMq;
pub use redis::{RedisOptions, RedisServer};
pub use tls::Certificates;

/// A port of 127.0.0.1 that was free a moment ago (the OS picks it).
/// Write `contents` to `path`, readable by its owner only (mode 0600): a
/// broker's config that holds a password, which must reach it by file, not argv.
pub fn write_private(path: &Path, contents: &str) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    std::io::Write::write_all(&mut file, contents.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

pub fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").context("asking the OS for a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Wait until something accepts TCP connections on `127.0.0.1:port`, or
/// fail after `timeout`; `alive` is asked between tries so a server that
/// died at start is reported at once rather than after the timeout.
pub fn wait_for_port(
    port: u16,
    timeout: Duration,
    mut alive: impl FnMut() -> Result<()>,
) -> Result<()> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let start = Instant::now();
    loop {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        alive()?;
        if start.elapsed() > timeout {
            bail!("nothing answered on {addr} within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A fresh directory under the system's temporary directory, removed when
/// dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir()
            .join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        Ok(TempDir(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The last lines of a log file, to explain why a server did not start.
pub(crate) fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_port_can_be_bound_and_waiting_on_it_times_out() {
        let port = free_port().expect("a port");
        let err = wait_for_port(port, Duration::from_millis(100), || Ok(()))
            .expect_err("nothing listens");
        assert!(err.to_string().contains("nothing answered"), "{err}");
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("still free");
        wait_for_port(port, Duration::from_secs(1), || Ok(())).expect("listening");
        drop(listener);
    }

    #[test]
    fn a_temp_dir_is_removed_on_drop() {
        let dir = TempDir::new("workbench-test").expect("created");
        let path = dir.path().to_path_buf();
        assert!(path.is_dir());
        drop(dir);
        assert!(!path.exists());
    }
}
