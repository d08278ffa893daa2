//! Chapter 6 · Stopping the local cluster: cancel the jobs, stop the
//! daemons, delete the network namespace, and leave no job step or munged
//! of ours behind.

use std::time::Duration;

use anyhow::{Result, bail};

use super::Cluster;
use crate::process::alive;

impl Cluster {
    /// Cancel every job, stop slurmd, slurmctld and whatever else runs in
    /// the namespace, delete it, stop the munged that `up` started, and
    /// wait until they are gone.
    pub fn down(&self) -> Result<Vec<String>> {
        let ours = ["slurmctld", "slurmd"].map(|d| self.daemon_pid(d));
        if !nix::unistd::geteuid().is_root()
            && (ours.iter().any(Option::is_some) || self.netns.exists())
        {
            bail!(
                "the cluster's daemons and its network namespace `{}` belong \
                 to root: run `cluster down` as root (or with sudo)",
                self.netns.name
            );
        }
        let mut done = Vec::new();
        if self.daemon_pid("slurmctld").is_some()
            && let Ok(mut scancel) = self.command("scancel")
        {
            let _ = scancel.args(["--user", &whoami()]).status();
            done.push("cancelled the remaining jobs".to_owned());
        }
        done.extend(self.stop_daemons()?);
        done.extend(self.stop_leftovers());
        if self.netns.delete()? {
            done.push(format!("deleted the network namespace {}", self.netns.name));
        }
        if let Some(pid) = self.started_munged() {
            stop(pid, "munged")?;
            let _ = std::fs::remove_file(self.layout.run().join("munged.ours"));
            done.push(format!("stopped munged (pid {pid})"));
        }
        if done.is_empty() {
            done.push("the cluster was not running; nothing to stop".to_owned());
        }
        Ok(done)
    }

    /// Stop slurmd, then slurmctld, if their pid files name live daemons.
    pub(super) fn stop_daemons(&self) -> Result<Vec<String>> {
        let mut done = Vec::new();
        for daemon in ["slurmd", "slurmctld"] {
            if let Some(pid) = self.daemon_pid(daemon) {
                stop(pid, daemon)?;
                done.push(format!("stopped {daemon} (pid {pid})"));
            }
        }
        Ok(done)
    }

    /// Job steps that outlived their slurmd, recognised by our SLURM_CONF,
    /// and any other process still inside the cluster's namespace.
    pub(super) fn stop_leftovers(&self) -> Vec<String> {
        let conf = self.layout.conf().display().to_string();
        let mut done = Vec::new();
        for pid in slurmstepd_with(&conf) {
            if stop(pid, "slurmstepd").is_ok() {
                done.push(format!("stopped a leftover slurmstepd (pid {pid})"));
            }
        }
        for pid in self.netns.pids() {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .unwrap_or_default();
            let comm = comm.trim();
            if stop(pid, comm).is_ok() {
                done.push(format!(
                    "stopped {comm} (pid {pid}), left in {}",
                    self.netns.name
                ));
            }
        }
        done
    }

    fn started_munged(&self) -> Option<i32> {
        let marker = self.layout.run().join("munged.ours");
        let pid: i32 = std::fs::read_to_string(marker).ok()?.trim().parse().ok()?;
        alive(pid).then_some(pid)
    }
}

/// SIGTERM, then SIGKILL after five seconds; wait until the process is gone.
fn stop(pid: i32, name: &str) -> Result<()> {
    workbench::stop::terminate_pid(pid, name, Duration::from_secs(5))
}

fn whoami() -> String {
    let uid = nix::unistd::getuid();
    nix::unistd::User::from_uid(uid)
        .ok()
        .flatten()
        .map_or_else(|| uid.to_string(), |u| u.name)
}

/// Pids of `slurmstepd` processes whose environment names `conf`.
pub fn slurmstepd_with(conf: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let needle = format!("SLURM_CONF={conf}");
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm"));
            comm.is_ok_and(|c| c.trim() == "slurmstepd")
        })
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| {
                env.split(|&b| b == 0).any(|var| var == needle.as_bytes())
            })
        })
        .filter(|&pid| crate::process::alive(pid))
        .collect()
}
