//! Where things are: the workspace root, its target dir and what lives there.

use std::path::{Path, PathBuf};

/// The workspace root: two levels above this crate's manifest.
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    here.canonicalize().unwrap_or(here)
}

/// Cargo's target dir: `CARGO_TARGET_DIR` when set, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                // Cargo resolves a relative one against the current dir.
                std::env::current_dir().unwrap_or_else(|_| root()).join(dir)
            }
        }
        _ => root().join("target"),
    }
}

/// The rendered book; `book.toml` fixes it at `<root>/target/book`.
pub fn book_dir() -> PathBuf {
    root().join("target").join("book")
}

/// The staging copy of the book that mdbook renders (chapters/, book.toml,
/// generated notebook pages, vendored assets).
pub fn book_stage() -> PathBuf {
    root().join("target").join("book-stage")
}

/// One screenshot per page of the book, taken by the browser test.
pub fn screenshots_dir() -> PathBuf {
    root().join("target").join("screenshots")
}

/// The Python venv holding nbclient and nbconvert.
pub fn venv_dir() -> PathBuf {
    target_dir().join("venv")
}

/// A program inside the venv, e.g. `venv_bin("python")`.
pub fn venv_bin(name: &str) -> PathBuf {
    venv_dir().join("bin").join(name)
}

/// Jupyter's data directory inside the venv, where setup writes the `rust`
/// kernelspec; the workbook's commands put it first on `JUPYTER_PATH`.
pub fn jupyter_path() -> PathBuf {
    venv_dir().join("share").join("jupyter")
}

/// The workbook's `rust` kernelspec.
pub fn kernelspec_dir() -> PathBuf {
    jupyter_path().join("kernels").join("rust")
}

/// evcxr's build directories, kept between kernel starts (one per kernel
/// running at once).
pub fn evcxr_slots() -> PathBuf {
    target_dir().join("evcxr")
}

/// The committed notebooks (without outputs).
pub fn notebooks_src() -> PathBuf {
    root().join("notebooks")
}

/// Executed notebooks and their Markdown renderings.
pub fn notebooks_out() -> PathBuf {
    target_dir().join("notebooks")
}

/// The headless notebook runner shipped with this crate.
pub fn run_notebook_py() -> PathBuf {
    root().join("crates").join("xtask").join("run_notebook.py")
}

/// A path shown relative to the root when it lies inside it.
pub fn show(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
