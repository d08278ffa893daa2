//! Workbench · Stopping processes: SIGTERM, a grace period, then SIGKILL —
//! what `docker stop` and Kubernetes do, and what every chapter's launcher
//! and local service does when it is done with a process. Written once
//! here: chapter 4's workers, chapter 5's hosts, chapter 6's daemons and
//! the local services all stop this way.

use std::process::Child;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// How often a stopping process is looked at.
const POLL: Duration = Duration::from_millis(20);

/// SIGTERM `child`, then SIGKILL it if it is still running after `grace`;
/// always reaps it. `true` if it had to be killed.
pub fn terminate(child: &mut Child, grace: Duration) -> Result<bool> {
    Ok(!terminate_all(std::slice::from_mut(child), grace)?.is_empty())
}

/// SIGTERM every child at once, give them `grace` together, then SIGKILL
/// whoever is still running; all are reaped. The pids that had to be
/// killed (for the caller to say so).
pub fn terminate_all(children: &mut [Child], grace: Duration) -> Result<Vec<u32>> {
    for child in children.iter() {
        if let Ok(pid) = i32::try_from(child.id()) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        }
    }
    let start = Instant::now();
    let mut killed = Vec::new();
    for child in children.iter_mut() {
        while child.try_wait()?.is_none() && start.elapsed() < grace {
            std::thread::sleep(POLL);
        }
        if child.try_wait()?.is_none() {
            killed.push(child.id());
            let _ = child.kill();
            child.wait().context("reaping a killed process")?;
        }
    }
    Ok(killed)
}

/// The same for a process that is not our child (a daemon that forked
/// away): SIGTERM, SIGKILL after `grace`, and an error naming `name` if it
/// is still there after twice `grace`.
pub fn terminate_pid(pid: i32, name: &str, grace: Duration) -> Result<()> {
    let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
    let start = Instant::now();
    while alive(pid) {
        if start.elapsed() > grace {
            let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
        }
        if start.elapsed() > 2 * grace {
            bail!("{name} (pid {pid}) did not stop");
        }
        std::thread::sleep(POLL);
    }
    Ok(())
}

/// Whether process `pid` exists and is not a zombie (`/proc/PID/stat`).
pub fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Command;

    use super::*;

    #[test]
    fn a_process_that_heeds_sigterm_is_not_killed() {
        let mut child = Command::new("sleep").arg("600").spawn().expect("sleep");
        let killed = terminate(&mut child, Duration::from_secs(30)).expect("stops");
        assert!(!killed);
        let status = child.wait().expect("reaped already");
        assert_eq!(status.signal(), Some(Signal::SIGTERM as i32));
    }

    #[test]
    fn one_that_ignores_it_is_killed_after_the_grace() {
        // An ignored signal stays ignored across exec: `sleep` ignores it.
        let script = "trap '' TERM; echo ready; exec sleep 600";
        let mut ignoring = Command::new("sh")
            .args(["-c", script])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("sh");
        let mut ready = String::new();
        let stdout = ignoring.stdout.take().expect("piped");
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(stdout),
            &mut ready,
        )
        .expect("reads");
        let mut heeding = Command::new("sleep").arg("600").spawn().expect("sleep");
        let pid = ignoring.id();
        let mut both = [ignoring, heeding];
        let killed =
            terminate_all(&mut both, Duration::from_millis(300)).expect("ok");
        assert_eq!(killed, [pid]);
        heeding = both.into_iter().nth(1).expect("two");
        assert!(!alive(heeding.id() as i32));
    }

    #[test]
    fn alive_tells_this_process_from_a_missing_one() {
        assert!(alive(std::process::id() as i32));
        assert!(!alive(i32::MAX - 1));
    }
}
