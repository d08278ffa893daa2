//! Chapter 1 · The chapter's own figures: the laws as curves, and the
//! measured speed-ups drawn over them.

use std::fmt::Write;

use workbench::Record;
use workbench::curves::{Panel, Series, Style, svg};
use workbench::notebook::Svg;

use crate::compare::fitted_serial;
use crate::laws::{LawRow, amdahl, gustafson};

/// Worker counts from 1 to `max`, densely at first (for smooth curves).
fn grid(max: f64) -> Vec<f64> {
    let mut xs = vec![1.0];
    while xs[xs.len() - 1] < max {
        let last = xs[xs.len() - 1];
        xs.push((last * 1.1).max(last + 0.25).min(max));
    }
    xs
}

fn curve(name: String, max: f64, law: impl Fn(f64) -> f64, style: Style) -> Series {
    Series::new(
        name,
        grid(max).into_iter().map(|n| (n, law(n))).collect(),
        style,
    )
}

/// The book's example: Amdahl's and Gustafson's speed-ups for a fraction
/// `parallel`, from 1 to 1000 workers (log scales).
pub fn laws_svg(parallel: f64, rows: &[LawRow]) -> String {
    let max = rows.iter().map(|r| r.workers).max().unwrap_or(1000) as f64;
    let book = rows
        .iter()
        .map(|r| (r.workers as f64, r.amdahl_speedup))
        .collect();
    let panel = Panel {
        title: format!("{:.0} % parallel: speed-up by law", parallel * 100.0),
        x_label: "workers".into(),
        y_label: "speed-up (×)".into(),
        log_x: true,
        log_y: true,
        series: vec![
            curve("ideal (n)".into(), max, |n| n, Style::Dashed).coloured(7),
            curve(
                "Gustafson".into(),
                max,
                |n| gustafson(parallel, n),
                Style::Line,
            )
            .coloured(2),
            curve("Amdahl".into(), max, |n| amdahl(parallel, n), Style::Line)
                .coloured(3),
            Series::new("book example", book, Style::Points).coloured(0),
        ],
    };
    svg(&[panel], "computed from the laws, not measured")
}

/// The laws' table as Markdown, for the book's page.
pub fn laws_markdown(t1: f64, parallel: f64, rows: &[LawRow]) -> String {
    let mut out = String::from(
        "| workers | Amdahl speed-up | time (s) | Gustafson scaled speed-up |\n\
         |---:|---:|---:|---:|\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {:.2}× | {:.2} | {:.2}× |",
            r.workers, r.amdahl_speedup, r.amdahl_time_s, r.gustafson_speedup
        );
    }
    let _ = writeln!(
        out,
        "\n<small>T(1) = {t1} s, {:.0} % parallel; computed, not measured.</small>",
        parallel * 100.0
    );
    out
}

// ANCHOR: figure
/// The `amdahl` record over the laws: strong scaling (measured speed-ups,
/// Amdahl for the configured and the fitted serial fraction) and weak
/// scaling (measured scaled speed-ups, Gustafson for the configured one).
pub fn amdahl_svg(record: &Record) -> String {
    let serial = record.size["serial"].as_f64().unwrap_or(0.0);
    let measured_max = record.runs.iter().map(|r| r.workers).max().unwrap_or(1);
    let max = (measured_max.max(2) * 4) as f64;
    let points = |variant: &str| -> Vec<(f64, f64)> {
        let runs = record.runs.iter().filter(|r| r.variant == variant);
        runs.filter_map(|r| Some((r.workers as f64, r.speedup?)))
            .collect()
    };
    let configured = format!("Amdahl, serial {serial}");
    let mut strong = vec![
        curve("ideal".into(), max, |n| n, Style::Dashed).coloured(7),
        curve(configured, max, |n| amdahl(1.0 - serial, n), Style::Line).coloured(2),
    ];
    if let Some(fit) = fitted_serial(record, "threads") {
        let name = format!("Amdahl, fitted {fit:.3}");
        let law = move |n| amdahl(1.0 - fit, n);
        strong.push(curve(name, max, law, Style::Dashed).coloured(5));
    }
    for (colour, variant) in [(0, "threads"), (1, "async"), (4, "dist")] {
        let seen = points(variant);
        if !seen.is_empty() {
            let name = format!("{variant} (measured)");
            strong.push(Series::new(name, seen, Style::Points).coloured(colour));
        }
    }
    let configured = format!("Gustafson, serial {serial}");
    let law = move |n| gustafson(1.0 - serial, n);
    let mut weak = vec![
        curve("ideal".into(), max, |n| n, Style::Dashed).coloured(7),
        curve(configured, max, law, Style::Line).coloured(2),
    ];
    let seen = points("threads-weak");
    if !seen.is_empty() {
        let measured = Series::new("threads (measured)", seen, Style::Points);
        weak.push(measured.coloured(0));
    }
    let panel = |title: &str, series| Panel {
        title: title.into(),
        x_label: "workers".into(),
        y_label: "speed-up (×)".into(),
        series,
        ..Panel::default()
    };
    let footer = format!("{} · {}", record.size_text(), record.machine.summary());
    svg(
        &[
            panel("strong scaling: same job", strong),
            panel("weak scaling: job grows with workers", weak),
        ],
        &footer,
    )
}
// ANCHOR_END: figure

/// The figure for a notebook cell.
pub fn amdahl_figure(record: &Record) -> Svg {
    Svg(amdahl_svg(record))
}

/// The laws' figure for a notebook cell.
pub fn laws_figure(parallel: f64, rows: &[LawRow]) -> Svg {
    Svg(laws_svg(parallel, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::laws::table;

    #[test]
    fn the_laws_figure_and_table_show_the_books_numbers() {
        let rows = table(100.0, 0.99, &[1, 10, 100, 1000]);
        let md = laws_markdown(100.0, 0.99, &rows);
        assert!(md.contains("| 10 | 9.17× | 10.90 |"), "{md}");
        assert!(md.contains("| 1000 | 90.99×"), "{md}");
        let figure = laws_svg(0.99, &rows);
        for needle in ["Amdahl", "Gustafson", "book example"] {
            assert!(figure.contains(needle), "figure lacks {needle}");
        }
    }

    #[test]
    fn the_grid_ends_at_the_maximum() {
        let xs = grid(8.0);
        assert_eq!(xs[0], 1.0);
        assert_eq!(xs[xs.len() - 1], 8.0);
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
    }
}
