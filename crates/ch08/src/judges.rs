//! Chapter 8 · A decision guide: the judges — how each rule reads the
//! records and what counts as agreeing.

use crate::guide::Finding;
use crate::models::Model;
use crate::side::{Comparison, Entry, Pick, Work, groups};

fn speedup(p: &Pick) -> f64 {
    p.speedup.unwrap_or(0.0)
}

fn best<'a>(picks: impl Iterator<Item = &'a Pick>) -> Option<&'a Pick> {
    picks
        .filter(|p| p.speedup.is_some())
        .max_by(|a, b| speedup(a).total_cmp(&speedup(b)))
}

fn of_work(c: &Comparison, work: Work) -> impl Iterator<Item = &Entry> {
    c.entries.iter().filter(move |e| e.work == work)
}

/// `rayon ×2 reached 1.97×`.
pub fn reached(p: &Pick) -> String {
    format!("{} ×{} reached {:.2}×", p.variant, p.workers, speedup(p))
}

// ANCHOR: threads_for_cpu
pub fn threads_for_cpu(c: &Comparison) -> Vec<Finding> {
    of_work(c, Work::Cpu)
        .filter_map(|e| {
            let cpus = e.record.machine.cpus;
            let p = best(e.picks.iter().filter(|p| {
                p.model == Model::Threads && (2..=cpus).contains(&p.workers)
            }))?;
            let efficiency = speedup(p) / p.workers as f64;
            Some(Finding {
                record: e.title(),
                supports: efficiency >= 0.75,
                detail: format!(
                    "{} ({:.0} % efficiency)",
                    reached(p),
                    100.0 * efficiency
                ),
            })
        })
        .collect()
}
// ANCHOR_END: threads_for_cpu

pub fn async_not_for_cpu(c: &Comparison) -> Vec<Finding> {
    of_work(c, Work::Cpu)
        .filter_map(|e| {
            let tasks = e.best_of(Model::Async)?;
            let threads = e.best_of(Model::Threads)?;
            Some(Finding {
                record: e.title(),
                supports: speedup(tasks) <= speedup(threads) * 1.05,
                detail: format!("{}; {}", reached(tasks), reached(threads)),
            })
        })
        .collect()
}

pub fn async_for_waiting(c: &Comparison) -> Vec<Finding> {
    of_work(c, Work::Waiting)
        .filter_map(|e| {
            let p = e.best_of(Model::Async)?;
            let share = speedup(p) / p.workers.max(1) as f64;
            Some(Finding {
                record: e.title(),
                supports: share >= 0.5,
                detail: format!("{} ({:.0} % of ideal)", reached(p), 100.0 * share),
            })
        })
        .collect()
}

/// The broker round trip in ms: the `echo` run's `p50_ms` in any record.
pub fn round_trip_ms(c: &Comparison) -> Option<f64> {
    c.entries
        .iter()
        .flat_map(|e| &e.record.runs)
        .find(|r| r.variant == "echo" && r.skipped.is_none())
        .and_then(|r| r.extra.get("p50_ms").copied())
}

// ANCHOR: small_tasks
pub fn small_tasks_stay_local(c: &Comparison) -> Vec<Finding> {
    let Some(rtt_ms) = round_trip_ms(c) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for e in &c.entries {
        let Some(tasks) = e.record.size.get("tasks").and_then(|t| t.as_u64()) else {
            continue;
        };
        for group in groups(&e.record) {
            let Some(seq) = group.seq.filter(|s| s.skipped.is_none()) else {
                continue;
            };
            let task_ms = 1e3 * seq.wall_s / tasks.max(1) as f64;
            let dist = e.picks.iter().filter(|p| p.model == Model::Dist);
            let Some(p) = best(dist.filter(|p| p.at == group.label)) else {
                continue;
            };
            if task_ms < rtt_ms {
                findings.push(Finding {
                    record: format!("{} {}", e.title(), group.label)
                        .trim_end()
                        .into(),
                    supports: speedup(p) < 1.0,
                    detail: format!(
                        "a task takes {task_ms:.3} ms < {rtt_ms:.3} ms; {}",
                        reached(p)
                    ),
                });
            }
        }
    }
    findings
}
// ANCHOR_END: small_tasks

/// Runs beyond the cores against runs of the same model within them: a
/// run with more workers than CPUs and nothing to compare it with (a
/// pipeline's stages) is no evidence.
pub fn not_beyond_cores(c: &Comparison) -> Vec<Finding> {
    let mut findings = Vec::new();
    for e in of_work(c, Work::Cpu) {
        let cpus = e.record.machine.cpus;
        for model in [Model::Threads, Model::Dist] {
            let of = |beyond: bool| {
                best(e.picks.iter().filter(move |p| {
                    p.model == model
                        && p.workers >= 2
                        && (p.workers > cpus) == beyond
                }))
            };
            let (Some(over), Some(within)) = (of(true), of(false)) else {
                continue;
            };
            findings.push(Finding {
                record: e.title(),
                supports: speedup(over) <= speedup(within) * 1.1,
                detail: format!(
                    "{}; {} on {cpus} CPUs",
                    reached(over),
                    reached(within)
                ),
            });
        }
    }
    findings
}

pub fn threads_before_processes(c: &Comparison) -> Vec<Finding> {
    c.entries
        .iter()
        .filter_map(|e| {
            let at = |m: Model, w: usize| {
                best(
                    e.picks
                        .iter()
                        .filter(move |p| p.model == m && p.workers == w),
                )
            };
            let workers = e
                .picks
                .iter()
                .map(|p| p.workers)
                .filter(|&w| w >= 2 && at(Model::Threads, w).is_some())
                .filter(|&w| at(Model::Dist, w).is_some())
                .max()?;
            let (threads, dist) =
                (at(Model::Threads, workers)?, at(Model::Dist, workers)?);
            Some(Finding {
                record: e.title(),
                supports: speedup(dist) < speedup(threads),
                detail: format!("{}; {}", reached(threads), reached(dist)),
            })
        })
        .collect()
}
