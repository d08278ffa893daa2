//! Chapter 6 · The local single-node Slurm cluster: `cluster up`, `status`,
//! `down`. A controller (`slurmctld`) and a compute-node daemon (`slurmd`)
//! on 127.0.0.1, authenticated by `munged`, files under `target/slurm/`.

pub mod config;
pub mod munge;
mod stop;

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use workbench::bins::require_program;

pub use config::Layout;

use crate::process::{alive, tail};

/// The local cluster, found by its directory.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub layout: Layout,
}

/// What `status` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub slurmctld: Option<i32>,
    pub slurmd: Option<i32>,
    pub munged: bool,
    /// `sinfo`'s view of the node, when the controller answers.
    pub node: Option<String>,
}

impl Status {
    pub fn running(&self) -> bool {
        self.slurmctld.is_some() && self.slurmd.is_some()
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
        write!(
            f,
            "node:      {}",
            self.node.as_deref().unwrap_or("unknown")
        )
    }
}

impl Cluster {
    /// The cluster of this workspace: `target/slurm/`.
    pub fn local() -> Self {
        Cluster {
            layout: Layout::new(workbench::bins::target_dir().join("slurm")),
        }
    }

    /// A Slurm command (`sbatch`, `srun`, ...) pointed at this cluster.
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
        let mut command = Command::new(path);
        command.env("SLURM_CONF", conf);
        crate::launch::quiet_openmpi(&mut command);
        Ok(command)
    }

    fn daemon_pid(&self, daemon: &str) -> Option<i32> {
        let text = std::fs::read_to_string(self.layout.pid_file(daemon)).ok()?;
        let pid = text.trim().parse().ok()?;
        alive(pid).then_some(pid)
    }

    pub fn status(&self) -> Status {
        let mut status = Status {
            slurmctld: self.daemon_pid("slurmctld"),
            slurmd: self.daemon_pid("slurmd"),
            munged: munge::answering(),
            node: None,
        };
        if status.slurmctld.is_some()
            && let Ok(mut sinfo) = self.command("sinfo")
            && let Ok(out) = sinfo.args(["-h", "-N", "-o", "%N %T %c"]).output()
            && out.status.success()
        {
            status.node =
                Some(String::from_utf8_lossy(&out.stdout).trim().to_owned());
        }
        status
    }

    // ANCHOR: up
    /// Start munged, slurmctld and slurmd unless they run; wait until the
    /// node is idle. Returns what it did, one line per step.
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
        if !nix::unistd::geteuid().is_root() {
            bail!(
                "slurmd must run as root: run `cluster up` as root (or with sudo)"
            );
        }
        let mut done = self.stop_leftovers();
        self.layout.create()?;
        done.extend(munge::ensure_key()?);
        if munge::start()? {
            self.remember_munged()?;
            done.push("started munged".to_owned());
        }
        let cpus = workbench::Machine::describe().cpus;
        let conf =
            self.layout
                .render(config::free_port()?, config::free_port()?, cpus);
        workbench::record::write_creating_dirs(&self.layout.conf(), &conf)?;
        // Both daemons fork into the background and write their pid files;
        // `-c` starts the controller with an empty job list.
        let start = |program, args: &[&str]| -> Result<()> {
            let status = Command::new(program)
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
        start(slurmctld, &["-c"])?;
        start(slurmd, &["-N", "localhost"])?;
        self.wait_until_idle(Duration::from_secs(30))?;
        done.push(format!(
            "started slurmctld and slurmd ({cpus} CPUs); SLURM_CONF={}",
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
