//! Chapter 6 · Starting an MPI program: `mpirun` on this machine, or `srun`
//! inside the Slurm cluster. The rank program is the `ch06-mpi` binary.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use anyhow::{Context, Result};
use workbench::bins::require_program;

use crate::cluster::Cluster;
use crate::process::{output_within, run_within};

/// How the ranks are started.
#[derive(Debug, Clone)]
pub enum Launcher {
    /// `mpirun -n N` on loopback (the embedded default).
    Mpirun,
    /// `srun --mpi=pmix -n N` on the local Slurm cluster.
    Srun(Cluster),
}

/// An MPI program and how many ranks run it.
#[derive(Debug, Clone)]
pub struct MpiJob {
    pub program: PathBuf,
    pub ranks: usize,
    pub launcher: Launcher,
    /// A hung job is killed after this long.
    pub limit: Duration,
}

// ANCHOR: quiet
/// Let OpenMPI run as root (containers, CI) and keep its traffic on
/// loopback: shared memory between ranks, TCP on `lo` only. The `ob1`
/// messaging layer over those transports, not UCX: on one machine UCX
/// brings nothing, and probing for it doubled mpirun's start-up here
/// (0.36 s → 0.16 s for two ranks that only say hello).
pub fn quiet_openmpi(command: &mut Command) {
    command
        .env("OMPI_ALLOW_RUN_AS_ROOT", "1")
        .env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
        .env("OMPI_MCA_pml", "ob1")
        .env("OMPI_MCA_osc", "^ucx")
        .env("OMPI_MCA_btl", "self,vader,tcp")
        .env("OMPI_MCA_btl_tcp_if_include", "lo")
        .env("OMPI_MCA_oob_tcp_if_include", "lo");
}
// ANCHOR_END: quiet

impl MpiJob {
    /// `ranks` copies of `program` under mpirun, killed after two minutes.
    pub fn mpirun(program: impl Into<PathBuf>, ranks: usize) -> Self {
        MpiJob {
            program: program.into(),
            ranks,
            launcher: Launcher::Mpirun,
            limit: Duration::from_secs(120),
        }
    }

    // ANCHOR: command
    /// The command line that starts the job with `args` for every rank.
    pub fn command(&self, args: &[&str]) -> Result<Command> {
        let ranks = self.ranks.to_string();
        let mut command = match &self.launcher {
            Launcher::Mpirun => {
                let mut mpirun =
                    Command::new(require_program("mpirun", "openmpi-bin")?);
                mpirun.args(["--oversubscribe", "-n", &ranks]);
                mpirun
            }
            Launcher::Srun(cluster) => {
                let mut srun = cluster.command("srun")?;
                srun.args(["--mpi=pmix", "--overcommit", "-n", &ranks]);
                srun
            }
        };
        command.arg(&self.program).args(args);
        quiet_openmpi(&mut command);
        Ok(command)
    }
    // ANCHOR_END: command

    /// Run to the end; a failure quotes the ranks' stderr.
    pub fn run(&self, args: &[&str]) -> Result<String> {
        run_within(&mut self.command(args)?, self.limit)
    }

    /// Run to the end and return exit status and output, failed or not.
    pub fn output(&self, args: &[&str]) -> Result<Output> {
        output_within(&mut self.command(args)?, self.limit)
    }
}

/// The rank program: `CH06_MPI_BIN` if set, else built by cargo (release,
/// `--features mpi`). Inside a notebook this is how the kernel finds it.
pub fn mpi_program() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("CH06_MPI_BIN") {
        let path = PathBuf::from(path);
        anyhow::ensure!(
            path.is_file(),
            "CH06_MPI_BIN names {}, which is not a file",
            path.display()
        );
        return Ok(path);
    }
    workbench::bins::cargo_bin_with_features("ch06", "ch06-mpi", &["mpi"]).context(
        "building the MPI rank program (needs libopenmpi-dev and libclang-dev)",
    )
}

/// The chapter's CLI binary, next to the running one or built by cargo.
pub fn cli_program() -> Result<PathBuf> {
    workbench::bins::chapter_program("ch06", "ch06", None)
}

/// The JSON lines a rank printed, parsed.
pub fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}
