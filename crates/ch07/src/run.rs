//! Chapter 7 · What each subcommand runs.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use ch07::clocks::ordering;
use ch07::clocks::{self, Event, Step};
use ch07::simulate::simulation::{Scenario, simulate as run_scenario};
use workbench::bins::this_program;
use workbench::cli::UsageError;
use workbench::record::write_creating_dirs;
use workbench::{CommonArgs, Size};

pub fn demo() -> Result<()> {
    demo_with(|line| println!("{line}"))
}

/// The demo, each line said as it happens; the state file sits in
/// `<target>/ch07-demo/`, which the line names.
fn demo_with(mut say: impl FnMut(String)) -> Result<()> {
    let dir = workbench::bins::target_dir().join("ch07-demo");
    let count = ch07::checkpoint::demo::interrupt_and_resume(
        &this_program()?,
        &dir,
        &mut say,
    )?;
    say(format!("three runs, one count: {count}"));
    Ok(())
}

pub fn checkpoint(state: &Path, interval_ms: u64, ticks: Option<u64>) -> Result<()> {
    let interval = Duration::from_millis(interval_ms);
    ch07::checkpoint::counter::run(state, interval, ticks, std::io::stdout().lock())
        .map(drop)
}

fn show(out: &mut impl Write, title: &str, order: &[Event]) -> Result<()> {
    writeln!(out, "{title}")?;
    for event in order {
        let step = match event.step {
            Step::Send(task) => format!("sends task {task}"),
            Step::Receive(task) => format!("receives task {task}"),
            Step::Work(task) => format!("works on task {task}"),
        };
        let wall = event.wall_us as f64 / 1000.0;
        writeln!(
            out,
            "  {:>10.3} ms  L={:<3} {:<6} {step}",
            wall, event.lamport, event.process
        )?;
    }
    let wrong = ordering::causality_violations(order);
    writeln!(out, "  effects shown before their cause: {}\n", wrong.len())?;
    Ok(())
}

pub fn clocks(tasks: u32, skew_ms: u64) -> Result<()> {
    clocks_to(&mut std::io::stdout().lock(), tasks, skew_ms)
}

fn clocks_to(out: &mut impl Write, tasks: u32, skew_ms: u64) -> Result<()> {
    let events = clocks::exchange(tasks, Duration::from_millis(skew_ms));
    writeln!(
        out,
        "the worker's wall clock is {skew_ms} ms behind the client's\n"
    )?;
    show(
        out,
        "sorted by wall clock:",
        &ordering::by_wall_clock(&events),
    )?;
    show(
        out,
        "sorted by Lamport clock:",
        &ordering::by_lamport(&events),
    )
}

pub fn trace(tasks: u16, n: u32, log_dir: &Path) -> Result<()> {
    let jobs = vec![n; tasks.into()];
    let answers = ch07::logs::trace::client(&this_program()?, &jobs, log_dir)?;
    println!("logs in {}", log_dir.display());
    for (task_id, answer) in answers {
        println!("\ntask {task_id}: fib({n}) = {answer}");
        for line in ch07::logs::trace::story(log_dir, &task_id)? {
            println!(
                "  {}  {:<6} pid {:<7} {}",
                line.timestamp, line.role, line.pid, line.message
            );
        }
    }
    Ok(())
}

pub fn env(json: bool) -> Result<()> {
    let env = ch07::environment::Environment::capture();
    if json {
        println!("{}", env.to_json());
    } else {
        print!("{}", env.report());
    }
    Ok(())
}

pub fn simulate(
    seed: u64,
    requests: u32,
    loss: f64,
    partition: Option<(u64, u64)>,
) -> Result<()> {
    let out = &mut std::io::stdout().lock();
    simulate_to(out, seed, requests, loss, partition)
}

fn simulate_to(
    out: &mut impl Write,
    seed: u64,
    requests: u32,
    loss: f64,
    partition: Option<(u64, u64)>,
) -> Result<()> {
    let scenario = Scenario {
        seed,
        requests,
        fail_rate: loss,
        repair_rate: if loss > 0.0 { 0.5 } else { 1.0 },
        partition: partition.map(|(from, length)| {
            (Duration::from_millis(from), Duration::from_millis(length))
        }),
        ..Scenario::default()
    };
    let outcome = run_scenario(&scenario)?;
    for line in &outcome.transcript {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "seed {seed}: {} of {requests} answered, {} retries, {:?} simulated",
        outcome.answered(),
        outcome.retries(),
        outcome.simulated
    )?;
    Ok(())
}

pub fn race(threads: u64, increments: u64) -> Result<()> {
    let expected = threads * increments;
    println!("{threads} threads × {increments} increments of one shared counter");
    for (method, count) in [
        ("load + store (racy)", ch07::race::racy(threads, increments)),
        ("fetch_add", ch07::race::fixed(threads, increments)),
        ("Mutex", ch07::race::locked(threads, increments)),
    ] {
        println!(
            "{method:<22} counted {count:>12}  lost {:>10}",
            expected - count
        );
    }
    Ok(())
}

pub fn cost(common: &CommonArgs) -> Result<()> {
    if common.workers.is_some() {
        return Err(UsageError(
            "`cost` saves from one process; it takes no --workers".into(),
        )
        .into());
    }
    common.note_build_profile();
    let variants = common.variants_among(&ch07::checkpoint::cost::VARIANTS)?;
    let saves = ch07::checkpoint::cost::saves_for(common.size);
    let record =
        ch07::checkpoint::cost::compare(saves, &variants, common.measure_opts())?;
    common.emit_with(&record, &ch07::figure::svg(&record))
}

/// The chapter's figure: the checkpoint-cost record, SVG and table.
pub fn figures(out: &Path, size: Size) -> Result<()> {
    let opts = CommonArgs::for_figures(size, 7).measure_opts();
    let variants = ch07::checkpoint::cost::VARIANTS.map(String::from);
    let record = ch07::checkpoint::cost::compare(
        ch07::checkpoint::cost::saves_for(size),
        &variants,
        opts,
    )?;
    record.write_figure(out, &ch07::figure::svg(&record))?;
    // What `clocks` and `simulate` print at the page's settings, for the page.
    let mut clocks = Vec::new();
    clocks_to(&mut clocks, 3, 50)?;
    write_text(&out.join("ch07-clocks.txt"), clocks)?;
    let mut simulated = Vec::new();
    simulate_to(&mut simulated, 7, 10, 0.2, Some((50, 500)))?;
    write_text(&out.join("ch07-simulate.txt"), simulated)?;
    // The demo's state file, named as the reader's checkout would name it.
    let dir = workbench::bins::target_dir().join("ch07-demo");
    let dir = dir.display().to_string();
    let mut lines = String::new();
    demo_with(|line| {
        lines.push_str(&line.replace(&dir, "target/ch07-demo"));
        lines.push('\n');
    })?;
    write_creating_dirs(&out.join("ch07-demo.txt"), &lines)?;
    crate::run_faults::figures(out, size)
}

fn write_text(path: &Path, bytes: Vec<u8>) -> Result<()> {
    let text = String::from_utf8(bytes).context("a demo's output")?;
    write_creating_dirs(path, &text)
}

/// A failure rate in [0, 1).
pub fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(rate) if (0.0..1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("`{s}` is not a rate from 0 to below 1")),
    }
}

/// `START_MS:LENGTH_MS`.
pub fn parse_partition(s: &str) -> Result<(u64, u64), String> {
    let parsed = s
        .split_once(':')
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
    parsed.ok_or_else(|| format!("`{s}` is not START_MS:LENGTH_MS"))
}
