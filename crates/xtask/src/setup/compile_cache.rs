//! A compile cache that every checkout on this machine shares: sccache.
//!
//! A fresh clone compiles the workspace's ≈ 500 dependencies three times
//! (clippy's check build, the test build, the release build the notebooks
//! and figures run), and on two cores that was most of a fresh clone's
//! `cargo xtask test`. cargo's own target dir belongs to one checkout;
//! sccache keeps each compiled dependency under `~/.cache/sccache`, keyed by
//! its sources, flags and compiler, so a second clone (or the same clone
//! after `cargo clean`) gets them from the cache instead of from rustc.
//! What it cannot cache (procedural macros, build scripts, linking, the
//! workspace's own crates) is compiled as before.
//!
//! xtask sets `RUSTC_WRAPPER` for everything it starts: cargo,
//! the test binaries (which build worker binaries with cargo) and the
//! notebooks' kernels (whose cells build worker binaries too; evcxr's own
//! `:cache` covers the notebooks' crates). A `RUSTC_WRAPPER` of the user's
//! own is left alone, and `WORKBOOK_NO_COMPILE_CACHE=1` turns the cache
//! off.

use std::ffi::OsString;
use std::path::PathBuf;

use super::cargo_tools::SCCACHE;
use crate::process;

/// The variable that turns the cache off.
pub const OPT_OUT: &str = "WORKBOOK_NO_COMPILE_CACHE";

/// Seconds sccache's server stays up after the last compilation; the
/// default, ten minutes, would keep a process running long after CI ends.
const IDLE_SECS: &str = "120";

/// Use sccache from here on, if it is installed and nobody chose otherwise:
/// every command xtask starts after this gets `RUSTC_WRAPPER`. Returns the
/// wrapper in use, if any.
pub fn enable() -> Option<PathBuf> {
    if let Some(theirs) = user_wrapper() {
        return Some(PathBuf::from(theirs));
    }
    if std::env::var_os(OPT_OUT).is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    let sccache = SCCACHE.locate()?;
    process::pass_on("RUSTC_WRAPPER", &sccache);
    if std::env::var_os("SCCACHE_IDLE_TIMEOUT").is_none() {
        process::pass_on("SCCACHE_IDLE_TIMEOUT", IDLE_SECS);
    }
    Some(sccache)
}

/// A `RUSTC_WRAPPER` (or cargo's `build.rustc-wrapper` variable) the user
/// set.
fn user_wrapper() -> Option<OsString> {
    ["RUSTC_WRAPPER", "CARGO_BUILD_RUSTC_WRAPPER"]
        .into_iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
}

/// One line on how much the cache served, for the end of a long run:
/// `compile cache (sccache): 412 hits, 37 misses, 1.9 GiB in ~/.cache/sccache`.
pub fn summary() -> Option<String> {
    let sccache = process::passed_on("RUSTC_WRAPPER")?;
    let out = std::process::Command::new(&sccache)
        .args(["--show-stats", "--stats-format", "json"])
        .output()
        .ok()?;
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let stats = &stats["stats"];
    let count = |key: &str| -> u64 {
        stats[key]["counts"]
            .as_object()
            .map(|langs| langs.values().filter_map(|v| v.as_u64()).sum())
            .unwrap_or(0)
    };
    let (hits, misses) = (count("cache_hits"), count("cache_misses"));
    Some(format!(
        "compile cache (sccache): {hits} hits, {misses} misses since its server started"
    ))
}
