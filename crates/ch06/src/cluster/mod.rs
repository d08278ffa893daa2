//! Chapter 6 · The local single-node Slurm cluster: `cluster up`, `status`,
//! `down`. A controller (`slurmctld`) and a compute-node daemon (`slurmd`)
//! on the loopback of their own network namespace, authenticated by
//! `munged`, files under `/var/lib/dcwr-slurm/` (see [`config::root_for`]).

pub mod config;
pub mod munge;
pub mod netns;
mod status;
mod stop;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use workbench::bins::require_program;

pub use config::Layout;
pub use netns::Netns;
pub use status::Status;

use crate::process::tail;

/// The local cluster, found by its directory.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub layout: Layout,
    /// Where the daemons, the Slurm commands and the jobs run.
    pub netns: Netns,
}

impl Cluster {
    /// The cluster of this workspace, in a directory of its own that the
    /// `slurm` user can reach ([`config::root_for`]).
    pub fn local() -> Self {
        let target = workbench::bins::target_dir();
        Cluster {
            layout: Layout::new(config::root_for(&target)),
            netns: Netns::new(netns::NAME),
        }
    }

    /// A Slurm command (`sbatch`, `srun`, ...) pointed at this cluster and
    /// run inside its network namespace. Every Slurm client call goes
    /// through here.
    pub fn command(&self, program: &str) -> Result<Command> {
        let conf = self.layout.conf();
        if !conf.is_file() {
            bail!(
                "no cluster configuration at {}: start the cluster with \
                 `cargo run -p ch06 -- cluster up`",
                conf.display()
            );
        }
        let path = require_program(program, "slurm-client")?;
        let mut command = self.netns.command(path)?;
        command.env("SLURM_CONF", conf);
        crate::launch::quiet_openmpi(&mut command);
        Ok(command)
    }

    // ANCHOR: up
    /// Start munged, then slurmctld and slurmd in the cluster's network
    /// namespace, unless they run; wait until the node is idle. Returns
    /// what it did, one line per step.
    pub fn up(&self) -> Result<Vec<String>> {
        let status = self.status();
        if status.running() {
            return Ok(vec![format!(
                "the cluster is already running; nothing changed\n{status}"
            )]);
        }
        let slurmctld = require_program("slurmctld", "slurmctld")?;
        let slurmd = require_program("slurmd", "slurmd")?;
        require_program("sbatch", "slurm-client")?;
        require_program("ip", "iproute2")?;
        if !nix::unistd::geteuid().is_root() {
            bail!(
                "slurmd must run as root, and the cluster gets a network \
                 namespace of its own: run `cluster up` as root (or with sudo)"
            );
        }
        // What a half-started cluster left (one daemon, a job step) goes.
        let mut done = self.stop_daemons()?;
        done.extend(self.stop_leftovers());
        self.layout.create()?;
        done.extend(munge::ensure_key()?);
        if munge::start()? {
            self.remember_munged()?;
            done.push("started munged".to_owned());
        }
        if self.netns.ensure()? {
            done.push(format!(
                "created the network namespace {} (a loopback, nothing else)",
                self.netns.name
            ));
        }
        let cpus = workbench::Machine::describe().cpus;
        let conf =
            self.layout
                .render(config::free_port()?, config::free_port()?, cpus);
        workbench::record::write_creating_dirs(&self.layout.conf(), &conf)?;
        // Both daemons start inside the namespace (where slurmctld's 0.0.0.0
        // is a loopback), fork into the background and write their pid
        // files; `-c` starts the controller with an empty job list.
        let start = |program: PathBuf, args: &[&str]| -> Result<()> {
            let status = self
                .netns
                .daemon(program)?
                .args(args)
                .env("SLURM_CONF", self.layout.conf())
                .status()
                .with_context(|| format!("starting {}", args.join(" ")))?;
            anyhow::ensure!(
                status.success(),
                "{} exited with {status}",
                args.join(" ")
            );
            Ok(())
        };
        // ANCHOR: daemons
        start(slurmctld, &["-c"])?;
        start(slurmd, &["-N", "localhost"])?;
        self.wait_until_idle(Duration::from_secs(30))?;
        // ANCHOR_END: daemons
        done.push(format!(
            "started slurmctld and slurmd ({cpus} CPUs) in {}; SLURM_CONF={}",
            self.netns.name,
            self.layout.conf().display()
        ));
        Ok(done)
    }
    // ANCHOR_END: up

    fn wait_until_idle(&self, limit: Duration) -> Result<()> {
        let start = Instant::now();
        loop {
            let node = self.status().node.unwrap_or_default();
            if node.contains("idle") {
                return Ok(());
            }
            if start.elapsed() > limit {
                let log = |name: &str| {
                    let path = self.layout.log().join(name);
                    tail(&std::fs::read_to_string(path).unwrap_or_default(), 8)
                };
                bail!(
                    "the node did not become idle within {limit:?} (sinfo: `{node}`)\n\
                     slurmctld.log:\n{}\nslurmd.log:\n{}",
                    log("slurmctld.log"),
                    log("slurmd.log")
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Remember that munged is ours to stop (called after `up` started it).
    pub fn remember_munged(&self) -> Result<()> {
        let pid = std::fs::read_to_string(munge::PID_FILE)
            .with_context(|| format!("reading {}", munge::PID_FILE))?;
        let marker = self.layout.run().join("munged.ours");
        std::fs::write(&marker, pid)
            .with_context(|| format!("writing {}", marker.display()))
    }
}
