//! Chapter 5 · `figures`: the records of the chapter's page — the cloud
//! comparison with the price of one task through S3 + SQS and through Redis,
//! and the time a worker takes to stop.

use std::path::Path;

use anyhow::{Context, Result};
use ch05::cloud::compare::{self, CloudVariant};
use ch05::cloud::{Aws, price};
use workbench::variants::Variant;
use workbench::{CommonArgs, Size};

/// Write `ch05-cloud`, `ch05-task-cost` and `ch05-stop` (`.json`, `.svg`,
/// `.md`) to `out`.
pub fn figures(out: &Path, size: Size) -> Result<()> {
    cloud(out, size)?;
    crate::run::figures(out, size)
}

/// The comparison on every core, in 3 rounds, then 50 tiny tasks each way
/// for the price of distribution, all against one local endpoint.
fn cloud(out: &Path, size: Size) -> Result<()> {
    let common = CommonArgs {
        size,
        quiet: true,
        reps: 3,
        ..CommonArgs::default()
    };
    common.note_build_profile();
    let workers = common.worker_counts().into_iter().max().unwrap_or(1);
    let tasks = compare::tasks_at(size);
    let program = crate::run_cloud::sqs_worker_program()?;
    let runtime = tokio::runtime::Runtime::new().context("starting tokio")?;
    let mut aws = runtime.block_on(Aws::local())?;
    let variants = CloudVariant::ALL;
    let opts = common.measure_opts();
    let record =
        compare::compare(&runtime, &aws, &program, &tasks, workers, variants, opts);
    let price = record
        .as_ref()
        .ok()
        .map(|_| runtime.block_on(price::measure(&aws, price::FIGURE_TASKS)));
    aws.stop()?;
    let record = record?;
    print!("{}", record.table());
    record.write_figure(out, &workbench::plot::svg(&record))?;
    if let Some(price) = price {
        let price = price?;
        println!("{price}");
        let cost = price.record();
        cost.write_figure(out, &price.figure())?;
    }
    Ok(())
}
