//! Chapter 8 · Everything side by side: what a record holds — its problem
//! sizes, and whether its work computes or waits.
//!
//! Chapter 4's crossover and chapter 2's fetch repeat `seq` once per size,
//! and each size's speed-ups are against its own `seq`. Splitting at each
//! `seq` run recovers the sizes; the `extra` values fixed within a size and
//! different between sizes name it (`n=30`, `requests=10`).

use workbench::Record;
use workbench::record::Run;

/// A run and its neighbours of the same problem size.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    /// `requests=10`, `n=30`; empty when the record has one size.
    pub label: String,
    pub seq: Option<&'a Run>,
    pub runs: Vec<&'a Run>,
}

/// Split a record's runs into problem sizes: a new size starts at each
/// `seq` run. The label names the `extra` values that tell sizes apart.
pub fn groups(record: &Record) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for run in &record.runs {
        if run.variant == "seq" || groups.is_empty() {
            groups.push(Group {
                label: String::new(),
                seq: None,
                runs: Vec::new(),
            });
        }
        let group = groups.last_mut().expect("pushed above");
        if run.variant == "seq" {
            group.seq = Some(run);
        }
        group.runs.push(run);
    }
    let seqs: Vec<&Run> = groups.iter().filter_map(|g| g.seq).collect();
    // A key names the size when it is fixed within each size and differs
    // between sizes (`requests`, `n`); measured values (`peak_mib`) vary
    // within a size.
    let fixed_within = |k: &String| {
        groups.iter().all(|g| {
            let first = g.runs.first().and_then(|r| r.extra.get(k));
            g.runs.iter().all(|r| r.extra.get(k) == first)
        })
    };
    let keys: Vec<&String> = seqs
        .first()
        .map(|s| s.extra.keys().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|k| {
            seqs.iter()
                .any(|s| s.extra.get(*k) != seqs[0].extra.get(*k))
        })
        .filter(|k| fixed_within(k))
        .collect();
    for group in &mut groups {
        let Some(seq) = group.seq else { continue };
        group.label = keys
            .iter()
            .filter_map(|k| Some(format!("{k}={}", seq.extra.get(*k)?)))
            .collect::<Vec<_>>()
            .join(", ");
    }
    groups
}

/// What kind of work a record measured, read off its `seq` run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// `seq` used a core for (almost) all of its wall time.
    Cpu,
    /// `seq` spent most of its wall time waiting (network, a timer).
    Waiting,
    /// In between.
    Mixed,
    /// No `seq` run, or one too short to judge.
    Unknown,
}

impl Work {
    pub fn name(self) -> &'static str {
        match self {
            Work::Cpu => "CPU",
            Work::Waiting => "waiting",
            Work::Mixed => "mixed",
            Work::Unknown => "–",
        }
    }
}

/// CPU seconds per wall second of a `seq` run tell computing from waiting.
pub fn work_of(seq: &Run) -> Work {
    if seq.wall_s < 1e-3 {
        return Work::Unknown;
    }
    match seq.cpu_s / seq.wall_s {
        r if r >= 0.8 => Work::Cpu,
        r if r <= 0.3 => Work::Waiting,
        _ => Work::Mixed,
    }
}
