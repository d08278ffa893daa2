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

use anyhow::{Context, Result, bail};
use workbench::bins::require_program;

/// The namespace of the local cluster.
pub const NAME: &str = "dcr-slurm";

/// A named network namespace, managed with `ip netns`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Netns {
    pub name: String,
}

impl Netns {
    pub fn new(name: impl Into<String>) -> Self {
        Netns { name: name.into() }
    }

    /// Whether the namespace exists (`ip netns list` names it).
    pub fn exists(&self) -> bool {
        let Ok(mut list) = ip() else { return false };
        list.args(["netns", "list"]).output().is_ok_and(|out| {
            listed(&String::from_utf8_lossy(&out.stdout), &self.name)
        })
    }

    /// Create the namespace with its loopback up, unless it exists.
    /// `Ok(true)` when this call created it.
    pub fn ensure(&self) -> Result<bool> {
        require_root("creating a network namespace", &self.name)?;
        let created = !self.exists();
        if created {
            run(ip()?.args(["netns", "add", &self.name]))?;
        }
        // A new namespace's loopback is down; setting it up twice is harmless.
        run(ip()?.args(["-n", &self.name, "link", "set", "lo", "up"]))?;
        // glibc's getaddrinfo(AI_ADDRCONFIG), which Slurm uses, finds no
        // IPv4 when 127.0.0.1 is the only address: a second loopback
        // address (on `lo`, reachable from nowhere else) satisfies it.
        let second = ["addr", "replace", "127.0.0.2/8", "dev", "lo"];
        run(ip()?.args(["-n", &self.name]).args(second))?;
        Ok(created)
    }

    /// A daemon started inside the namespace. `nsenter --net` changes the
    /// network namespace only: `ip netns exec` also remounts `/sys`, which
    /// hides `/sys/fs/cgroup`, and slurmd 22.05 will not start without it.
    pub fn daemon(&self, program: impl Into<PathBuf>) -> Result<Command> {
        require_root("starting a Slurm daemon", &self.name)?;
        let nsenter = require_program("nsenter", "util-linux")?;
        let mut command = Command::new(nsenter);
        command
            .arg(format!("--net=/run/netns/{}", self.name))
            .arg("--")
            .arg(program.into());
        Ok(command)
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
        let mut command = ip()?;
        command
            .args(["netns", "exec", &self.name])
            .arg(program.into());
        Ok(command)
    }

    /// The processes still inside the namespace (`ip netns pids`).
    pub fn pids(&self) -> Vec<i32> {
        let Ok(mut pids) = ip() else {
            return Vec::new();
        };
        pids.args(["netns", "pids", &self.name])
            .output()
            .map(|out| {
                String::from_utf8_lossy(&out.stdout)
                    .split_whitespace()
                    .filter_map(|pid| pid.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Delete the namespace if it exists; `Ok(true)` when it did.
    pub fn delete(&self) -> Result<bool> {
        if !self.exists() {
            return Ok(false);
        }
        run(ip()?.args(["netns", "del", &self.name]))?;
        Ok(true)
    }
}

/// Whether `ip netns list` printed `name` (as `name` or `name (id: 0)`).
fn listed(list: &str, name: &str) -> bool {
    list.lines()
        .any(|line| line.split_whitespace().next() == Some(name))
}

/// The `ip` program (Debian package iproute2), as a fresh command.
fn ip() -> Result<Command> {
    Ok(Command::new(require_program("ip", "iproute2")?))
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

fn run(command: &mut Command) -> Result<()> {
    let shown = crate::process::show(command);
    let out = command
        .output()
        .with_context(|| format!("running `{shown}`"))?;
    anyhow::ensure!(
        out.status.success(),
        "`{shown}` failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespace_is_found_by_its_whole_name() {
        let list = "dcr-slurm (id: 0)\nother\n";
        assert!(listed(list, "dcr-slurm"));
        assert!(listed(list, "other"));
        assert!(!listed(list, "dcr"));
        assert!(!listed("", "dcr-slurm"));
        let absent = Netns::new("dcr-no-such-namespace");
        assert!(!absent.exists());
        assert!(absent.pids().is_empty());
    }
}
