//! Chapter 6 · `cluster status`: which daemons run, in which network
//! namespace, and what `sinfo` says about the node.

use super::{Cluster, munge};
use crate::process::alive;

/// What `status` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub slurmctld: Option<i32>,
    pub slurmd: Option<i32>,
    pub munged: bool,
    /// The cluster's network namespace, when it exists.
    pub netns: Option<String>,
    /// `sinfo`'s view of the node, when the controller answers.
    pub node: Option<String>,
}

impl Status {
    pub fn running(&self) -> bool {
        self.slurmctld.is_some() && self.slurmd.is_some() && self.netns.is_some()
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pid =
            |p: Option<i32>| p.map_or("not running".into(), |p| format!("pid {p}"));
        writeln!(f, "slurmctld: {}", pid(self.slurmctld))?;
        writeln!(f, "slurmd:    {}", pid(self.slurmd))?;
        writeln!(
            f,
            "munged:    {}",
            if self.munged {
                "answering"
            } else {
                "not answering"
            }
        )?;
        match &self.netns {
            Some(name) => writeln!(
                f,
                "netns:     {name} (the daemons listen on its loopback only)"
            )?,
            None => writeln!(f, "netns:     none")?,
        }
        write!(
            f,
            "node:      {}",
            self.node.as_deref().unwrap_or("unknown")
        )
    }
}

impl Cluster {
    /// The pid in the daemon's pid file, if that process is alive and is
    /// the daemon (a stale file may name a recycled pid).
    pub(super) fn daemon_pid(&self, daemon: &str) -> Option<i32> {
        let text = std::fs::read_to_string(self.layout.pid_file(daemon)).ok()?;
        let pid = text.trim().parse().ok()?;
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
        (comm.trim() == daemon && alive(pid)).then_some(pid)
    }

    pub fn status(&self) -> Status {
        let mut status = Status {
            slurmctld: self.daemon_pid("slurmctld"),
            slurmd: self.daemon_pid("slurmd"),
            munged: munge::answering(),
            netns: self.netns.exists().then(|| self.netns.name.clone()),
            node: None,
        };
        if status.slurmctld.is_some()
            && status.netns.is_some()
            && let Ok(mut sinfo) = self.command("sinfo")
            && let Ok(out) = sinfo.args(["-h", "-N", "-o", "%N %T %c"]).output()
            && out.status.success()
        {
            status.node =
                Some(String::from_utf8_lossy(&out.stdout).trim().to_owned());
        }
        status
    }
}
