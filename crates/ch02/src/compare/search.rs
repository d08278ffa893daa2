//! Chapter 2 · The grep comparisons: the pipeline and its fan-out on every
//! variant, with GNU grep itself beside them.

use std::path::Path;

use anyhow::{Context, Result};
use workbench::{CommonArgs, Experiment, Record, cli::UsageError};

use crate::grep::{grep_async, grep_seq, grep_threads};
use crate::mgrep::{mgrep_async, mgrep_seq, mgrep_threads};
use crate::{GREP_VARIANTS, MGREP_VARIANTS};

/// The corpus to search: `file`, or the generated one.
pub fn corpus_or(file: Option<&Path>) -> Result<std::path::PathBuf> {
    match file {
        Some(path) if !path.is_file() => Err(UsageError(format!(
            "no such corpus file: {}",
            path.display()
        ))
        .into()),
        Some(path) => Ok(path.to_path_buf()),
        None => crate::corpus::ensure(),
    }
}

// ANCHOR: grep
/// The pipeline on every variant, and `grep -c` itself for comparison.
pub fn grep(
    common: &CommonArgs,
    path: &Path,
    pattern: &str,
    ignore_case: bool,
) -> Result<Record> {
    let variants = common.variants_among(&GREP_VARIANTS)?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let size = serde_json::json!({ "file": shown(path), "bytes": bytes, "pattern": pattern });
    let mut exp = Experiment::new("ch02", "grep", size, common.measure_opts());
    let expected = grep_seq(path, pattern, ignore_case)?;
    let check = |&count: &usize| {
        anyhow::ensure!(count == expected, "counted {count}, expected {expected}");
        Ok(())
    };
    for variant in &variants {
        match variant.as_str() {
            "seq" => {
                exp.measure("seq", 1, || grep_seq(path, pattern, ignore_case), check)
            }
            "threads" => exp.measure(
                "threads",
                3,
                || grep_threads(path, pattern, ignore_case),
                check,
            ),
            "async" => exp.measure(
                "async",
                1,
                || grep_async(path, pattern, ignore_case),
                check,
            ),
            _ => {
                exp.measure("grep", 1, || grep_c(path, pattern, ignore_case), check)
            }
        }?;
        exp.note("count", expected as f64);
    }
    Ok(exp.finish())
}
// ANCHOR_END: grep

/// `path` relative to the workspace when it is inside it (records and
/// figures should not carry one machine's directories).
fn shown(path: &Path) -> String {
    let root = workbench::bins::workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// GNU grep counting matching lines, as the book compares with the shell.
pub fn grep_c(path: &Path, pattern: &str, ignore_case: bool) -> Result<usize> {
    let grep = workbench::bins::require_program("grep", "grep")?;
    let mut command = std::process::Command::new(grep);
    command.arg("-c").arg("-F");
    if ignore_case {
        command.arg("-i");
    }
    let output = command
        .arg("--")
        .arg(pattern)
        .arg(path)
        .output()
        .context("running grep")?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim()
        .parse()
        .with_context(|| format!("grep -c said {text:?}"))
}

/// The fan-out, one chain per pattern, on every variant.
pub fn mgrep(
    common: &CommonArgs,
    path: &Path,
    patterns: &[String],
    ignore_case: bool,
) -> Result<Record> {
    let variants = common.variants_among(&MGREP_VARIANTS)?;
    let size =
        serde_json::json!({ "file": shown(path), "patterns": patterns.join(" ") });
    let mut exp = Experiment::new("ch02", "mgrep", size, common.measure_opts());
    let expected = mgrep_seq(path, patterns, ignore_case)?;
    let check = |counts: &Vec<usize>| {
        anyhow::ensure!(
            *counts == expected,
            "counted {counts:?}, expected {expected:?}"
        );
        Ok(())
    };
    let chains = patterns.len() + 1;
    for variant in &variants {
        match variant.as_str() {
            "seq" => exp.measure(
                "seq",
                1,
                || mgrep_seq(path, patterns, ignore_case),
                check,
            ),
            "threads" => exp.measure(
                "threads",
                chains,
                || mgrep_threads(path, patterns, ignore_case),
                check,
            ),
            _ => exp.measure(
                "async",
                1,
                || mgrep_async(path, patterns, ignore_case),
                check,
            ),
        }?;
        for (pattern, count) in patterns.iter().zip(&expected) {
            exp.note(pattern, *count as f64);
        }
    }
    Ok(exp.finish())
}
