//! Chapter 7 · Log everything — at what cost? The same small tasks run
//! seq, threads, async and dist with instrumentation off, with tracing on
//! (spans and events formatted, the text thrown away) and with JSON lines
//! written to a file.
//!
//! Each task opens a `task` span and logs two events, as the workers of
//! this chapter do. The task itself is small (fib(n) for a small n), so
//! what the logging costs shows against it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use anyhow::{Context, Result, ensure};
use tracing::instrument::WithSubscriber;
use tracing::{Dispatch, info, info_span};
use workbench::cli::UsageError;
use workbench::{Contender, Experiment, MeasureOpts, Record, Size};

/// The instrumentation levels, cheapest first.
pub const LEVELS: [&str; 3] = ["off", "tracing", "json"];
workbench::variants! {
    /// The ways to run the tasks.
    pub enum ObserveVariant, names VARIANTS {
        Seq = "seq",
        Threads = "threads",
        Async = "async",
        Dist = "dist",
    }
}

// ANCHOR: dispatch
/// The subscriber of a level: none, text formatted into a sink, or one
/// JSON object per line appended to `log`.
pub fn dispatch(level: &str, log: &Path) -> Result<Dispatch> {
    Ok(match level {
        "off" => Dispatch::none(),
        "tracing" => Dispatch::new(
            tracing_subscriber::fmt()
                .with_writer(std::io::sink)
                .finish(),
        ),
        "json" => {
            let file = File::options()
                .create(true)
                .append(true)
                .open(log)
                .with_context(|| format!("opening {}", log.display()))?;
            Dispatch::new(
                tracing_subscriber::fmt()
                    .json()
                    .with_writer(Mutex::new(file))
                    .finish(),
            )
        }
        other => {
            return Err(UsageError(format!("no instrumentation `{other}`")).into());
        }
    })
}

/// One task: a span, two events, fib(n).
pub fn task(index: u64, n: u32) -> u64 {
    let _span = info_span!("task", index, n).entered();
    info!("task received");
    let answer = workbench::fib::fib(n);
    info!(answer, "task computed");
    answer
}
// ANCHOR_END: dispatch

/// Tasks `range` one after another under `dispatch`; their sum.
pub fn seq(range: std::ops::Range<u64>, n: u32, dispatch: &Dispatch) -> u64 {
    tracing::dispatcher::with_default(dispatch, || range.map(|i| task(i, n)).sum())
}

/// `tasks` split over two threads, each with the same subscriber.
pub fn threads(tasks: u64, n: u32, dispatch: &Dispatch) -> u64 {
    let half = tasks / 2;
    std::thread::scope(|s| {
        let first = s.spawn(|| seq(0..half, n, dispatch));
        let second = seq(half..tasks, n, dispatch);
        first.join().unwrap_or(0) + second
    })
}

/// One tokio task per task on a two-thread runtime.
pub fn run_async(tasks: u64, n: u32, dispatch: &Dispatch) -> Result<u64> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .context("starting a runtime")?;
    runtime.block_on(async {
        let handles: Vec<_> = (0..tasks)
            .map(|i| {
                let work = async move { task(i, n) };
                tokio::spawn(work.with_subscriber(dispatch.clone()))
            })
            .collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await.context("a task panicked")?;
        }
        Ok(sum)
    })
}

/// Two worker processes of `exe` (`observe-worker`), half the tasks each,
/// each with its own log file beside `log`.
pub fn dist(exe: &Path, tasks: u64, n: u32, level: &str, log: &Path) -> Result<u64> {
    let half = tasks / 2;
    let children = [(0, half), (half, tasks)].map(|(from, to)| {
        Command::new(exe)
            .args(["observe-worker", "--level", level])
            .args(["--from", &from.to_string(), "--to", &to.to_string()])
            .args(["--n", &n.to_string()])
            .arg("--log")
            .arg(log.with_extension(format!("{from}.jsonl")))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", exe.display()))
    });
    let mut sum = 0;
    for child in children {
        let output = child?.wait_with_output().context("a worker process")?;
        ensure!(
            output.status.success(),
            "a worker failed: {}",
            output.status
        );
        let text = String::from_utf8_lossy(&output.stdout);
        sum += text.trim().parse::<u64>().context("a worker's sum")?;
    }
    Ok(sum)
}

/// The worker process of `dist`: tasks `from..to` under `level`, the sum
/// printed on stdout.
pub fn worker(level: &str, from: u64, to: u64, n: u32, log: &Path) -> Result<()> {
    let dispatch = dispatch(level, log)?;
    println!("{}", seq(from..to, n, &dispatch));
    Ok(())
}

/// Empty the log files of `log` (its own and the dist workers'), so the
/// disk holds one run's lines at a time.
pub fn empty(log: &Path) -> Result<()> {
    let Some(dir) = log.parent() else {
        return Ok(());
    };
    let stem = log.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(stem) {
            File::options().write(true).open(entry.path())?.set_len(0)?;
        }
    }
    Ok(())
}

/// How many tasks each timed run makes.
pub fn tasks_for(size: Size) -> u64 {
    match size {
        Size::Quick => 20_000,
        Size::Full => 200_000,
        Size::N(n) => n.max(2),
    }
}

/// The fib(n) of every task: tens of microseconds of work.
pub const N: u32 = 15;

/// Measure `variants` × [`LEVELS`] in rounds; `exe` runs the dist workers.
pub fn compare(
    exe: &Path,
    tasks: u64,
    variants: &[String],
    opts: MeasureOpts,
) -> Result<Record> {
    let dir = workbench::bins::target_subdir("ch07-observe")?;
    let size = serde_json::json!({ "tasks": tasks, "n": N });
    let mut exp = Experiment::new("ch07", "observability-cost", size, opts);
    let expected = tasks * workbench::fib::fib_expected(N);
    let check = move |sum: &u64| -> Result<()> {
        ensure!(*sum == expected, "summed {sum}, expected {expected}");
        Ok(())
    };
    let mut contenders = Vec::new();
    for name in variants {
        let variant: ObserveVariant = name.parse().map_err(UsageError)?;
        let workers = if variant == ObserveVariant::Seq { 1 } else { 2 };
        for level in LEVELS {
            let log: PathBuf = dir.join(format!("{variant}-{level}.jsonl"));
            let dispatch = dispatch(level, &log)?;
            let name = if level == "off" {
                variant.to_string()
            } else {
                format!("{variant}+{level}")
            };
            let exe = exe.to_owned();
            let run = move || -> Result<u64> {
                empty(&log)?; // each run writes its own lines, no more
                match variant {
                    ObserveVariant::Seq => Ok(seq(0..tasks, N, &dispatch)),
                    ObserveVariant::Threads => Ok(threads(tasks, N, &dispatch)),
                    ObserveVariant::Async => run_async(tasks, N, &dispatch),
                    ObserveVariant::Dist => dist(&exe, tasks, N, level, &log),
                }
            };
            contenders.push(Contender::new(&name, workers, run, check));
        }
    }
    exp.measure_rounds(contenders)?;
    let mut record = exp.finish();
    let plain: Vec<(String, f64)> = record
        .runs
        .iter()
        .map(|r| (r.variant.clone(), r.wall_s))
        .collect();
    for run in &mut record.runs {
        let us = run.wall_s * 1e6 / tasks as f64;
        run.extra.insert("µs per task".into(), us);
        let base = run.variant.split('+').next().unwrap_or_default();
        if let Some((_, wall)) = plain.iter().find(|(v, _)| v == base) {
            run.extra
                .insert("× uninstrumented".into(), run.wall_s / wall);
        }
    }

    Ok(record)
}
