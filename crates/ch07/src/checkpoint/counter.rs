//! Chapter 7 · Availability of hardware: the book's checkpointing counter.
//!
//! One increment per tick, resumed from the state file and saved after
//! every tick. When the machine is about to be taken away (SIGQUIT, then
//! SIGKILL a little later, as the book's schedulers do; SIGTERM from most
//! others) or the user presses Ctrl-C (SIGINT), it saves once more and
//! exits cleanly.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use signal_hook::consts::{SIGINT, SIGQUIT, SIGTERM};

use crate::checkpoint::{State, load, save};

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub state: State,
    /// The signal that stopped the run, or `None` after `--ticks` ticks.
    pub signal: Option<&'static str>,
}

/// A signal's name, for the log line.
pub fn signal_name(signal: usize) -> &'static str {
    match signal as i32 {
        SIGQUIT => "SIGQUIT",
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        _ => "a signal",
    }
}

// ANCHOR: run
/// Count from the saved state, one tick per `interval`, saving after each
/// tick; stop after `ticks` ticks (if given) or on SIGQUIT, SIGINT or
/// SIGTERM, saving first. `log` hears when the run starts and ends.
pub fn run(
    path: &Path,
    interval: Duration,
    ticks: Option<u64>,
    mut log: impl Write,
) -> Result<Ending> {
    let caught = Arc::new(AtomicUsize::new(0));
    for signal in [SIGQUIT, SIGINT, SIGTERM] {
        // On the signal, only a flag is set; the loop below does the rest.
        signal_hook::flag::register_usize(
            signal,
            Arc::clone(&caught),
            signal as usize,
        )
        .context("installing the signal handlers")?;
    }
    let mut state = load(path)?;
    writeln!(
        log,
        "resumed at count {} from {}",
        state.count,
        path.display()
    )?;
    log.flush()?;
    // ANCHOR: tick_loop
    let mut done = 0;
    loop {
        if let Some(signal) = stop_requested(&caught, interval) {
            save(path, &state)?;
            writeln!(
                log,
                "{} received: saved count {}",
                signal_name(signal),
                state.count
            )?;
            return Ok(Ending {
                state,
                signal: Some(signal_name(signal)),
            });
        }
        state.count = state.count.checked_add(1).ok_or_else(|| {
            workbench::cli::UsageError(format!(
                "{}: the count is at its maximum ({}); it cannot go further",
                path.display(),
                u64::MAX
            ))
        })?;
        save(path, &state)?;
        tracing::debug!(count = state.count, "tick");
        done += 1;
        if ticks.is_some_and(|limit| done >= limit) {
            writeln!(log, "{done} ticks done: saved count {}", state.count)?;
            return Ok(Ending {
                state,
                signal: None,
            });
        }
    }
    // ANCHOR_END: tick_loop
}
// ANCHOR_END: run

/// Wait out one tick in short slices, so a signal is answered at once.
fn stop_requested(caught: &AtomicUsize, interval: Duration) -> Option<usize> {
    let slice = Duration::from_millis(5);
    let mut waited = Duration::ZERO;
    loop {
        match caught.load(Ordering::SeqCst) {
            0 => {}
            signal => return Some(signal),
        }
        if waited >= interval {
            return None;
        }
        let step = slice.min(interval - waited);
        std::thread::sleep(step);
        waited += step;
    }
}

#[cfg(test)]
mod tests {
    use workbench::services::TempDir;

    use super::*;

    #[test]
    fn ticks_resume_from_the_saved_count() {
        let dir = TempDir::new("ch07-ticks").expect("scratch dir");
        let path = dir.path().join("state.json");
        save(&path, &State { count: 7 }).expect("saved");
        let mut log = Vec::new();
        let end = run(&path, Duration::ZERO, Some(3), &mut log).expect("ran");
        assert_eq!(
            end,
            Ending {
                state: State { count: 10 },
                signal: None
            }
        );
        assert_eq!(load(&path).expect("loaded").count, 10);
        assert!(String::from_utf8_lossy(&log).contains("resumed at count 7"));
    }
}
