//! Chapter 5 · The command line: the cloud-ready worker shown on one
//! machine.
//!
//! `cargo run -p ch05` runs the headline comparison: the same fib tasks
//! seq, threads, async and dist (through SQS and S3 to worker processes),
//! against a local AWS endpoint it starts and stops itself.

use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use workbench::FiguresArgs;
use workbench::chapter_command;
use workbench::variants::listed;

mod figures;
mod run;
mod run_cloud;

use run_cloud::Step;

/// The chapter, as `--help` introduces it.
const ABOUT: &str = "\
Chapter 5 · The cloud: a worker configured by its environment, with \
health endpoints and a graceful shutdown, and the files that deploy it";

const AFTER_HELP: &str = "\
Without an example, runs `cloud` with its defaults. The worker programs
are `ch05-sqs-worker` (tasks from SQS) and `ch05-worker` (jobs from Redis;
`cargo run -p ch05 --bin ch05-worker -- --help`); the deployment files
are in crates/ch05/deploy/.";

#[derive(Debug, Subcommand)]
enum Example {
    /// Redis and two workers on this machine; one gets SIGTERM mid-job.
    Demo(run::DemoArgs),
    /// Put fib jobs on a queue (e.g. of a Compose or Kubernetes broker).
    Enqueue(run::EnqueueArgs),
    /// How many jobs wait, are taken and are answered on a queue.
    Status(run::StatusArgs),
    /// Broker and workers on separate network namespaces (root); with two
    /// worker hosts or more, the last loses its link mid-run.
    Hosts(run::HostsArgs),
    /// The same fib tasks seq, threads, async and dist (SQS + S3 + worker
    /// processes) against a local endpoint: the headline comparison.
    #[command(mut_arg("variants", listed::<ch05::cloud::compare::CloudVariant>))]
    Cloud(run_cloud::CompareArgs),
    /// The book's console tour as code: website bucket, instance, cleanup.
    Tour(run_cloud::CloudArgs),
    /// An IAM user allowed only the chapter's bucket and queue; a task done
    /// as that user, a call outside its policy denied; then removed.
    Iam(run_cloud::CloudArgs),
    /// A bucket serving `index.html` (public by policy), fetched over HTTP.
    Website(run_cloud::CloudArgs),
    /// An instance from an image, with a key pair and an extra volume;
    /// described, then terminated.
    Instance(run_cloud::CloudArgs),
    /// Remove everything tagged `workbook=ch05` (instances, key pairs,
    /// volumes, buckets, queues, IAM users and policies).
    Cleanup(run_cloud::CloudArgs),
    /// What one task costs through S3 + SQS, against one Redis PING.
    TaskCost(run_cloud::CloudArgs),
    /// Write the chapter's figures, records and tables: the cloud
    /// comparison (with the price of a task through S3 + SQS and through
    /// Redis) and the time a worker takes to stop.
    Figures(FiguresArgs),
}

fn main() -> ExitCode {
    workbench::chapter::main(chapter_command!(ABOUT, AFTER_HELP), dispatch)
}

fn dispatch(example: Option<Example>) -> Result<()> {
    match example {
        None => run_cloud::compare(&run_cloud::CompareArgs::default()),
        Some(Example::Demo(args)) => run::demo(&args),
        Some(Example::Enqueue(args)) => run::enqueue(&args),
        Some(Example::Status(args)) => run::status(&args),
        Some(Example::Hosts(args)) => run::hosts(&args),
        Some(Example::Cloud(args)) => run_cloud::compare(&args),
        Some(Example::Tour(args)) => run_cloud::run(Step::Tour, &args),
        Some(Example::Iam(args)) => run_cloud::run(Step::Iam, &args),
        Some(Example::Website(args)) => run_cloud::run(Step::Website, &args),
        Some(Example::Instance(args)) => run_cloud::run(Step::Instance, &args),
        Some(Example::Cleanup(args)) => run_cloud::run(Step::Cleanup, &args),
        Some(Example::TaskCost(args)) => run_cloud::run(Step::TaskCost, &args),
        Some(Example::Figures(args)) => figures::figures(&args.out, args.size),
    }
}
