//! Chapter 6 · The Slurm subcommands: the cluster, the book's jobs, the
//! sweep, and what runs inside a job.

use std::path::PathBuf;

use anyhow::{Result, bail};
use ch06::cluster::Cluster;
use ch06::launch::cli_program;
use ch06::{compare, jobs as book, task as inside};
use workbench::CommonArgs;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ClusterAction {
    Up,
    Status,
    Down,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BookJob {
    Hello,
    Array,
    Dag,
}

/// What a batch script runs.
#[derive(Debug, clap::Subcommand)]
pub enum Task {
    Hello,
    Array,
    Step {
        #[arg(long)]
        name: String,
        #[arg(long)]
        log: PathBuf,
    },
    Sweep {
        #[arg(long, value_delimiter = ',')]
        sizes: Vec<u32>,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn cluster(action: ClusterAction) -> Result<()> {
    let cluster = Cluster::local();
    let lines = match action {
        ClusterAction::Up => cluster.up()?,
        ClusterAction::Down => cluster.down()?,
        ClusterAction::Status => vec![cluster.status().to_string()],
    };
    println!("{}", lines.join("\n"));
    Ok(())
}

fn running_cluster() -> Result<Cluster> {
    let cluster = Cluster::local();
    if !cluster.status().running() {
        bail!(
            "the local Slurm cluster is not running: `cargo run -p ch06 -- cluster up`"
        );
    }
    Ok(cluster)
}

pub fn jobs(job: BookJob, break_13: bool, fail: Option<&str>) -> Result<()> {
    let cluster = running_cluster()?;
    let ch06 = cli_program()?;
    match job {
        BookJob::Hello => {
            let (record, output) = book::hello(&cluster, &ch06)?;
            println!("job {} {}: {}", record.job_id, record.state, output.trim());
        }
        BookJob::Array => {
            let tasks = book::array(&cluster, &ch06, break_13)?;
            let done = tasks.iter().filter(|t| t.state == "COMPLETED").count();
            println!("{done} of {} tasks completed", tasks.len());
            let failed = ch06::exercises::failed_tasks(&tasks);
            for (index, code, reason) in &failed {
                println!("task {index} failed with exit code {code}: {reason}");
            }
            if !failed.is_empty() {
                bail!("{} array task(s) failed", failed.len());
            }
        }
        BookJob::Dag => {
            let diamond = book::diamond(&cluster, &ch06, fail)?;
            print!("{}", shown(&diamond));
            if diamond.steps.values().any(|r| r.state != "COMPLETED") {
                bail!("the diamond did not complete");
            }
        }
    }
    Ok(())
}

/// What `jobs dag` prints: each step's fate, then the order of the log.
fn shown(diamond: &book::Diamond) -> String {
    format!("{}\norder: {}\n", diamond.report(), diamond.log.join(", "))
}

/// What `jobs dag` and `jobs dag --fail A` print, for the page.
pub fn dag_demo(cluster: &Cluster) -> Result<String> {
    let ch06 = cli_program()?;
    let mut out = String::from("$ cargo run -p ch06 -- jobs dag\n");
    out += &shown(&book::diamond(cluster, &ch06, None)?);
    out += "$ cargo run -p ch06 -- jobs dag --fail A\n";
    out += &shown(&book::diamond(cluster, &ch06, Some("A"))?);
    Ok(out)
}

pub fn sweep(common: &CommonArgs) -> Result<()> {
    // Bad input first, then the cluster.
    common.variants_of::<compare::SweepVariant>()?;
    ch06::sizes::sweep_sizes(common.size)?;
    let cluster = running_cluster()?;
    let record = compare::sweep(common, &cluster, &cli_program()?)?;
    common.emit(&record)
}

pub fn task(task: Task) -> Result<()> {
    let stdout = std::io::stdout().lock();
    match task {
        Task::Hello => inside::hello(stdout),
        Task::Array => inside::array_task(|name| std::env::var(name).ok(), stdout),
        Task::Step { name, log } => inside::step(&name, &log),
        Task::Sweep { sizes, out } => {
            let result = inside::sweep(&sizes, inside::array_index()?, &out)?;
            println!(
                "task {}: fib({}) = {} in {:.3} s",
                result.task, result.n, result.answer, result.seconds
            );
            Ok(())
        }
    }
}
