//! `cargo xtask setup`: install what a task needs and is missing, skip the rest.
//!
//! Each task asks only for its part: the book needs mdbook, its two
//! preprocessors and the KaTeX and mermaid files it serves; the notebooks
//! need the Jupyter venv, evcxr_jupyter and its kernelspec; the browser test
//! needs Chromium and playwright-core; `test` needs all.

mod apt;
mod cargo_tools;
mod jupyter;
pub mod vendor;

use anyhow::Result;

pub use cargo_tools::{
    EVCXR_JUPYTER, MDBOOK, MDBOOK_KATEX, MDBOOK_MERMAID, cargo_bin_dir,
};

/// Which parts of the setup a task needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// Debian services the examples and tests start: Redis, RabbitMQ,
    /// OpenMPI, Slurm, munge, libclang.
    pub services: bool,
    /// Headless Chromium and playwright-core, to open the rendered book.
    pub browser: bool,
    /// mdbook, mdbook-katex and mdbook-mermaid at their pinned versions,
    /// KaTeX's CSS and fonts and the mermaid scripts under target/vendor/.
    pub mdbook: bool,
    /// The Jupyter venv, evcxr_jupyter and the `rust` kernelspec.
    pub jupyter: bool,
}

impl Needs {
    /// Nothing at all.
    pub const NONE: Needs = Needs {
        services: false,
        browser: false,
        mdbook: false,
        jupyter: false,
    };
    /// What `cargo xtask book` needs.
    pub const BOOK: Needs = Needs {
        mdbook: true,
        ..Needs::NONE
    };
    /// What `cargo xtask notebooks` needs.
    pub const NOTEBOOKS: Needs = Needs {
        jupyter: true,
        ..Needs::NONE
    };
    /// Everything: what `cargo xtask setup` and `cargo xtask test` ensure.
    pub const ALL: Needs = Needs {
        services: true,
        browser: true,
        mdbook: true,
        jupyter: true,
    };
}

/// Install whatever `needs` asks for and is missing; one line per step.
pub fn ensure(needs: Needs) -> Result<()> {
    apt::ensure(needs)?;
    if needs.mdbook {
        cargo_tools::ensure(&MDBOOK)?;
        cargo_tools::ensure(&MDBOOK_KATEX)?;
        cargo_tools::ensure(&MDBOOK_MERMAID)?;
        vendor::ensure_katex()?;
        vendor::ensure_mermaid()?;
    }
    if needs.browser {
        vendor::ensure_playwright()?;
    }
    if needs.jupyter {
        cargo_tools::ensure(&EVCXR_JUPYTER)?;
        jupyter::ensure_venv()?;
        jupyter::ensure_kernelspec()?;
    }
    Ok(())
}
