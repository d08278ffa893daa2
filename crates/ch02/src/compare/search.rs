//! Chapter 2 · The grep comparisons: the pipeline and its fan-out on every
//! variant, with GNU grep itself beside them.

use std::path::Path;

use anyhow::{Context, Result};
use workbench::{
    CommonArgs, Contender, Experiment, Record, Variant, cli::UsageError,
};

use crate::pipeline::grep::{grep_async, grep_seq, grep_threads};
use crate::pipeline::mgrep::{mgrep_async, mgrep_seq, mgrep_threads};
use crate::{GrepVariant, MgrepVariant};

/// The corpus to search: `file`, or the generated one.
pub fn corpus_or(file: Option<&Path>) -> Result<std::path::PathBuf> {
    match file {
        Some(path) if !path.is_file() => Err(UsageError(format!(
            "no such corpus file: {}",
            path.display()
        ))
        .into()),
        Some(path) => Ok(path.to_path_buf()),
        None => crate::pipeline::corpus::ensure(),
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
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let size = serde_json::json!({ "file": shown(path), "bytes": bytes, "pattern": pattern });
    let mut exp = Experiment::new("ch02", "grep", size, common.measure_opts());
    let expected = grep_seq(path, pattern, ignore_case)?;
    let check = |&count: &usize| {
        anyhow::ensure!(count == expected, "counted {count}, expected {expected}");
        Ok(())
    };
    let mut contenders = Vec::new();
    for variant in common.variants_of::<GrepVariant>()? {
        use GrepVariant::*;
        // ANCHOR: grep_run
        let run = move || match variant {
            Seq => grep_seq(path, pattern, ignore_case),
            Threads => grep_threads(path, pattern, ignore_case),
            Async => grep_async(path, pattern, ignore_case),
            Grep => grep_c(path, pattern, ignore_case),
        };
        // ANCHOR_END: grep_run
        // The pipeline on threads has three stages, one thread each.
        let workers = if variant == Threads { 3 } else { 1 };
        contenders.push(Contender::new(variant.name(), workers, run, check));
    }
    exp.measure_rounds(contenders)?;
    let mut record = exp.finish();
    for run in &mut record.runs {
        run.extra.insert("count".into(), expected as f64);
    }
    Ok(record)
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
    let mut contenders = Vec::new();
    for variant in common.variants_of::<MgrepVariant>()? {
        use MgrepVariant::*;
        let run = move || match variant {
            Seq => mgrep_seq(path, patterns, ignore_case),
            Threads => mgrep_threads(path, patterns, ignore_case),
            Async => mgrep_async(path, patterns, ignore_case),
        };
        let workers = if variant == Threads { chains } else { 1 };
        contenders.push(Contender::new(variant.name(), workers, run, check));
    }
    exp.measure_rounds(contenders)?;
    let mut record = exp.finish();
    for run in &mut record.runs {
        for (pattern, count) in patterns.iter().zip(&expected) {
            run.extra.insert(pattern.clone(), *count as f64);
        }
    }
    Ok(record)
}
