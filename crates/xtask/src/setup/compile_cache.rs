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

/// Seconds sccache's server stays up after the last compilation (its
/// default is ten minutes). Longer than the longest step without a build
/// (the notebooks run for up to half an hour after their release build),
/// so that one server counts a whole `cargo xtask test`, which stops it
/// when it ends ([`stop`]); after other commands it exits by itself.
const IDLE_SECS: &str = "2400";

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
    process::pass_on("RUSTC_WRAPPER", sccache.as_os_str());
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

/// The wrapper is ours (not the user's) and in use.
fn ours() -> Option<PathBuf> {
    process::passed_on("RUSTC_WRAPPER").map(PathBuf::from)
}

/// Count from zero (the start of `cargo xtask test`).
pub fn zero_stats() {
    if let Some(sccache) = ours() {
        let _ = std::process::Command::new(sccache)
            .arg("--zero-stats")
            .stdout(std::process::Stdio::null())
            .status();
    }
}

/// One line on how much the cache served since [`zero_stats`], for the end
/// of a long run: `compile cache (sccache): 412 hits, 37 misses`.
pub fn summary() -> Option<String> {
    let out = std::process::Command::new(ours()?)
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
    let uncacheable = stats["requests_not_cacheable"].as_u64().unwrap_or(0);
    Some(format!(
        "compile cache (sccache): {hits} hits, {misses} misses, {uncacheable} not cacheable \
         (proc-macros, binaries, the workspace's incremental crates)"
    ))
}

/// Stop sccache's server, so that no process outlives `cargo xtask test`
/// (CI's run ends with it; another build's next compilation would start a
/// new one).
pub fn stop() {
    if let Some(sccache) = ours() {
        let _ = std::process::Command::new(sccache)
            .arg("--stop-server")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}
