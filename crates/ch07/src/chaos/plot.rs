//! Chapter 7 · The chaos run's outputs: its results record, and the figure
//! of tasks sent and finished per second over the run, each fault drawn as
//! a bracket over the stretch it lasted.

use workbench::curves::{Panel, Series, Style, svg as curves_svg};
use workbench::{Record, Run};

use crate::chaos::Report;

/// The report's figure as an SVG document.
pub fn svg(report: &Report) -> String {
    let at = |i: usize| (i as f64 + 0.5) * report.bucket_s;
    let points = |v: &[f64]| -> Vec<(f64, f64)> {
        v.iter().enumerate().map(|(i, y)| (at(i), *y)).collect()
    };
    let top = report
        .finished_per_s
        .iter()
        .chain(&report.sent_per_s)
        .copied()
        .fold(1.0, f64::max);
    let mut series = vec![
        Series::new("sent", points(&report.sent_per_s), Style::Dashed).coloured(7),
        Series::new("finished", points(&report.finished_per_s), Style::Line)
            .coloured(0),
    ];
    for (i, fault) in report.plan.faults.iter().enumerate() {
        let (from, to, high) = (fault.from_s, fault.to_s, top * 1.05);
        let bracket = vec![(from, 0.0), (from, high), (to, high), (to, 0.0)];
        series
            .push(Series::new(fault.label(), bracket, Style::Line).coloured(i + 1));
    }
    let panel = Panel {
        title: format!(
            "{} tasks: {} lost, {} ran twice",
            report.plan.tasks, report.lost, report.duplicates
        ),
        x_label: "seconds since the first task was sent".into(),
        y_label: "tasks per second".into(),
        series,
        ..Panel::default()
    };
    let footer = format!("{} CPUs, {}", report.machine.cpus, report.machine.when);
    curves_svg(&[panel], &footer)
}

impl Report {
    /// The run as the workbook's results record: one `dist` run, verified
    /// when nothing was lost, with the counts as extra columns.
    pub fn record(&self) -> Record {
        let plan = &self.plan;
        let mut record = Record::new("ch07", "chaos", plan.record_size());
        record.machine = self.machine.clone();
        let extra = [
            ("correct", f64::from(self.correct)),
            ("lost", f64::from(self.lost)),
            ("ran twice", f64::from(self.duplicates)),
        ];
        record.runs.push(Run {
            variant: "dist".into(),
            workers: plan.workers,
            wall_s: self.wall_s,
            cpu_s: self.cpu_s,
            speedup: None,
            efficiency: None,
            verified: self.lost == 0,
            skipped: None,
            extra: extra.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        });
        record
    }
}
