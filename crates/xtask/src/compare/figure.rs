//! `cargo xtask compare` · The side-by-side figure: wall time per variant,
//! Rust beside Python, the ratio written on the bars; speed-ups beside.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::Side;

const FONT: &str = "sans-serif";
const RUST: RGBColor = RGBColor(222, 98, 37);
const PYTHON: RGBColor = RGBColor(48, 105, 152);

/// One bar pair of the figure and the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub rust: Option<Side>,
    pub python: Option<Side>,
}

impl Row {
    /// Python's wall time over Rust's: how many times faster Rust was.
    pub fn ratio(&self) -> Option<f64> {
        Some(self.python.as_ref()?.wall_s / self.rust.as_ref()?.wall_s)
    }
}

/// The figure as SVG; `title` heads it, `footer` names size and machine.
/// `right` names an `extra` measurement drawn instead of the speed-ups.
pub fn svg(title: &str, rows: &[Row], right: Option<&str>, footer: &str) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(
            &mut out,
            (960, 60 + 44 * rows.len().max(4) as u32 + 97),
        )
        .into_drawing_area();
        // Drawing into a String fails only on a plotters bug.
        let _ = draw(&root, title, rows, right, footer);
    }
    out
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

fn draw(
    root: &Area<'_>,
    title: &str,
    rows: &[Row],
    right: Option<&str>,
    footer: &str,
) -> Drawn {
    root.fill(&WHITE)?;
    let height = root.dim_in_pixel().1;
    let (upper, bottom) = root.split_vertically(height - 42);
    let right_key = right;
    let (left, right) = upper.split_horizontally(600);
    bars(&left, &format!("{title}: wall time"), rows, Metric::Wall)?;
    match right_key {
        Some(key) => bars(&right, key, rows, Metric::Extra(key))?,
        None => bars(&right, "speed-up against seq", rows, Metric::Speedup)?,
    }
    let key: TextStyle = (FONT, 12).into_font().into();
    for (k, (name, colour)) in
        [("Rust", RUST), ("Python", PYTHON)].into_iter().enumerate()
    {
        let x = 12 + 90 * k as i32;
        bottom.draw(&Rectangle::new([(x, 6), (x + 14, 18)], colour.filled()))?;
        bottom.draw_text(name, &key, (x + 20, 6))?;
    }
    // Size and interpreter on the first line, the machine on the second.
    let grey = (FONT, 12).into_font().color(&BLACK.mix(0.7));
    let parts: Vec<&str> = footer.splitn(3, " · ").collect();
    let (first, second) = match parts.as_slice() {
        [a, b, rest] => (format!("{a} · {b}"), rest.to_string()),
        _ => (footer.to_owned(), String::new()),
    };
    bottom.draw_text(&first, &grey, (200, 6))?;
    bottom.draw_text(&second, &grey, (12, 24))?;
    root.present()?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Metric<'a> {
    Wall,
    Speedup,
    Extra(&'a str),
}

fn value(side: Option<&Side>, metric: Metric<'_>) -> Option<f64> {
    let side = side?;
    match metric {
        Metric::Wall => Some(side.wall_s),
        Metric::Speedup => side.speedup,
        Metric::Extra(key) => side.extra.get(key).copied(),
    }
    .filter(|v| v.is_finite() && *v > 0.0)
}

fn bars(area: &Area<'_>, caption: &str, rows: &[Row], metric: Metric<'_>) -> Drawn {
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| {
            [
                value(r.rust.as_ref(), metric),
                value(r.python.as_ref(), metric),
            ]
        })
        .flatten()
        .collect();
    let hi = values.iter().copied().fold(1e-6, f64::max);
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let n = rows.len().max(1);
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(caption, (FONT, 17))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(if metric == Metric::Wall { 130 } else { 10 });
    // The first row at the top: row r sits in segment n - 1 - r.
    let label = |seg: &SegmentValue<usize>| match seg {
        SegmentValue::CenterOf(s) if *s < n => rows
            .get(n - 1 - s)
            .map(|r| r.label.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    // One segment a row, both panels.
    let segments = (0..n - 1).into_segmented();
    match metric {
        Metric::Wall => {
            let lo = (lo / 3.0).min(hi / 10.0);
            let mut chart =
                builder.build_cartesian_2d((lo..hi * 8.0).log_scale(), segments)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(n)
                .y_label_formatter(&label)
                .x_label_formatter(&|v| seconds_tick(*v))
                .x_desc("seconds, log scale (median of rounds)")
                .label_style((FONT, 12))
                .draw()?;
            for (row_index, row) in rows.iter().enumerate() {
                let i = n - 1 - row_index;
                for (k, v, colour) in halves(row, metric) {
                    chart.draw_series([half_bar(lo, v, i, k, colour)])?;
                }
                if let Some(ratio) = row.ratio() {
                    let at = value(row.python.as_ref(), metric).unwrap_or(lo);
                    chart.draw_series([Text::new(
                        format!("{}×", short(ratio)),
                        (at * 1.15, SegmentValue::Exact(i + 1)),
                        (FONT, 13).into_font(),
                    )])?;
                }
            }
        }
        Metric::Speedup | Metric::Extra(_) => {
            let x_desc = match metric {
                Metric::Extra(key) => key.to_owned(),
                _ => "× (seq of the same language = 1)".to_owned(),
            };
            let unit = if matches!(metric, Metric::Speedup) {
                "×"
            } else {
                ""
            };
            let mut chart =
                builder.build_cartesian_2d(0.0..(hi.max(2.0) * 1.2), segments)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(n)
                .y_label_formatter(&|_| String::new())
                .x_desc(x_desc)
                .label_style((FONT, 12))
                .draw()?;
            for (row_index, row) in rows.iter().enumerate() {
                let i = n - 1 - row_index;
                for (k, v, colour) in halves(row, metric) {
                    chart.draw_series([half_bar(0.0, v, i, k, colour)])?;
                    chart.draw_series([Text::new(
                        format!("{}{unit}", short(v)),
                        (v + hi * 0.02, label_at(i, k)),
                        (FONT, 11).into_font(),
                    )])?;
                }
            }
        }
    }
    Ok(())
}

/// A row's halves that have a value: (side `k`, value, colour), Rust's
/// (0) before Python's (1).
fn halves<'r>(
    row: &'r Row,
    metric: Metric<'r>,
) -> impl Iterator<Item = (usize, f64, RGBColor)> + 'r {
    [
        (0, row.rust.as_ref(), RUST),
        (1, row.python.as_ref(), PYTHON),
    ]
    .into_iter()
    .filter_map(move |(k, side, colour)| Some((k, value(side, metric)?, colour)))
}

/// Where a label of row `i`'s half `k` starts (text hangs below it).
fn label_at(i: usize, k: usize) -> SegmentValue<usize> {
    if k == 0 {
        SegmentValue::CenterOf(i)
    } else {
        SegmentValue::Exact(i + 1)
    }
}

/// Row `i`'s half for side `k`: 0 (Rust) the lower, 1 (Python) the upper.
fn half_bar(
    from: f64,
    to: f64,
    i: usize,
    k: usize,
    colour: RGBColor,
) -> Rectangle<(f64, SegmentValue<usize>)> {
    let (low, high) = if k == 0 {
        (SegmentValue::Exact(i), SegmentValue::CenterOf(i))
    } else {
        (SegmentValue::CenterOf(i), SegmentValue::Exact(i + 1))
    };
    let mut bar = Rectangle::new([(from, low), (to, high)], colour.filled());
    if k == 0 {
        bar.set_margin(1, 4, 0, 0);
    } else {
        bar.set_margin(4, 1, 0, 0);
    }
    bar
}

/// A tick of the log-scale seconds axis: `0.001`, `10.0` as Rust prints
/// them; below 0.1 ms one significant digit (`1e-5`, not
/// `9.999999999999999e-6`).
fn seconds_tick(v: f64) -> String {
    if v < 1e-4 {
        format!("{v:.0e}")
    } else {
        format!("{v:?}")
    }
}

/// A ratio as a short number: 55, 1.9, 0.93.
pub fn short(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.0}")
    } else if v >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}
