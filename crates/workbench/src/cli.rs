//! The flags every chapter CLI shares, and how a run's results are emitted.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Result;
use clap::error::ErrorKind;

use crate::measure::MeasureOpts;
use crate::record::Record;

/// `--variants`, `--workers`, `--size`, `--reps`, `--json`, `--svg`, `--quiet`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CommonArgs {
    /// Variants to run, comma-separated (default: all of the example's).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub variants: Option<Vec<String>>,
    /// Worker counts to try, comma-separated, each at least 1
    /// (default: 1 up to the number of CPUs).
    #[arg(long, value_delimiter = ',', value_name = "N,..", value_parser = parse_workers)]
    pub workers: Option<Vec<usize>>,
    /// Problem size: `quick` (seconds), `full` (the book's size) or a number
    /// that the example interprets (for fib: n).
    #[arg(long, default_value = "quick", value_name = "quick|full|N")]
    pub size: Size,
    /// Timed repetitions per variant; the median is reported.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    pub reps: u16,
    /// Write the results record here (default: target/results/CH-EXAMPLE.json).
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Write the figure here (default: target/results/CH-EXAMPLE.svg).
    #[arg(long, value_name = "PATH")]
    pub svg: Option<PathBuf>,
    /// No progress spinner and no notes on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A problem size as given on the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Size {
    #[default]
    Quick,
    Full,
    N(u64),
}

impl FromStr for Size {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "quick" => Ok(Size::Quick),
            "full" => Ok(Size::Full),
            _ => match s.parse::<u64>() {
                Ok(0) => Err("a size must be at least 1".into()),
                Ok(n) => Ok(Size::N(n)),
                Err(_) => Err(format!("`{s}` is not quick, full or a whole number")),
            },
        }
    }
}

fn parse_workers(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("a worker count must be at least 1".into()),
        Ok(n) if n > 1024 => Err(format!(
            "{n} workers is more than this workbook allows (1024)"
        )),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a whole number of workers")),
    }
}

impl CommonArgs {
    /// The variants to run, checked against the example's own list; an
    /// unknown name is a [`UsageError`].
    pub fn variants_among(&self, allowed: &[&str]) -> Result<Vec<String>> {
        let Some(asked) = &self.variants else {
            return Ok(allowed.iter().map(|v| v.to_string()).collect());
        };
        for name in asked {
            if !allowed.contains(&name.as_str()) {
                return Err(UsageError(format!(
                    "unknown variant `{name}`; this example has: {}",
                    allowed.join(", ")
                ))
                .into());
            }
        }
        Ok(asked.clone())
    }

    /// Worker counts to try: as given, or 1 up to the number of CPUs.
    pub fn worker_counts(&self) -> Vec<usize> {
        match &self.workers {
            Some(list) => list.clone(),
            None => (1..=crate::Machine::describe().cpus.max(1)).collect(),
        }
    }

    pub fn measure_opts(&self) -> MeasureOpts {
        MeasureOpts {
            warmup: 1,
            reps: self.reps.into(),
            progress: !self.quiet,
        }
    }

    /// For CPU-bound examples: warn on stderr when a single-worker run got
    /// much less than a core while it was timed (see
    /// [`Record::starved_runs`]).
    pub fn warn_if_starved(&self, record: &Record) {
        if self.quiet {
            return;
        }
        for run in record.starved_runs() {
            eprintln!(
                "warning: `{}` used {:.0}% of a core while it was timed: other \
                 programs were competing for the CPU, so its times are unreliable",
                run.variant,
                100.0 * run.cpu_s / run.wall_s
            );
        }
    }

    /// On a debug build, say on stderr that times are not representative.
    pub fn note_build_profile(&self) {
        if cfg!(debug_assertions) && !self.quiet {
            eprintln!(
                "note: this is an unoptimised debug build; times are several \
                 times slower than `--release` (ratios still hold)."
            );
        }
    }
}

/// A duration on the command line, in seconds from `lo` to `hi` (for a
/// clap `value_parser`): `1.5` is 1.5 s; text, or a number outside, is an
/// error that names the range.
pub fn seconds_within(s: &str, lo: f64, hi: f64) -> Result<Duration, String> {
    let outside = || format!("`{s}` is not a number of seconds from {lo} to {hi}");
    let secs: f64 = s.trim().parse().map_err(|_| outside())?;
    if !(lo..=hi).contains(&secs) {
        return Err(outside());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A request that cannot be run as asked: the CLI exits with code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The end of a chapter CLI's `main`: a usage error is reported the way
/// clap reports one (exit code 2), any other error as `error: ...` with its
/// causes (exit code 1).
pub fn exit_code(result: Result<()>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => match err.downcast_ref::<UsageError>() {
            Some(usage) => {
                let usage = crate::redact::text(&usage.0);
                let message =
                    format!("{usage}\n\nFor more information, try '--help'.\n");
                let _ = clap::Error::raw(ErrorKind::InvalidValue, message).print();
                std::process::ExitCode::from(2)
            }
            None => {
                // The last guard: no password of a URL reaches the terminal.
                eprintln!("error: {}", crate::redact::text(&format!("{err:#}")));
                std::process::ExitCode::FAILURE
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!("quick".parse(), Ok(Size::Quick));
        assert_eq!("full".parse(), Ok(Size::Full));
        assert_eq!("34".parse(), Ok(Size::N(34)));
        assert!("0".parse::<Size>().is_err());
        assert!("large".parse::<Size>().is_err());
    }

    #[test]
    fn workers_reject_zero_and_words() {
        assert_eq!(parse_workers("4"), Ok(4));
        assert!(parse_workers("0").expect_err("zero").contains("at least 1"));
        assert!(
            parse_workers("abc")
                .expect_err("word")
                .contains("not a whole number")
        );
    }

    #[test]
    fn seconds_keep_to_their_range() {
        let secs = |s| seconds_within(s, 0.5, 3600.0);
        assert_eq!(secs(" 1.5"), Ok(Duration::from_millis(1500)));
        for bad in ["0.1", "3601", "soon", "NaN", "-1"] {
            let err = secs(bad).expect_err(bad);
            assert!(err.contains("seconds from 0.5 to 3600"), "{err}");
        }
    }
}
