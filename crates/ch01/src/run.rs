//! Chapter 1 · What each subcommand runs: measure, check, report.

use anyhow::Result;
use ch01::{compare, dist, figure};
use workbench::record::write_creating_dirs;
use workbench::{CommonArgs, FiguresArgs, cli::UsageError};

pub fn laws(parallel: f64, t1: f64, at: &[u64]) -> Result<()> {
    if at.contains(&0) || t1.is_nan() || t1 <= 0.0 {
        let why = "worker counts must be at least 1 and --t1 positive";
        return Err(UsageError(why.into()).into());
    }
    let rows = compare::laws(parallel, t1, at);
    println!(
        "A program of {t1} s on one worker, {:.1} % parallel",
        parallel * 100.0
    );
    println!(
        "{:>8} {:>16} {:>10} {:>18}",
        "workers", "Amdahl speed-up", "time s", "Gustafson speed-up"
    );
    for r in &rows {
        println!(
            "{:>8} {:>15.2}× {:>10.2} {:>17.2}×",
            r.workers, r.amdahl_speedup, r.amdahl_time_s, r.gustafson_speedup
        );
    }
    if parallel < 1.0 {
        let limit = ch01::laws::amdahl_limit(parallel);
        println!("Amdahl's ceiling: {limit:.1}× however many workers");
    }
    Ok(())
}

pub fn amdahl(common: &CommonArgs, serial: f64) -> Result<()> {
    common.note_build_profile();
    let record = compare::amdahl(common, serial, &dist::locate_worker()?)?;
    common.warn_if_starved(&record);
    common.emit_with(&record, &figure::amdahl_svg(&record))?;
    for variant in ["threads", "async", "dist"] {
        if let Some(fit) = compare::fitted_serial(&record, variant) {
            println!(
                "serial fraction fitted from {variant}: {fit:.3} (configured {serial})"
            );
        }
    }
    Ok(())
}

pub fn memory(common: &CommonArgs) -> Result<()> {
    common.note_build_profile();
    let record = compare::memory(common, &dist::locate_worker()?)?;
    common.warn_if_starved(&record);
    common.emit(&record)
}

/// The chapter's figures: records, SVGs and Markdown tables for the book.
pub fn figures(args: &FiguresArgs) -> Result<()> {
    let (out, size) = (&args.out, args.size);
    let common = CommonArgs::for_figures(size, 3);
    let rows = compare::laws(0.99, 100.0, &[1, 10, 100, 1000]);
    let stem = out.join("ch01-laws");
    write_creating_dirs(
        &stem.with_extension("json"),
        &serde_json::to_string_pretty(&serde_json::json!({
            "t1_s": 100.0, "parallel": 0.99, "rows": rows
        }))?,
    )?;
    write_creating_dirs(
        &stem.with_extension("svg"),
        &figure::laws_svg(0.99, &rows),
    )?;
    write_creating_dirs(
        &stem.with_extension("md"),
        &figure::laws_markdown(100.0, 0.99, &rows),
    )?;
    println!("{}", stem.with_extension("svg").display());
    let worker = dist::locate_worker()?;
    let amdahl = compare::amdahl(&common, 0.05, &worker)?;
    let amdahl_svg = figure::amdahl_svg(&amdahl);
    let memory = compare::memory(&common, &worker)?;
    let memory_svg = workbench::plot::svg(&memory);
    for (record, svg) in [(amdahl, amdahl_svg), (memory, memory_svg)] {
        record.write_figure(out, &svg)?;
    }
    Ok(())
}
