//! Chapter 6 · Problem sizes behind `--size quick|full|N`.

use anyhow::Result;
use workbench::Size;
use workbench::cli::UsageError;

/// The largest fib(n) a run may ask for: fib(45) × 8 is minutes of work
/// here, fib(60) would be days.
pub const MAX_FIB_N: u64 = 45;

/// The sweep runs fib(20) up to fib(N): N within these.
pub const SWEEP_N: std::ops::RangeInclusive<u64> = 20..=MAX_FIB_N;

pub use workbench::fib::FibSize;

/// The fib tasks of the book's records `ch06-fib` and `ch06-fib-full`.
pub const FIGURE_FIB_TASKS: usize = 8;

/// The message sizes (bytes) of the book's record `ch06-pingpong`, the
/// same at every `--size`.
pub const FIGURE_PINGPONG_SIZES: [usize; 7] =
    [8, 64, 512, 4096, 32768, 262_144, 1_048_576];

/// `tasks` copies of fib(n). quick: fib(36) × 8, where starting an MPI job
/// (≈0.15 s here) costs as much as the work; full: fib(43) × 8, about four
/// seconds of work per rank, so the start-up fades; N: fib(N), refused past
/// [`MAX_FIB_N`] (a usage error) rather than silently made smaller.
pub fn fib_size(size: Size, tasks: usize) -> Result<FibSize> {
    let n = match size {
        Size::Quick => 36,
        Size::Full => 43,
        Size::N(n) if n > MAX_FIB_N => {
            return Err(UsageError(format!(
                "--size {n}: fib(n) takes hours past 45; n must be at most \
                 {MAX_FIB_N}"
            ))
            .into());
        }
        Size::N(n) => n as u32,
    };
    Ok(FibSize { n, tasks })
}

/// The sweep record's `size` for the fib sizes `sizes` (from
/// [`sweep_sizes`]): `30..=38` and how many.
pub fn sweep_record_size(sizes: &[u32]) -> serde_json::Value {
    let (first, last) = (sizes.first(), sizes.last());
    let range = format!("{}..={}", first.unwrap_or(&0), last.unwrap_or(&0));
    serde_json::json!({ "fib_sizes": range, "tasks": sizes.len() })
}

/// The sweep's fib sizes: one array task each.
pub fn sweep_sizes(size: Size) -> Result<Vec<u32>> {
    Ok(match size {
        Size::Quick => (30..=38).collect(),
        Size::Full => (32..=42).collect(),
        Size::N(n) if !SWEEP_N.contains(&n) => {
            return Err(UsageError(format!(
                "--size {n}: the sweep runs fib(20) to fib(N), N from {} to {}",
                SWEEP_N.start(),
                SWEEP_N.end()
            ))
            .into());
        }
        Size::N(n) => (20..=n as u32).collect(),
    })
}
