//! `cargo xtask figures`: every chapter crate regenerates its figures.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::ValueEnum;

use crate::paths;
use crate::process::{RunExt, cargo, cmd};

/// Where the figures go, relative to the workspace root.
pub const FIGURES_DIR: &str = "chapters/figures";

/// How long the measurements behind the figures run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Size {
    /// Small inputs: a minute or so for the whole book.
    Quick,
    /// The book's sizes: what the published figures show.
    Full,
}

/// Options of `cargo xtask figures`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Measurement size passed to each chapter's `figures` subcommand.
    #[arg(long, value_enum, default_value_t = Size::Quick)]
    pub size: Size,
}

/// Run `cargo run --release -p chNN -- figures` for each chapter crate;
/// stop at the first that fails.
pub fn run(args: &Args) -> Result<()> {
    let failed = run_each(args, false)?;
    debug_assert!(failed.is_empty());
    Ok(())
}

/// As [`run`], but a chapter whose figures fail (an engine missing on this
/// machine) keeps its committed figures and the rest go on: returns each
/// such chapter with why.
pub fn run_keep_going(args: &Args) -> Result<Vec<(String, String)>> {
    run_each(args, true)
}

fn run_each(args: &Args, keep_going: bool) -> Result<Vec<(String, String)>> {
    let mut failed = Vec::new();
    let size = match args.size {
        Size::Quick => "quick",
        Size::Full => "full",
    };
    let chapters = chapter_crates()?;
    if chapters.is_empty() {
        println!("no chapter crates under crates/: no figures to make");
    }
    // One build of every binary, as the notebooks and the tests build them:
    // `cargo run -p chNN` would resolve features for that package alone and
    // compile the shared dependencies again for each chapter.
    cmd(
        cargo(),
        ["build", "--release", "--locked", "--workspace", "--bins"],
    )
    .run()?;
    for chapter in chapters {
        let mut run = cmd(
            paths::target_dir().join("release").join(&chapter),
            ["figures", "--size", size, "--out"],
        );
        run.arg(paths::root().join(FIGURES_DIR))
            .current_dir(paths::root());
        let result = if keep_going {
            // The chapter's own error (its last lines) says what is missing.
            run.output_with_stderr_tail()
        } else {
            run.run()
        };
        match result {
            Ok(()) => {}
            Err(err) if keep_going => {
                let why = format!("{err:#}");
                println!(
                    "warning: the figures of {chapter} could not be made here; \
                     the committed ones stay: {why}"
                );
                failed.push((chapter, why));
            }
            Err(err) => {
                return Err(err.context(format!("making the figures of {chapter}")));
            }
        }
    }
    // The Python sides beside the Rust ones (chapters/figures/chNN-python-*).
    match crate::compare::figures(&paths::root().join(FIGURES_DIR)) {
        Ok(()) => {}
        Err(err) if keep_going => {
            let why = format!("{err:#}");
            println!(
                "warning: the Python comparisons could not be made here: {why}"
            );
            failed.push(("the Python comparisons".to_owned(), why));
        }
        Err(err) => return Err(err.context("making the Python comparisons")),
    }
    Ok(failed)
}

/// Names of `crates/chNN` dirs (two digits), sorted.
pub fn chapter_crates() -> Result<Vec<String>> {
    let crates: PathBuf = paths::root().join("crates");
    let mut names = Vec::new();
    let entries = std::fs::read_dir(&crates)
        .with_context(|| format!("listing {}", crates.display()))?;
    for entry in entries {
        let entry =
            entry.with_context(|| format!("listing {}", crates.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && is_chapter_name(&name) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// `ch` followed by exactly two digits.
fn is_chapter_name(name: &str) -> bool {
    name.strip_prefix("ch").is_some_and(|digits| {
        digits.len() == 2 && digits.chars().all(|c| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::is_chapter_name;

    #[test]
    fn chapter_names_are_ch_and_two_digits() {
        assert!(is_chapter_name("ch03"));
        assert!(is_chapter_name("ch08"));
        assert!(!is_chapter_name("ch3"));
        assert!(!is_chapter_name("ch003"));
        assert!(!is_chapter_name("workbench"));
        assert!(!is_chapter_name("chxx"));
    }
}
