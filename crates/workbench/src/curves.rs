//! Figures of curves: named series of (x, y) points in one or more panels,
//! with linear or logarithmic axes (laws against measurements, time or
//! memory against a request count).

use plotters::coord::combinators::LogCoord;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

const FONT: &str = "sans-serif";

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A line through the points: a law, a prediction.
    Line,
    /// A dashed line.
    Dashed,
    /// Markers only: measurements.
    Points,
    /// Markers joined by a line: measurements along a sweep.
    LinePoints,
}

/// One named curve.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub style: Style,
}

impl Series {
    pub fn new(
        name: impl Into<String>,
        points: Vec<(f64, f64)>,
        style: Style,
    ) -> Self {
        Series {
            name: name.into(),
            points,
            style,
        }
    }
}

/// One chart of a figure.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub log_x: bool,
    pub log_y: bool,
    pub series: Vec<Series>,
}

/// The panels side by side in one SVG, with `footer` (the machine, the
/// size) underneath. Non-positive values are left out of a log axis.
pub fn svg(panels: &[Panel], footer: &str) -> String {
    let mut out = String::new();
    {
        let width = 480 * panels.len().max(1) as u32;
        let root =
            SVGBackend::with_string(&mut out, (width, 420)).into_drawing_area();
        // Drawing into a String fails only on a plotters bug; the figure is
        // then incomplete, which the caller cannot fix either.
        let _ = draw(&root, panels, footer);
    }
    out
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

fn draw(root: &Area<'_>, panels: &[Panel], footer: &str) -> Drawn {
    root.fill(&WHITE)?;
    let (upper, bottom) = root.split_vertically(395);
    let areas = upper.split_evenly((1, panels.len().max(1)));
    for (area, panel) in areas.iter().zip(panels) {
        let (x, y) = (
            bounds(panel, |p| p.0, panel.log_x),
            bounds(panel, |p| p.1, panel.log_y),
        );
        let lin = |(lo, hi): (f64, f64)| RangedCoordf64::from(lo..hi);
        let log = |(lo, hi): (f64, f64)| LogCoord::from((lo..hi).log_scale());
        match (panel.log_x, panel.log_y) {
            (false, false) => chart(area, panel, lin(x), lin(y))?,
            (true, false) => chart(area, panel, log(x), lin(y))?,
            (false, true) => chart(area, panel, lin(x), log(y))?,
            (true, true) => chart(area, panel, log(x), log(y))?,
        }
    }
    bottom.draw_text(
        footer,
        &(FONT, 12).into_font().color(&BLACK.mix(0.7)),
        (12, 6),
    )?;
    root.present()?;
    Ok(())
}

/// The range of one coordinate over every series, padded a little; a log
/// axis keeps positive values only.
fn bounds(
    panel: &Panel,
    pick: impl Fn(&(f64, f64)) -> f64,
    log: bool,
) -> (f64, f64) {
    let values = panel.series.iter().flat_map(|s| s.points.iter().map(&pick));
    let values: Vec<f64> = values
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    match (lo.is_finite(), log) {
        (false, _) => (1.0, 10.0),
        (true, true) => (lo / 1.5, (hi * 1.5).max(lo * 2.0)),
        (true, false) => {
            let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.05).max(1e-9);
            (
                (lo - pad)
                    .min(0.0)
                    .max(if lo >= 0.0 { 0.0 } else { lo - pad }),
                hi + pad,
            )
        }
    }
}

fn chart<X, Y>(area: &Area<'_>, panel: &Panel, x: X, y: Y) -> Drawn
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, (FONT, 17))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(x, y)?;
    chart
        .configure_mesh()
        .x_desc(panel.x_label.as_str())
        .y_desc(panel.y_label.as_str())
        .x_label_formatter(&|v| number(*v))
        .y_label_formatter(&|v| number(*v))
        .label_style((FONT, 12))
        .draw()?;
    for (i, series) in panel.series.iter().enumerate() {
        let colour = Palette99::pick(i);
        let style = colour.stroke_width(2);
        let keep = |&(x, y): &(f64, f64)| {
            x.is_finite()
                && y.is_finite()
                && (!panel.log_x || x > 0.0)
                && (!panel.log_y || y > 0.0)
        };
        let points: Vec<(f64, f64)> =
            series.points.iter().copied().filter(keep).collect();
        let drawn = match series.style {
            Style::Line | Style::LinePoints => {
                chart.draw_series(LineSeries::new(points.clone(), style))?
            }
            Style::Dashed => chart.draw_series(DashedLineSeries::new(
                points.clone(),
                6,
                4,
                style,
            ))?,
            Style::Points => chart.draw_series(
                points.iter().map(|&p| Circle::new(p, 5, style.filled())),
            )?,
        };
        drawn
            .label(series.name.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], style));
        if series.style == Style::LinePoints {
            chart.draw_series(
                points.iter().map(|&p| Circle::new(p, 3, style.filled())),
            )?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font((FONT, 12))
        .draw()?;
    Ok(())
}

/// Axis numbers without noise: 1000, 2.5, 0.05, 1e-4.
fn number(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e6).contains(&a) {
        format!("{v:.0e}")
    } else if v.fract().abs() < 1e-9 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}").trim_end_matches('0').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panels_show_their_series_and_the_footer() {
        let law = Series::new(
            "Amdahl",
            vec![(1.0, 1.0), (2.0, 1.9), (4.0, 3.5)],
            Style::Line,
        );
        let seen =
            Series::new("measured", vec![(1.0, 1.0), (2.0, 1.8)], Style::Points);
        let panels = [
            Panel {
                title: "strong scaling".into(),
                x_label: "workers".into(),
                y_label: "speed-up".into(),
                series: vec![law, seen],
                ..Panel::default()
            },
            Panel {
                title: "memory".into(),
                log_x: true,
                log_y: true,
                series: vec![Series::new(
                    "async",
                    vec![(1.0, 4.0), (1000.0, 9.0)],
                    Style::LinePoints,
                )],
                ..Panel::default()
            },
        ];
        let svg = svg(&panels, "2 CPUs");
        assert!(svg.starts_with("<svg"));
        for needle in [
            "strong scaling",
            "Amdahl",
            "measured",
            "memory",
            "async",
            "2 CPUs",
        ] {
            assert!(svg.contains(needle), "figure lacks {needle}");
        }
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(1000.0), "1000");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(0.05), "0.05");
        assert_eq!(number(0.0), "0");
    }
}
