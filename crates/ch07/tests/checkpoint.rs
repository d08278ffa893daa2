//! Chapter 7 · The checkpointing counter as a separate process: interrupted
//! by the signals a scheduler sends, killed outright, fed a bad state file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use ch07::checkpoint::demo::{start, stop};
use ch07::checkpoint::{load, temp_path};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use workbench::testing::{assert_fails, scratch_file, succeeds};

const CH07: &str = env!("CARGO_BIN_EXE_ch07");

/// A fresh, empty scratch dir (removed when the guard drops) and the state
/// file's path inside it.
fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
    scratch_file(&format!("ch07-{name}-"), "state.json")
}

/// `ch07 checkpoint ARGS --state STATE` run to its end.
fn checkpoint(args: &[&str], state: &Path) -> Output {
    Command::new(CH07)
        .arg("checkpoint")
        .args(args)
        .arg("--state")
        .arg(state)
        .output()
        .expect("runs")
}

/// Wait until the counter has saved a count above `count` (it ticks every
/// few milliseconds; the deadline only guards against a hung test).
fn wait_for_count_above(state: &Path, count: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while load(state).map_or(0, |s| s.count) <= count {
        assert!(
            Instant::now() < deadline,
            "the counter never passed {count}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Start the counter, let it tick at least once, send `signal`; the saved
/// count it reports.
fn interrupted(state: &Path, signal: Signal) -> u64 {
    let (child, first) = start(Path::new(CH07), state, 5, &[]).expect("started");
    assert!(first.starts_with("resumed at count"), "{first}");
    let before = load(state).expect("readable").count;
    wait_for_count_above(state, before);
    let (code, rest) = stop(child, signal).expect("stopped");
    assert_eq!(code, Some(0), "{signal} should end it cleanly: {rest}");
    let saved: u64 = rest
        .rsplit("saved count ")
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no saved count in {rest:?}"));
    assert!(rest.contains(signal.as_str()), "{rest}");
    assert_eq!(load(state).expect("a valid file").count, saved);
    saved
}

#[test]
fn sigquit_saves_and_a_restart_continues_from_the_count() {
    let (_dir, state) = scratch("sigquit");
    let first = interrupted(&state, Signal::SIGQUIT);
    assert!(first > 0, "it ticked before the signal");
    let out = checkpoint(&["--interval-ms", "1", "--ticks", "4"], &state);
    let stdout = succeeds(&out);
    assert!(
        stdout.contains(&format!("resumed at count {first}")),
        "{stdout}"
    );
    assert_eq!(load(&state).expect("valid").count, first + 4);
}

#[test]
fn sigint_and_sigterm_also_save_and_exit_0() {
    let (_dir, state) = scratch("sigint");
    let after_int = interrupted(&state, Signal::SIGINT);
    let after_term = interrupted(&state, Signal::SIGTERM);
    assert!(after_term > after_int, "{after_int} then {after_term}");
}

#[test]
fn sigkill_at_any_moment_leaves_a_valid_state_file() {
    let (_dir, state) = scratch("sigkill");
    let mut last = 0;
    for round in 0..15u64 {
        let (child, _) = start(Path::new(CH07), &state, 0, &[]).expect("started");
        // Interval 0: it saves as fast as it can, so the kill lands mid-save
        // in some rounds; the wait differs per round.
        std::thread::sleep(Duration::from_millis(3 + round * 7 % 40));
        let pid = Pid::from_raw(child.id() as i32);
        kill(pid, Signal::SIGKILL).expect("killed");
        let output = child.wait_with_output().expect("reaped");
        assert_eq!(output.status.code(), None, "killed by a signal");
        // Killed before its first save ever finished, there is no file yet
        // (a fresh start); once there is one, it never goes away.
        assert!(
            state.exists() || last == 0,
            "round {round}: the file vanished"
        );
        let text = std::fs::read_to_string(&state).unwrap_or_default();
        let saved = load(&state)
            .unwrap_or_else(|e| panic!("round {round}: {e:#}: {text:?}"));
        assert!(saved.count >= last, "round {round}: went back from {last}");
        last = saved.count;
    }
    // Whatever the last kill left (perhaps a temporary file too), the next
    // run resumes from the last complete save.
    succeeds(&checkpoint(&["--interval-ms", "0", "--ticks", "1"], &state));
    assert_eq!(load(&state).expect("valid").count, last + 1);
    assert!(!temp_path(&state).exists(), "the last save renamed it away");
}

#[test]
fn a_corrupt_state_file_is_a_clear_error_with_exit_1() {
    let (_dir, state) = scratch("corrupt");
    std::fs::write(&state, "{\"count\": 3").expect("written");
    let out = checkpoint(&["--ticks", "1"], &state);
    assert_fails(&out, 1, "is not a valid checkpoint");
    assert_eq!(
        std::fs::read_to_string(&state).expect("kept"),
        "{\"count\": 3",
        "left alone"
    );
}

#[test]
fn an_unreadable_state_file_is_a_clear_error_with_exit_1() {
    // A directory where the file should be: unreadable even for root.
    let (_dir, state) = scratch("unreadable");
    std::fs::create_dir_all(&state).expect("a directory in the way");
    let out = checkpoint(&["--ticks", "1"], &state);
    assert_fails(&out, 1, "cannot read state file");
}
