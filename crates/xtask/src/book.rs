//! `cargo xtask book`: figures, mdbook build, link check, and where to open it.

use anyhow::{Context, Result};

use crate::process::{RunExt, cmd};
use crate::setup::{self, MDBOOK, Needs};
use crate::{figures, linkcheck, notebooks, paths};

/// Options of `cargo xtask book`.
#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// After building, serve the book on http://127.0.0.1:3000 and rebuild
    /// it when chapters change (Ctrl-C stops).
    #[arg(long)]
    pub serve: bool,
    /// Keep chapters/figures/ as committed instead of re-measuring.
    #[arg(long)]
    pub no_figures: bool,
    /// Also execute every notebook into target/notebooks/ first (slow: it
    /// compiles each notebook's dependencies with the Rust kernel).
    #[arg(long)]
    pub notebooks: bool,
}

/// Build the book as `args` asks.
pub fn run(args: &Args) -> Result<()> {
    setup::ensure(Needs {
        jupyter: args.notebooks,
        ..Needs::BOOK
    })?;
    if !args.no_figures {
        figures::run(&figures::Args {
            size: figures::Size::Quick,
        })?;
    }
    if args.notebooks {
        notebooks::run_all(&[], notebooks::DEFAULT_TIMEOUT_SECS)?;
    }
    build()?;
    let index = paths::book_dir().join("index.html");
    println!("open {}", index.display());
    if args.serve {
        cmd(
            MDBOOK.path()?,
            ["serve", "--hostname", "127.0.0.1", "--port", "3000"],
        )
        .run()?;
    }
    Ok(())
}

/// `mdbook build` at the root, then check every link of the result.
pub fn build() -> Result<()> {
    let mut build = cmd(MDBOOK.path()?, ["build"]);
    build.arg(paths::root());
    build.run().context("rendering the book")?;
    let book = paths::book_dir();
    let pages = linkcheck::check(&book)?;
    println!(
        "ok: links of {pages} pages in {} resolve",
        paths::show(&book)
    );
    Ok(())
}
