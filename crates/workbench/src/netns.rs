//! Workbench · Linux network namespaces through `ip netns` (Debian
//! `iproute2`): chapter 5's hosts on one machine and chapter 6's Slurm
//! cluster each live in namespaces of their own. Needs root.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::bins::require_program;

/// Run `ip` with `args` to the end; an error quotes the command and what
/// `ip` said.
pub fn ip(args: &[&str]) -> Result<()> {
    let out = ip_command()?.args(args).output().context("running ip")?;
    if !out.status.success() {
        bail!(
            "`ip {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// The `ip` program, as a fresh command.
fn ip_command() -> Result<Command> {
    Ok(Command::new(require_program("ip", "iproute2")?))
}

/// A named network namespace (`/run/netns/NAME`).
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
        let Ok(mut list) = ip_command() else {
            return false;
        };
        list.args(["netns", "list"]).output().is_ok_and(|out| {
            listed(&String::from_utf8_lossy(&out.stdout), &self.name)
        })
    }

    /// Create the namespace and bring its loopback up (a new namespace's
    /// loopback is down).
    pub fn add(&self) -> Result<()> {
        ip(&["netns", "add", &self.name])?;
        self.ip(&["link", "set", "lo", "up"])
    }

    /// `ip -n NAME args`: configure the namespace's links and addresses.
    pub fn ip(&self, args: &[&str]) -> Result<()> {
        let mut all = vec!["-n", self.name.as_str()];
        all.extend_from_slice(args);
        ip(&all)
    }

    /// `program` run inside the namespace: `ip netns exec NAME program`.
    pub fn exec(&self, program: impl Into<PathBuf>) -> Result<Command> {
        let mut command = ip_command()?;
        command
            .args(["netns", "exec", &self.name])
            .arg(program.into());
        Ok(command)
    }

    /// `program` run inside the namespace by `nsenter --net`, which changes
    /// the network namespace only: `ip netns exec` also remounts `/sys`,
    /// which hides `/sys/fs/cgroup` (slurmd will not start without it).
    pub fn nsenter(&self, program: impl Into<PathBuf>) -> Result<Command> {
        let mut command = Command::new(require_program("nsenter", "util-linux")?);
        command
            .arg(format!("--net=/run/netns/{}", self.name))
            .arg("--")
            .arg(program.into());
        Ok(command)
    }

    /// The processes still inside the namespace (`ip netns pids`).
    pub fn pids(&self) -> Vec<i32> {
        let Ok(mut pids) = ip_command() else {
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
        ip(&["netns", "del", &self.name])?;
        Ok(true)
    }
}

/// Whether `ip netns list` printed `name` (as `name` or `name (id: 0)`).
fn listed(list: &str, name: &str) -> bool {
    list.lines()
        .any(|line| line.split_whitespace().next() == Some(name))
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
        assert!(!absent.delete().expect("nothing to delete"));
    }

    #[test]
    fn a_failing_ip_command_is_quoted() {
        let err = ip(&["netns", "exec", "dcr-no-such-namespace", "true"])
            .expect_err("no such namespace");
        let text = format!("{err:#}");
        assert!(
            text.contains("`ip netns exec dcr-no-such-namespace true`"),
            "{text}"
        );
    }
}
