//! The terminal table of a record.

use std::fmt::Write;

use crate::record::Record;

impl Record {
    /// A fixed-width table: one row per run, then the machine.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {}  ({})",
            self.chapter,
            self.example,
            self.size_text()
        );
        let keys = self.extra_keys();
        let _ = write!(
            out,
            "{:<16} {:>7} {:>9} {:>9} {:>9} {:>10}  verified",
            "variant", "workers", "wall s", "cpu s", "speed-up", "efficiency",
        );
        for key in &keys {
            let _ = write!(out, " {key:>12}");
        }
        out.push('\n');
        for run in &self.runs {
            if let Some(why) = &run.skipped {
                let _ = writeln!(
                    out,
                    "{:<16} {:>7}  skipped: {why}",
                    run.variant, run.workers
                );
                continue;
            }
            let speedup = run.speedup.map_or("-".into(), |s| format!("{s:.2}×"));
            let efficiency = run
                .efficiency
                .map_or("-".into(), |e| format!("{:.0}%", e * 100.0));
            let mut row = format!(
                "{:<16} {:>7} {:>9.3} {:>9.3} {:>9} {:>10}  {:<8}",
                run.variant,
                run.workers,
                run.wall_s,
                run.cpu_s,
                speedup,
                efficiency,
                if run.verified { "yes" } else { "no" }
            );
            for key in &keys {
                let _ = write!(row, " {:>12}", extra_text(run, key));
            }
            let _ = writeln!(out, "{}", row.trim_end());
        }
        let _ = writeln!(out, "machine: {}", self.machine.summary());
        out
    }

    /// The size as `n=34, tasks=8`.
    pub fn size_text(&self) -> String {
        match &self.size {
            serde_json::Value::Object(map) => map
                .iter()
                .map(|(k, v)| match v {
                    serde_json::Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        }
    }

    /// The table as Markdown, for the book's pages.
    pub fn markdown_table(&self) -> String {
        let keys = self.extra_keys();
        let mut out = String::from(
            "| variant | workers | wall (s) | CPU (s) | speed-up | efficiency |",
        );
        for key in &keys {
            let _ = write!(out, " {key} |");
        }
        out.push_str("\n|---|---:|---:|---:|---:|---:|");
        out.push_str(&"---:|".repeat(keys.len()));
        out.push('\n');
        for run in &self.runs {
            if let Some(why) = &run.skipped {
                let _ = write!(
                    out,
                    "| {} | {} | skipped: {why} | | | |",
                    run.variant, run.workers
                );
            } else {
                let _ = write!(
                    out,
                    "| {} | {} | {:.3} | {:.3} | {} | {} |",
                    run.variant,
                    run.workers,
                    run.wall_s,
                    run.cpu_s,
                    run.speedup.map_or("–".into(), |s| format!("{s:.2}×")),
                    run.efficiency
                        .map_or("–".into(), |e| format!("{:.0} %", e * 100.0)),
                );
            }
            for key in &keys {
                let _ = write!(out, " {} |", extra_text(run, key));
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "\n<small>{} {} ({}), measured on {}.</small>",
            self.chapter,
            self.example,
            self.size_text(),
            self.machine.summary()
        );
        out
    }
}

/// A run's `extra` value for `key` as text: whole numbers without
/// decimals, others with three significant-looking places; `–` if absent.
pub(crate) fn extra_text(run: &crate::record::Run, key: &str) -> String {
    match run.extra.get(key) {
        None => "–".into(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e12 => format!("{v:.0}"),
        Some(v) if v.abs() >= 100.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.3}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::record::{Record, Run};

    #[test]
    fn table_has_a_row_per_run_and_the_machine() {
        let mut rec =
            Record::new("ch03", "fib", serde_json::json!({"n": 30, "tasks": 8}));
        rec.runs.push(Run::new("seq", 1, 1.5, 1.5));
        rec.compute_speedups();
        let table = rec.table();
        assert!(table.contains("n=30, tasks=8"), "{table}");
        assert!(table.contains("1.00×"), "{table}");
        assert!(table.contains("machine: "), "{table}");
        assert!(rec.markdown_table().contains("| seq | 1 | 1.500 |"));
    }

    #[test]
    fn extra_measurements_become_columns() {
        let mut rec = Record::new("ch02", "fetch", serde_json::json!({}));
        let mut run = Run::new("async", 1, 0.05, 0.01);
        run.extra.insert("requests".into(), 1000.0);
        run.extra.insert("peak_mib".into(), 12.25);
        rec.runs.push(run);
        let table = rec.table();
        for column in ["peak_mib", "12.250", "1000"] {
            assert!(table.contains(column), "{column}: {table}");
        }
        let md = rec.markdown_table();
        assert!(md.contains("| peak_mib | requests |"), "{md}");
        assert!(md.contains("| 12.250 | 1000 |"), "{md}");
    }
}
