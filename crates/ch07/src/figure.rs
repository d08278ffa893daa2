//! Chapter 7 · The cost figures: microseconds per save, by method, and
//! microseconds per task, by variant and instrumentation.

use plotters::prelude::*;
use workbench::Record;
use workbench::plot::{Area, Bar, horizontal_bars, render_svg};

/// The checkpoint-cost record's figure as an SVG document.
pub fn svg(record: &Record) -> String {
    let bars = Bars {
        key: "µs per save",
        caption: "ch07 checkpoint-cost: one save",
        x_desc: "microseconds per save (median repetition)",
        colour: |i, _| i,
    };
    bars_svg(record, &bars)
}

/// The observability-cost record's figure: one bar per variant and
/// instrumentation, coloured by instrumentation.
pub fn observe_svg(record: &Record) -> String {
    let bars = Bars {
        key: "µs per task",
        caption: "ch07 observability-cost: one task (fib(15), a span, two events)",
        x_desc: "microseconds per task (median repetition)",
        colour: |_, name| {
            if name.ends_with("+json") {
                3
            } else if name.ends_with("+tracing") {
                1
            } else {
                0
            }
        },
    };
    bars_svg(record, &bars)
}

/// What a bar chart shows: the run's `extra` value `key`, a colour per run
/// (from its index and variant name).
struct Bars {
    key: &'static str,
    caption: &'static str,
    x_desc: &'static str,
    colour: fn(usize, &str) -> usize,
}

fn bars_svg(record: &Record, bars: &Bars) -> String {
    let height = 120 + 30 * record.runs.len() as u32;
    render_svg((960, height), |root| draw(root, record, bars, height))
}

fn draw(
    root: &Area<'_>,
    record: &Record,
    style: &Bars,
    height: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let (upper, footer) = root.split_vertically(height - 25);
    let bars: Vec<Bar> = record
        .runs
        .iter()
        .filter(|r| r.skipped.is_none())
        .enumerate()
        .map(|(i, r)| {
            let length = r.extra.get(style.key).copied().unwrap_or(0.0);
            let colour = Palette99::pick((style.colour)(i, &r.variant));
            (r.variant.clone(), length, colour)
        })
        .collect();
    horizontal_bars(&upper, style.caption, style.x_desc, &bars)?;
    let text = format!("{} · {}", record.size_text(), record.machine.summary());
    workbench::plot::footer(&footer, &text)?;
    root.present()?;
    Ok(())
}
