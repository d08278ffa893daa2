//! `cargo xtask notebooks --self-test`: the runner must fail a panicking cell.
//!
//! evcxr reports a panic in a cell as output, not as an error, so a runner
//! that only looked for errors would pass a broken notebook. Two tiny
//! notebooks check the runner both ways.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::paths;
use crate::process::output_with_timeout;

const PANIC_MESSAGE: &str = "deliberate panic for the runner self-test";

/// Check that the runner fails a panicking notebook and passes a fine one.
pub fn run() -> Result<()> {
    let dir = paths::target_dir().join("notebook-selftest");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;

    let panics = dir.join("panics.ipynb");
    let panic_cell = format!("panic!(\"{PANIC_MESSAGE}\");");
    write_notebook(&panics, &[":preserve_vars_on_panic 0", &panic_cell])?;
    let (passed, said) = runner(&panics, &dir.join("panics.executed.ipynb"))?;
    if passed {
        bail!("self-test: the runner passed a notebook whose cell panics:\n{said}");
    }
    if !said.contains("panicked") {
        bail!(
            "self-test: the runner failed the panicking notebook \
             without saying it panicked:\n{said}"
        );
    }
    println!("ok: the runner fails a notebook whose cell panics");

    let fine = dir.join("fine.ipynb");
    write_notebook(&fine, &[":preserve_vars_on_panic 0", "println!(\"fine\");"])?;
    let (passed, said) = runner(&fine, &dir.join("fine.executed.ipynb"))?;
    if !passed {
        bail!("self-test: the runner failed a notebook that only prints:\n{said}");
    }
    println!("ok: the runner passes a notebook that only prints");
    kernel_kept_its_build_dir()
}

/// After two kernels ran, the kernelspec still starts the workbook's
/// wrapper and the fine notebook's build directory outlived its kernel:
/// evcxr_jupyter re-installs itself over a kernelspec it finds out of date,
/// and every later kernel then compiled from nothing.
fn kernel_kept_its_build_dir() -> Result<()> {
    let spec = paths::kernelspec_dir().join("kernel.json");
    let text = std::fs::read_to_string(&spec)
        .with_context(|| format!("reading {}", spec.display()))?;
    let spec_json: Value = serde_json::from_str(&text)
        .with_context(|| format!("parsing {}", spec.display()))?;
    let wrapper = crate::setup::jupyter::kernel_wrapper();
    if spec_json["argv"][0].as_str() != Some(&*wrapper.to_string_lossy()) {
        bail!(
            "self-test: after the kernels ran, {} no longer starts {}: {}",
            spec.display(),
            wrapper.display(),
            spec_json["argv"]
        );
    }
    let build = paths::evcxr_slots().join("fine-0").join("target");
    if !build.is_dir() {
        bail!(
            "self-test: the fine notebook's build directory {} did not outlive its kernel",
            build.display()
        );
    }
    println!(
        "ok: the kernelspec still runs the wrapper, and the build directory was kept"
    );
    Ok(())
}

/// Run the runner on `notebook`; whether it passed, and all it printed.
fn runner(notebook: &Path, out: &Path) -> Result<(bool, String)> {
    let mut run = super::runner(notebook, out, 600);
    let output = output_with_timeout(&mut run, Duration::from_secs(900))?;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for line in said.lines() {
        println!("  | {line}");
    }
    Ok((output.status.success(), said))
}

/// A Rust-kernel notebook (nbformat 4.5) with one code cell per source.
fn write_notebook(path: &Path, sources: &[&str]) -> Result<()> {
    let cells: Vec<Value> = sources
        .iter()
        .enumerate()
        .map(|(i, source)| {
            json!({
                "cell_type": "code",
                "execution_count": null,
                "id": format!("selftest-{i}"),
                "metadata": {},
                "outputs": [],
                "source": source,
            })
        })
        .collect();
    let notebook = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {
                "display_name": "Rust",
                "language": "rust",
                "name": "rust",
            },
            "language_info": {"name": "rust"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    let text = serde_json::to_string_pretty(&notebook)?;
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
