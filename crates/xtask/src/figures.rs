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

/// Run `cargo run --release -p chNN -- figures` for each chapter crate.
pub fn run(args: &Args) -> Result<()> {
    let size = match args.size {
        Size::Quick => "quick",
        Size::Full => "full",
    };
    let chapters = chapter_crates()?;
    if chapters.is_empty() {
        println!("no chapter crates under crates/: no figures to make");
    }
    for chapter in chapters {
        let mut run = cmd(cargo(), ["run", "--release", "--locked", "-p"]);
        run.arg(&chapter).args([
            "--",
            "figures",
            "--out",
            FIGURES_DIR,
            "--size",
            size,
        ]);
        run.run()
            .with_context(|| format!("making the figures of {chapter}"))?;
    }
    crate::compare::figures(&paths::root().join(FIGURES_DIR))
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
