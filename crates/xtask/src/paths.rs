//! Where things are: the workspace root, its target dir and what lives there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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

/// Places at a fixed path below another place: `name() = base().join(rel)`.
macro_rules! below {
    ($($(#[$doc:meta])* $name:ident = $base:ident / $rel:literal;)*) => {
        $($(#[$doc])* pub fn $name() -> PathBuf { $base().join($rel) })*
    };
}

below! {
    /// The rendered book; `book.toml` fixes it at `<root>/target/book`.
    book_dir = root / "target/book";
    /// The staging copy of the book that mdbook renders (chapters/,
    /// book.toml, generated notebook pages, vendored assets).
    book_stage = root / "target/book-stage";
    /// One screenshot per page of the book, taken by the browser test.
    screenshots_dir = root / "target/screenshots";
    /// The Python venv holding nbclient and nbconvert.
    venv_dir = target_dir / "venv";
    /// Jupyter's data directory inside the venv, where setup writes the
    /// `rust` kernelspec; the workbook's commands put it first on
    /// `JUPYTER_PATH`.
    jupyter_path = venv_dir / "share/jupyter";
    /// The workbook's `rust` kernelspec.
    kernelspec_dir = jupyter_path / "kernels/rust";
    /// evcxr's build directories, kept between kernel starts (one per
    /// kernel running at once).
    evcxr_slots = target_dir / "evcxr";
    /// The committed notebooks (without outputs).
    notebooks_src = root / "notebooks";
    /// Executed notebooks and their Markdown renderings.
    notebooks_out = target_dir / "notebooks";
    /// The headless notebook runner shipped with this crate.
    run_notebook_py = root / "crates/xtask/run_notebook.py";
}

/// A program inside the venv, e.g. `venv_bin("python")`.
pub fn venv_bin(name: &str) -> PathBuf {
    venv_dir().join("bin").join(name)
}

/// The files directly in `dir` whose names end in `.ext`, sorted.
pub fn files_in(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == ext) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// A path shown relative to the root when it lies inside it.
pub fn show(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
