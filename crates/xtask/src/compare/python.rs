//! `cargo xtask compare` · The Python side's environment: the venv under
//! target/ with the pinned packages of `python/requirements.txt`.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::paths;
use crate::process::{RunExt, cmd};

/// The Python examples: `python/` at the workspace root.
pub fn dir() -> PathBuf {
    paths::root().join("python")
}

/// The pinned packages the Python examples import.
pub fn requirements() -> PathBuf {
    dir().join("requirements.txt")
}

/// Exit status 0 when every `name==version` line of the requirements file
/// (argv[1]) is installed at exactly that version.
const PINNED_PRESENT: &str = "\
import sys, importlib.metadata as md
for line in open(sys.argv[1]):
    line = line.split('#')[0].strip()
    if not line:
        continue
    name, _, version = line.partition('==')
    name = name.split('[')[0]
    try:
        if md.version(name) != version:
            sys.exit(f'{name} {md.version(name)} is not {version}')
    except md.PackageNotFoundError:
        sys.exit(f'{name} is missing')
";

/// Create `target/venv` if missing and install the pinned packages unless
/// every one is present at its version.
pub fn ensure_env() -> Result<()> {
    let python = paths::venv_bin("python");
    if !python.is_file() {
        println!("creating venv {}", paths::show(&paths::venv_dir()));
        let mut create = cmd("python3", ["-m", "venv"]);
        create
            .arg(paths::venv_dir())
            .run()
            .context("making the venv (Debian: apt-get install python3-venv)")?;
    }
    let reqs = requirements();
    let mut check = cmd(&python, ["-c", PINNED_PRESENT]);
    if check.arg(&reqs).succeeds() {
        println!("ok: the Python examples' packages are installed");
        return Ok(());
    }
    let mut pip = cmd(
        paths::venv_bin("python"),
        ["-m", "pip", "install", "--quiet", "-r"],
    );
    pip.arg(&reqs)
        .run()
        .context("installing the Python examples' pinned packages")
}
