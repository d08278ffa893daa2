//! Chapter 3 · What each subcommand runs: measure, check, report.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use ch03::compare;
use ch03::processes::{WorkerCommand, worker_command};
use workbench::{CommonArgs, Record, Size};

/// This very program, started with `worker` for the `processes` variant.
fn this_program() -> Result<WorkerCommand> {
    Ok(worker_command(workbench::bins::this_program()?))
}

pub fn fib(common: &CommonArgs, tasks: usize) -> Result<()> {
    common.note_build_profile();
    let record = compare::fib(common, tasks, &this_program()?)?;
    common.warn_if_starved(&record);
    common.emit(&record)
}

pub fn futures(n: u32, timeout_ms: u64) -> Result<()> {
    let value = ch03::futures_demo::demo(
        n,
        Duration::from_millis(timeout_ms),
        std::io::stdout().lock(),
    )?;
    anyhow::ensure!(value == workbench::fib::fib_expected(n), "wrong fib({n})");
    Ok(())
}

pub fn currency(common: &CommonArgs, latency_ms: u64) -> Result<()> {
    let record = compare::currency(common, latency_ms)?;
    common.emit(&record)
}

pub fn race(threads: usize, increments: u64) -> Result<()> {
    println!("{threads} threads × {increments} increments of one shared counter");
    println!("{:<22} {:>12} {:>12}", "method", "counted", "lost");
    for outcome in ch03::race::compare(threads, increments) {
        println!(
            "{:<22} {:>12} {:>12}",
            outcome.method,
            outcome.counted,
            outcome.lost()
        );
    }
    Ok(())
}

/// The chapter's figures: records, SVGs and Markdown tables for the book.
pub fn figures(out: &Path, size: Size) -> Result<()> {
    let common = CommonArgs {
        size,
        quiet: true,
        reps: 7,
        ..CommonArgs::default()
    };
    let fib = compare::fib(&common, 8, &this_program()?)?;
    let quick = CommonArgs {
        size: Size::Quick,
        ..common
    };
    let currency = compare::currency(&quick, 100)?;
    let records: [Record; 2] = [fib, currency];
    for record in records {
        record.write_figure(out, &workbench::plot::svg(&record))?;
    }
    Ok(())
}
