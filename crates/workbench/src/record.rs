//! The results record: one JSON document per measured run of an example.
//!
//! Tables, figures, notebooks and the chapter 8 comparison read only this.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::machine::Machine;

/// Everything measured in one run of one example.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    /// `"ch03"`.
    pub chapter: String,
    /// The example (CLI subcommand), e.g. `"fib"`.
    pub example: String,
    /// Which side of a side-by-side measured it: `"rust"` (every chapter
    /// crate) or `"python"` (the book's examples under `python/`).
    #[serde(default = "rust")]
    pub language: String,
    /// The problem size, free-form per example, e.g. `{"n": 34, "tasks": 8}`.
    pub size: serde_json::Value,
    /// The machine the numbers were measured on.
    pub machine: Machine,
    /// One entry per (variant, workers) pair, in the order they ran.
    pub runs: Vec<Run>,
}

/// One variant at one worker count.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Run {
    pub variant: String,
    pub workers: usize,
    /// Median wall-clock seconds over the timed repetitions.
    pub wall_s: f64,
    /// CPU seconds (user + system, this process and its waited-for
    /// children) of the median repetition.
    pub cpu_s: f64,
    /// `seq` wall time divided by this wall time, when the record has `seq`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speedup: Option<f64>,
    /// Speed-up divided by workers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub efficiency: Option<f64>,
    /// The answer was checked against the expected one before timing.
    pub verified: bool,
    /// Present when the variant could not run (a missing engine): why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Further measurements of this run, by name (e.g. `requests`,
    /// `peak_mib`); shown as extra columns. Empty for most examples.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, f64>,
}

impl Run {
    /// A verified run of `variant` on `workers` (no speed-up, no extras):
    /// for records built from another program's output.
    pub fn new(
        variant: impl Into<String>,
        workers: usize,
        wall_s: f64,
        cpu_s: f64,
    ) -> Run {
        Run {
            variant: variant.into(),
            workers,
            wall_s,
            cpu_s,
            speedup: None,
            efficiency: None,
            verified: true,
            skipped: None,
            extra: BTreeMap::new(),
        }
    }
}

/// The language of a record that does not name one.
fn rust() -> String {
    "rust".to_owned()
}

impl Record {
    pub fn new(chapter: &str, example: &str, size: serde_json::Value) -> Self {
        Record {
            chapter: chapter.to_owned(),
            example: example.to_owned(),
            language: rust(),
            size,
            machine: Machine::describe(),
            runs: Vec::new(),
        }
    }

    /// The sequential baseline, if the record has one that ran.
    pub fn baseline(&self) -> Option<&Run> {
        self.runs
            .iter()
            .find(|r| r.variant == "seq" && r.skipped.is_none())
    }

    /// Fill in `speedup` and `efficiency` of every run against `seq`.
    pub fn compute_speedups(&mut self) {
        let Some(base) = self.baseline().map(|r| r.wall_s) else {
            return;
        };
        for run in self.runs.iter_mut().filter(|r| r.skipped.is_none()) {
            let speedup = base / run.wall_s;
            run.speedup = Some(speedup);
            run.efficiency = Some(speedup / run.workers.max(1) as f64);
        }
    }

    /// Single-worker runs that got much less CPU than wall time. For
    /// CPU-bound work this means the machine was busy with other programs
    /// while they were timed (for I/O-bound work it is normal).
    pub fn starved_runs(&self) -> Vec<&Run> {
        self.runs
            .iter()
            .filter(|r| r.skipped.is_none() && r.workers == 1 && r.wall_s > 0.01)
            .filter(|r| r.cpu_s / r.wall_s < 0.75)
            .collect()
    }

    /// The run of `variant` with `workers`, if present.
    pub fn run(&self, variant: &str, workers: usize) -> Option<&Run> {
        self.runs
            .iter()
            .find(|r| r.variant == variant && r.workers == workers)
    }

    /// Variant names in first-run order, without repeats.
    pub fn variants(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for run in &self.runs {
            if !seen.contains(&run.variant.as_str()) {
                seen.push(&run.variant);
            }
        }
        seen
    }

    /// The names of the runs' `extra` measurements, sorted, without repeats.
    pub fn extra_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .runs
            .iter()
            .flat_map(|r| r.extra.keys().map(String::as_str))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a record always serializes")
    }

    pub fn save_json(&self, path: &Path) -> Result<()> {
        write_creating_dirs(path, &self.to_json())
    }

    pub fn load_json(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the record {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a results record", path.display()))
    }
}

impl Record {
    /// Write the book's three files for this record into `out`:
    /// `CH-EXAMPLE.json` (the record), `.svg` (`svg`, its figure) and `.md`
    /// (its table); print and return the figure's path.
    pub fn write_figure(&self, out: &Path, svg: &str) -> Result<std::path::PathBuf> {
        let stem = out.join(format!("{}-{}", self.chapter, self.example));
        self.save_json(&stem.with_extension("json"))?;
        write_creating_dirs(&stem.with_extension("svg"), svg)?;
        write_creating_dirs(&stem.with_extension("md"), &self.markdown_table())?;
        let figure = stem.with_extension("svg");
        println!("{}", figure.display());
        Ok(figure)
    }
}

/// Write a file, creating its parent directories.
pub fn write_creating_dirs(path: &Path, contents: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, contents)
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(variant: &str, workers: usize, wall_s: f64) -> Run {
        Run {
            variant: variant.into(),
            workers,
            wall_s,
            cpu_s: wall_s,
            speedup: None,
            efficiency: None,
            verified: true,
            skipped: None,
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn speedup_is_against_seq() {
        let mut rec = Record::new("ch00", "demo", serde_json::json!({"n": 1}));
        rec.runs = vec![run("seq", 1, 2.0), run("threads", 2, 1.0)];
        rec.compute_speedups();
        let threads = rec.run("threads", 2).expect("threads run");
        assert_eq!(threads.speedup, Some(2.0));
        assert_eq!(threads.efficiency, Some(1.0));
    }

    #[test]
    fn starved_runs_are_single_worker_runs_short_of_cpu() {
        let mut rec = Record::new("ch00", "demo", serde_json::json!({}));
        rec.runs = vec![run("seq", 1, 2.0), run("threads", 2, 1.0)];
        assert!(rec.starved_runs().is_empty());
        rec.runs[0].cpu_s = 1.0; // half a core
        rec.runs[1].cpu_s = 0.1; // many workers: not judged
        let starved: Vec<_> =
            rec.starved_runs().iter().map(|r| &r.variant).collect();
        assert_eq!(starved, ["seq"]);
    }

    #[test]
    fn json_round_trip_keeps_every_field() {
        let mut rec = Record::new("ch00", "demo", serde_json::json!({"n": 1}));
        rec.runs = vec![run("seq", 1, 2.0)];
        rec.runs.push(Run {
            skipped: Some("no redis-server".into()),
            ..run("dist", 2, 0.0)
        });
        rec.compute_speedups();
        let back: Record = serde_json::from_str(&rec.to_json()).expect("parses");
        assert_eq!(back, rec);
        assert!(rec.to_json().contains("\"skipped\": \"no redis-server\""));
    }

    #[test]
    fn a_record_without_a_language_is_rust() {
        let rec = Record::new("ch00", "demo", serde_json::json!({}));
        assert_eq!(rec.language, "rust");
        let mut value: serde_json::Value =
            serde_json::from_str(&rec.to_json()).expect("parses");
        assert_eq!(value["language"], "rust");
        value.as_object_mut().expect("an object").remove("language");
        let old: Record = serde_json::from_value(value.clone()).expect("old");
        assert_eq!(old.language, "rust");
        value["language"] = "python".into();
        let python: Record = serde_json::from_value(value).expect("python");
        assert_eq!(python.language, "python");
    }
}
