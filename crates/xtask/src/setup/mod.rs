//! `cargo xtask setup`: install what a task needs and is missing, skip the rest.
//!
//! Each task asks only for its part: the book needs mdbook, its two
//! preprocessors, the KaTeX and mermaid files it serves, and every engine its
//! figures start (Redis, RabbitMQ, MPI, Slurm); the notebooks need the
//! Jupyter venv, evcxr_jupyter, its kernelspec and the same engines; the
//! browser test needs Chromium and playwright-core; `test` needs all.
//!
//! Debian packages come first: they take a minute, and a missing one is
//! found before the long `cargo install` runs, not after.

mod apt;
mod cargo_tools;
pub mod compile_cache;
pub mod jupyter;
pub mod vendor;

use anyhow::Result;

pub use cargo_tools::{
    CARGO_MACHETE, EVCXR_JUPYTER, MDBOOK, MDBOOK_I18N, MDBOOK_KATEX, MDBOOK_MERMAID,
    SCCACHE, cargo_bin_dir,
};

/// Which parts of the setup a task needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// Debian services the examples and tests start: Redis, RabbitMQ,
    /// OpenMPI, Slurm, munge, libclang; and the pinned Python packages
    /// (`python/requirements.txt`), among them moto's AWS endpoint.
    pub services: bool,
    /// Headless Chromium and playwright-core, to open the rendered book.
    pub browser: bool,
    /// mdbook, mdbook-katex, mdbook-mermaid and mdbook-i18n-helpers (with
    /// GNU gettext) at their pinned versions,
    /// KaTeX's CSS and fonts and the mermaid scripts under target/vendor/.
    pub mdbook: bool,
    /// The Jupyter venv, evcxr_jupyter and the `rust` kernelspec.
    pub jupyter: bool,
    /// cargo-machete, for `cargo xtask test`'s unused-dependency check.
    pub checks: bool,
    /// sccache, the compile cache every checkout shares (see
    /// [`compile_cache`]).
    pub compile_cache: bool,
}

impl Needs {
    /// Nothing at all.
    pub const NONE: Needs = Needs {
        services: false,
        browser: false,
        mdbook: false,
        jupyter: false,
        checks: false,
        compile_cache: false,
    };
    /// What `cargo xtask book` needs: its tools and the engines its figures
    /// start.
    pub const BOOK: Needs = Needs {
        mdbook: true,
        services: true,
        compile_cache: true,
        ..Needs::NONE
    };
    /// What `cargo xtask notebooks` needs: the kernel and the engines the
    /// notebooks start.
    pub const NOTEBOOKS: Needs = Needs {
        jupyter: true,
        services: true,
        ..Needs::NONE
    };
    /// Everything: what `cargo xtask setup` and `cargo xtask test` ensure.
    pub const ALL: Needs = Needs {
        services: true,
        browser: true,
        mdbook: true,
        jupyter: true,
        checks: true,
        compile_cache: true,
    };
}

/// Install whatever `needs` asks for and is missing; one line per step.
pub fn ensure(needs: Needs) -> Result<()> {
    apt::ensure(needs)?;
    ensure_tools(needs)?;
    ensure_python(needs)
}

/// As [`ensure`], except that Debian packages a user who is not root cannot
/// install are reported, not an error: returns their names. `cargo xtask
/// book` then keeps the committed figures of the chapters that need them.
pub fn ensure_or_report(needs: Needs) -> Result<Vec<String>> {
    let missing = apt::ensure_or_report(needs)?;
    ensure_tools(needs)?;
    // mpi4py builds against OpenMPI: without the Debian packages pip fails,
    // and the chapters that need these packages keep their figures.
    if let Err(err) = ensure_python(needs) {
        println!("warning: {err:#}; the figures that need them stay as committed");
    }
    Ok(missing)
}

/// Everything but the Debian packages: cargo-installed tools, vendored
/// files, the venv.
fn ensure_tools(needs: Needs) -> Result<()> {
    // Before the long installs: a missing rust-src should stop the run at
    // its start, not after them.
    if needs.jupyter {
        jupyter::ensure_std_source()?;
    }
    // First, so that every build after it (the other tools' too) is cached.
    if needs.compile_cache {
        cargo_tools::ensure(&SCCACHE)?;
        compile_cache::enable();
    }
    if needs.mdbook {
        cargo_tools::ensure(&MDBOOK)?;
        cargo_tools::ensure(&MDBOOK_KATEX)?;
        cargo_tools::ensure(&MDBOOK_MERMAID)?;
        cargo_tools::ensure(&MDBOOK_I18N)?;
        vendor::ensure_katex()?;
        vendor::ensure_mermaid()?;
    }
    if needs.browser {
        vendor::ensure_playwright()?;
    }
    if needs.checks {
        cargo_tools::ensure(&CARGO_MACHETE)?;
    }
    if needs.jupyter {
        cargo_tools::ensure(&EVCXR_JUPYTER)?;
        jupyter::ensure_venv()?;
        jupyter::ensure_kernelspec()?;
    }
    Ok(())
}

/// The pinned Python packages, among them moto's server: chapter 5's local
/// AWS endpoint, which its figures, notebook and tests start. Both
/// [`ensure`] and [`ensure_or_report`] install them: when only the first
/// did, `cargo xtask book` on a new machine made every figure but chapter
/// 5's.
fn ensure_python(needs: Needs) -> Result<()> {
    if needs.services {
        crate::compare::python::ensure_env()?;
    }
    Ok(())
}
