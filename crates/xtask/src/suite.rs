//! `cargo xtask test`: every check that must pass, in order, timed.
//!
//! Stops at the first failing step and prints a table of step → seconds.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::process::{RunExt, cargo, cmd};
use crate::setup::{self, Needs};
use crate::{
    book, browser, claims, compare, i18n, listings, notebooks, paths, secrets,
};

/// Chapter 6's MPI programs sit behind a cargo feature so that the rest of
/// the workspace builds without MPI; the checks must build them too. So do
/// chapter 5's EC2 console steps (`ch05/ec2`: a very large client crate).
const MPI_FEATURE: &str = "ch06/mpi,ch05/ec2";

/// Whether the `i18n` step fails on an incomplete or stale Chinese catalog
/// (issue 17): a changed English sentence fails `cargo xtask test`, naming
/// the message to translate. Turn it off only while a large translation is
/// being merged; the step then prints the counts and the first messages.
const I18N_STRICT: bool = true;

/// Notebooks executed at once by the `notebooks` step: one. Two were tried
/// on a new machine (`cargo xtask notebooks --jobs 2`, beside a test run):
/// chapter 4's first cell, which compiles the chapter's dependencies for
/// the kernel, then passed the 900 s cell limit. Not measured alone yet.
const NOTEBOOK_JOBS: usize = 1;

/// Options of `cargo xtask test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Skip executing the notebooks (and the runner's self-test).
    #[arg(long)]
    pub skip_notebooks: bool,
    /// Skip opening the rendered book in headless Chromium (every page:
    /// console errors, failed or off-machine requests, math, diagrams,
    /// anchors, search; screenshots to target/screenshots/).
    #[arg(long)]
    pub skip_browser: bool,
}

/// One check: its name, whether it runs, and what it runs.
struct Step<'a> {
    name: &'static str,
    enabled: bool,
    run: Box<dyn Fn() -> Result<()> + 'a>,
}

fn step<'a>(
    name: &'static str,
    enabled: bool,
    run: impl Fn() -> Result<()> + 'a,
) -> Step<'a> {
    Step {
        name,
        enabled,
        run: Box::new(run),
    }
}

/// `cargo <words>`, echoed. Without incremental compilation: its caches
/// only pay off when one edits and rebuilds, and a clean checkout's
/// `clippy` and `test` would write over a gigabyte of them.
fn cargo_with(words: &[&str]) -> Result<()> {
    cmd(cargo(), words).env("CARGO_INCREMENTAL", "0").run()
}

/// Free space, in GiB, on the disk that holds the target dir: printed
/// beside each step, because a full disk fails a build in any step.
fn free_gib() -> Option<f64> {
    let output = std::process::Command::new("df")
        .args(["-Pk"])
        .arg(paths::target_dir())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let kib: f64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib / (1024.0 * 1024.0))
}

/// How a step ended.
#[derive(Debug)]
enum Outcome {
    Passed(Duration, Option<f64>),
    Failed(Duration, Option<f64>),
    Skipped,
    NotRun,
}

/// Run every step; fail at the first failing one.
pub fn run(args: &Args) -> Result<()> {
    let needs = Needs {
        jupyter: !args.skip_notebooks,
        browser: !args.skip_browser,
        ..Needs::ALL
    };
    let notebooks = !args.skip_notebooks;
    let timeout = notebooks::DEFAULT_TIMEOUT_SECS;
    let steps = [
        step("setup", true, || setup::ensure(needs)),
        step("listings", true, || listings::check(&paths::root())),
        // No derived `Debug` prints a password (a broker URL's included).
        step("secrets in Debug", true, || secrets::check(&paths::root())),
        step("fmt", true, || cargo_with(&["fmt", "--all", "--check"])),
        // Every declared dependency is used (cargo-machete reads the sources).
        step("unused dependencies", true, || {
            cargo_with(&["machete", "--skip-target-dir"])
        }),
        // The pages' claims and numbers against the committed records.
        step("claims", true, claims::run),
        // The Chinese catalog: complete and up to date with the English.
        step("i18n", true, || {
            let root = paths::root();
            i18n::check(&root.join("chapters"), &i18n::po_file(&root), I18N_STRICT)
        }),
        // The notebooks' catalog, and notebooks/zh-CN/ what it makes.
        step("i18n notebooks", true, || {
            i18n::notebooks::check(&paths::root(), I18N_STRICT)
        }),
        step("clippy", true, || {
            cargo_with(&[
                "clippy",
                "--locked",
                "--workspace",
                "--all-targets",
                "--features",
                MPI_FEATURE,
                "--",
                "-D",
                "warnings",
            ])
        }),
        step("cargo test", true, || {
            cargo_with(&[
                "test",
                "--locked",
                "--workspace",
                "--features",
                MPI_FEATURE,
            ])
        }),
        // The book's examples in Python answer as the Rust ones do.
        step("python sides", true, || {
            let features: Vec<&str> = MPI_FEATURE.split(',').collect();
            compare::check_answers(&features)
        }),
        step("notebook runner self-test", notebooks, notebooks::self_test),
        step("notebooks", notebooks, || {
            notebooks::run_all(&[], timeout, NOTEBOOK_JOBS)
        }),
        // The book shows the notebooks just executed, without running them
        // again, and the committed figures: re-measuring them here would take
        // longer than every test together and check nothing the tests and
        // the notebooks do not (`cargo xtask book` re-measures them).
        step("book", true, || {
            book::run(&book::Args {
                no_notebooks: !notebooks,
                reuse_notebooks: notebooks,
                no_figures: true,
                strict: true,
                ..book::Args::default()
            })
        }),
        step("browser", !args.skip_browser, || {
            browser::check(&paths::book_dir())
        }),
    ];

    setup::compile_cache::zero_stats();
    let mut outcomes = Vec::new();
    let mut failure = None;
    for Step { name, enabled, run } in &steps {
        let outcome = if failure.is_some() {
            Outcome::NotRun
        } else if !enabled {
            Outcome::Skipped
        } else {
            println!("\n==> {name}");
            let start = Instant::now();
            match run() {
                Ok(()) => Outcome::Passed(start.elapsed(), free_gib()),
                Err(err) => {
                    failure = Some((*name, err));
                    Outcome::Failed(start.elapsed(), free_gib())
                }
            }
        };
        outcomes.push((*name, outcome));
    }
    print_table(&outcomes);
    if let Some(line) = setup::compile_cache::summary() {
        println!("{line}");
    }
    setup::compile_cache::stop();
    if let Some((name, err)) = failure {
        bail!("step `{name}` failed: {err:#}");
    }
    println!("all steps passed");
    Ok(())
}

fn print_table(outcomes: &[(&str, Outcome)]) {
    let width = outcomes
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(4);
    let mut total = Duration::ZERO;
    println!(
        "\n{:<width$}  {:>9}  {:>13}  result",
        "step", "seconds", "disk free GiB"
    );
    for (name, outcome) in outcomes {
        let (secs, free, result) = match outcome {
            Outcome::Passed(t, free) => (Some(*t), *free, "ok"),
            Outcome::Failed(t, free) => (Some(*t), *free, "FAILED"),
            Outcome::Skipped => (None, None, "skipped"),
            Outcome::NotRun => (None, None, "not run"),
        };
        total += secs.unwrap_or_default();
        let secs = secs.map_or("-".into(), |t| format!("{:.1}", t.as_secs_f64()));
        let free = free.map_or("-".into(), |f| format!("{f:.1}"));
        println!("{name:<width$}  {secs:>9}  {free:>13}  {result}");
    }
    println!("{:<width$}  {:>9.1}", "total", total.as_secs_f64());
}
