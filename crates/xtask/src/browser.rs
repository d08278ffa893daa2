//! The rendered book in headless Chromium: it must load and show a `<main>`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::process::{cmd, output_with_timeout, which};

/// How long Chromium may take to load and dump one page.
const LOAD_LIMIT: Duration = Duration::from_secs(120);

/// Open `book_dir/index.html` in headless Chromium and check the DOM.
pub fn check(book_dir: &Path) -> Result<()> {
    let chromium = which("chromium")
        .context("chromium not found; `cargo xtask setup` installs it (as root)")?;
    let index = std::path::absolute(book_dir.join("index.html"))?;
    if !index.is_file() {
        bail!("{} does not exist: build the book first", index.display());
    }
    let profile = FreshDir::new("xtask-chromium")?;
    let mut chromium = cmd(
        chromium,
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    );
    chromium
        .arg(format!("--user-data-dir={}", profile.0.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", index.display()));
    let out = output_with_timeout(&mut chromium, LOAD_LIMIT)?;
    let dom = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        bail!("chromium failed ({}):\n{}", out.status, err.trim_end());
    }
    if !dom.contains("<main") {
        bail!("the book's index.html has no <main> in Chromium's DOM");
    }
    println!("ok: Chromium renders {} with a <main>", index.display());
    Ok(())
}

/// An empty dir under the system temp dir, removed when dropped.
#[derive(Debug)]
struct FreshDir(PathBuf);

impl FreshDir {
    fn new(label: &str) -> Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos();
        let dir = std::env::temp_dir()
            .join(format!("{label}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        Ok(FreshDir(dir))
    }
}

impl Drop for FreshDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
