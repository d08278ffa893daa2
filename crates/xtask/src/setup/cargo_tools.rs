//! Tools from crates.io, pinned: mdbook, its preprocessors, evcxr_jupyter,
//! cargo-machete and sccache, by `cargo install`.

use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::process::{RunExt, cargo, cmd, which};

/// A binary installed with `cargo install --locked <krate> --version <version>`.
#[derive(Debug)]
pub struct CargoTool {
    /// The crate on crates.io.
    pub krate: &'static str,
    /// The binary it installs.
    pub binary: &'static str,
    /// The pinned version.
    pub version: &'static str,
    /// Reinstall when `<binary> --version` does not show `version`.
    pub check_version: bool,
    /// More arguments of `cargo install` (features).
    pub install_args: &'static [&'static str],
}

/// mdBook, which renders `chapters/` into `target/book/`.
pub const MDBOOK: CargoTool = CargoTool::pinned("mdbook", "0.5.4");

/// The mdBook preprocessor that renders `$…$` and `$$…$$` to HTML at build
/// time (KaTeX 0.16.4 inside, run by an embedded JavaScript engine).
pub const MDBOOK_KATEX: CargoTool = CargoTool::pinned("mdbook-katex", "0.10.0");

/// The mdBook preprocessor that turns ```` ```mermaid ```` blocks into
/// `<pre class="mermaid">`; it also carries the mermaid script it needs.
pub const MDBOOK_MERMAID: CargoTool = CargoTool::pinned("mdbook-mermaid", "0.17.1");

/// The Chinese edition's gettext tools (issue 17): `mdbook-xgettext`
/// extracts po/messages.pot, `mdbook-gettext` translates the pages. Its
/// binaries print no version, so an installed one is kept as it is.
pub const MDBOOK_I18N: CargoTool =
    CargoTool::pinned("mdbook-i18n-helpers", "0.4.0").unversioned("mdbook-gettext");

/// The Jupyter kernel for Rust.
pub const EVCXR_JUPYTER: CargoTool =
    CargoTool::pinned("evcxr_jupyter", "0.22.0").unversioned("evcxr_jupyter");

/// Finds dependencies a crate declares and never uses (`cargo xtask test`).
pub const CARGO_MACHETE: CargoTool = CargoTool::pinned("cargo-machete", "0.9.2");

/// The compile cache every checkout on this machine shares (see
/// `setup::compile_cache`). Only its local-disk cache: without the default
/// features (S3, Redis, GCS, … back-ends) it compiles in a third of the time.
pub const SCCACHE: CargoTool = CargoTool {
    install_args: &["--no-default-features"],
    ..CargoTool::pinned("sccache", "0.19.0")
};

impl CargoTool {
    /// `krate` at `version`, installing a binary of the same name that
    /// prints its version.
    const fn pinned(krate: &'static str, version: &'static str) -> Self {
        CargoTool {
            krate,
            binary: krate,
            version,
            check_version: true,
            install_args: &[],
        }
    }

    /// The same crate installing `binary`, which prints no version: an
    /// installed one is kept as it is.
    const fn unversioned(self, binary: &'static str) -> Self {
        CargoTool {
            binary,
            check_version: false,
            ..self
        }
    }

    /// Where the binary is: on `PATH`, else in cargo's bin dir.
    pub fn locate(&self) -> Option<PathBuf> {
        which(self.binary).or_else(|| {
            let bin = cargo_bin_dir()?.join(self.binary);
            bin.is_file().then_some(bin)
        })
    }

    /// The located binary, or an error saying how to get it.
    pub fn path(&self) -> Result<PathBuf> {
        self.locate().with_context(|| {
            format!("{} not found; run `cargo xtask setup`", self.binary)
        })
    }

    /// True when the binary is there (at the pinned version if checked).
    fn is_current(&self) -> bool {
        let Some(path) = self.locate() else {
            return false;
        };
        if !self.check_version {
            return true;
        }
        // Without CARGO: a `cargo-*` tool that sees it thinks cargo ran it
        // as `cargo <sub> …` and takes `--version` for the subcommand's name
        // (cargo-machete then checked the workspace instead, and every run
        // reinstalled it).
        let Ok(out) = cmd(&path, ["--version"]).env_remove("CARGO").read() else {
            return false;
        };
        out.split_whitespace()
            .any(|word| word.trim_start_matches('v') == self.version)
    }
}

/// `$CARGO_HOME/bin`, else `~/.cargo/bin`: where `cargo install` puts tools.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo"))
        })?;
    Some(home.join("bin"))
}

/// Install `tool` unless it is present (at its version).
pub fn ensure(tool: &CargoTool) -> Result<()> {
    if tool.is_current() {
        println!("ok: {} {} present", tool.binary, tool.version);
        return Ok(());
    }
    println!("installing {} {}", tool.krate, tool.version);
    cmd(
        cargo(),
        ["install", "--locked", tool.krate, "--version", tool.version],
    )
    .args(tool.install_args)
    .run()
    .with_context(|| format!("installing {} {}", tool.krate, tool.version))?;
    tool.path().map(drop)
}
