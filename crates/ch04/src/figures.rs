//! Chapter 4 · The figures that are not bar charts: the round-trip
//! percentiles with the PING floor, and the crossover sweep.

use workbench::Record;
use workbench::curves::{Panel, Series, Style, svg};

/// (x, y) of `variant`'s runs: x from `x_of`, y from `y_of`.
fn points(
    record: &Record,
    variant: &str,
    x_of: impl Fn(&workbench::Run) -> Option<f64>,
    y_of: impl Fn(&workbench::Run) -> Option<f64>,
) -> Vec<(f64, f64)> {
    record
        .runs
        .iter()
        .filter(|r| r.variant == variant && r.skipped.is_none())
        .filter_map(|r| Some((x_of(r)?, y_of(r)?)))
        .collect()
}

/// Round-trip time by percentile: a trivial task against a bare PING.
pub fn overhead_svg(record: &Record) -> String {
    let series = ["ping", "echo"].map(|variant| {
        let mut pts = Vec::new();
        for p in crate::overhead::PERCENTILES {
            let run = record.runs.iter().find(|r| r.variant == variant);
            if let Some(ms) = run.and_then(|r| r.extra.get(&format!("p{p}_ms"))) {
                pts.push((f64::from(p), *ms));
            }
        }
        let name = if variant == "ping" {
            "Redis PING (the floor)"
        } else {
            "echo task"
        };
        Series::new(name, pts, Style::LinePoints)
    });
    let mut series = series.to_vec();
    let target: Vec<(f64, f64)> = series[0]
        .points
        .iter()
        .map(|&(p, ms)| (p, 4.0 * ms))
        .collect();
    series.push(Series::new("4 × PING", target, Style::Dashed));
    let panel = Panel {
        title: "round trip through the broker".into(),
        x_label: "percentile".into(),
        y_label: "milliseconds".into(),
        log_y: true,
        series,
        ..Panel::default()
    };
    svg(&[panel], &footer(record))
}

/// Wall time of seq and dist against n, and dist's speed-up (1 = break-even).
pub fn crossover_svg(record: &Record) -> String {
    let n = |r: &workbench::Run| r.extra.get("n").copied();
    let wall = |r: &workbench::Run| Some(r.wall_s * 1e3);
    let speedup = |r: &workbench::Run| r.speedup;
    let times = Panel {
        title: "16 fib(n) tasks: wall time".into(),
        x_label: "n".into(),
        y_label: "milliseconds".into(),
        log_y: true,
        series: vec![
            Series::new(
                "seq (1 thread)",
                points(record, "seq", n, wall),
                Style::LinePoints,
            ),
            Series::new(
                "dist (2 workers)",
                points(record, "dist", n, wall),
                Style::LinePoints,
            ),
        ],
        ..Panel::default()
    };
    let dist = points(record, "dist", n, speedup);
    let even: Vec<(f64, f64)> = dist.iter().map(|&(x, _)| (x, 1.0)).collect();
    let gains = Panel {
        title: "dist speed-up over seq".into(),
        x_label: "n".into(),
        y_label: "speed-up (×)".into(),
        log_y: true,
        series: vec![
            Series::new("dist / seq", dist, Style::LinePoints),
            Series::new("break-even", even, Style::Dashed),
        ],
        ..Panel::default()
    };
    svg(&[times, gains], &footer(record))
}

fn footer(record: &Record) -> String {
    format!("{} · {}", record.size_text(), record.machine.summary())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(variant: &str, n: f64, wall_s: f64, speedup: f64) -> workbench::Run {
        let mut run = workbench::Run {
            variant: variant.into(),
            workers: 1,
            wall_s,
            cpu_s: 0.0,
            speedup: Some(speedup),
            efficiency: None,
            verified: true,
            skipped: None,
            extra: Default::default(),
        };
        run.extra.insert("n".into(), n);
        for p in crate::overhead::PERCENTILES {
            run.extra.insert(format!("p{p}_ms"), wall_s * 1e3);
        }
        run
    }

    #[test]
    fn the_figures_draw_the_floor_and_the_break_even() {
        let mut overhead = Record::new("ch04", "overhead", serde_json::json!({}));
        overhead.runs =
            vec![run("ping", 0.0, 1e-4, 1.0), run("echo", 0.0, 3e-4, 1.0)];
        let svg = overhead_svg(&overhead);
        for needle in ["Redis PING (the floor)", "echo task", "4 × PING"] {
            assert!(svg.contains(needle), "overhead figure lacks {needle}");
        }
        let mut sweep = Record::new("ch04", "crossover", serde_json::json!({}));
        sweep.runs =
            vec![run("seq", 20.0, 0.001, 1.0), run("dist", 20.0, 0.004, 0.25)];
        let svg = crossover_svg(&sweep);
        for needle in ["break-even", "dist (2 workers)", "seq (1 thread)"] {
            assert!(svg.contains(needle), "crossover figure lacks {needle}");
        }
    }
}
