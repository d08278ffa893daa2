//! Chapter 8 · Solutions to the chapter's exercises (tested below).

use crate::guide::{Finding, Rule};
use crate::models::Model;
use crate::side::{Comparison, Entry, Work, groups};

// ANCHOR: crossover
/// Exercise 1: where distributing starts to pay. Walk a record's problem
/// sizes in order and return the first whose best `dist` run beats `seq`,
/// with that speed-up and the `seq` time of one task there (when the record
/// says how many tasks it ran).
pub fn crossover(entry: &Entry) -> Option<Crossover> {
    let tasks = entry.record.size.get("tasks").and_then(|t| t.as_u64());
    groups(&entry.record).into_iter().find_map(|group| {
        let dist = entry
            .picks
            .iter()
            .filter(|p| p.model == Model::Dist && p.at == group.label)
            .filter_map(|p| p.speedup)
            .fold(None, |best: Option<f64>, s| {
                Some(best.map_or(s, |b| b.max(s)))
            })?;
        let seq_s = group.seq.filter(|s| s.skipped.is_none())?.wall_s;
        (dist >= 1.0).then(|| Crossover {
            at: group.label.clone(),
            speedup: dist,
            task_ms: tasks.map(|t| 1e3 * seq_s / t.max(1) as f64),
        })
    })
}

/// The first problem size at which `dist` beat `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossover {
    /// The size's label, e.g. `n=30`.
    pub at: String,
    pub speedup: f64,
    /// Sequential milliseconds per task at that size.
    pub task_ms: Option<f64>,
}
// ANCHOR_END: crossover

// ANCHOR: async_saves_cpu
/// Exercise 2: a seventh rule. For waiting work, async tasks cost less CPU
/// than threads doing the same requests: compare the two at the same size
/// and concurrency, the largest the record has.
// ANCHOR: async_saves_cpu_rule
pub const ASYNC_SAVES_CPU: Rule = Rule {
    advice: "For many concurrent requests, async costs less CPU than threads",
    evidence: "waiting records: at the largest concurrency both reached, the async \
               run used no more CPU seconds than the threads run",
    elsewhere: "per-thread stacks and context switches cost the same on any machine",
    judge: async_saves_cpu,
};

fn async_saves_cpu(c: &Comparison) -> Vec<Finding> {
    let findings = c.entries.iter().filter(|e| e.work == Work::Waiting);
    findings
        .filter_map(|e| {
            let (tasks, threads) = e
                .picks
                .iter()
                .filter(|p| p.variant == "async" && p.workers >= 2)
                .filter_map(|p| {
                    let twin = e.picks.iter().find(|q| {
                        q.variant == "threads"
                            && q.workers == p.workers
                            && q.at == p.at
                    })?;
                    Some((p, twin))
                })
                .max_by_key(|(p, _)| p.workers)?;
            Some(Finding {
                record: format!("{} ×{} {}", e.title(), tasks.workers, tasks.at)
                    .trim_end()
                    .into(),
                supports: tasks.cpu_s <= threads.cpu_s,
                detail: format!(
                    "async {:.4} CPU s, threads {:.4} CPU s",
                    tasks.cpu_s, threads.cpu_s
                ),
            })
        })
        .collect()
}
// ANCHOR_END: async_saves_cpu_rule
// ANCHOR_END: async_saves_cpu

// ANCHOR: rank
/// Exercise 3: rank the models by the median efficiency (speed-up per
/// worker) of their best multi-worker run in each record.
pub fn rank_by_efficiency(c: &Comparison) -> Vec<(Model, f64, usize)> {
    let mut ranking: Vec<(Model, f64, usize)> = Model::COMPARED
        .into_iter()
        .filter_map(|model| {
            let mut values: Vec<f64> = c
                .entries
                .iter()
                .filter_map(|e| {
                    let p = e.best_of(model).filter(|p| p.workers >= 2)?;
                    p.efficiency
                })
                .collect();
            values.sort_by(f64::total_cmp);
            let median = *values.get(values.len() / 2)?;
            Some((model, median, values.len()))
        })
        .collect();
    ranking.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranking
}
// ANCHOR_END: rank
