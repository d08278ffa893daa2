//! Chapter 6 · The cluster's own network: a Linux network namespace.
//!
//! slurmctld 22.05 listens on every interface (it ignores `NoInAddrAny`).
//! Started inside a namespace whose only interface is its loopback, "every
//! interface" means that loopback: no port of the cluster is open outside
//! the namespace, not even on the host's own loopback. The Slurm commands,
//! and so the jobs, enter it through `ip netns exec`, the daemons through
//! `nsenter --net`; munged stays outside, its unix socket is reached
//! through the shared file system.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

/// The namespace of the local cluster.
pub const NAME: &str = "dcr-slurm";

/// The cluster's namespace: workbench's `ip netns` wrapper
/// ([`workbench::netns::Netns`]: `name`, `exists`, `pids`, `delete`), with
/// the root check and the Slurm set-up this chapter needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Netns(workbench::netns::Netns);

impl std::ops::Deref for Netns {
    type Target = workbench::netns::Netns;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Netns {
    pub fn new(name: impl Into<String>) -> Self {
        Netns(workbench::netns::Netns::new(name))
    }

    /// Create the namespace with its loopback up, unless it exists.
    /// `Ok(true)` when this call created it.
    pub fn ensure(&self) -> Result<bool> {
        require_root("creating a network namespace", &self.name)?;
        let created = !self.exists();
        if created {
            self.0.add()?;
        }
        // Setting the loopback up twice is harmless.
        self.0.ip(&["link", "set", "lo", "up"])?;
        // glibc's getaddrinfo(AI_ADDRCONFIG), which Slurm uses, finds no
        // IPv4 when 127.0.0.1 is the only address: a second loopback
        // address (on `lo`, reachable from nowhere else) satisfies it.
        self.0
            .ip(&["addr", "replace", "127.0.0.2/8", "dev", "lo"])?;
        Ok(created)
    }

    /// A daemon started inside the namespace, by `nsenter --net` (slurmd
    /// 22.05 needs the `/sys/fs/cgroup` that `ip netns exec` hides).
    pub fn daemon(&self, program: impl Into<PathBuf>) -> Result<Command> {
        require_root("starting a Slurm daemon", &self.name)?;
        self.0.nsenter(program)
    }

    /// `program` started inside the namespace: `ip netns exec NAME program`.
    /// Every Slurm daemon, client and job goes through here.
    pub fn command(&self, program: impl Into<PathBuf>) -> Result<Command> {
        require_root("running a Slurm command", &self.name)?;
        if !self.exists() {
            bail!(
                "there is no network namespace `{}`: start the cluster with \
                 `cargo run -p ch06 -- cluster up`",
                self.name
            );
        }
        self.0.exec(program)
    }
}

fn require_root(what: &str, name: &str) -> Result<()> {
    if !nix::unistd::geteuid().is_root() {
        bail!(
            "{what} needs root: the local Slurm cluster lives in the network \
             namespace `{name}`; run as root (or with sudo)"
        );
    }
    Ok(())
}
