//! The figure of a record: wall time per run, and speed-up against workers.

use plotters::coord::CoordTranslate;
use plotters::coord::ranged1d::{Ranged, SegmentValue};
use plotters::prelude::*;

use crate::record::{Record, Run};

/// The font every workbook figure uses (the SVG names it; none is loaded).
pub const FONT: &str = "sans-serif";

/// Where a figure is drawn.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
/// What drawing returns.
pub type Drawn = Result<(), Box<dyn std::error::Error>>;

/// The record's figure as an SVG document (no fonts needed to render it).
pub fn svg(record: &Record) -> String {
    render_svg((960, 420), |root| draw(root, record))
}

/// An SVG document of `size` pixels, drawn by `draw`. Drawing into a
/// String cannot fail short of a plotters bug; the figure is then
/// incomplete, never the caller's problem.
pub fn render_svg(
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> Drawn,
) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        let _ = draw(&root);
    }
    out
}

/// One series as a line through its points, each point marked, with its
/// entry in the legend.
pub fn line_with_points<'a, X, Y>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
    points: Vec<(X::ValueType, Y::ValueType)>,
    style: ShapeStyle,
    label: &str,
) -> Drawn
where
    X: Ranged,
    Y: Ranged,
    X::ValueType: Clone + 'static,
    Y::ValueType: Clone + 'static,
{
    chart
        .draw_series(LineSeries::new(points.clone(), style))?
        .label(label)
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
    chart.draw_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, 4, style.filled())),
    )?;
    Ok(())
}

/// The legend, in a translucent box at `position`.
pub fn legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Drawn {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font((FONT, 13))
        .draw()?;
    Ok(())
}

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
    let text = format!("{} · {}", record.size_text(), record.machine.summary());
    self::footer(&footer, &text)?;
    root.present()?;
    Ok(())
}

fn wall_times(
    area: &Area<'_>,
    record: &Record,
    runs: &[&Run],
    colour: &dyn Fn(&str) -> PaletteColor<Palette99>,
) -> Drawn {
    let bars: Vec<Bar> = runs
        .iter()
        .map(|r| {
            let label = format!("{} ×{}", r.variant, r.workers);
            (label, r.wall_s, colour(&r.variant))
        })
        .collect();
    let caption = format!("{} {}: wall time", record.chapter, record.example);
    horizontal_bars(area, &caption, "seconds (median of repetitions)", &bars)
}

/// One bar of [`horizontal_bars`]: its label, its length, its colour.
pub type Bar = (String, f64, PaletteColor<Palette99>);

/// A bar chart with one labelled horizontal bar per entry of `bars`, top
/// to bottom, the longest at seven eighths of the width.
pub fn horizontal_bars(
    area: &Area<'_>,
    caption: &str,
    x_desc: &str,
    bars: &[Bar],
) -> Drawn {
    let longest = bars.iter().map(|b| b.1).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 18))
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
        .x_desc(x_desc)
        .label_style((FONT, 13))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, length, colour))| {
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (*length, SegmentValue::Exact(i + 1)),
            ],
            colour.filled(),
        );
        bar.set_margin(3, 3, 0, 0);
        bar
    }))?;
    Ok(())
}

/// The line under a figure: the size, the machine.
pub fn footer(area: &Area<'_>, text: &str) -> Drawn {
    area.draw_text(
        text,
        &(FONT, 12).into_font().color(&BLACK.mix(0.7)),
        (12, 6),
    )?;
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
        line_with_points(
            &mut chart,
            points,
            colour(variant).stroke_width(2),
            variant,
        )?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)
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
            rec.runs.push(Run::new(variant, workers, wall_s, 2.0));
        }
        rec.compute_speedups();
        let svg = svg(&rec);
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
        for needle in ["threads ×2", "speed-up against seq", "ideal", "CPUs"] {
            assert!(svg.contains(needle), "figure lacks {needle}");
        }
    }
}
