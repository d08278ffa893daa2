//! `cargo xtask book`: figures, notebooks, the staged book, link check.
//!
//! The book is rendered from a staging copy (see [`stage`]) so that what is
//! generated or fetched — notebook pages, KaTeX's fonts, the mermaid script —
//! joins the committed chapters without being committed.

mod expect;
mod fallback;
mod notebook_pages;
mod outputs;
mod serve;
mod stage;
#[cfg(test)]
mod tests;

use anyhow::{Context, Result};

pub use fallback::Fallback;
pub use stage::Notebooks;

use crate::process::{RunExt, cmd, which};
use crate::setup::{self, MDBOOK, Needs, cargo_bin_dir};
use crate::{claims, figures, i18n, linkcheck, notebooks, paths};

/// Options of `cargo xtask book`.
#[derive(Debug, Default, clap::Args)]
pub struct Args {
    /// After building, serve the book on http://127.0.0.1:3000 and rebuild
    /// it when a file under chapters/ changes (Ctrl-C stops).
    #[arg(long)]
    pub serve: bool,
    /// Keep chapters/figures/ as committed instead of re-measuring.
    #[arg(long)]
    pub no_figures: bool,
    /// Do not execute the notebooks; their pages say so and show the cells
    /// without outputs.
    #[arg(long, conflicts_with = "reuse_notebooks")]
    pub no_notebooks: bool,
    /// Show the executed copies already in target/notebooks/ (those newer
    /// than their notebook) instead of executing the notebooks again.
    #[arg(long)]
    pub reuse_notebooks: bool,
    /// Fail when a figure or notebook cannot be made (what `cargo xtask
    /// test` runs); without it, a chapter whose engine is missing keeps its
    /// committed figures and its page says so.
    #[arg(long)]
    pub strict: bool,
}

/// Build the book as `args` asks. Without `strict`, an engine that cannot
/// be installed here (no root for apt) does not fail the build: the chapters
/// that need it keep their committed figures, and say so.
pub fn run(args: &Args) -> Result<()> {
    let execute = !args.no_notebooks && !args.reuse_notebooks;
    let needs = Needs {
        jupyter: execute,
        services: execute || !args.no_figures,
        ..Needs::BOOK
    };
    let mut fallback = Fallback::default();
    if args.strict {
        setup::ensure(needs)?;
    } else {
        fallback.packages = setup::ensure_or_report(needs)?;
    }
    let figures_args = figures::Args {
        size: figures::Size::Quick,
    };
    if args.strict && !args.no_figures {
        figures::run(&figures_args)?;
    } else if !args.no_figures {
        fallback.figures = figures::run_keep_going(&figures_args)?;
    }
    if execute {
        let timeout = notebooks::DEFAULT_TIMEOUT_SECS;
        fallback.notebooks = notebooks::run_all_keep_going(&[], timeout)?;
    }
    let notebooks = if args.no_notebooks {
        Notebooks::NotExecuted("the book was built with `--no-notebooks`")
    } else {
        Notebooks::Executed
    };
    let built = build_noting(notebooks, &fallback);
    let index = paths::book_dir().join("index.html");
    if args.serve {
        // Serve even a book with broken links: the reader is fixing them.
        if let Err(err) = built {
            eprintln!("the book has problems: {err:#}");
        }
        return serve::serve_and_rebuild(notebooks);
    }
    built?;
    print!("{}", fallback.summary());
    println!("open {}", index.display());
    Ok(())
}

/// Stage the book, `mdbook build` it into target/book/, check its links.
pub fn build(notebooks: Notebooks) -> Result<()> {
    build_noting(notebooks, &Fallback::default())
}

/// As [`build`], with the pages of the chapters in `fallback` saying that
/// their figures are the committed ones. The English book goes to
/// target/book/, then the Chinese one to target/book/zh-CN/ (issue 17).
fn build_noting(notebooks: Notebooks, fallback: &Fallback) -> Result<()> {
    let stage = stage::prepare(notebooks)?;
    let book = paths::book_dir();
    render(&stage, fallback, &book, |_| Ok(()))?;
    let zh = stage::prepare_in(&i18n::zh::stage_dir(), notebooks)?;
    let pages = i18n::zh::translate_stage(&zh)?;
    println!("{} pages through po/{}.po", pages, i18n::LANG);
    i18n::notebooks::write_all(&paths::root())?;
    render(
        &zh,
        fallback,
        &i18n::zh::book_dir(),
        i18n::zh::localize_markup,
    )?;
    let pages = linkcheck::check(&book)?;
    println!(
        "ok: links of {pages} pages in {} (both books) resolve",
        paths::show(&book)
    );
    Ok(())
}

/// Resolve the markup of the staged pages at `stage` (then `localize` the
/// words it wrote), `mdbook build` it into `dest`.
fn render(
    stage: &std::path::Path,
    fallback: &Fallback,
    dest: &std::path::Path,
    localize: impl Fn(&std::path::Path) -> Result<()>,
) -> Result<()> {
    claims::stage(&stage.join("chapters"))?;
    localize(&stage.join("chapters"))?;
    fallback::annotate(&stage.join("chapters"), fallback)?;
    expect::write(stage)?;
    let mut build = cmd(MDBOOK.path()?, ["build", "--dest-dir"]);
    build.arg(dest).arg(stage);
    // mdbook finds its preprocessors (mdbook-katex, mdbook-mermaid) on PATH.
    if let Some(bin) = cargo_bin_dir().filter(|_| which("mdbook-katex").is_none()) {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let dirs = std::iter::once(bin).chain(std::env::split_paths(&path));
        build.env("PATH", std::env::join_paths(dirs)?);
    }
    build.run().context("rendering the book")
}
