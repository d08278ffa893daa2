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
        let _ = writeln!(
            out,
            "{:<16} {:>7} {:>9} {:>9} {:>9} {:>10}  verified",
            "variant", "workers", "wall s", "cpu s", "speed-up", "efficiency",
        );
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
            let _ = writeln!(
                out,
                "{:<16} {:>7} {:>9.3} {:>9.3} {:>9} {:>10}  {}",
                run.variant,
                run.workers,
                run.wall_s,
                run.cpu_s,
                speedup,
                efficiency,
                if run.verified { "yes" } else { "no" }
            );
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
        let mut out = String::from(
            "| variant | workers | wall (s) | CPU (s) | speed-up | efficiency |\n\
             |---|---:|---:|---:|---:|---:|\n",
        );
        for run in &self.runs {
            if let Some(why) = &run.skipped {
                let _ = writeln!(
                    out,
                    "| {} | {} | skipped: {why} | | | |",
                    run.variant, run.workers
                );
                continue;
            }
            let _ = writeln!(
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

#[cfg(test)]
mod tests {
    use crate::record::{Record, Run};

    #[test]
    fn table_has_a_row_per_run_and_the_machine() {
        let mut rec =
            Record::new("ch03", "fib", serde_json::json!({"n": 30, "tasks": 8}));
        rec.runs.push(Run {
            variant: "seq".into(),
            workers: 1,
            wall_s: 1.5,
            cpu_s: 1.5,
            speedup: None,
            efficiency: None,
            verified: true,
            skipped: None,
        });
        rec.compute_speedups();
        let table = rec.table();
        assert!(table.contains("n=30, tasks=8"), "{table}");
        assert!(table.contains("1.00×"), "{table}");
        assert!(table.contains("machine: "), "{table}");
        assert!(rec.markdown_table().contains("| seq | 1 | 1.500 |"));
    }
}
