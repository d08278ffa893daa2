//! Chapter 6 · What each subcommand runs: measure, check, report.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use ch06::cluster::Cluster;
use ch06::launch::{Launcher, MpiJob, cli_program, mpi_program};
use ch06::{compare, pingpong};
use workbench::{CommonArgs, FiguresArgs, Record, Size, cli::UsageError};

mod slurm;

pub use slurm::{BookJob, ClusterAction, Task, cluster, jobs, sweep, task};

/// The MPI programs `ch06 mpi` can start.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum MpiProgram {
    Hello,
    Collectives,
    Mergesort,
    Fib,
    Panic,
}

fn launcher(srun: bool) -> Launcher {
    if srun {
        Launcher::Srun(Cluster::local())
    } else {
        Launcher::Mpirun
    }
}

pub fn fib(common: &CommonArgs, tasks: usize, srun: bool) -> Result<()> {
    common.note_build_profile();
    let record = compare::fib(common, tasks, &launcher(srun))?;
    common.warn_if_starved(&record);
    common.emit(&record)
}

pub fn pingpong(
    sizes: &[usize],
    iters: usize,
    rounds: usize,
    json: Option<PathBuf>,
    svg: Option<PathBuf>,
) -> Result<()> {
    if sizes.contains(&0) || sizes.iter().any(|&s| s > 64 << 20) {
        return Err(
            UsageError("message sizes must be 1 byte to 64 MiB".into()).into()
        );
    }
    let job = MpiJob::mpirun(mpi_program()?, 2);
    let ping = pingpong::measure(&job, sizes, iters, rounds)?;
    print!("{}", ping.markdown_table());
    let common = CommonArgs {
        json,
        svg,
        ..CommonArgs::default()
    };
    common.emit_with(&ping.to_record(), &ch06::pingpong_plot::svg(&ping))
}

pub fn mpi(program: MpiProgram, ranks: usize, srun: bool) -> Result<()> {
    let job = MpiJob {
        launcher: launcher(srun),
        ..MpiJob::mpirun(mpi_program()?, ranks)
    };
    let args: &[&str] = match program {
        MpiProgram::Hello => &["hello"],
        MpiProgram::Collectives => &["collectives"],
        MpiProgram::Mergesort => &["mergesort"],
        MpiProgram::Fib => &["fib"],
        MpiProgram::Panic => &["panic"],
    };
    println!("$ {}", ch06::process::show(&job.command(args)?));
    let out = job.output(args)?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!(
        "{}",
        ch06::process::tail(&String::from_utf8_lossy(&out.stderr), 6)
    );
    anyhow::ensure!(out.status.success(), "the MPI job failed ({})", out.status);
    Ok(())
}

/// The chapter's figures: records, SVGs and Markdown tables for the book.
pub fn figures(args: &FiguresArgs) -> Result<()> {
    let (out, size) = (args.out.as_path(), args.size);
    // Five repetitions at the full size: its record is the one the book
    // quotes, and on a shared virtual machine the median of five moves less.
    let common = CommonArgs {
        size,
        quiet: true,
        reps: if size == Size::Full { 5 } else { 3 },
        ..CommonArgs::default()
    };
    let tasks = ch06::sizes::FIGURE_FIB_TASKS;
    let mut fib = compare::fib(&common, tasks, &Launcher::Mpirun)?;
    if size == Size::Full {
        // Kept beside the quick record, which `cargo xtask book` re-measures
        // on the reader's machine: the book shows both.
        fib.example = "fib-full".into();
    }
    let cluster = Cluster::local();
    let started = !cluster.status().running();
    if started {
        cluster
            .up()
            .context("starting the local cluster for the sweep")?;
    }
    let sweep = compare::sweep(
        &CommonArgs {
            reps: 1,
            ..common.clone()
        },
        &cluster,
        &cli_program()?,
    );
    // What the diamond prints, completed and with A failing, for the page.
    let dag = slurm::dag_demo(&cluster);
    if started {
        cluster.down()?;
    }
    for record in [fib, sweep?] {
        write_record(out, &record)?;
    }
    workbench::record::write_creating_dirs(&out.join("ch06-dag.txt"), &dag?)?;
    let sizes = ch06::sizes::FIGURE_PINGPONG_SIZES;
    let job = MpiJob::mpirun(mpi_program()?, 2);
    let ping = pingpong::measure(&job, &sizes, 2000, 3)?;
    let figure = ping
        .to_record()
        .write_figure(out, &ch06::pingpong_plot::svg(&ping))?;
    // The page's table is the ping-pong's own (Rust beside C per size).
    workbench::record::write_creating_dirs(
        &figure.with_extension("md"),
        &ping.markdown_table(),
    )
}

fn write_record(out: &Path, record: &Record) -> Result<()> {
    record.write_figure(out, &workbench::plot::svg(record))?;
    Ok(())
}
