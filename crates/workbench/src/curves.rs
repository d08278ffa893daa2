//! Figures of curves: named series of (x, y) points in one or more panels,
//! with linear or logarithmic axes (laws against measurements, time or
//! memory against a request count).

use plotters::coord::combinators::LogCoord;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

mod chart;

use chart::chart;

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
    /// Index into the figure palette; by default the series' position.
    /// Give the same index to the same thing in different panels.
    pub colour: Option<usize>,
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
            colour: None,
        }
    }

    /// The same series drawn in palette colour `index`.
    pub fn coloured(self, index: usize) -> Self {
        Series {
            colour: Some(index),
            ..self
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

#[cfg(test)]
mod tests {
    use super::*;
    use chart::number;

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
