//! `cargo xtask notebooks`: execute notebooks headless and fail on any error.
//!
//! Each notebook runs alone through `run_notebook.py` (nbclient, Rust kernel);
//! the executed copy and its Markdown rendering go to `target/notebooks/`.

mod selftest;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::paths;
use crate::process::{RunExt, cargo, cmd};
use crate::setup::{self, Needs};

pub use selftest::run as self_test;

/// Per-cell time limit unless `--timeout-secs` says otherwise.
pub const DEFAULT_TIMEOUT_SECS: u64 = 900;

/// Options of `cargo xtask notebooks`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Notebooks to run, by name (`ch03-fib`, `ch03-fib.ipynb`) or by path
    /// (`notebooks/zh-CN/ch03-fib.ipynb`); all of notebooks/*.ipynb when
    /// none is given.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Time limit for one cell, in seconds.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT_SECS)]
    pub timeout_secs: u64,
    /// How many notebooks run at once, each with its own kernel. More than
    /// one makes the timings in their outputs noisy, and a first cell that
    /// compiles the chapter's dependencies (chapter 4's: minutes) slower.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=8))]
    pub jobs: u16,
    /// Instead, check the runner itself: a notebook that panics must fail
    /// and one that prints must pass.
    #[arg(long, conflicts_with = "names")]
    pub self_test: bool,
}

/// Run as `args` asks.
pub fn run(args: &Args) -> Result<()> {
    setup::ensure(Needs::NOTEBOOKS)?;
    if args.self_test {
        return self_test();
    }
    run_all(&args.names, args.timeout_secs, args.jobs.into())
}

/// Build the binaries, then execute the named notebooks (or all), `jobs` at
/// a time; fail after the last if any failed.
pub fn run_all(names: &[String], timeout_secs: u64, jobs: usize) -> Result<()> {
    let failed = run_each(names, timeout_secs, jobs, WarmStart::Fails)?;
    if !failed.is_empty() {
        bail!("notebooks failed: {}", failed.join(", "));
    }
    Ok(())
}

/// As [`run_all`], but a notebook that fails loses its executed copy (its
/// page then shows the cells without outputs) instead of failing the run:
/// returns the names of those that failed.
pub fn run_all_keep_going(
    names: &[String],
    timeout_secs: u64,
) -> Result<Vec<String>> {
    let failed = run_each(names, timeout_secs, 1, WarmStart::Warns)?;
    for name in &failed {
        let copy = paths::notebooks_out().join(format!("{name}.ipynb"));
        std::fs::remove_file(&copy)
            .with_context(|| format!("removing {}", copy.display()))?;
    }
    Ok(failed)
}

/// What a warm start that rebuilt dependencies does to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WarmStart {
    /// The notebook counts as failed (`test`, `notebooks`).
    Fails,
    /// A warning; the notebook's executed copy stays (`book`).
    Warns,
}

fn run_each(
    names: &[String],
    timeout_secs: u64,
    jobs: usize,
    warm: WarmStart,
) -> Result<Vec<String>> {
    let notebooks = select(names)?;
    if notebooks.is_empty() {
        println!("no notebooks under notebooks/: nothing to run");
        return Ok(Vec::new());
    }
    fetch_every_crate()?;
    // Notebooks locate chapter binaries (workers, MPI ranks): build them first.
    cmd(
        cargo(),
        ["build", "--release", "--locked", "--workspace", "--bins"],
    )
    .run()?;
    let out_dir = paths::notebooks_out();
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("creating {}", out_dir.display()))?;
    // Each runner takes the next notebook in order. Their lines interleave,
    // each one headed with its notebook's name.
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, notebooks.len()) {
            scope.spawn(|| {
                while let Some(notebook) =
                    notebooks.get(next.fetch_add(1, Ordering::Relaxed))
                {
                    let name = name(notebook);
                    let start = Instant::now();
                    let result =
                        execute_into(notebook, &out_dir, &name, timeout_secs);
                    let secs = start.elapsed().as_secs_f64();
                    let verdict = if result.is_ok() { "OK" } else { "FAILED" };
                    println!("notebook {name}: {secs:.1} s {verdict}");
                    // Start its kernel again, first cell only: it must
                    // find everything built (the reader's next start).
                    let result = result.and_then(|()| {
                        match (warm_start(notebook, timeout_secs), warm) {
                            (Err(err), WarmStart::Warns) => {
                                eprintln!("warning: {err:#}");
                                Ok(())
                            }
                            (result, _) => result,
                        }
                    });
                    if let Err(err) = result {
                        eprintln!("{err:#}");
                        let mut failed =
                            failed.lock().unwrap_or_else(|e| e.into_inner());
                        failed.push(name);
                    }
                }
            });
        }
    });
    let mut failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
    failed.sort();
    Ok(failed)
}

/// Execute `notebook`, writing its executed copy to `<out_dir>/<name>.ipynb`.
fn execute_into(
    notebook: &Path,
    out_dir: &Path,
    name: &str,
    timeout_secs: u64,
) -> Result<()> {
    let out = out_dir.join(format!("{name}.ipynb"));
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
    }
    execute(notebook, &out, timeout_secs)
}

/// Run the first code cell of `notebook` again, on the build directory its
/// run left: `Err` when it compiled any dependency (see `run_notebook.py
/// --warm-start`). The executed copy goes to `target/notebooks-warm/`, out
/// of the book's way.
fn warm_start(notebook: &Path, timeout_secs: u64) -> Result<()> {
    let out = paths::target_dir()
        .join("notebooks-warm")
        .join(format!("{}.ipynb", name(notebook)));
    runner(notebook, &out, timeout_secs)
        .arg("--warm-start")
        .run()
        .with_context(|| {
            format!("notebook {}: warm start failed", paths::show(notebook))
        })
}

/// Run one notebook through the runner; `Err` when it reports a failure.
pub fn execute(notebook: &Path, out: &Path, timeout_secs: u64) -> Result<()> {
    runner(notebook, out, timeout_secs)
        .run()
        .with_context(|| format!("notebook {} failed", paths::show(notebook)))
}

/// `cargo xtask lab`: JupyterLab on notebooks/ with the workbook's kernel.
pub fn lab() -> Result<()> {
    setup::ensure(Needs::NOTEBOOKS)?;
    setup::jupyter::ensure_lab()?;
    fetch_every_crate()?;
    cmd(paths::venv_bin("python"), ["-m", "jupyter", "lab"])
        .arg(paths::notebooks_src())
        .env("JUPYTER_PATH", paths::jupyter_path())
        .run()
}

/// Have every crate of Cargo.lock on disk, for every platform, before a
/// kernel starts. The notebooks resolve their dependencies offline
/// (`:offline 1`: no index lookups at every kernel start), and resolving
/// them there wants crates that no build on Linux downloads (Windows-only
/// ones): on a new machine every notebook's first cell failed with
/// "failed to download `anstyle-wincon` … --offline was specified".
/// A no-op once they are there.
fn fetch_every_crate() -> Result<()> {
    cmd(cargo(), ["fetch", "--locked"]).run()
}

/// The runner's command line for `notebook`, with the workbook's `rust`
/// kernelspec first on JUPYTER_PATH (ahead of any other `rust` kernel).
pub fn runner(
    notebook: &Path,
    out: &Path,
    timeout_secs: u64,
) -> std::process::Command {
    let mut run = cmd(paths::venv_bin("python"), [paths::run_notebook_py()]);
    run.env("JUPYTER_PATH", paths::jupyter_path())
        // The kernel keeps a build directory per notebook (see setup::jupyter).
        .env("WORKBOOK_NOTEBOOK", stem(notebook))
        // evcxr needs incremental builds (see the kernel wrapper).
        .env_remove("CARGO_INCREMENTAL")
        .arg(notebook)
        .arg(out)
        .args(["--timeout", &timeout_secs.to_string()]);
    run
}

/// The notebooks to run: the named ones, or every notebooks/*.ipynb.
fn select(names: &[String]) -> Result<Vec<PathBuf>> {
    let dir = paths::notebooks_src();
    if names.is_empty() {
        let mut all = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries {
                let path =
                    entry.with_context(|| format!("listing {}", dir.display()))?;
                let path = path.path();
                if path.extension().is_some_and(|ext| ext == "ipynb") {
                    all.push(path);
                }
            }
        }
        all.sort();
        return Ok(all);
    }
    names
        .iter()
        .map(|name| {
            let given = Path::new(name);
            if name.ends_with(".ipynb") && given.is_file() {
                return Ok(std::path::absolute(given)?);
            }
            let stem = stem(given);
            let path = dir.join(format!("{stem}.ipynb"));
            if path.is_file() {
                Ok(path)
            } else {
                bail!("no notebook {} (looked for {})", name, paths::show(&path))
            }
        })
        .collect()
}

/// A notebook's name for its executed copy: its path under notebooks/
/// without `.ipynb` (`ch03-fib`, `zh-CN/ch03-fib`), else its stem.
fn name(notebook: &Path) -> String {
    let src = std::path::absolute(paths::notebooks_src()).unwrap_or_default();
    match notebook.strip_prefix(&src) {
        Ok(rel) => rel.with_extension("").to_string_lossy().into_owned(),
        Err(_) => stem(notebook),
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
