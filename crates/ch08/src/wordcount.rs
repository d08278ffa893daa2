//! Chapter 8 · Dataflow: the word count measured — sequential, timely
//! workers in one process, and timely processes on loopback.

use std::cell::RefCell;
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use workbench::{CommonArgs, Contender, Experiment, Record, Size, Variant};

use crate::dataflow::{Counts, Part, corpus, count_dataflow, count_seq, merge};

workbench::variants! {
    /// The variants of the word count, in the order they are shown.
    pub enum WordcountVariant, names VARIANTS {
        Seq = "seq",
        Dataflow = "dataflow",
        DataflowDist = "dataflow-dist",
    }
}

/// The corpus' seed: every process regenerates the same text from it.
pub const SEED: u64 = 2016;

/// Lines of the corpus for a size: quick 1 million (release build: seq
/// ≈0.42 s of CPU, dataflow on two workers ≈0.55 s, ≈0.27 s each; 100,000
/// lines was 45 ms for seq, too short to time), full five times more.
pub fn lines_for(size: Size) -> usize {
    match size {
        Size::Quick => 1_000_000,
        Size::Full => 5_000_000,
        Size::N(n) => usize::try_from(n).unwrap_or(usize::MAX),
    }
}

// ANCHOR: processes
/// Count with `processes` processes of `program` (its `dataflow-worker`
/// subcommand), one timely worker each, talking over loopback TCP. Returns
/// the counts and the longest time a worker was busy.
pub fn count_processes(
    program: &Path,
    processes: usize,
    lines: usize,
) -> Result<(Counts, f64)> {
    // ANCHOR: spawn_processes
    let addresses = free_addresses(processes)?;
    let mut children: Vec<Child> = (0..processes)
        .map(|process| {
            Command::new(program)
                .args(["dataflow-worker", "--process", &process.to_string()])
                .args([
                    "--addresses",
                    &addresses.join(","),
                    "--lines",
                    &lines.to_string(),
                ])
                .stdout(Stdio::piped())
                .spawn()
                .with_context(|| format!("starting {}", program.display()))
        })
        .collect::<Result<_>>()?;
    // ANCHOR_END: spawn_processes
    let mut parts = Vec::new();
    for child in &mut children {
        let mut out = String::new();
        if let Some(stdout) = child.stdout.as_mut() {
            stdout
                .read_to_string(&mut out)
                .context("reading a worker's counts")?;
        }
        let status = wait_at_most(child, Duration::from_secs(60))?;
        ensure!(status.success(), "a dataflow process failed ({status})");
        // timely prints its connection progress on stdout: the counts are
        // the last line.
        let last = out.lines().last().unwrap_or_default();
        let part: Vec<Part> =
            serde_json::from_str(last).context("a dataflow process's counts")?;
        parts.extend(part);
    }
    let busy_s = parts.iter().map(|p| p.busy_s).fold(0.0, f64::max);
    Ok((merge(parts)?, busy_s))
}
// ANCHOR_END: processes

/// `n` loopback addresses whose ports were free a moment ago.
fn free_addresses(n: usize) -> Result<Vec<String>> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").context("finding a free port"))
        .collect::<Result<_>>()?;
    listeners
        .iter()
        .map(|l| Ok(l.local_addr().context("a port")?.to_string()))
        .collect()
}

fn wait_at_most(
    child: &mut Child,
    limit: Duration,
) -> Result<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().context("waiting for a worker")? {
            return Ok(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            bail!("a dataflow process did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The chapter's own binary: this program in a terminal, built by cargo
/// inside a notebook (where the running executable is the kernel).
pub fn program() -> Result<PathBuf> {
    workbench::bins::chapter_program("ch08", "ch08", None)
}

/// Measure every variant, in rounds; each answer is checked against
/// `count_seq`. `dataflow-dist` runs on two processes or more.
pub fn measure(common: &CommonArgs, program: &Path) -> Result<Record> {
    let variants = common.variants_of::<WordcountVariant>()?;
    let lines = lines_for(common.size);
    let text = &Arc::new(corpus(lines, SEED));
    let expected = count_seq(text);
    let words: u64 = expected.values().sum();
    let size = serde_json::json!({"lines": lines, "words": words});
    let mut exp = Experiment::new("ch08", "wordcount", size, common.measure_opts());
    let check = |got: &Counts| {
        ensure!(
            *got == expected,
            "the counts differ from the sequential count"
        );
        Ok(())
    };
    let workers = common.worker_counts();
    // The seconds the busiest worker process worked, per process count.
    let busy: Vec<(usize, RefCell<Vec<f64>>)> =
        workers.iter().map(|&w| (w, RefCell::default())).collect();
    let mut contenders = Vec::new();
    for variant in variants {
        use WordcountVariant::*;
        let counts: Vec<_> = match variant {
            Seq => vec![(1, None)],
            Dataflow => workers.iter().map(|&w| (w, None)).collect(),
            DataflowDist => busy
                .iter()
                .filter(|(w, _)| *w >= 2)
                .map(|(w, busy)| (*w, Some(busy)))
                .collect(),
        };
        for (w, busy) in counts {
            let run = move || match variant {
                Seq => Ok(count_seq(text)),
                Dataflow => merge(count_dataflow(
                    Arc::clone(text),
                    timely::Config::process(w),
                )?),
                DataflowDist => {
                    let (counts, busy_s) = count_processes(program, w, lines)?;
                    busy.context("a busy list")?.borrow_mut().push(busy_s);
                    Ok(counts)
                }
            };
            contenders.push(Contender::new(variant.name(), w, run, check));
        }
    }
    exp.measure_rounds(contenders)?;
    let reps = usize::from(common.reps.max(1));
    for (w, busy) in &busy {
        let mut timed = busy.take();
        if timed.len() >= reps {
            let mut timed = timed.split_off(timed.len() - reps);
            timed.sort_by(f64::total_cmp);
            exp.note_on("dataflow-dist", *w, "in_workers_s", timed[timed.len() / 2]);
        }
    }
    Ok(exp.finish())
}
