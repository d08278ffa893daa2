//! A RabbitMQ node of our own on free loopback ports (Debian:
//! `rabbitmq-server`): its own node name, data and log directories, and its
//! own `epmd` port, with every plugin off; AMQP, epmd and Erlang
//! distribution all listen on 127.0.0.1 only.
//!
//! Erlang starts slowly: on a 2-core machine a fresh node takes about ten
//! seconds before it accepts AMQP connections.
//!
//! The node's one user is `app` with a random password (no `guest`), set
//! in its config file (mode 0600) rather than any argv; with TLS its only
//! listener is `amqps` (a private CA made by [`Certificates`]).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::redis::terminate;
use super::tls::{Certificates, random_password};
use super::{TempDir, free_port, tail, wait_for_port};
use crate::bins::require_program;
use crate::redact::Password;

/// Erlang's flag that keeps its distribution listener on loopback.
const LOOPBACK_DIST: &str = "-kernel inet_dist_use_interface {127,0,0,1}";

/// A running RabbitMQ node; dropping it stops it (`rabbitmqctl stop`, then
/// a kill) and removes its directory.
#[derive(Debug)]
pub struct RabbitMq {
    node: String,
    amqp_port: u16,
    epmd_port: u16,
    dist_port: u16,
    ctl: PathBuf,
    child: Option<Child>,
    started_in: Duration,
    password: Password,
    certs: Option<Certificates>,
    dir: TempDir,
}

/// The user the node is started with.
pub const USER: &str = "app";

/// The scripts themselves, not Debian's wrapper (which switches to the
/// `rabbitmq` user and drops our environment when run as root).
fn script(name: &str) -> Result<PathBuf> {
    let direct = Path::new("/usr/lib/rabbitmq/bin").join(name);
    if direct.is_file() {
        return Ok(direct);
    }
    require_program(name, "rabbitmq-server")
}

impl RabbitMq {
    /// Plain AMQP, user [`USER`] with a random password.
    pub fn start() -> Result<Self> {
        Self::start_with(false)
    }

    /// `amqps` only, with a private CA ([`ca_file`](Self::ca_file)).
    pub fn start_tls() -> Result<Self> {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> Result<Self> {
        require_program("rabbitmq-server", "rabbitmq-server")?;
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let dir = TempDir::new("workbench-rabbitmq")?;
        let mut node = RabbitMq {
            node: format!("workbench-{}-{n}@localhost", std::process::id()),
            amqp_port: free_port()?,
            epmd_port: free_port()?,
            dist_port: free_port()?,
            ctl: script("rabbitmqctl")?,
            child: None,
            started_in: Duration::ZERO,
            password: Password::new(random_password()?),
            certs: if tls {
                Some(Certificates::new()?)
            } else {
                None
            },
            dir,
        };
        std::fs::write(node.dir.path().join("enabled_plugins"), "[].\n")?;
        node.write_config()?;
        node.spawn()?;
        Ok(node)
    }

    /// `rabbitmq.conf`: the user, and with TLS the only listener.
    fn write_config(&self) -> Result<()> {
        let mut conf = format!(
            "default_user = {USER}\ndefault_pass = {}\n",
            self.password.expose()
        );
        if let Some(certs) = &self.certs {
            conf.push_str(&format!(
                "listeners.tcp = none\n\
                 listeners.ssl.1 = 127.0.0.1:{}\n\
                 ssl_options.cacertfile = {}\n\
                 ssl_options.certfile = {}\n\
                 ssl_options.keyfile = {}\n\
                 ssl_options.verify = verify_peer\n\
                 ssl_options.fail_if_no_peer_cert = false\n",
                self.amqp_port,
                certs.ca().display(),
                certs.cert().display(),
                certs.key().display(),
            ));
        }
        super::write_private(&self.dir.path().join("rabbitmq.conf"), &conf)
    }

    fn spawn(&mut self) -> Result<()> {
        let server = script("rabbitmq-server")?;
        let start = Instant::now();
        let log = self.dir.path().join("server.log");
        let mut command = self.command(&server);
        if self.certs.is_none() {
            // The plain listener; with TLS the config file names the only one.
            command
                .env("RABBITMQ_NODE_PORT", self.amqp_port.to_string())
                .env("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        }
        let child = command
            .env("RABBITMQ_DIST_PORT", self.dist_port.to_string())
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log)?)
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", server.display()))?;
        let child = self.child.insert(child);
        let ready = wait_for_port(self.amqp_port, Duration::from_secs(60), || {
            match child.try_wait()? {
                Some(status) => bail!("rabbitmq-server exited at start ({status})"),
                None => Ok(()),
            }
        });
        ready.with_context(|| {
            format!("RabbitMQ did not start; its output:\n{}", tail(&log, 12))
        })?;
        self.started_in = start.elapsed();
        Ok(())
    }

    /// Stop the node and start it again on the same ports and data
    /// directory: durable queues and persistent messages survive.
    pub fn restart(&mut self) -> Result<()> {
        self.stop()?;
        self.spawn()
    }

    /// The environment every RabbitMQ script of this node needs.
    fn command(&self, program: &Path) -> Command {
        let dir = self.dir.path();
        let mut command = Command::new(program);
        command
            .current_dir(dir)
            .env("HOME", dir) // the Erlang cookie lives here
            .env("RABBITMQ_NODENAME", &self.node)
            .env("RABBITMQ_MNESIA_BASE", dir.join("mnesia"))
            .env("RABBITMQ_LOG_BASE", dir.join("log"))
            .env("RABBITMQ_ENABLED_PLUGINS_FILE", dir.join("enabled_plugins"))
            .env("RABBITMQ_CONFIG_FILE", dir.join("rabbitmq"))
            .env("RABBITMQ_ADVANCED_CONFIG_FILE", dir.join("advanced.config"))
            .env("RABBITMQ_PID_FILE", dir.join("rabbitmq.pid"))
            .env("ERL_EPMD_PORT", self.epmd_port.to_string())
            .env("ERL_EPMD_ADDRESS", "127.0.0.1")
            // Erlang distribution (the node's port for other nodes and for
            // rabbitmqctl) listens on every interface unless told otherwise.
            .env("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", LOOPBACK_DIST)
            .env("RABBITMQ_CTL_ERL_ARGS", LOOPBACK_DIST);
        command
    }

    /// `amqp://app:PASSWORD@127.0.0.1:PORT/%2f` (`amqps://` with TLS).
    /// Print it only through [`crate::redact::url`].
    pub fn url(&self) -> String {
        let scheme = if self.certs.is_some() {
            "amqps"
        } else {
            "amqp"
        };
        let (port, password) = (self.amqp_port, self.password.expose());
        format!("{scheme}://{USER}:{password}@127.0.0.1:{port}/%2f")
    }

    /// The password of [`USER`].
    pub fn password(&self) -> &str {
        self.password.expose()
    }

    /// The CA certificate a client must trust (`SSL_CERT_FILE`), with TLS.
    pub fn ca_file(&self) -> Option<PathBuf> {
        self.certs.as_ref().map(Certificates::ca)
    }

    pub fn port(&self) -> u16 {
        self.amqp_port
    }

    /// The port of this node's own `epmd`.
    pub fn epmd_port(&self) -> u16 {
        self.epmd_port
    }

    /// The port of Erlang distribution (node-to-node, and `rabbitmqctl`).
    pub fn dist_port(&self) -> u16 {
        self.dist_port
    }

    /// The Erlang node name, for `rabbitmqctl -n`.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// How long the node took to accept AMQP connections.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// Stop the node with `rabbitmqctl stop`, kill it if that did not
    /// work within 15 s, and stop its `epmd`.
    pub fn stop(&mut self) -> Result<()> {
        let Some(child) = self.child.take() else {
            return Ok(());
        };
        let _ = self
            .command(&self.ctl)
            .args(["-n", &self.node, "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        terminate(child, Duration::from_secs(15))?;
        let epmd = require_program("epmd", "erlang-base")?;
        let _ = Command::new(epmd)
            .args(["-port", &self.epmd_port.to_string(), "-kill"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        Ok(())
    }
}

impl Drop for RabbitMq {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rabbitmq_accepts_amqp_connections_and_stops() {
        let mut node = RabbitMq::start().expect("rabbitmq-server starts");
        let shown = crate::redact::url(&node.url());
        assert!(node.url().starts_with("amqp://app:"), "{shown}");
        let port = node.port();
        let debug = format!("{node:?}");
        assert!(!debug.contains(node.password()), "{debug}");
        assert!(debug.contains(&format!("amqp_port: {port}")), "{debug}");
        eprintln!(
            "RabbitMQ node {} up in {:?}",
            node.node(),
            node.started_in()
        );
        node.stop().expect("stops");
        let refused = std::net::TcpStream::connect(("127.0.0.1", port)).is_err();
        assert!(refused, "the AMQP port is closed once stopped");
    }
}
