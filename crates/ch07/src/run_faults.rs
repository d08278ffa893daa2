//! Chapter 7 · What the fault and cost subcommands run: the deposits
//! found by simulation, the chaos run, the cost of logging.

use std::path::{Path, PathBuf};

use anyhow::Result;
use ch07::simulate::deposits::{CONGESTED, Day, Dedup};
use workbench::cli::UsageError;
use workbench::record::write_creating_dirs;
use workbench::{CommonArgs, Size};

use workbench::bins::this_program;
use workbench::chapter::results_path;

pub fn deposits(seed: u64, dedup: Dedup, healthy: bool) -> Result<()> {
    print!("{}", deposits_story(seed, dedup, healthy)?);
    Ok(())
}

/// One simulated day of deposits told as text: resends, duplicates, totals.
fn deposits_story(seed: u64, dedup: Dedup, healthy: bool) -> Result<String> {
    let mut day = Day::new(seed, dedup);
    if !healthy {
        day = day.congested(CONGESTED);
    }
    let books = ch07::simulate::deposits::simulate(&day)?;
    let mut out = format!(
        "seed {seed}, filter {dedup:?}, datagrams up to {:?}, resend after {:?}\n",
        day.max_latency, day.timeout
    );
    for line in &books.transcript {
        out.push_str(&format!("{line}\n"));
    }
    out.push_str(&format!(
        "{} deposits sent, {} applied, applied twice: {:?}\n",
        day.deposits,
        books.applied.len(),
        books.doubled()
    ));
    Ok(out)
}

/// `last-only` or `up-to-last`.
pub fn parse_dedup(s: &str) -> Result<Dedup, String> {
    match s {
        "last-only" => Ok(Dedup::LastOnly),
        "up-to-last" => Ok(Dedup::UpToLast),
        _ => Err(format!("`{s}` is not last-only or up-to-last")),
    }
}

pub fn chaos(
    tasks: u32,
    send_s: f64,
    json: Option<PathBuf>,
    svg: Option<PathBuf>,
) -> Result<()> {
    let plan = ch07::chaos::Plan::standard(tasks, send_s);
    let worker = ch07::chaos::worker_program()?;
    let log_dir = ch07::chaos::default_log_dir();
    let report = ch07::chaos::run(&plan, &worker, &log_dir)?;
    for fault in &plan.faults {
        println!(
            "{:>5.2} s – {:>5.2} s  {}",
            fault.from_s,
            fault.to_s,
            fault.label()
        );
    }
    println!(
        "{} tasks: {} correct, {} lost, {} ran twice; worker logs in {}",
        plan.tasks,
        report.correct,
        report.lost,
        report.duplicates,
        log_dir.display()
    );
    let json = results_path(json.as_deref(), "ch07-chaos", "json");
    let svg = results_path(svg.as_deref(), "ch07-chaos", "svg");
    report.record().save_json(&json)?;
    let timeline = json.with_extension("timeline.json");
    write_creating_dirs(&timeline, &serde_json::to_string_pretty(&report)?)?;
    write_creating_dirs(&svg, &ch07::chaos::plot::svg(&report))?;
    println!(
        "record: {}\ntimeline: {}\nfigure: {}",
        json.display(),
        timeline.display(),
        svg.display()
    );
    anyhow::ensure!(report.lost == 0, "{} tasks lost", report.lost);
    Ok(())
}

/// Seconds, from 0.5 to an hour.
pub fn parse_seconds(s: &str) -> Result<f64, String> {
    workbench::cli::seconds_within(s, 0.5, 3600.0).map(|d| d.as_secs_f64())
}

pub fn observe(common: &CommonArgs) -> Result<()> {
    if common.workers.is_some() {
        return Err(UsageError(
            "`observe` runs seq on one thread and the rest on two; it takes no \
             --workers"
                .into(),
        )
        .into());
    }
    common.note_build_profile();
    let variants = common.variants_among(&ch07::logs::observe::VARIANTS)?;
    let tasks = ch07::logs::observe::tasks_for(common.size);
    let record = ch07::logs::observe::compare(
        &this_program()?,
        tasks,
        &variants,
        common.measure_opts(),
    )?;
    common.emit_with(&record, &ch07::figure::observe_svg(&record))
}

/// The figures of this file's examples: the deposits' stories, the chaos
/// run, the cost of logging.
pub fn figures(out: &Path, size: Size) -> Result<()> {
    for (dedup, name) in [(Dedup::LastOnly, "bug"), (Dedup::UpToLast, "fix")] {
        let story =
            deposits_story(ch07::simulate::deposits::FOUND_SEED, dedup, false)?;
        let path = out.join(format!("ch07-deposits-{name}.txt"));
        write_creating_dirs(&path, &story)?;
    }
    let plan = ch07::chaos::Plan::for_figures(size);
    let worker = ch07::chaos::worker_program()?;
    let report = ch07::chaos::run(&plan, &worker, &ch07::chaos::default_log_dir())?;
    anyhow::ensure!(report.lost == 0, "{} tasks lost", report.lost);
    report
        .record()
        .write_figure(out, &ch07::chaos::plot::svg(&report))?;
    let timeline = serde_json::to_string_pretty(&report)?;
    write_creating_dirs(&out.join("ch07-chaos.timeline.json"), &timeline)?;
    let opts = CommonArgs::for_figures(size, 5).measure_opts();
    let variants = ch07::logs::observe::VARIANTS.map(String::from);
    let tasks = ch07::logs::observe::tasks_for(size);
    let record =
        ch07::logs::observe::compare(&this_program()?, tasks, &variants, opts)?;
    record.write_figure(out, &ch07::figure::observe_svg(&record))?;
    Ok(())
}
