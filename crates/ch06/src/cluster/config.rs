//! Chapter 6 · A typical HPC cluster, shrunk to one node: the directories
//! and the `slurm.conf` of the local cluster, filled in from the template.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nix::unistd::{Gid, Uid, User, chown};

/// The template shipped in `crates/ch06/jobs/slurm.conf`.
pub const TEMPLATE: &str = include_str!("../../jobs/slurm.conf");

/// `pub fn NAME(&self) -> PathBuf`: the directory `NAME` under the root.
macro_rules! subdirectories {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        $(
            $(#[$doc])*
            pub fn $name(&self) -> PathBuf {
                self.root.join(stringify!($name))
            }
        )*
    };
}

/// Where the local cluster keeps its files: see [`root_for`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub root: PathBuf,
}

impl Layout {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Layout { root: root.into() }
    }

    /// The filled-in configuration every Slurm command reads (SLURM_CONF).
    pub fn conf(&self) -> PathBuf {
        self.root.join("slurm.conf")
    }
    subdirectories! {
        /// The controller's state (`StateSaveLocation`).
        state,
        /// The node daemon's spool (`SlurmdSpoolDir`).
        spool,
        /// The daemons' pid files.
        run,
        /// The daemons' logs.
        log,
        /// Batch scripts and job output, one directory per submission.
        jobs,
    }
    pub fn pid_file(&self, daemon: &str) -> PathBuf {
        self.run().join(format!("{daemon}.pid"))
    }

    /// Create the directories; those the controller writes belong to the
    /// `slurm` user, as `SlurmUser=slurm` asks.
    pub fn create(&self) -> Result<()> {
        let slurm = User::from_name("slurm")
            .context("looking up the user `slurm`")?
            .context(
                "there is no user `slurm`: `apt-get install slurmctld` creates it",
            )?;
        for dir in [
            self.state(),
            self.spool(),
            self.run(),
            self.log(),
            self.jobs(),
        ] {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("creating {}", dir.display()))?;
        }
        for dir in [self.state(), self.run(), self.log()] {
            give_to(&dir, slurm.uid, slurm.gid)?;
        }
        Ok(())
    }

    /// The template with this layout's paths, two ports and the CPU count.
    pub fn render(&self, ctld_port: u16, slurmd_port: u16, cpus: usize) -> String {
        let path = |p: PathBuf| p.display().to_string();
        TEMPLATE
            .replace("{{CTLD_PORT}}", &ctld_port.to_string())
            .replace("{{SLURMD_PORT}}", &slurmd_port.to_string())
            .replace("{{STATE}}", &path(self.state()))
            .replace("{{SPOOL}}", &path(self.spool()))
            .replace("{{RUN}}", &path(self.run()))
            .replace("{{LOG}}", &path(self.log()))
            .replace("{{CPUS}}", &cpus.to_string())
    }
}

/// Where the cluster of the checkout whose target dir is `target` lives:
/// `/var/lib/dcwr-slurm/<hash of target>/`, one directory per checkout.
///
/// Not under `target/`: `slurmctld` runs as the `slurm` user, which cannot
/// reach a checkout inside a private (mode 0700) home directory, and a
/// daemon that cannot stat its state directory stops at once. A system
/// directory that only root writes is reachable whatever the checkout's
/// permissions, and two checkouts never share a cluster.
pub fn root_for(target: &Path) -> PathBuf {
    let target = target.canonicalize().unwrap_or_else(|_| target.to_owned());
    // FNV-1a: a name that is the same in every build, for any toolchain.
    let hash = target
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    PathBuf::from(SYSTEM_DIR).join(format!("{hash:016x}"))
}

/// The parent of every checkout's cluster directory.
pub const SYSTEM_DIR: &str = "/var/lib/dcwr-slurm";

fn give_to(dir: &Path, uid: Uid, gid: Gid) -> Result<()> {
    chown(dir, Some(uid), Some(gid))
        .with_context(|| format!("handing {} to the slurm user", dir.display()))
}

/// A port that is free on 127.0.0.1 right now.
pub fn free_port() -> Result<u16> {
    let socket = std::net::TcpListener::bind("127.0.0.1:0")
        .context("looking for a free loopback port")?;
    Ok(socket.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_filled_completely() {
        let layout = Layout::new("/tmp/cluster");
        let conf = layout.render(6817, 6818, 2);
        assert!(!conf.contains("{{"), "{conf}");
        for line in [
            "SlurmctldHost=localhost(127.0.0.1)",
            "SlurmctldPort=6817",
            "StateSaveLocation=/tmp/cluster/state",
            "NodeName=localhost NodeAddr=127.0.0.1 CPUs=2",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
        ] {
            assert!(conf.lines().any(|l| l.starts_with(line)), "missing {line}");
        }
        assert_ne!(free_port().expect("a port"), 0);
    }

    #[test]
    fn each_checkout_has_its_own_cluster_outside_the_checkout() {
        let one = root_for(Path::new("/home/reader/workbook/target"));
        let other = root_for(Path::new("/tmp/tmp.x/workbook/target"));
        assert!(one.starts_with(SYSTEM_DIR), "{}", one.display());
        assert_ne!(one, other);
        assert_eq!(one, root_for(Path::new("/home/reader/workbook/target")));
    }
}
