//! Chapter 3 · The future API: submit, running, done, result with a
//! time-out (the book's `mpfib.py` session with fib(38) = 39088169).

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::fib::fib;
use crate::pool::{FutureError, ThreadPool};

// ANCHOR: demo
/// Submit `fib(n)` to a pool and question its future, writing what it says.
pub fn demo(n: u32, impatience: Duration, mut out: impl Write) -> Result<u64> {
    let pool = ThreadPool::new(2);
    let start = Instant::now();
    let future = pool.submit(move || fib(n));
    let state = || format!("running: {}  done: {}", future.running(), future.done());
    writeln!(out, "submitted fib({n})")?;
    while !future.running() && !future.done() {
        std::thread::yield_now(); // a pool thread picks it up in microseconds
    }
    writeln!(out, "{}", state())?;
    match future.result(impatience) {
        Err(FutureError::TimedOut(t)) => {
            writeln!(out, "result(timeout={t:?}): not yet")?
        }
        Ok(value) => {
            writeln!(out, "result(timeout={impatience:?}): {value} already")?
        }
        Err(other) => bail!("fib({n}) failed: {other}"),
    }
    let value = future.result(Duration::from_secs(600))?;
    writeln!(out, "result() = {value} after {:.2?}", start.elapsed())?;
    writeln!(out, "{}", state())?;
    Ok(value)
}
// ANCHOR_END: demo

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_reports_the_lifecycle() {
        let mut out = Vec::new();
        let value = demo(27, Duration::ZERO, &mut out).expect("runs");
        assert_eq!(value, 196_418);
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("submitted fib(27)\n"), "{text}");
        assert!(text.contains("result() = 196418"), "{text}");
        assert!(
            text.trim_end().ends_with("running: false  done: true"),
            "{text}"
        );
    }
}
