//! Chapter 8 · The command line: every chapter's records side by side, and
//! the decision guide checked against them.
//!
//! `cargo run -p ch08` reads the book's own records (chapters/figures/);
//! `--dir` points it at a reader's runs (the `--json` files of chapters).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use workbench::chapter_command;
use workbench::variants::listed;
use workbench::{CommonArgs, FiguresArgs};

mod run;

/// The chapter, as `--help` introduces it.
const ABOUT: &str = "\
Chapter 8 · The road ahead: what each model of execution achieved in \
every chapter's measurements, and which rules of thumb they support";

const AFTER_HELP: &str = "\
Without an example, prints the side-by-side table and the guide from the
book's records in chapters/figures/. Nothing is measured: run the other
chapters (or `cargo xtask figures`) to refresh the records.";

#[derive(Debug, Subcommand)]
enum Example {
    /// Every record side by side: per record the best variant, its
    /// speed-up over seq, and what threads, async and dist achieved.
    Side {
        /// Directory of results records (default: the book's).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// The decision guide: each rule, its evidence and the verdict of the
    /// records.
    Guide {
        /// Directory of results records (default: the book's).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// A word count on timely dataflow: seq, timely workers in one process,
    /// timely processes on loopback (the book's pointer to Spark/Storm).
    #[command(mut_arg("variants", listed::<ch08::wordcount::WordcountVariant>))]
    Wordcount {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Write the chapter's table, guide and figure (used by
    /// `cargo xtask figures`, after every other chapter has written its
    /// records).
    Figures {
        #[command(flatten)]
        figures: FiguresArgs,
        /// Where the records are read (default: the output directory).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Measure nothing: keep the word count's record in DIR and only
        /// redraw the table, guide and figure (after another chapter's
        /// records changed).
        #[arg(long)]
        no_measure: bool,
    },
    /// One process of the `dataflow-dist` variant: counts its share and
    /// prints its workers' counts as JSON.
    #[command(hide = true)]
    DataflowWorker {
        /// This process's index among the addresses.
        #[arg(long)]
        process: usize,
        /// Every process's `HOST:PORT`, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        addresses: Vec<String>,
        /// Lines of the corpus (the same seed everywhere).
        #[arg(long)]
        lines: usize,
    },
}

fn main() -> ExitCode {
    workbench::chapter::main(chapter_command!(ABOUT, AFTER_HELP), dispatch)
}

fn dispatch(example: Option<Example>) -> Result<()> {
    match example {
        None => run::overview(None),
        Some(Example::Side { dir }) => run::side(dir),
        Some(Example::Guide { dir }) => run::guide(dir),
        Some(Example::Wordcount { common }) => run::wordcount(&common),
        Some(Example::Figures {
            figures,
            dir,
            no_measure,
        }) => {
            let dir = dir.unwrap_or_else(|| figures.out.clone());
            let size = (!no_measure).then_some(figures.size);
            run::figures(&dir, &figures.out, size)
        }
        Some(Example::DataflowWorker {
            process,
            addresses,
            lines,
        }) => run::dataflow_worker(process, addresses, lines),
    }
}
