//! Chapter 8 · Everything side by side: what each model achieved per record.
//!
//! Records differ. Most have a `seq` run and speed-ups against it; some
//! repeat `seq` once per problem size (chapter 4's crossover, chapter 2's
//! fetch), some have no `seq` at all (a latency probe, a throughput run).
//! The comparison shows what each record holds and leaves the rest empty.

use workbench::Record;
use workbench::record::Run;

use crate::groups::work_of;
pub use crate::groups::{Group, Work, groups};

use crate::load::{Loaded, NotARecord};
use crate::models::{Model, model_of};

/// One run, as the comparison sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub variant: String,
    pub model: Model,
    pub workers: usize,
    pub wall_s: f64,
    pub cpu_s: f64,
    /// Against the `seq` run of the same problem size, when there is one.
    pub speedup: Option<f64>,
    pub efficiency: Option<f64>,
    /// The problem size within the record (`n=30`), when a record measured
    /// several; empty otherwise.
    pub at: String,
}

/// One record, compared.
#[derive(Debug, Clone)]
pub struct Entry {
    pub record: Record,
    pub work: Work,
    /// Wall time of the longest `seq` run that ran.
    pub seq_wall_s: Option<f64>,
    /// Every run that ran, with its speed-up.
    pub picks: Vec<Pick>,
    /// The highest speed-up of any variant (not `seq`, not scaled).
    pub best: Option<Pick>,
    /// Without speed-ups: the run with the shortest wall time.
    pub fastest: Option<Pick>,
    /// Skipped, unverified or uncompared runs, several sizes, no `seq`.
    pub notes: Vec<String>,
}

/// Every record of a directory, compared.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub entries: Vec<Entry>,
    pub others: Vec<NotARecord>,
}

impl Comparison {
    pub fn new(loaded: Loaded) -> Self {
        Comparison {
            entries: loaded.records.into_iter().map(Entry::new).collect(),
            others: loaded.others,
        }
    }

    /// The entry of `chapter`'s `example`, if the directory had it.
    pub fn entry(&self, chapter: &str, example: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.record.chapter == chapter && e.record.example == example)
    }
}

impl Entry {
    pub fn new(record: Record) -> Self {
        let mut picks = Vec::new();
        let mut notes = Vec::new();
        let groups = groups(&record);
        for group in &groups {
            let base = group.seq.filter(|s| s.skipped.is_none() && s.wall_s > 0.0);
            for run in &group.runs {
                if let Some(why) = &run.skipped {
                    notes.push(format!(
                        "{} ×{} skipped: {why}",
                        run.variant, run.workers
                    ));
                    continue;
                }
                if !run.verified {
                    notes.push(format!(
                        "{} ×{} not verified",
                        run.variant, run.workers
                    ));
                }
                picks.push(pick(run, base, &group.label));
            }
        }
        let longest_seq = groups
            .iter()
            .filter_map(|g| g.seq.filter(|s| s.skipped.is_none()))
            .max_by(|a, b| a.wall_s.total_cmp(&b.wall_s));
        let best = best_of(picks.iter().filter(|p| p.model.may_be_best()));
        let fastest = match best {
            Some(_) => None,
            None => picks
                .iter()
                .filter(|p| p.wall_s > 0.0)
                .min_by(|a, b| a.wall_s.total_cmp(&b.wall_s))
                .cloned(),
        };
        if longest_seq.is_none() {
            let keys = record.extra_keys().join(", ");
            notes.push(format!("no seq run, so no speed-ups; it measures: {keys}"));
        }
        if groups.len() > 1 {
            notes.push(format!(
                "{} problem sizes, each with its own seq",
                groups.len()
            ));
        }
        if picks.iter().any(|p| p.model == Model::Scaled) {
            notes.push("weak-scaling runs (scaled speed-up) not compared".into());
        }
        Entry {
            work: longest_seq.map_or(Work::Unknown, work_of),
            seq_wall_s: longest_seq.map(|s| s.wall_s),
            picks,
            best,
            fastest,
            notes,
            record,
        }
    }

    /// `ch03 fib`.
    pub fn title(&self) -> String {
        format!("{} {}", self.record.chapter, self.record.example)
    }

    /// The best run of `model`, by speed-up (none without speed-ups).
    pub fn best_of(&self, model: Model) -> Option<&Pick> {
        self.picks
            .iter()
            .filter(|p| p.model == model && p.speedup.is_some())
            .max_by(|a, b| speedup(a).total_cmp(&speedup(b)))
    }
}

fn speedup(pick: &Pick) -> f64 {
    pick.speedup.unwrap_or(0.0)
}

fn pick(run: &Run, base: Option<&Run>, at: &str) -> Pick {
    let speedup = run.speedup.or_else(|| {
        base.filter(|_| run.wall_s > 0.0)
            .map(|b| b.wall_s / run.wall_s)
    });
    Pick {
        variant: run.variant.clone(),
        model: model_of(&run.variant),
        workers: run.workers,
        wall_s: run.wall_s,
        cpu_s: run.cpu_s,
        speedup,
        efficiency: run
            .efficiency
            .or_else(|| speedup.map(|s| s / run.workers.max(1) as f64)),
        at: at.to_owned(),
    }
}

fn best_of<'a>(picks: impl Iterator<Item = &'a Pick>) -> Option<Pick> {
    picks
        .filter(|p| p.speedup.is_some())
        .max_by(|a, b| speedup(a).total_cmp(&speedup(b)))
        .cloned()
}
