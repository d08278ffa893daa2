//! xtask: the workbook's own tasks — setup, figures, book, notebooks, test.
//!
//! Run as `cargo xtask <COMMAND>` (an alias in `.cargo/config.toml`).

mod book;
mod browser;
mod claims;
mod compare;
mod figures;
mod httpd;
mod i18n;
mod linkcheck;
mod listings;
mod notebooks;
mod paths;
mod process;
mod secrets;
mod setup;
mod suite;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The workbook's tasks. `cargo xtask book` renders the book,
/// `cargo xtask test` runs every check that must pass.
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Install what the workbook needs and is missing: Debian packages
    /// (as root), mdbook, evcxr_jupyter, the Jupyter venv under
    /// target/venv and the Rust kernelspec. Skips what is present.
    Setup,
    /// Regenerate chapters/figures/ by running every chapter crate's
    /// `figures` subcommand.
    Figures(figures::Args),
    /// The book's examples in Python (python/) beside the Rust ones: both
    /// measured in one run at the same sizes, answers checked, one figure
    /// per example into chapters/figures/chNN-python-*.
    Compare(compare::Args),
    /// Render the book to target/book/ (figures and notebooks first),
    /// check its links, and say where to open it.
    Book(book::Args),
    /// Execute notebooks headless with the Rust kernel; executed copies
    /// and Markdown renderings go to target/notebooks/.
    Notebooks(notebooks::Args),
    /// Open the notebooks in JupyterLab (installed into the venv on first
    /// use) with the workbook's Rust kernel.
    Lab,
    /// Everything that must pass: setup, fmt, clippy, tests, every
    /// notebook, the book with link checking, the book in headless Chromium.
    Test(suite::Args),
    /// Check the pages against the committed records in chapters/figures/:
    /// every claim holds, every reference resolves, no measured number is
    /// typed by hand.
    Claims {
        /// Instead, print this page as the staged book renders it against
        /// the committed records.
        #[arg(long, value_name = "PAGE")]
        show: Option<std::path::PathBuf>,
    },
    /// Open every page of the already rendered target/book/ in headless
    /// Chromium and check it as `test` does; screenshots go to
    /// target/screenshots/.
    Browser,
    /// Check every listing of the book: at most 40 lines, from an anchor
    /// that ends, captioned `*Listing N.M — … (`path`).*`.
    Listings,
    /// Check that no type deriving `Debug` holds a field named like a
    /// secret or a URL (password, token, broker, *_url, …) as a string:
    /// such a type writes its `Debug` with `workbench::redact::Redacted`.
    Secrets,
    /// The Chinese edition's catalog (po/): extract the English, merge it
    /// into po/zh-CN.po, check that the translation is complete.
    #[command(subcommand)]
    I18n(i18n::Command),
    /// Check the internal links of an already rendered book.
    #[command(hide = true)]
    Linkcheck {
        /// The rendered book.
        #[arg(default_value = "target/book")]
        dir: std::path::PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // RUSTC_WRAPPER for every build xtask starts, when sccache is there.
    setup::compile_cache::enable();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Printed by hand: no backtrace even when RUST_BACKTRACE is set.
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Setup => setup::ensure(setup::Needs::ALL),
        Command::Figures(args) => figures::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Book(args) => book::run(&args),
        Command::Notebooks(args) => notebooks::run(&args),
        Command::Test(args) => suite::run(&args),
        Command::Claims { show: None } => claims::run(),
        Command::Claims { show: Some(page) } => claims::show(&page),
        Command::Lab => notebooks::lab(),
        Command::Browser => {
            setup::ensure(setup::Needs {
                browser: true,
                ..setup::Needs::NONE
            })?;
            browser::check(&paths::book_dir())
        }
        Command::I18n(command) => i18n::run(&command),
        Command::Listings => listings::check(&paths::root()),
        Command::Secrets => secrets::check(&paths::root()),
        Command::Linkcheck { dir } => {
            let pages = linkcheck::check(&dir)?;
            println!("ok: the links of {pages} pages resolve");
            Ok(())
        }
    }
}
