//! `cargo xtask compare` · The examples measured on both sides: the Rust
//! chapter CLI's arguments, the Python module's, the bars, the answer check.

mod ch01;
mod ch02;
mod ch03;
mod ch04;
mod ch04_celery;
mod ch04_rq;
mod ch06;

use anyhow::{Context, Result};
use serde_json::Value;
use workbench::Record;

use super::{Ctx, Scale};

/// One bar pair: a label, the Rust run and the Python run it shows
/// (variant, workers).
#[derive(Debug, Clone, Copy)]
pub struct Bar {
    pub label: &'static str,
    pub rust: Option<(&'static str, usize)>,
    pub python: Option<(&'static str, usize)>,
}

pub(crate) const fn bar(
    label: &'static str,
    rust: &'static str,
    python: &'static str,
    w: usize,
) -> Bar {
    Bar {
        label,
        rust: Some((rust, w)),
        python: Some((python, w)),
    }
}

/// From the Rust record: the chapter CLI's arguments and its stdin.
pub type Probe = fn(&Record) -> (Vec<String>, String);

/// How the Rust side's record comes about.
#[derive(Debug, Clone, Copy)]
pub enum RustSide {
    /// One call of the chapter CLI with `rust_args` (`--json`, `--svg`,
    /// `--quiet` added) writes the record.
    Record,
    /// Several calls (`calls`, each given `--json PATH --quiet`) whose
    /// records `merge` makes into one.
    Merged {
        calls: fn(&Ctx) -> Vec<Vec<String>>,
        merge: fn(Vec<Record>) -> Result<Record>,
    },
    /// A call with `rust_args` (and, if `flags`, `--json PATH --svg PATH`)
    /// that writes no record of the workbook's kind: `convert` makes one
    /// from the JSON at PATH and the call's stdout. Measuring, it is called
    /// `rounds` times and the round with the median first run is kept.
    Converted {
        flags: bool,
        convert: fn(&std::path::Path, &str) -> Result<Record>,
        rounds: usize,
    },
}

/// One example measured on both sides.
#[derive(Debug, Clone)]
pub struct Pair {
    pub chapter: &'static str,
    /// The chapter CLI's subcommand, and the figure's name.
    pub example: &'static str,
    /// A rate service with this latency (ms) both sides ask, if any.
    pub service_ms: Option<u64>,
    /// Cargo features the chapter CLI needs (`ch06/mpi`).
    pub features: Option<&'static str>,
    /// A `redis-server` both sides use as their broker (`ctx.broker()`).
    pub redis: bool,
    /// Python Celery workers started for the Python side (after the Rust
    /// side is done, so no worker takes the other side's tasks).
    pub celery_workers: usize,
    /// How the Rust record is made (most: [`RustSide::Record`]).
    pub rust: RustSide,
    /// The chapter CLI's arguments (`--json`, `--svg`, `--quiet` added).
    pub rust_args: fn(&Ctx) -> Vec<String>,
    /// `python -m MODULE` from `python/`.
    pub python_module: &'static str,
    /// The module's arguments (`--json` added); `ctx.rust` is set.
    pub python_args: fn(&Ctx) -> Vec<String>,
    /// A further call of the chapter CLI whose stdout is the Rust side's
    /// answer, when its record does not hold it: (arguments, stdin).
    pub probe: Option<Probe>,
    /// Measurements worked out from both records' runs once loaded
    /// (stored in each run's `extra`), if any.
    pub derive: Option<fn(&mut Record)>,
    /// Keys of `size` both records must agree on.
    pub same_size: &'static [&'static str],
    pub bars: Vec<Bar>,
    /// Measurements of the runs' `extra` shown in the table, both sides;
    /// the first one replaces the speed-up panel of the figure.
    pub extras: &'static [&'static str],
    /// The Rust record, the Python answer and the probe's output: the
    /// Python answer must be the one the Rust side computed or verified.
    pub check: fn(&Record, &Value, Option<&str>) -> Result<()>,
}

/// The Python side's `sum` of `tasks` copies of fib(n) against what the
/// Rust record verified (ch03's threads and ch06's ranks compute the same).
pub(crate) fn fib_sum_agrees(
    rust: &Record,
    answer: &Value,
    who: &str,
) -> Result<()> {
    let n = rust.size["n"].as_u64().unwrap_or_default() as u32;
    let tasks = rust.size["tasks"].as_u64().unwrap_or_default();
    let want = workbench::fib::fib_expected(n) * tasks;
    anyhow::ensure!(
        answer["sum"] == want,
        "Python's {who} sum to {}, Rust verified {tasks} × fib({n}) = {want}",
        answer["sum"]
    );
    Ok(())
}

/// The Python side's `quotes` against the first `asked` currency pairs:
/// the Rust side's own check of the quotes it fetched (the service's rate
/// for each pair, in order).
pub(crate) fn quotes_agree(answer: &Value, asked: &Value) -> Result<()> {
    let quotes: Vec<workbench::rates::Quote> =
        serde_json::from_value(answer["quotes"].clone())
            .context("Python's quotes")?;
    let asked = asked.as_u64().unwrap_or_default() as usize;
    workbench::rates::verify(&workbench::rates::pairs(asked), &quotes)
}

pub(crate) fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

/// A command line's words: `text` split at white space. A value that may
/// hold a space (a path) goes in through [`words`] instead.
pub(crate) fn line(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// A bar of a Rust run that has no Python counterpart, or whose two runs
/// have different names: `(variant, workers)` each side.
pub(crate) const fn bar_of(
    label: &'static str,
    rust: (&'static str, usize),
    python: Option<(&'static str, usize)>,
) -> Bar {
    Bar {
        label,
        rust: Some(rust),
        python,
    }
}

impl Pair {
    /// A pair with nothing around it: no service, no broker, no features,
    /// no workers; the Rust side one call writing a record; no probe,
    /// extras or derived measurements. Its arguments, sizes, bars and
    /// check are the declaration's own (the check here fails, so a pair
    /// that declares none cannot pass).
    pub(crate) fn plain(
        chapter: &'static str,
        example: &'static str,
        python_module: &'static str,
    ) -> Pair {
        Pair {
            chapter,
            example,
            service_ms: None,
            features: None,
            redis: false,
            celery_workers: 0,
            rust: RustSide::Record,
            rust_args: |_| Vec::new(),
            python_module,
            python_args: |_| Vec::new(),
            probe: None,
            derive: None,
            same_size: &[],
            bars: Vec::new(),
            extras: &[],
            check: |_, _, _| anyhow::bail!("this pair declares no answer check"),
        }
    }
}

/// Every example with a Python side.
pub fn all() -> Vec<Pair> {
    vec![
        ch01::amdahl(),
        ch02::grep(),
        ch02::mgrep(),
        ch02::fetch(),
        ch03::fib(),
        ch03::currency(),
        ch04::mergesort(),
        ch04::rpc(),
        ch04_celery::celery(),
        ch04_rq::rq(),
        ch06::fib(),
        ch06::pingpong(),
    ]
}

/// `--reps`: the Rust runs are short, so they get more rounds.
pub(crate) fn reps(scale: Scale, rust: bool) -> &'static str {
    match (scale, rust) {
        (Scale::Tiny, _) => "1",
        (Scale::Measure, true) => "15",
        (Scale::Measure, false) => "3",
    }
}
