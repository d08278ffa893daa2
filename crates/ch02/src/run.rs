//! Chapter 2 · What each subcommand runs: measure, check, report.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use ch02::compare::{self, FetchPlan};
use ch02::fetch::figure::fetch_svg;
use workbench::bins::this_program;
use workbench::rates::RateService;
use workbench::{CommonArgs, Record, Size};

/// A request count: a whole number from 1 to 10,000.
pub fn request_count(text: &str) -> Result<usize, String> {
    match text.trim().parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => Ok(n as usize),
        Ok(n) => Err(format!("{n} requests: a count must be between 1 and 10000")),
        Err(_) => Err(format!("`{text}` is not a whole number of requests")),
    }
}

pub fn generators(n: u32) -> Result<()> {
    let counted: Vec<String> = ch02::coroutines::generators::countdown(n)
        .map(|i| i.to_string())
        .collect();
    println!("{}", counted.join("\n"));
    Ok(())
}

pub fn grep(
    common: &CommonArgs,
    ignore_case: bool,
    pattern: &str,
    file: Option<&Path>,
) -> Result<()> {
    let path = compare::corpus_or(file)?;
    let record = compare::grep(common, &path, pattern, ignore_case)?;
    let count = record
        .runs
        .first()
        .and_then(|r| r.extra.get("count"))
        .copied()
        .unwrap_or(0.0);
    println!("{pattern} {count}");
    common.emit(&record)
}

pub fn mgrep(
    common: &CommonArgs,
    ignore_case: bool,
    patterns: &[String],
    file: Option<&Path>,
) -> Result<()> {
    let path = compare::corpus_or(file)?;
    let record = compare::mgrep(common, &path, patterns, ignore_case)?;
    if let Some(first) = record.runs.first() {
        for pattern in patterns {
            println!(
                "{pattern} {}",
                first.extra.get(pattern).copied().unwrap_or(0.0)
            );
        }
    }
    common.emit(&record)
}

pub fn executor() -> Result<()> {
    executor_to(&mut std::io::stdout().lock())
}

fn executor_to(out: &mut impl std::io::Write) -> Result<()> {
    ch02::event_loop::executor::demo_scratch(out)?;
    ch02::event_loop::executor::demo_tokio(out)?;
    Ok(())
}

pub fn fetch(
    common: &CommonArgs,
    latency_ms: u64,
    requests: Option<Vec<usize>>,
    service: Option<String>,
    memory: bool,
) -> Result<()> {
    common.note_build_profile();
    let mut plan =
        FetchPlan::from_size(common.size, Duration::from_millis(latency_ms));
    if let Some(requests) = requests {
        plan.requests = requests;
    }
    plan.service = service;
    plan.memory = memory;
    let record = compare::fetch(common, &plan, &this_program()?)?;
    emit(common, &record, &fetch_svg(&record))
}

pub fn timeout(latency_ms: u64) -> Result<()> {
    let latency = Duration::from_millis(latency_ms);
    let service = RateService::start(latency)?;
    ch02::deadline::demo(
        &service.base_url(),
        latency,
        &mut std::io::stdout().lock(),
    )?;
    Ok(())
}

pub fn corpus() -> Result<()> {
    let path = ch02::pipeline::corpus::ensure()?;
    let bytes = std::fs::metadata(&path)?.len();
    println!(
        "{} ({} lines, {bytes} bytes)",
        path.display(),
        ch02::pipeline::corpus::LINES
    );
    Ok(())
}

/// Print the table and write the record and `figure`.
fn emit(common: &CommonArgs, record: &Record, figure: &str) -> Result<()> {
    common.emit_with(record, figure)
}

/// The chapter's figures: records, SVGs and Markdown tables for the book.
pub fn figures(out: &Path, size: Size) -> Result<()> {
    let common = CommonArgs::for_figures(size, 3);
    let corpus = ch02::pipeline::corpus::ensure()?;
    let grep = compare::grep(&common, &corpus, "love", true)?;
    let words: Vec<String> = ["love", "hate", "hope"].map(String::from).to_vec();
    let mgrep = compare::mgrep(&common, &corpus, &words, true)?;
    let plan = FetchPlan::from_size(size, Duration::from_millis(50));
    let fetch = compare::fetch(&common, &plan, &this_program()?)?;
    let fetch_figure = fetch_svg(&fetch);
    let grep_figure = workbench::plot::svg(&grep);
    let mgrep_figure = workbench::plot::svg(&mgrep);
    for (record, svg) in [
        (grep, grep_figure),
        (mgrep, mgrep_figure),
        (fetch, fetch_figure),
    ] {
        record.write_figure(out, &svg)?;
    }
    // What `executor` prints, for the page.
    let mut printed = Vec::new();
    executor_to(&mut printed)?;
    let printed = String::from_utf8(printed).context("the executor's output")?;
    workbench::record::write_creating_dirs(&out.join("ch02-executor.txt"), &printed)
}
