//! Chapter 3 · What each subcommand runs: measure, check, report.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use ch03::fib::{self, fib_async, fib_pool, fib_rayon, fib_seq, fib_spawn_blocking};
use ch03::processes::{WorkerCommand, fib_processes};
use ch03::sizes::FibSize;
use ch03::{CURRENCY_VARIANTS, FIB_VARIANTS, currency};
use workbench::rates::{self, RateService};
use workbench::{CommonArgs, Experiment, Record, Size, cli::usage_error};

/// Measure the fib variants; the record is returned for `figures`.
pub fn fib_record(common: &CommonArgs, tasks: usize) -> Result<Record> {
    let size = FibSize::from_size(common.size, tasks);
    let list = size.task_list();
    let variants = common.variants_among(&FIB_VARIANTS);
    let workers = common.worker_counts();
    let exe = std::env::current_exe().context("locating this program")?;
    let command = WorkerCommand::new(exe);
    let mut exp =
        Experiment::new("ch03", "fib", size.to_json(), common.measure_opts());
    let check = |answers: &Vec<u64>| fib::verify(&list, answers);
    for variant in &variants {
        if variant == "seq" {
            exp.measure("seq", 1, || Ok(fib_seq(&list)), check)?;
            continue;
        }
        for &w in &workers {
            match variant.as_str() {
                "threads" => {
                    exp.measure(variant, w, || Ok(fib::fib_threads(&list, w)), check)
                }
                "pool" => exp.measure(variant, w, || fib_pool(&list, w), check),
                "rayon" => exp.measure(variant, w, || fib_rayon(&list, w), check),
                "async" => exp.measure(variant, w, || fib_async(&list, w), check),
                "spawn_blocking" => {
                    exp.measure(variant, w, || fib_spawn_blocking(&list, w), check)
                }
                _ => exp.measure(
                    variant,
                    w,
                    || fib_processes(&list, w, &command),
                    check,
                ),
            }?;
        }
    }
    Ok(exp.finish())
}

pub fn fib(common: &CommonArgs, tasks: usize) -> Result<()> {
    common.note_build_profile();
    let record = fib_record(common, tasks)?;
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

/// Measure the currency variants against a local rate service.
pub fn currency_record(common: &CommonArgs, latency_ms: u64) -> Result<Record> {
    if common.workers.is_some() {
        usage_error(
            "currency runs one request per pair at once; use --size N for N pairs",
        );
    }
    let pairs: Vec<String> = match common.size {
        Size::Quick => rates::BOOK_PAIRS.map(String::from).to_vec(),
        Size::Full => rates::pairs(12),
        Size::N(n) => rates::pairs(n.min(1000) as usize),
    };
    let service = RateService::start(Duration::from_millis(latency_ms))?;
    let url = service.base_url();
    let size = serde_json::json!({ "pairs": pairs.len(), "latency_ms": latency_ms });
    let mut exp = Experiment::new("ch03", "currency", size, common.measure_opts());
    let check = |quotes: &Vec<rates::Quote>| rates::verify(&pairs, quotes);
    for variant in common.variants_among(&CURRENCY_VARIANTS) {
        let (variant, concurrent) = match variant.as_str() {
            "seq" => ("seq", 1),
            other => (other, pairs.len()),
        };
        match variant {
            "seq" => {
                exp.measure(variant, 1, || currency::rates_seq(&url, &pairs), check)
            }
            "threads" => exp.measure(
                variant,
                concurrent,
                || currency::rates_threads(&url, &pairs),
                check,
            ),
            _ => exp.measure(
                variant,
                concurrent,
                || currency::rates_async(&url, &pairs),
                check,
            ),
        }?;
    }
    Ok(exp.finish())
}

pub fn currency(common: &CommonArgs, latency_ms: u64) -> Result<()> {
    let record = currency_record(common, latency_ms)?;
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
        reps: 3,
        ..CommonArgs::default()
    };
    let fib = fib_record(&common, 8)?;
    let currency = currency_record(
        &CommonArgs {
            size: Size::Quick,
            ..common
        },
        100,
    )?;
    for record in [fib, currency] {
        let stem = out.join(format!("{}-{}", record.chapter, record.example));
        record.save_json(&stem.with_extension("json"))?;
        workbench::record::write_creating_dirs(
            &stem.with_extension("svg"),
            &workbench::plot::svg(&record),
        )?;
        workbench::record::write_creating_dirs(
            &stem.with_extension("md"),
            &record.markdown_table(),
        )?;
        println!("{}", stem.with_extension("svg").display());
    }
    Ok(())
}
