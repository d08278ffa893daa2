//! Chapter 6 · The ping-pong figure: latency and bandwidth against message
//! size, both axes logarithmic, Rust and C on the same axes.

use plotters::prelude::*;
use workbench::plot::{Area, Drawn, FONT, legend, line_with_points, render_svg};

use crate::pingpong::{PingPong, human_bytes};

/// The figure as an SVG document.
pub fn svg(record: &PingPong) -> String {
    render_svg((960, 420), |root| draw(root, record))
}

fn draw(root: &Area<'_>, record: &PingPong) -> Drawn {
    root.fill(&WHITE)?;
    let (upper, footer) = root.split_vertically(395);
    let (left, right) = upper.split_horizontally(480);
    panel(&left, record, "latency (one way)", "µs", |p| p.latency_us)?;
    panel(&right, record, "bandwidth", "MB/s", |p| p.bandwidth_mb_s)?;
    let text = format!(
        "2 ranks, {} · {}",
        record.launcher,
        record.machine.summary()
    );
    workbench::plot::footer(&footer, &text)?;
    root.present()?;
    Ok(())
}

fn panel(
    area: &Area<'_>,
    record: &PingPong,
    title: &str,
    unit: &str,
    value: impl Fn(&crate::pingpong::Point) -> f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let xs = record.points.iter().map(|p| p.bytes.max(1) as f64);
    let ys = record.points.iter().map(&value).filter(|v| *v > 0.0);
    let (x_lo, x_hi) =
        xs.fold((f64::MAX, 1.0f64), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let (y_lo, y_hi) =
        ys.fold((f64::MAX, 1e-9f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let mut chart = ChartBuilder::on(area)
        .caption(format!("ping-pong: {title}"), (FONT, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(
            (x_lo.min(x_hi) / 1.5..x_hi * 1.5).log_scale(),
            (y_lo.min(y_hi) / 2.0..y_hi * 2.0).log_scale(),
        )?;
    chart
        .configure_mesh()
        .x_desc("message size")
        .y_desc(unit)
        .x_label_formatter(&|x| human_bytes(*x as usize))
        .label_style((FONT, 12))
        .draw()?;
    for (index, implementation) in ["rust", "c"].into_iter().enumerate() {
        let mut points: Vec<(f64, f64)> = record
            .points
            .iter()
            .filter(|p| p.implementation == implementation && value(p) > 0.0)
            .map(|p| (p.bytes.max(1) as f64, value(p)))
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let style = Palette99::pick(index).stroke_width(2);
        line_with_points(&mut chart, points, style, implementation)?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)
}
