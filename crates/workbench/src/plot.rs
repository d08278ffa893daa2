//! The figure of a record: wall time per run, and speed-up against workers.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use crate::record::{Record, Run};

const FONT: &str = "sans-serif";

/// The record's figure as an SVG document (no fonts needed to render it).
pub fn svg(record: &Record) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (960, 420)).into_drawing_area();
        // Drawing into a String cannot fail short of a plotters bug; the
        // figure is then incomplete, never the caller's problem.
        let _ = draw(&root, record);
    }
    out
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

fn draw(root: &Area<'_>, record: &Record) -> Drawn {
    root.fill(&WHITE)?;
    let (upper, footer) = root.split_vertically(395);
    let (left, right) = upper.split_horizontally(470);
    let runs: Vec<&Run> =
        record.runs.iter().filter(|r| r.skipped.is_none()).collect();
    let variants = record.variants();
    let colour = |name: &str| {
        Palette99::pick(variants.iter().position(|v| *v == name).unwrap_or(0))
    };
    wall_times(&left, record, &runs, &colour)?;
    speedups(&right, &runs, &variants, &colour)?;
    footer.draw_text(
        &format!("{} · {}", record.size_text(), record.machine.summary()),
        &(FONT, 12).into_font().color(&BLACK.mix(0.7)),
        (12, 6),
    )?;
    root.present()?;
    Ok(())
}

fn wall_times(
    area: &Area<'_>,
    record: &Record,
    runs: &[&Run],
    colour: &dyn Fn(&str) -> PaletteColor<Palette99>,
) -> Drawn {
    let labels: Vec<String> = runs
        .iter()
        .map(|r| format!("{} ×{}", r.variant, r.workers))
        .collect();
    let longest = runs.iter().map(|r| r.wall_s).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{} {}: wall time", record.chapter, record.example),
            (FONT, 18),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(120)
        .build_cartesian_2d(
            0.0..(longest * 1.15).max(1e-6),
            (0..runs.len()).into_segmented(),
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(runs.len().max(1))
        .y_label_formatter(&|seg| match seg {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc("seconds (median of repetitions)")
        .label_style((FONT, 13))
        .draw()?;
    chart.draw_series(runs.iter().enumerate().map(|(i, run)| {
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (run.wall_s, SegmentValue::Exact(i + 1)),
            ],
            colour(&run.variant).filled(),
        );
        bar.set_margin(3, 3, 0, 0);
        bar
    }))?;
    Ok(())
}

fn speedups(
    area: &Area<'_>,
    runs: &[&Run],
    variants: &[&str],
    colour: &dyn Fn(&str) -> PaletteColor<Palette99>,
) -> Drawn {
    let max_workers =
        runs.iter().map(|r| r.workers).max().unwrap_or(1).max(2) as f64;
    let top = runs
        .iter()
        .filter_map(|r| r.speedup)
        .fold(max_workers, f64::max)
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .caption("speed-up against seq", (FONT, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(45)
        .build_cartesian_2d(0.5..max_workers + 0.5, 0.0..top)?;
    chart
        .configure_mesh()
        .x_labels(max_workers as usize + 1)
        .x_label_formatter(&|x| {
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        })
        .x_desc("workers")
        .y_desc("speed-up (×)")
        .label_style((FONT, 13))
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            [(1.0, 1.0), (max_workers, max_workers)],
            BLACK.mix(0.35),
        ))?
        .label("ideal")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK.mix(0.35)));
    for &variant in variants {
        let mut points: Vec<(f64, f64)> = runs
            .iter()
            .filter(|r| r.variant == variant)
            .filter_map(|r| Some((r.workers as f64, r.speedup?)))
            .collect();
        if points.is_empty() {
            continue;
        }
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let style = colour(variant).stroke_width(2);
        chart
            .draw_series(LineSeries::new(points.clone(), style))?
            .label(variant)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 4, style.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font((FONT, 13))
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_names_every_variant_and_the_machine() {
        let mut rec = Record::new("ch03", "fib", serde_json::json!({"n": 30}));
        for (variant, workers, wall_s) in
            [("seq", 1, 2.0), ("threads", 1, 2.0), ("threads", 2, 1.05)]
        {
            rec.runs.push(Run {
                variant: variant.into(),
                workers,
                wall_s,
                cpu_s: 2.0,
                speedup: None,
                efficiency: None,
                verified: true,
                skipped: None,
                extra: Default::default(),
            });
        }
        rec.compute_speedups();
        let svg = svg(&rec);
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
        for needle in ["threads ×2", "speed-up against seq", "ideal", "CPUs"] {
            assert!(svg.contains(needle), "figure lacks {needle}");
        }
    }
}
