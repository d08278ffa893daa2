//! One panel of a curves figure: axes, the series, the legend.

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;

use super::{Area, Drawn, FONT, Panel, Style};

pub(super) fn chart<X, Y>(area: &Area<'_>, panel: &Panel, x: X, y: Y) -> Drawn
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
        .light_line_style(BLACK.mix(0.03))
        .bold_line_style(BLACK.mix(0.12))
        .draw()?;
    for (i, series) in panel.series.iter().enumerate() {
        let colour = palette(series.colour.unwrap_or(i));
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

/// Ten colours that stay apart on white (the "tab10" set).
fn palette(index: usize) -> RGBColor {
    const COLOURS: [(u8, u8, u8); 10] = [
        (31, 119, 180),
        (255, 127, 14),
        (44, 160, 44),
        (214, 39, 40),
        (148, 103, 189),
        (140, 86, 75),
        (227, 119, 194),
        (127, 127, 127),
        (188, 189, 34),
        (23, 190, 207),
    ];
    let (r, g, b) = COLOURS[index % COLOURS.len()];
    RGBColor(r, g, b)
}

/// Axis numbers without noise: 1000, 2.5, 0.05, 1e-4.
pub(super) fn number(v: f64) -> String {
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
