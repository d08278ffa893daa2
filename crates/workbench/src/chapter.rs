//! Workbench · The chapter CLI's shared shape: the `figures` subcommand's
//! arguments, `--list` made from the command tree, and where a run's record
//! and figure are written.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::{CommonArgs, Size};
use crate::record::{Record, write_creating_dirs};

/// `figures --out DIR --size quick|full`: every chapter's `figures`
/// subcommand (used by `cargo xtask figures`).
#[derive(Debug, Clone, clap::Args)]
pub struct FiguresArgs {
    /// Output directory.
    #[arg(long, default_value = "chapters/figures")]
    pub out: PathBuf,
    /// quick or full.
    #[arg(long, default_value = "quick")]
    pub size: Size,
}

/// The text of `--list`: every visible subcommand of `command` with the
/// first line of its help, so the list cannot drift from `--help`.
pub fn examples_list(command: &clap::Command) -> String {
    let visible = || command.get_subcommands().filter(|c| !c.is_hide_set());
    let width = visible().map(|c| c.get_name().len()).max().unwrap_or(0);
    let mut list = String::new();
    for example in visible() {
        let about = example
            .get_about()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let line = about.lines().next().unwrap_or_default();
        list.push_str(&format!("{:<width$}  {line}\n", example.get_name()));
    }
    list
}

/// The `clap::Command` of the chapter binary that expands it: the calling
/// crate's name and version, `about` and `after_help`; for [`main`]:
/// `workbench::chapter::main(workbench::chapter_command!(ABOUT, AFTER_HELP), dispatch)`.
#[macro_export]
macro_rules! chapter_command {
    ($about:expr, $after_help:expr $(,)?) => {
        $crate::variants::clap::Command::new(::std::env!("CARGO_PKG_NAME"))
            .version(::std::env!("CARGO_PKG_VERSION"))
            .about($about)
            .after_help($after_help)
    };
}

/// A chapter binary's `main`: `chapter` (its name, version, about and
/// `after_help`, as [`chapter_command!`](crate::chapter_command) makes it)
/// gets the examples `E` as subcommands and `--list`, which prints
/// [`examples_list`]; otherwise `dispatch` runs the example given (`None`:
/// none was, the chapter runs its headline) and its result becomes the exit
/// code ([`crate::cli::exit_code`]: 2 for a usage error).
pub fn main<E: clap::Subcommand>(
    chapter: clap::Command,
    dispatch: impl FnOnce(Option<E>) -> Result<()>,
) -> std::process::ExitCode {
    let list = clap::Arg::new("list")
        .long("list")
        .action(clap::ArgAction::SetTrue)
        .help("List the examples and exit");
    let command = E::augment_subcommands(chapter.arg(list));
    let matches = command.clone().get_matches();
    if matches.get_flag("list") {
        print!("{}", examples_list(&command));
        return std::process::ExitCode::SUCCESS;
    }
    let example = matches
        .subcommand_name()
        .map(|_| E::from_arg_matches(&matches).unwrap_or_else(|err| err.exit()));
    crate::cli::exit_code(dispatch(example))
}

/// Print the table, write the JSON record and `figure` (its SVG) where
/// `json` and `svg` say, else as `target/results/CH-EXAMPLE.{json,svg}`.
pub fn emit_to(
    record: &Record,
    json: Option<&Path>,
    svg: Option<&Path>,
    figure: &str,
) -> Result<()> {
    print!("{}", record.table());
    let (json, svg) = results_paths(record, json, svg);
    record.save_json(&json)?;
    write_creating_dirs(&svg, figure)?;
    println!("record: {}\nfigure: {}", json.display(), svg.display());
    Ok(())
}

/// `json` and `svg`, or their defaults under `target/results/`.
fn results_paths(
    record: &Record,
    json: Option<&Path>,
    svg: Option<&Path>,
) -> (PathBuf, PathBuf) {
    let stem = format!("{}-{}", record.chapter, record.example);
    (
        results_path(json, &stem, "json"),
        results_path(svg, &stem, "svg"),
    )
}

/// Where a run writes a result: `given`, else `target/results/STEM.EXT` —
/// for outputs that are not a [`Record`] (a chapter's own JSON).
pub fn results_path(given: Option<&Path>, stem: &str, ext: &str) -> PathBuf {
    match given {
        Some(path) => path.to_path_buf(),
        None => crate::bins::target_dir()
            .join("results")
            .join(format!("{stem}.{ext}")),
    }
}

impl CommonArgs {
    /// The arguments of a `figures` run: `size`, no progress, `reps` timed
    /// repetitions, the rest as by default.
    pub fn for_figures(size: Size, reps: u16) -> CommonArgs {
        CommonArgs {
            size,
            quiet: true,
            reps,
            ..CommonArgs::default()
        }
    }

    /// Print the table, write the JSON record and workbench's figure of it.
    pub fn emit(&self, record: &Record) -> Result<()> {
        self.emit_with(record, &crate::plot::svg(record))
    }

    /// [`CommonArgs::emit`] with the chapter's own figure.
    pub fn emit_with(&self, record: &Record, figure: &str) -> Result<()> {
        emit_to(record, self.json.as_deref(), self.svg.as_deref(), figure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser, Subcommand};

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        example: Example,
    }

    #[derive(Subcommand)]
    enum Example {
        /// The headline comparison.
        ///
        /// More words, only in `--help`.
        Fib,
        /// Regenerate the figures.
        Figures(FiguresArgs),
        #[command(hide = true)]
        Worker,
    }

    #[test]
    fn a_result_goes_where_asked_else_under_target_results() {
        let asked = Path::new("out/ping.json");
        assert_eq!(results_path(Some(asked), "ch06-pingpong", "json"), asked);
        let default = results_path(None, "ch06-pingpong", "svg");
        assert!(
            default.ends_with("results/ch06-pingpong.svg"),
            "{default:?}"
        );
        assert!(default.starts_with(crate::bins::target_dir()));
    }

    #[test]
    fn the_chapter_command_is_named_and_versioned_by_its_crate() {
        let command = crate::chapter_command!("About.", "After.");
        assert_eq!(command.get_name(), "workbench");
        assert_eq!(command.get_version(), Some(env!("CARGO_PKG_VERSION")));
        assert_eq!(
            command.get_about().map(|a| a.to_string()).as_deref(),
            Some("About.")
        );
    }

    #[test]
    fn the_list_names_visible_examples_with_their_help() {
        let list = examples_list(&Cli::command());
        assert_eq!(
            list,
            "fib      The headline comparison\n\
             figures  Regenerate the figures\n"
        );
    }
}
