//! Chapter 4 · What each subcommand runs: measure, check, report.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use ch04::compare::Comparison;
use ch04::setup::Setup;
use ch04::{examples, rate_group};
use clap::ValueEnum;
use workbench::{CommonArgs, Size};

use ch04::rq::place::RqBackend;

use crate::{BrokerArgs, Compare};

fn setup(broker: &BrokerArgs) -> Result<Setup> {
    if broker.rabbitmq {
        return Setup::rabbitmq();
    }
    Setup::new(broker.checked()?)
}

pub fn compare(comparison: Comparison, args: &Compare) -> Result<()> {
    args.common.note_build_profile();
    let setup = setup(&args.broker)?;
    let record = comparison.measure(&args.common, &setup)?;
    args.common.emit_with(&record, &comparison.figure(&record))
}

pub fn rpc(common: &CommonArgs, latency_ms: u64) -> Result<()> {
    if common.workers.is_some() {
        let why =
            "rpc makes one call at a time or all at once; use --size N for N calls";
        return Err(workbench::cli::UsageError(why.into()).into());
    }
    let record = ch04::rpc::compare::rpc_comparison(
        common,
        Duration::from_millis(latency_ms),
    )?;
    common.emit(&record)
}

pub fn echo(broker: &BrokerArgs) -> Result<()> {
    print!("{}", examples::echo_demo(&setup(broker)?)?);
    Ok(())
}

pub fn rates(broker: &BrokerArgs, latency_ms: u64) -> Result<()> {
    let latency = Duration::from_millis(latency_ms);
    print!("{}", examples::rates_demo(&setup(broker)?, latency)?);
    Ok(())
}

pub fn chain(broker: &BrokerArgs) -> Result<()> {
    print!("{}", examples::chain_demo(&setup(broker)?)?);
    Ok(())
}

pub fn rate_group(
    args: &Compare,
    rates: Option<&str>,
    latency_ms: u64,
) -> Result<()> {
    if args.common.workers.is_some() {
        let why = "rate-group runs on 2 workers; use --size N for N tasks";
        return Err(workbench::cli::UsageError(why.into()).into());
    }
    args.common.note_build_profile();
    let latency = Duration::from_millis(latency_ms);
    let setup = setup(&args.broker)?;
    let record = rate_group::rate_group(&args.common, &setup, rates, latency)?;
    args.common.emit(&record)
}

pub fn purge(broker: &BrokerArgs, count: usize) -> Result<()> {
    print!("{}", examples::purge_demo(&setup(broker)?, count)?);
    Ok(())
}

pub fn interop(broker: &BrokerArgs) -> Result<()> {
    print!("{}", examples::interop_demo(&setup(broker)?)?);
    Ok(())
}

/// `status`: the `celery` queue of the broker given, at a glance.
pub fn status(broker: &BrokerArgs) -> Result<()> {
    let Some(url) = broker.broker.as_deref() else {
        return Err(workbench::cli::UsageError(
            "status needs a broker to look at: --broker URL or REDIS_URL".into(),
        )
        .into());
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let status = runtime.block_on(async {
        let client = ch04::celery::client::Client::connect(url, "celery").await?;
        client.status().await
    })?;
    println!(
        "queued {}, unacknowledged {}, dead letters {}",
        status.queued,
        status.unacked,
        status.dead.len()
    );
    for letter in &status.dead {
        println!(
            "  {}[{}]: {}",
            letter["task"].as_str().unwrap_or("?"),
            letter["task_id"].as_str().unwrap_or("?"),
            letter["reason"].as_str().unwrap_or("?")
        );
    }
    Ok(())
}

/// Start workers and keep them until Ctrl-C, SIGTERM or `for_s` seconds.
pub fn launch(
    broker: &BrokerArgs,
    count: usize,
    concurrency: u16,
    grace_s: u64,
    for_s: Option<u64>,
) -> Result<()> {
    let setup = setup(broker)?;
    let mut workers = setup.workers(count, concurrency)?;
    println!(
        "{count} workers on {}: pids {:?}",
        workbench::redact::url(setup.broker()),
        workers.pids()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut term = tokio::signal::unix::signal(
            tokio::signal::unix::SignalKind::terminate(),
        )
        .context("listening for SIGTERM")?;
        let limit = Duration::from_secs(for_s.unwrap_or(u64::MAX / 4));
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = tokio::time::sleep(limit) => {}
        }
        anyhow::Ok(())
    })?;
    println!("stopping: SIGTERM, then SIGKILL after {grace_s} s");
    workers.stop(Duration::from_secs(grace_s))?;
    println!("stopped");
    Ok(())
}

/// The RQ-style queue: workers, jobs, results checked, a table.
pub fn rq(
    backend: Option<RqBackend>,
    broker: Option<String>,
    workers: usize,
) -> Result<()> {
    let options = ch04::rq::example::RqOptions {
        backend,
        broker,
        workers,
        program: ch04::launcher::chapter_program("rq-worker", "CH04_RQ_WORKER")?,
    };
    print!("{}", ch04::rq::example::rq_demo(&options)?);
    Ok(())
}

/// The chapter's figures: records, SVGs and Markdown tables for the book.
pub fn figures(out: &Path, size: Size) -> Result<()> {
    let common = CommonArgs::for_figures(size, 3);
    let setup = Setup::new(None)?;
    for &comparison in Comparison::value_variants() {
        let record = comparison.measure(&common, &setup)?;
        record.write_figure(out, &comparison.figure(&record))?;
    }
    let rpc =
        ch04::rpc::compare::rpc_comparison(&common, Duration::from_millis(50))?;
    rpc.write_figure(out, &workbench::plot::svg(&rpc))?;
    // What `echo`, `rates` and `chain` print, for the page.
    let echo = examples::echo_demo(&setup)?;
    workbench::record::write_creating_dirs(&out.join("ch04-echo.txt"), &echo)?;
    let rates = examples::rates_demo(&setup, Duration::from_millis(50))?;
    workbench::record::write_creating_dirs(&out.join("ch04-rates.txt"), &rates)?;
    let chain = examples::chain_demo(&setup)?;
    workbench::record::write_creating_dirs(&out.join("ch04-chain.txt"), &chain)?;
    // A wrong password's error, from real refusals, for chapter 5's page
    // (it needs RabbitMQ too: without it, the committed lines stay).
    match ch04::refusal::capture(&std::env::current_exe()?) {
        Ok(said) => workbench::record::write_creating_dirs(
            &out.join("ch05-wrongpass.txt"),
            &said,
        ),
        Err(err) => {
            eprintln!("warning: ch05-wrongpass.txt not made here: {err:#}");
            Ok(())
        }
    }
}
