//! A `redis-server` of our own on a free loopback port (Debian: `redis-server`),
//! with an ACL user and a random password by default, and TLS on request.
//!
//! The password reaches `redis-server` in a config file (mode 0600) in the
//! server's own directory, never in its argv.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::tls::{Certificates, random_password};
use super::{TempDir, free_port, tail, wait_for_port};
use crate::bins::require_program;
use crate::redact::Password;

/// The ACL user the embedded Redis creates (the `default` user is off).
pub const USER: &str = "app";

/// How to start a [`RedisServer`]; `Default` is the examples' embedded
/// Redis: an ACL user with a random password, no TLS, no persistence.
#[derive(Debug, Clone, Default)]
pub struct RedisOptions {
    /// An append-only file synced on every write (see
    /// [`RedisServer::start_persistent`]).
    pub persistent: bool,
    /// No user and no password (the `default` user, open): for code that
    /// builds its own `redis://host:port` URL, such as a fault proxy.
    pub open: bool,
    /// TLS only (`--tls-port`, `--port 0`), with a private CA made by
    /// [`Certificates`]; the URL becomes `rediss://`.
    pub tls: bool,
    /// The `redis-server` program; found on `PATH` when `None`.
    pub program: Option<PathBuf>,
}

/// A running `redis-server`; dropping it stops it and removes its directory.
#[derive(Debug)]
pub struct RedisServer {
    program: PathBuf,
    port: u16,
    persistent: bool,
    password: Option<Password>,
    certs: Option<Certificates>,
    child: Option<Child>,
    dir: TempDir,
}

impl RedisServer {
    /// Start with no persistence at all (`--save '' --appendonly no`) and
    /// an ACL user with a random password: the embedded default of the
    /// examples. [`url`](Self::url) carries the password.
    pub fn start() -> Result<Self> {
        Self::start_with(RedisOptions::default())
    }

    /// Start with an append-only file synced on every write, so that
    /// [`restart`](Self::restart) keeps every queue and result: a broker
    /// restart as in production.
    pub fn start_persistent() -> Result<Self> {
        Self::start_with(RedisOptions {
            persistent: true,
            ..RedisOptions::default()
        })
    }

    /// Start `program` (a `redis-server` the caller found itself, e.g. named
    /// by an environment variable) with no persistence, like [`start`](Self::start).
    pub fn start_program(program: PathBuf) -> Result<Self> {
        Self::start_with(RedisOptions {
            program: Some(program),
            ..RedisOptions::default()
        })
    }

    /// Start with no password at all (told otherwise than the default).
    pub fn start_open() -> Result<Self> {
        Self::start_with(RedisOptions {
            open: true,
            ..RedisOptions::default()
        })
    }

    /// Start as `options` say.
    pub fn start_with(options: RedisOptions) -> Result<Self> {
        let program = match options.program {
            Some(program) => program,
            None => require_program("redis-server", "redis-server")?,
        };
        let password = match options.open {
            true => None,
            false => Some(Password::new(random_password()?)),
        };
        let certs = match options.tls {
            true => Some(Certificates::new()?),
            false => None,
        };
        let mut server = RedisServer {
            program,
            port: free_port()?,
            persistent: options.persistent,
            password,
            certs,
            child: None,
            dir: TempDir::new("workbench-redis")?,
        };
        server.write_config()?;
        server.spawn()?;
        Ok(server)
    }

    // ANCHOR: acl
    /// The config file: the ACL users (so the password is in no argv).
    fn write_config(&self) -> Result<()> {
        let mut conf = String::new();
        if let Some(password) = &self.password {
            let password = password.expose();
            conf.push_str("user default off\n");
            conf += &format!("user {USER} on >{password} ~* &* +@all\n");
        }
        super::write_private(&self.dir.path().join("redis.conf"), &conf)
    }
    // ANCHOR_END: acl

    fn spawn(&mut self) -> Result<()> {
        let dir = self.dir.path();
        let log = dir.join("redis.log");
        let aof = if self.persistent { "yes" } else { "no" };
        let mut command = Command::new(&self.program);
        command.arg(dir.join("redis.conf"));
        match &self.certs {
            Some(certs) => {
                command
                    .args(["--port", "0", "--tls-port", &self.port.to_string()])
                    .arg("--tls-cert-file")
                    .arg(certs.cert())
                    .arg("--tls-key-file")
                    .arg(certs.key())
                    .arg("--tls-ca-cert-file")
                    .arg(certs.ca())
                    .args(["--tls-auth-clients", "no"]);
            }
            None => {
                command.args(["--port", &self.port.to_string()]);
            }
        }
        let child = command
            .args(["--bind", "127.0.0.1"])
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
        // (Over TLS, PING needs redis-cli: the open port is enough.)
        while start.elapsed() < timeout && self.certs.is_none() {
            if self.ping().is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if self.certs.is_some() {
            return Ok(());
        }
        bail!("redis-server on port {} never answered PING", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://app:PASSWORD@127.0.0.1:PORT/0` (`rediss://` with TLS;
    /// no user and password when started open). Print it only through
    /// [`crate::redact::url`].
    pub fn url(&self) -> String {
        let scheme = if self.certs.is_some() {
            "rediss"
        } else {
            "redis"
        };
        let auth = match &self.password {
            Some(password) => format!("{USER}:{}@", password.expose()),
            None => String::new(),
        };
        format!("{scheme}://{auth}127.0.0.1:{}/0", self.port)
    }

    /// The password of [`USER`], if the server has one.
    pub fn password(&self) -> Option<&str> {
        self.password.as_ref().map(Password::expose)
    }

    /// The CA certificate a client must trust (`SSL_CERT_FILE`), with TLS.
    pub fn ca_file(&self) -> Option<PathBuf> {
        self.certs.as_ref().map(Certificates::ca)
    }

    /// One PING round trip on a fresh connection (after AUTH, when the
    /// server has a password); its duration. Not over TLS.
    pub fn ping(&self) -> Result<Duration> {
        anyhow::ensure!(self.certs.is_none(), "ping() speaks plain TCP, not TLS");
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        if let Some(password) = &self.password {
            let password = password.expose();
            stream.write_all(format!("AUTH {USER} {password}\r\n").as_bytes())?;
            let mut ok = [0u8; 5];
            stream.read_exact(&mut ok)?;
            anyhow::ensure!(&ok == b"+OK\r\n", "redis refused AUTH: {ok:?}");
        }
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
    crate::stop::terminate(&mut child, grace).map(drop)
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(child) = self.child.take() {
            let _ = terminate(child, Duration::from_secs(2));
        }
    }
}

#[cfg(test)]
#[path = "redis_tests.rs"]
mod tests;
