//! The rendered book in headless Chromium, every page, as a reader sees it.
//!
//! Serves target/book on 127.0.0.1 (a free port) and runs
//! `crates/xtask/browser/check.mjs` with Node: playwright-core drives
//! Debian's Chromium through each page and fails on console errors, failed
//! or off-machine requests, unrendered math, undrawn diagrams, broken
//! images and in-page anchors, a missing language switch, and a search that
//! misses chapter 4 (or, in the Chinese edition, chapter 1). It saves
//! one screenshot per page under target/screenshots/.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::httpd::Server;
use crate::process::{RunExt, cmd, which};
use crate::setup::vendor;
use crate::{i18n, linkcheck, paths};

/// Chromium's flags: headless, no sandbox (root), and nothing that calls
/// home (this machine's network is closed; such calls would fail loudly).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
];

/// Pages checked but not photographed: the whole book on one page, and the
/// table of contents for readers without JavaScript (of both editions).
const NO_SCREENSHOT: &[&str] = &[
    "print.html",
    "toc.html",
    "zh-CN/print.html",
    "zh-CN/toc.html",
];

/// Terms the search box must find: (start page, term, page of a hit). One
/// per edition; 并行 (parallel) is in chapter 1's Chinese title.
const SEARCHES: &[(&str, &str, &str)] = &[
    ("index.html", "Celery", "ch04-celery.html"),
    ("zh-CN/index.html", "并行", "ch01-parallel-distributed.html"),
];

/// Open every page of `book_dir` in headless Chromium; fail on any problem.
pub fn check(book_dir: &Path) -> Result<()> {
    let chromium = which("chromium")
        .context("chromium not found; `cargo xtask setup` installs it (as root)")?;
    let node = which("node").context("node not found; `apt-get install nodejs`")?;
    if !book_dir.join("index.html").is_file() {
        bail!(
            "{} has no index.html: build the book first",
            book_dir.display()
        );
    }
    let mut pages: Vec<String> = linkcheck::pages(book_dir)?
        .iter()
        .filter_map(|page| {
            page.strip_prefix(std::path::absolute(book_dir).ok()?).ok()
        })
        .map(|page| page.to_string_lossy().replace('\\', "/"))
        .collect();
    // The landing page first, as a reader arrives.
    pages.sort_by_key(|page| (page != "index.html", page.clone()));

    let screenshots = paths::screenshots_dir();
    if screenshots.exists() {
        std::fs::remove_dir_all(&screenshots)?;
    }
    std::fs::create_dir_all(&screenshots)?;
    let server = Server::start(book_dir, 0)?;
    let profile = FreshDir::new("xtask-chromium")?;
    let config = json!({
        "base": server.url(),
        "pages": pages,
        "expect": expectations()?,
        "screenshots": screenshots,
        "noScreenshot": NO_SCREENSHOT,
        "searches": SEARCHES
            .iter()
            .map(|(page, term, expect)| json!({"page": page, "term": term, "expect": expect}))
            .collect::<Vec<_>>(),
        "chromium": chromium,
        "flags": FLAGS,
        "profile": profile.0,
        "nodeModules": vendor::node_modules(),
    });
    let config_path = paths::target_dir().join("browser-check.json");
    std::fs::write(&config_path, serde_json::to_string_pretty(&config)?)?;
    println!("serving {} at {}", paths::show(book_dir), server.url());
    let script = paths::root().join("crates/xtask/browser/check.mjs");
    cmd(node, [script, config_path])
        .run()
        .context("the book failed in the browser")?;
    println!("screenshots in {}", paths::show(&screenshots));
    Ok(())
}

/// What the staged sources say each page must show (see `book::expect`),
/// the Chinese edition's pages under `zh-CN/`.
fn expectations() -> Result<Value> {
    let mut all = read_expectations(&paths::book_stage())?;
    let zh = read_expectations(&i18n::zh::stage_dir())?;
    if let (Some(all), Some(zh)) = (all.as_object_mut(), zh.as_object()) {
        for (page, expect) in zh {
            all.insert(format!("{}/{page}", i18n::LANG), expect.clone());
        }
    }
    Ok(all)
}

fn read_expectations(stage: &Path) -> Result<Value> {
    let path = stage.join("expect.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "reading {}: build the book with `cargo xtask book`",
            path.display()
        )
    })?;
    Ok(serde_json::from_str(&text)?)
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
