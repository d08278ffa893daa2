//! Chapter 8 · Everything side by side: one figure — the best speed-up of
//! each model on each record that has a `seq` run, on a log scale so that
//! 0.05× and 10× both read clearly; 1× (as fast as `seq`) is marked.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use workbench::plot::{Area, FONT, legend, render_svg};

use crate::models::Model;
use crate::side::{Comparison, Entry};

/// The records that have at least one speed-up, in table order.
pub fn plotted(comparison: &Comparison) -> Vec<&Entry> {
    comparison
        .entries
        .iter()
        .filter(|e| Model::COMPARED.iter().any(|m| e.best_of(*m).is_some()))
        .collect()
}

/// The comparison's figure as an SVG document.
pub fn svg(comparison: &Comparison) -> String {
    let entries = plotted(comparison);
    let height = 110 + 39 * entries.len() as u32;
    render_svg((960, height), |root| {
        draw(root, comparison, &entries, height)
    })
}

fn colour(model: Model) -> RGBColor {
    match model {
        Model::Threads => RGBColor(31, 119, 180),
        Model::Async => RGBColor(44, 160, 44),
        _ => RGBColor(214, 39, 40),
    }
}

fn draw(
    root: &Area<'_>,
    comparison: &Comparison,
    entries: &[&Entry],
    height: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let (upper, footer) = root.split_vertically(height as i32 - 24);
    let bars = entries.len() * 3;
    let speedups = entries
        .iter()
        .flat_map(|e| Model::COMPARED.map(|m| e.best_of(m).and_then(|p| p.speedup)))
        .flatten();
    let (low, high) =
        speedups.fold((1.0f64, 1.0f64), |(lo, hi), s| (lo.min(s), hi.max(s)));
    let x_range = (low / 2.0).max(1e-3)..high * 2.5;
    let left = x_range.start;
    let mut chart = ChartBuilder::on(&upper)
        .caption(
            "best speed-up against seq, per model and record",
            (FONT, 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(150)
        .build_cartesian_2d(
            x_range.log_scale(),
            (0..bars.max(1)).into_segmented(),
        )?;
    let titles: Vec<String> = entries.iter().map(|e| e.title()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(bars.max(1))
        .y_label_formatter(&|seg| match seg {
            SegmentValue::CenterOf(i) if i % 3 == 1 => titles
                .get(titles.len().saturating_sub(1 + i / 3))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc("speed-up (×, log scale; 1× = as fast as seq)")
        .label_style((FONT, 13))
        .draw()?;
    for (k, model) in Model::COMPARED.into_iter().enumerate() {
        let style = colour(model).filled();
        let mut rows = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            if let Some(pick) = entry.best_of(model) {
                // The first record on top, threads above async above dist.
                let slot = (entries.len() - 1 - i) * 3 + (2 - k);
                rows.push((slot, pick.speedup.unwrap_or(left), pick.clone()));
            }
        }
        chart
            .draw_series(rows.iter().map(|(slot, speedup, _)| {
                let mut bar = Rectangle::new(
                    [
                        (left, SegmentValue::Exact(*slot)),
                        (*speedup, SegmentValue::Exact(slot + 1)),
                    ],
                    style,
                );
                bar.set_margin(1, 1, 0, 0);
                bar
            }))?
            .label(model.name())
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 14, y + 5)], style)
            });
        chart.draw_series(rows.iter().map(|(slot, speedup, pick)| {
            Text::new(
                format!("{speedup:.2}× {} ×{}", pick.variant, pick.workers),
                (*speedup * 1.06, SegmentValue::Exact(slot + 1)),
                (FONT, 11).into_font(),
            )
        }))?;
    }
    chart.draw_series(LineSeries::new(
        [
            (1.0, SegmentValue::Exact(0)),
            (1.0, SegmentValue::Exact(bars.max(1))),
        ],
        BLACK.mix(0.6).stroke_width(1),
    ))?;
    legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    let machines: Vec<String> =
        comparison.machines().into_iter().map(|(m, _)| m).collect();
    footer.draw_text(
        &format!("measured on {}", machines.join("; ")),
        &(FONT, 12).into_font().color(&BLACK.mix(0.7)),
        (12, 4),
    )?;
    root.present()?;
    Ok(())
}
