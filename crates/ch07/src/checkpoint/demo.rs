//! Chapter 7 · Availability of hardware, shown end to end: the checkpointing
//! counter run as a separate process, interrupted the way a scheduler
//! evicts a job, and started again.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// Start `exe checkpoint` on `state`, ticking every `interval_ms`, and
/// return once it has said where it resumed (so its handlers are in place).
pub fn start(
    exe: &Path,
    state: &Path,
    interval_ms: u64,
    extra: &[&str],
) -> Result<(Child, String)> {
    let mut command = Command::new(exe);
    command
        .arg("checkpoint")
        .arg("--state")
        .arg(state)
        .args(["--interval-ms", &interval_ms.to_string()])
        .args(extra)
        .stderr(Stdio::piped());
    let (mut child, first) =
        workbench::workers::spawn_first_line(&mut command, exe)?;
    if first.is_empty() {
        let status = child.wait()?;
        let mut err = String::new();
        child.stderr.take().map(|mut e| e.read_to_string(&mut err));
        bail!("the checkpoint program stopped before starting ({status}): {err}");
    }
    Ok((child, first.trim_end().to_owned()))
}

/// Send `signal` to `child`, wait for it, and return its exit code and
/// the rest of what it printed.
pub fn stop(child: Child, signal: Signal) -> Result<(Option<i32>, String)> {
    let pid = Pid::from_raw(i32::try_from(child.id()).context("a pid")?);
    kill(pid, signal).with_context(|| format!("sending {signal}"))?;
    let output = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_owned();
    Ok((output.status.code(), text))
}

// ANCHOR: demo
/// Run the counter three times on one state file: interrupted with SIGQUIT
/// (the book's eviction warning), with Ctrl-C's SIGINT, then for three
/// ticks. Every run goes on from where the previous one stopped.
pub fn interrupt_and_resume(
    exe: &Path,
    dir: &Path,
    mut say: impl FnMut(String),
) -> Result<u64> {
    std::fs::create_dir_all(dir)?;
    let state = dir.join("counter.json");
    let _ = std::fs::remove_file(&state);
    for signal in [Signal::SIGQUIT, Signal::SIGINT] {
        let (child, first) = start(exe, &state, 20, &[])?;
        say(format!("run: {first}"));
        std::thread::sleep(Duration::from_millis(200));
        let (code, rest) = stop(child, signal)?;
        say(format!("     {rest}  (exit code {code:?})"));
        if code != Some(0) {
            bail!("the counter did not exit cleanly on {signal}");
        }
    }
    let (child, first) = start(exe, &state, 20, &["--ticks", "3"])?;
    say(format!("run: {first}"));
    let output = child.wait_with_output()?;
    say(format!(
        "     {}",
        String::from_utf8_lossy(&output.stdout).trim_end()
    ));
    let last = crate::checkpoint::load(&state)?;
    say(format!(
        "state file {}: {}",
        state.display(),
        std::fs::read_to_string(&state)?.trim_end()
    ));
    Ok(last.count)
}
// ANCHOR_END: demo
