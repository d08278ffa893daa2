//! Chapter 6 · Running the engines' programs: output captured, a time limit,
//! and errors that quote what the program said.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
/// Whether a process is alive (a zombie counts as gone): workbench's.
pub use workbench::stop::alive;

/// Run `command` to the end, or kill its whole process group after
/// `limit`: an MPI job that hangs fails instead of blocking the caller.
pub fn output_within(command: &mut Command, limit: Duration) -> Result<Output> {
    let shown = show(command);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting `{shown}`"))?;
    let readers = [
        spawn_reader(&mut child, true),
        spawn_reader(&mut child, false),
    ];
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().context("waiting for a child")? {
            break status;
        }
        if start.elapsed() > limit {
            kill_group(child.id());
            let _ = child.wait();
            bail!("`{shown}` did not finish within {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let [stdout, stderr] = readers.map(|r| r.join().unwrap_or_default());
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

/// Like [`output_within`], and a non-zero exit is an error quoting stderr.
pub fn run_within(command: &mut Command, limit: Duration) -> Result<String> {
    let shown = show(command);
    let out = output_within(command, limit)?;
    if !out.status.success() {
        bail!(
            "`{shown}` failed ({}): {}",
            out.status,
            tail(&String::from_utf8_lossy(&out.stderr), 12)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn spawn_reader(
    child: &mut Child,
    stdout: bool,
) -> std::thread::JoinHandle<Vec<u8>> {
    let mut pipe: Box<dyn Read + Send> = if stdout {
        Box::new(child.stdout.take().expect("stdout is piped"))
    } else {
        Box::new(child.stderr.take().expect("stderr is piped"))
    };
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn kill_group(pid: u32) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    let _ = killpg(Pid::from_raw(pid as i32), Signal::SIGKILL);
}

/// The last `lines` lines of `text`, for error messages.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.trim_end().lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The command line as typed, for messages.
pub fn show(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|w| w.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hanging_program_is_killed_at_the_limit() {
        let mut sleeper = Command::new("sleep");
        sleeper.arg("30");
        let err = output_within(&mut sleeper, Duration::from_millis(200))
            .expect_err("must time out");
        assert!(err.to_string().contains("did not finish"), "{err}");
    }

    #[test]
    fn failures_quote_stderr() {
        let mut failing = Command::new("sh");
        failing.args(["-c", "echo broken pipe dream >&2; exit 4"]);
        let err =
            run_within(&mut failing, Duration::from_secs(5)).expect_err("fails");
        assert!(err.to_string().contains("broken pipe dream"), "{err}");
        assert!(alive(std::process::id() as i32));
        assert!(!alive(i32::MAX - 1));
    }
}
