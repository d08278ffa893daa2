//! The headless Jupyter side: a venv under target/ and the `rust` kernelspec.

use anyhow::{Context, Result, bail};

use super::EVCXR_JUPYTER;
use crate::paths;
use crate::process::{RunExt, cmd};

/// What the notebook runner imports; pip installs these into the venv.
pub const PIP_PACKAGES: &[&str] = &[
    "nbclient>=0.10",
    "nbformat>=5.10",
    "nbconvert>=7.16",
    "jupyter_client>=8",
    "jupyter_core>=5",
    // chapter 4: Python Celery workers and clients for the interop tests
    "celery[redis]>=5.3,<6",
];

/// The kernel name that evcxr_jupyter registers.
pub const KERNEL: &str = "rust";

/// Create `target/venv` and install the runner's packages, unless present.
pub fn ensure_venv() -> Result<()> {
    let venv = paths::venv_dir();
    let python = paths::venv_bin("python");
    if !python.is_file() {
        println!("creating venv {}", paths::show(&venv));
        let mut create = cmd("python3", ["-m", "venv"]);
        create.arg(&venv).run()?;
    }
    if cmd(&python, ["-c", "import nbclient, nbconvert, celery, redis"]).succeeds() {
        println!(
            "ok: nbclient and nbconvert present in {}",
            paths::show(&venv)
        );
        return Ok(());
    }
    println!(
        "installing nbclient and nbconvert into {}",
        paths::show(&venv)
    );
    let mut pip = cmd(paths::venv_bin("pip"), ["install", "--quiet"]);
    pip.args(PIP_PACKAGES).run()
}

/// Register evcxr's kernelspec with Jupyter unless `rust` is listed.
pub fn ensure_kernelspec() -> Result<()> {
    if kernel_listed()? {
        println!("ok: Jupyter kernel `{KERNEL}` present");
        return Ok(());
    }
    println!("installing the evcxr Jupyter kernelspec");
    cmd(EVCXR_JUPYTER.path()?, ["--install"]).run()?;
    if !kernel_listed()? {
        bail!(
            "`evcxr_jupyter --install` ran but Jupyter lists no `{KERNEL}` kernel"
        );
    }
    Ok(())
}

fn kernel_listed() -> Result<bool> {
    let list = cmd(paths::venv_bin("jupyter"), ["kernelspec", "list"])
        .read()
        .context("listing Jupyter kernels")?;
    Ok(list
        .lines()
        .any(|line| line.split_whitespace().next() == Some(KERNEL)))
}
