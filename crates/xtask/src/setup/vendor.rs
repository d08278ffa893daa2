//! Third-party files the book serves itself, fetched by setup, never committed.
//!
//! KaTeX's stylesheet and fonts come from the npm registry (`npm pack`), the
//! mermaid script from the `mdbook-mermaid` binary (`mdbook-mermaid install`),
//! and `playwright-core`, which drives Chromium in the browser test, from npm
//! into `target/node/`. Each step is skipped when its files are there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::MDBOOK_MERMAID;
use crate::paths;
use crate::process::{RunExt, cmd, which};

/// The KaTeX that `mdbook-katex` 0.10.0 renders with (its `katex` crate
/// embeds katex.min.js 0.16.4): the stylesheet must be of the same release.
pub const KATEX_VERSION: &str = "0.16.4";

/// The pinned `playwright-core`; it drives Debian's `/usr/bin/chromium`
/// and never downloads a browser of its own.
pub const PLAYWRIGHT_VERSION: &str = "1.64.1";

/// `target/vendor/katex-<version>/`: `katex.min.css` and `fonts/`.
pub fn katex_dir() -> PathBuf {
    paths::target_dir()
        .join("vendor")
        .join(format!("katex-{KATEX_VERSION}"))
}

/// `target/vendor/mermaid-<mdbook-mermaid version>/`: the two scripts.
pub fn mermaid_dir() -> PathBuf {
    paths::target_dir()
        .join("vendor")
        .join(format!("mermaid-{}", MDBOOK_MERMAID.version))
}

/// The scripts `mdbook-mermaid install` writes, in load order.
pub const MERMAID_FILES: [&str; 2] = ["mermaid.min.js", "mermaid-init.js"];

/// `target/node/node_modules`, where `playwright-core` lives.
pub fn node_modules() -> PathBuf {
    paths::target_dir().join("node").join("node_modules")
}

/// KaTeX's CSS and fonts from the npm package, unless already extracted.
pub fn ensure_katex() -> Result<()> {
    let dir = katex_dir();
    if dir.join("katex.min.css").is_file()
        && dir.join("fonts/KaTeX_Main-Regular.woff2").is_file()
    {
        println!(
            "ok: KaTeX {KATEX_VERSION} CSS and fonts in {}",
            paths::show(&dir)
        );
        return Ok(());
    }
    require("npm", "nodejs npm")?;
    let vendor = dir.parent().context("vendor dir")?.to_path_buf();
    let partial = vendor.join(format!("katex-{KATEX_VERSION}.partial"));
    fresh_dir(&partial)?;
    let mut pack = cmd("npm", ["pack", "--silent", "--pack-destination"]);
    pack.arg(&vendor).arg(format!("katex@{KATEX_VERSION}"));
    pack.run()
        .context("fetching the katex package from the npm registry")?;
    let tarball = vendor.join(format!("katex-{KATEX_VERSION}.tgz"));
    let mut untar = cmd("tar", ["-xzf"]);
    untar
        .arg(&tarball)
        .arg("-C")
        .arg(&partial)
        .args(["--strip-components=2", "package/dist/katex.min.css"])
        .arg("package/dist/fonts");
    untar.run().context("extracting KaTeX's CSS and fonts")?;
    replace_dir(&partial, &dir)?;
    println!(
        "ok: KaTeX {KATEX_VERSION} CSS and fonts in {}",
        paths::show(&dir)
    );
    Ok(())
}

/// The mermaid scripts that `mdbook-mermaid` carries, written by its
/// `install` command into a scratch book under target/vendor/.
pub fn ensure_mermaid() -> Result<()> {
    let dir = mermaid_dir();
    if MERMAID_FILES.iter().all(|file| dir.join(file).is_file()) {
        println!("ok: mermaid scripts in {}", paths::show(&dir));
        return Ok(());
    }
    let partial =
        dir.with_file_name(format!("mermaid-{}.partial", MDBOOK_MERMAID.version));
    fresh_dir(&partial)?;
    let config = partial.join("book.toml");
    std::fs::write(&config, "[book]\ntitle = \"mermaid assets\"\n")
        .with_context(|| format!("writing {}", config.display()))?;
    let mut install = cmd(MDBOOK_MERMAID.path()?, ["install"]);
    install.env("RUST_LOG", "warn");
    install.arg(&partial).run()?;
    std::fs::remove_file(&config)?;
    for file in MERMAID_FILES {
        if !partial.join(file).is_file() {
            bail!("`mdbook-mermaid install` wrote no {file}");
        }
    }
    replace_dir(&partial, &dir)?;
    println!("ok: mermaid scripts in {}", paths::show(&dir));
    Ok(())
}

/// `playwright-core` at the pinned version in target/node/, unless there.
pub fn ensure_playwright() -> Result<()> {
    let manifest = node_modules().join("playwright-core/package.json");
    let installed = std::fs::read_to_string(&manifest)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|json| json["version"].as_str().map(str::to_owned));
    if installed.as_deref() == Some(PLAYWRIGHT_VERSION) {
        println!("ok: playwright-core {PLAYWRIGHT_VERSION} present");
        return Ok(());
    }
    require("npm", "nodejs npm")?;
    let prefix = paths::target_dir().join("node");
    std::fs::create_dir_all(&prefix)?;
    let mut npm = cmd("npm", ["install", "--no-audit", "--no-fund", "--prefix"]);
    npm.arg(&prefix)
        .arg(format!("playwright-core@{PLAYWRIGHT_VERSION}"))
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    npm.run().context("installing playwright-core with npm")
}

fn require(program: &str, packages: &str) -> Result<()> {
    if which(program).is_none() {
        bail!("{program} not found; as root, `apt-get install {packages}`");
    }
    Ok(())
}

/// An empty `dir` (removed first when it exists).
fn fresh_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating {}", dir.display()))
}

/// Move the finished `from` to `to`, so `to` is never left half-written.
fn replace_dir(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to)
            .with_context(|| format!("removing {}", to.display()))?;
    }
    std::fs::rename(from, to)
        .with_context(|| format!("moving {} to {}", from.display(), to.display()))
}
