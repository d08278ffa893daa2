//! Chapter 3 · What each subcommand runs: measure, check, report.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use ch03::compare;
use ch03::processes::locate_worker;
use workbench::{CommonArgs, Record, Size};

pub fn fib(common: &CommonArgs, tasks: usize) -> Result<()> {
    common.note_build_profile();
    let record = compare::fib(common, tasks, &locate_worker()?)?;
    common.warn_if_starved(&record);
    common.emit(&record)
}

pub fn futures(n: u32, timeout_ms: u64) -> Result<()> {
    futures_to(n, timeout_ms, std::io::stdout().lock())
}

fn futures_to(n: u32, timeout_ms: u64, out: impl Write) -> Result<()> {
    let impatience = Duration::from_millis(timeout_ms);
    let value = ch03::futures_demo::demo(n, impatience, out)?;
    anyhow::ensure!(value == workbench::fib::fib_expected(n), "wrong fib({n})");
    Ok(())
}

pub fn currency(common: &CommonArgs, latency_ms: u64) -> Result<()> {
    let record = compare::currency(common, latency_ms)?;
    common.emit(&record)
}

pub fn race(threads: usize, increments: u64) -> Result<()> {
    race_to(threads, increments, &mut std::io::stdout().lock())
}

fn race_to(threads: usize, increments: u64, out: &mut impl Write) -> Result<()> {
    writeln!(
        out,
        "{threads} threads × {increments} increments of one shared counter"
    )?;
    writeln!(out, "{:<22} {:>12} {:>12}", "method", "counted", "lost")?;
    for outcome in ch03::race::compare(threads, increments) {
        writeln!(
            out,
            "{:<22} {:>12} {:>12}",
            outcome.method,
            outcome.counted,
            outcome.lost()
        )?;
    }
    Ok(())
}

/// What `race` and `futures` print at their defaults, captured for the
/// page (`figures/ch03-race.txt`, `figures/ch03-futures.txt`).
fn demo_outputs(out: &Path) -> Result<()> {
    let mut race = Vec::new();
    race_to(4, 1_000_000, &mut race)?;
    let race = String::from_utf8(race).context("the race's output")?;
    workbench::record::write_creating_dirs(&out.join("ch03-race.txt"), &race)?;
    let mut futures = Vec::new();
    futures_to(38, 10, &mut futures)?;
    let futures = String::from_utf8(futures).context("the futures' output")?;
    let path = out.join("ch03-futures.txt");
    workbench::record::write_creating_dirs(&path, &futures)
}

/// The chapter's figures: records, SVGs and Markdown tables for the book.
pub fn figures(out: &Path, size: Size) -> Result<()> {
    let common = CommonArgs::for_figures(size, 7);
    let fib = compare::fib(&common, 8, &locate_worker()?)?;
    let quick = CommonArgs {
        size: Size::Quick,
        ..common
    };
    let currency = compare::currency(&quick, 100)?;
    let records: [Record; 2] = [fib, currency];
    for record in records {
        record.write_figure(out, &workbench::plot::svg(&record))?;
    }
    demo_outputs(out)
}
