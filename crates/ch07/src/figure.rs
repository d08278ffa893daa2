//! Chapter 7 · The checkpoint-cost figure: microseconds per save, by method.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use workbench::Record;
use workbench::plot::{Area, FONT, render_svg};

/// The record's figure as an SVG document.
pub fn svg(record: &Record) -> String {
    render_svg((960, 300), |root| draw(root, record))
}

fn draw(root: &Area<'_>, record: &Record) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let (upper, footer) = root.split_vertically(275);
    let bars: Vec<(String, f64)> = record
        .runs
        .iter()
        .filter(|r| r.skipped.is_none())
        .map(|r| {
            (
                r.variant.clone(),
                r.extra.get("µs per save").copied().unwrap_or(0.0),
            )
        })
        .collect();
    let longest = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&upper)
        .caption("ch07 checkpoint-cost: one save", (FONT, 18))
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
        .x_desc("microseconds per save (median repetition)")
        .label_style((FONT, 13))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, us))| {
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (*us, SegmentValue::Exact(i + 1)),
            ],
            Palette99::pick(i).filled(),
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
