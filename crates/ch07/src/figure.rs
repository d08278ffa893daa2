//! Chapter 7 · The cost figures: microseconds per save, by method, and
//! microseconds per task, by variant and instrumentation.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use workbench::Record;
use workbench::plot::{Area, FONT, render_svg};

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
    let bars: Vec<(String, f64)> = record
        .runs
        .iter()
        .filter(|r| r.skipped.is_none())
        .map(|r| {
            (
                r.variant.clone(),
                r.extra.get(style.key).copied().unwrap_or(0.0),
            )
        })
        .collect();
    let longest = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&upper)
        .caption(style.caption, (FONT, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(120)
        .build_cartesian_2d(
            0.0..(longest * 1.15).max(1e-6),
            (0..bars.len()).into_segmented(),
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(bars.len().max(1))
        .y_label_formatter(&|seg| match seg {
            SegmentValue::CenterOf(i) => {
                bars.get(*i).map(|b| b.0.clone()).unwrap_or_default()
            }
            _ => String::new(),
        })
        .x_desc(style.x_desc)
        .label_style((FONT, 13))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (name, us))| {
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (*us, SegmentValue::Exact(i + 1)),
            ],
            Palette99::pick((style.colour)(i, name)).filled(),
        );
        bar.set_margin(3, 3, 0, 0);
        bar
    }))?;
    footer.draw_text(
        &format!("{} · {}", record.size_text(), record.machine.summary()),
        &(FONT, 12).into_font().color(&BLACK.mix(0.7)),
        (12, 6),
    )?;
    root.present()?;
    Ok(())
}
