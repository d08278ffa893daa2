//! Chapter 2 · The `fetch` figure: wall time and peak memory against the
//! number of requests, one curve per variant (log scales).

use workbench::Record;
use workbench::curves::{Panel, Series, Style, svg};
use workbench::notebook::Svg;

/// `(requests, value)` points of `variant` for the extra column `key`
/// (or the wall time when `key` is `None`).
fn points(record: &Record, variant: &str, key: Option<&str>) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = record
        .runs
        .iter()
        .filter(|r| r.variant == variant && r.skipped.is_none())
        .filter_map(|r| {
            let x = *r.extra.get("requests")?;
            let y = match key {
                Some(key) => *r.extra.get(key)?,
                None => r.wall_s,
            };
            Some((x, y))
        })
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

// ANCHOR: figure
/// Two panels: wall time (with one latency and the sequential ideal as
/// references) and peak memory of the process doing the requests.
pub fn fetch_svg(record: &Record) -> String {
    let latency = record.size["latency_ms"].as_f64().unwrap_or(50.0) / 1e3;
    let max = record
        .runs
        .iter()
        .filter_map(|r| r.extra.get("requests"))
        .fold(1.0, |a: f64, &b| a.max(b));
    let (mut time, mut memory) = (Vec::new(), Vec::new());
    for (i, variant) in record.variants().into_iter().enumerate() {
        let wall = points(record, variant, None);
        if !wall.is_empty() {
            time.push(Series::new(variant, wall, Style::LinePoints).coloured(i));
        }
        let peak = points(record, variant, Some("peak_mib"));
        if !peak.is_empty() {
            memory.push(Series::new(variant, peak, Style::LinePoints).coloured(i));
        }
    }
    let one = vec![(1.0, latency), (max, latency)];
    time.push(Series::new("one latency", one, Style::Dashed).coloured(7));
    let all = vec![(1.0, latency), (max, max * latency)];
    time.push(Series::new("n × latency", all, Style::Dashed).coloured(8));
    let panel = |title: &str, y: &str, series| Panel {
        title: title.into(),
        x_label: "requests".into(),
        y_label: y.into(),
        log_x: true,
        log_y: true,
        series,
    };
    let footer = format!(
        "latency {:.0} ms · {}",
        latency * 1e3,
        record.machine.summary()
    );
    svg(
        &[
            panel("wall time", "seconds", time),
            panel("peak memory of the client", "MiB (peak RSS)", memory),
        ],
        &footer,
    )
}
// ANCHOR_END: figure

/// The figure for a notebook cell.
pub fn fetch_figure(record: &Record) -> Svg {
    Svg(fetch_svg(record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figure_has_a_curve_per_measured_variant() {
        let mut record =
            Record::new("ch02", "fetch", serde_json::json!({"latency_ms": 50.0}));
        for (variant, requests, wall, peak) in [
            ("async", 1.0, 0.05, 9.0),
            ("async", 1000.0, 0.06, 20.0),
            ("threads", 1000.0, 0.2, 60.0),
        ] {
            let mut run = workbench::Run::new(variant, 1, wall, 0.0);
            run.extra.insert("requests".into(), requests);
            run.extra.insert("peak_mib".into(), peak);
            record.runs.push(run);
        }
        assert_eq!(
            points(&record, "async", Some("peak_mib")),
            [(1.0, 9.0), (1000.0, 20.0)]
        );
        let figure = fetch_svg(&record);
        for needle in [
            "wall time",
            "peak memory",
            "async",
            "threads",
            "one latency",
        ] {
            assert!(figure.contains(needle), "figure lacks {needle}");
        }
    }
}
