//! Chapter 4 · Faults: the bounds on every task's input. A message is
//! data from anywhere; an input past its bound is a task error, never a
//! reason for a worker to crash or to hold a slot for ever.

use std::time::Duration;

/// The largest fib(n) started (the same bound as every chapter's).
pub const MAX_FIB_N: u32 = workbench::fib::MAX_N;

/// The most numbers one `sort` task sorts (the merge sort's chunks are
/// far smaller).
pub const MAX_SORT_LEN: usize = 20_000_000;

/// The longest `nap`.
pub const MAX_NAP: Duration = Duration::from_secs(3600);

/// The longest text an `echo` or `fail` task takes, in bytes.
pub const MAX_TEXT: usize = 1 << 20;

/// The longest currency pair a `rate` task asks for (`EURUSD`).
pub const MAX_PAIR: usize = 16;

/// `Ok(())` when `what` holds `len` items at most `max`, else why not.
pub fn at_most(what: &str, len: usize, max: usize) -> Result<(), String> {
    if len <= max {
        Ok(())
    } else {
        Err(format!("{what} is too large: {len} > {max}"))
    }
}

/// A nap of `seconds`, if it is a duration within [`MAX_NAP`].
pub fn nap(seconds: f64) -> Result<Duration, String> {
    match Duration::try_from_secs_f64(seconds) {
        Ok(pause) if pause <= MAX_NAP => Ok(pause),
        Ok(_) => Err(format!("nap({seconds}) is too large: at most {MAX_NAP:?}")),
        Err(e) => Err(format!("bad nap {seconds}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_past_their_bounds_are_errors() {
        assert!(workbench::fib::bounded(MAX_FIB_N).is_ok());
        let big = workbench::fib::bounded(1_000_000).expect_err("too large");
        assert!(big.contains("too large"), "{big}");
        assert!(at_most("a sort", 3, 2).is_err());
        assert!(at_most("a sort", 2, 2).is_ok());
        assert!(nap(1.5).is_ok());
        assert!(nap(1e9).is_err());
        assert!(nap(-1.0).is_err());
    }
}
