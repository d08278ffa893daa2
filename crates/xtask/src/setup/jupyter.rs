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
];

/// The pinned packages of the Python examples (`python/requirements.txt`):
/// the one place Celery's version is written.
const REQUIREMENTS: &str = include_str!("../../../../python/requirements.txt");

/// The `name==version` line of `package` in [`REQUIREMENTS`] (chapter 4's
/// interop tests need Python Celery, `celery[redis]`, in the same venv).
pub fn pinned(package: &str) -> Option<&'static str> {
    REQUIREMENTS
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .find(|line| line.split(['=', '[', '<', '>']).next() == Some(package))
}

/// JupyterLab, for reading the notebooks interactively (`cargo xtask lab`);
/// the headless runs do not need it.
pub const JUPYTERLAB: &str = "jupyterlab==4.6.6";

/// Install JupyterLab into the venv unless it is there.
pub fn ensure_lab() -> Result<()> {
    if cmd(paths::venv_bin("python"), ["-c", "import jupyterlab"]).succeeds() {
        println!(
            "ok: JupyterLab present in {}",
            paths::show(&paths::venv_dir())
        );
        return Ok(());
    }
    println!(
        "installing {JUPYTERLAB} into {}",
        paths::show(&paths::venv_dir())
    );
    cmd(
        paths::venv_bin("python"),
        ["-m", "pip", "install", "--quiet", JUPYTERLAB],
    )
    .run()
}

/// The standard library's source, which evcxr's rust-analyzer reads to
/// infer the type of every variable a cell keeps (`let start =
/// Instant::now();`): without it such a cell fails ("Couldn't automatically
/// determine type of variable `start`"). rustup's default profile leaves
/// it out; `rust-toolchain.toml` lists `rust-src`, and this adds it with
/// rustup when it is still missing.
pub fn ensure_std_source() -> Result<()> {
    let library = std_source_dir()?;
    if library.join("std").is_dir() {
        println!("ok: the standard library's source present (rust-src)");
        return Ok(());
    }
    println!(
        "installing rust-src, the standard library's source the notebooks' kernel reads"
    );
    let added = cmd("rustup", ["component", "add", "rust-src"]).run();
    if added.is_ok() && std_source_dir()?.join("std").is_dir() {
        return Ok(());
    }
    bail!(
        "the notebooks' kernel needs the standard library's source, and {} has none: \
         run `rustup component add rust-src` (or install your toolchain's rust-src)",
        library.display()
    )
}

/// Where the active toolchain keeps the standard library's source.
fn std_source_dir() -> Result<std::path::PathBuf> {
    let sysroot = cmd("rustc", ["--print", "sysroot"]).read()?;
    Ok(std::path::Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library"))
}

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
    let celery =
        pinned("celery").context("python/requirements.txt pins no celery")?;
    let mut pip = cmd(
        paths::venv_bin("python"),
        ["-m", "pip", "install", "--quiet"],
    );
    pip.args(PIP_PACKAGES).arg(celery).run()
}

/// The kernel program: picks a build directory for evcxr, then runs
/// evcxr_jupyter. `{EVCXR}` and `{SLOTS}` are filled in by [`ensure_kernelspec`].
///
/// evcxr compiles the notebook's path dependencies (workbench, the chapter
/// crate) with incremental compilation, which its `:cache` never stores, in
/// a fresh temporary directory per kernel: every start rebuilt them. With
/// `EVCXR_TMPDIR` pointing at a directory that outlives the kernel, cargo
/// finds them built and the first cell only compiles itself. Kernels that
/// run at once take different slots (a lock held for the kernel's life), so
/// two notebooks never build in the same directory. Each notebook gets
/// directories of its own (named after it, from `WORKBOOK_NOTEBOOK`, which
/// the headless runner sets, or Jupyter's `JPY_SESSION_NAME`): notebooks
/// of different chapters resolve their dependencies' features differently,
/// and sharing one directory made each rebuild what the previous one built.
///
/// evcxr's compile cache (`:cache`), which lets a notebook reuse the
/// dependencies another notebook compiled, lives beside the slots, in
/// `target/evcxr/cache`, not in `~/.cache/evcxr`. A cached crate keeps what
/// the build that stored it saw: the paths of its build script's generated
/// code (serde_core, thiserror, libsqlite3-sys…) in the dep-info, and a
/// crate hash that depends on those paths. Shared by every clone on the
/// machine, the cache served crates whose generated files had gone with an
/// older clone: cargo found them missing at every kernel start and rebuilt
/// them and all that depend on them (ch04's first cell took 15 s on a warm
/// start), and a crate compiled anew next to cached dependents built
/// against the old one failed ("can't find crate for `asn1_rs`"). Kept with
/// the slots, the cache and the directories its entries name live and go
/// together (`cargo clean` removes both).
const KERNEL_WRAPPER: &str = r#"#!/bin/sh
# The workbook's Rust kernel: evcxr_jupyter with a build directory that is
# kept between kernel starts (written by `cargo xtask setup`).
# evcxr loads each cell from the crate's incremental build: with
# CARGO_INCREMENTAL=0 every cell after the first fails to load (dlsym).
unset CARGO_INCREMENTAL
slots="{SLOTS}"
# evcxr's compile cache goes with the build directories (it is
# $XDG_CACHE_HOME/evcxr); sccache, which cells' cargo builds may use, keeps
# its own.
export SCCACHE_DIR="${SCCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sccache}"
export XDG_CACHE_HOME="$slots/cache"
name=$(basename "${WORKBOOK_NOTEBOOK:-${JPY_SESSION_NAME:-any}}" .ipynb)
mkdir -p "$slots"
for slot in 0 1 2 3 4 5 6 7; do
    exec 9>"$slots/$name-$slot.lock"
    if flock -n 9; then
        export EVCXR_TMPDIR="$slots/$name-$slot"
        mkdir -p "$EVCXR_TMPDIR"
        exec "{EVCXR}" "$@"
    fi
done
exec 9>&-
exec "{EVCXR}" "$@"
"#;

/// Where [`KERNEL_WRAPPER`] is written: the program the kernelspec starts.
pub fn kernel_wrapper() -> std::path::PathBuf {
    paths::venv_bin("evcxr-workbook-kernel")
}

/// Write the `rust` kernelspec into the venv (not the user's Jupyter
/// directory), running evcxr_jupyter through [`KERNEL_WRAPPER`].
pub fn ensure_kernelspec() -> Result<()> {
    let evcxr = EVCXR_JUPYTER.path()?;
    let wrapper = kernel_wrapper();
    let script = KERNEL_WRAPPER
        .replace("{EVCXR}", &evcxr.display().to_string())
        .replace("{SLOTS}", &paths::evcxr_slots().display().to_string());
    let spec_dir = paths::kernelspec_dir();
    let spec = serde_json::json!({
        "argv": [wrapper, "--control_file", "{connection_file}"],
        "display_name": "Rust (workbook)",
        "language": "rust",
        "interrupt_mode": "message",
    });
    let spec_text = serde_json::to_string_pretty(&spec)?;
    let kernel_json = spec_dir.join("kernel.json");
    let current = std::fs::read_to_string(&kernel_json).unwrap_or_default();
    let current_script = std::fs::read_to_string(&wrapper).unwrap_or_default();
    let evcxr_files = spec_dir.join("version.txt").is_file();
    if current == spec_text && current_script == script && evcxr_files {
        println!(
            "ok: Jupyter kernel `{KERNEL}` present in {}",
            paths::show(&spec_dir)
        );
    } else {
        println!(
            "writing the Jupyter kernel `{KERNEL}` to {}",
            paths::show(&spec_dir)
        );
        std::fs::create_dir_all(&spec_dir)
            .with_context(|| format!("creating {}", spec_dir.display()))?;
        // evcxr_jupyter compares, at every kernel start, the kernelspec's
        // version.txt with its own and, when the file is missing, installs
        // itself over it: kernel.json then runs evcxr_jupyter without the
        // wrapper, and every later kernel built in a temporary directory
        // deleted at its exit (on a new machine, every notebook after the
        // first one of `cargo xtask book` started cold). So let it install
        // its files first (version.txt, kernel.js, logos), then put the
        // wrapper's kernel.json over its own.
        let mut install = cmd(&evcxr, ["--install"]);
        install.env("JUPYTER_PATH", paths::jupyter_path()).read()?;
        std::fs::write(&wrapper, &script)
            .with_context(|| format!("writing {}", wrapper.display()))?;
        make_executable(&wrapper)?;
        std::fs::write(&kernel_json, &spec_text)
            .with_context(|| format!("writing {}", kernel_json.display()))?;
    }
    let listed = kernel_path()?;
    match listed {
        Some(dir) if same_dir(&dir, &spec_dir) => Ok(()),
        Some(dir) => {
            println!(
                "note: Jupyter also lists a `{KERNEL}` kernel at {}; the workbook's \
                 commands use their own (JUPYTER_PATH={})",
                dir.display(),
                paths::show(&paths::jupyter_path())
            );
            Ok(())
        }
        None => bail!(
            "wrote {} but Jupyter lists no `{KERNEL}` kernel",
            kernel_json.display()
        ),
    }
}

fn make_executable(path: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = std::fs::metadata(path)?.permissions();
    permissions.set_mode(0o755);
    std::fs::set_permissions(path, permissions)
        .with_context(|| format!("making {} executable", path.display()))
}

fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Where Jupyter (without JUPYTER_PATH) finds the `rust` kernel, if at all.
fn kernel_path() -> Result<Option<std::path::PathBuf>> {
    let list = cmd(
        paths::venv_bin("python"),
        ["-m", "jupyter", "kernelspec", "list"],
    )
    .read()
    .context("listing Jupyter kernels")?;
    Ok(list.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some(KERNEL)).then(|| words.next().map(Into::into))?
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn celery_is_pinned_once_in_the_requirements() {
        let line = super::pinned("celery").expect("celery is pinned");
        assert!(line.starts_with("celery[redis]=="), "{line}");
        assert_eq!(super::pinned("celery-not-there"), None);
    }
}
