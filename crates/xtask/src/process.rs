//! Running programs: echo each command line, fail with the command in context.

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::paths;

/// Variables every command xtask starts gets (and what those start, by
/// inheritance): the compile cache's `RUSTC_WRAPPER`. Not echoed.
static PASSED_ON: Mutex<Vec<(&'static str, OsString)>> = Mutex::new(Vec::new());

/// From now on, every [`cmd`] sets `key` to `value`.
pub fn pass_on(key: &'static str, value: impl Into<OsString>) {
    let mut passed = PASSED_ON.lock().unwrap_or_else(|e| e.into_inner());
    passed.retain(|(k, _)| *k != key);
    passed.push((key, value.into()));
}

/// The value [`pass_on`] gave `key`, if any.
pub fn passed_on(key: &str) -> Option<OsString> {
    let passed = PASSED_ON.lock().unwrap_or_else(|e| e.into_inner());
    passed
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.clone())
}

/// A command run from the workspace root, without the variables that
/// `cargo run` set for xtask itself (they describe xtask, not the child),
/// with the ones xtask [passes on](pass_on).
pub fn cmd<I, S>(program: impl AsRef<OsStr>, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(program);
    command.args(args).current_dir(paths::root());
    for (key, _) in std::env::vars_os() {
        if key
            .to_str()
            .is_some_and(workbench::bins::is_set_by_cargo_run)
        {
            command.env_remove(key);
        }
    }
    let passed = PASSED_ON.lock().unwrap_or_else(|e| e.into_inner());
    for (key, value) in passed.iter() {
        command.env(key, value);
    }
    command
}

/// The command line as a person would type it.
///
/// Secrets never reach the terminal: a variable whose name says it holds
/// one is shown as `***`, and every URL's password is masked
/// (`REDIS_URL=redis://app:***@…`), as `workbench::redact` does everywhere.
pub fn show(command: &Command) -> String {
    let envs = command.get_envs().filter_map(|(k, v)| {
        let name = k.to_string_lossy();
        if passed_on(&name).is_some() {
            return None;
        }
        v.map(|v| match workbench::redact::is_secret_name(&name) {
            true => format!("{name}={}", workbench::redact::MASK),
            false => format!("{name}={}", quote(v)),
        })
    });
    let words = std::iter::once(quote(command.get_program()))
        .chain(command.get_args().map(quote));
    envs.chain(words).collect::<Vec<_>>().join(" ")
}

fn quote(word: &OsStr) -> String {
    let word = workbench::redact::text(&word.to_string_lossy());
    let plain = |c: char| c.is_alphanumeric() || "-_./=:,+@%^".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Running a [`Command`] the xtask way.
pub trait RunExt {
    /// Echo `$ command`, run it with inherited output, fail unless it succeeds.
    fn run(&mut self) -> Result<()>;
    /// Run quietly; true when it started and exited 0.
    fn succeeds(&mut self) -> bool;
    /// Run quietly and return its stdout; fail unless it exits 0.
    fn read(&mut self) -> Result<String>;
    /// Echo and run with stdout shown and stderr kept; on failure the error
    /// is the program's own last `error:` line (or its last line).
    fn output_with_stderr_tail(&mut self) -> Result<()>;
}

impl RunExt for Command {
    fn run(&mut self) -> Result<()> {
        let line = show(self);
        println!("$ {line}");
        let status = self
            .status()
            .with_context(|| format!("could not start `{line}`"))?;
        if !status.success() {
            bail!("`{line}` failed: {status}");
        }
        Ok(())
    }

    fn succeeds(&mut self) -> bool {
        self.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    fn read(&mut self) -> Result<String> {
        let line = show(self);
        let out = self
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("could not start `{line}`"))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            bail!("`{line}` failed: {}\n{}", out.status, err.trim_end());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn output_with_stderr_tail(&mut self) -> Result<()> {
        let line = show(self);
        println!("$ {line}");
        let out = self
            .stdin(Stdio::null())
            .stdout(Stdio::inherit())
            .output()
            .with_context(|| format!("could not start `{line}`"))?;
        if out.status.success() {
            return Ok(());
        }
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> =
            err.lines().filter(|l| !l.trim().is_empty()).collect();
        let reason = lines
            .iter()
            .rev()
            .find(|l| l.starts_with("error"))
            .or(lines.last())
            .map_or_else(
                || format!("exited with {}", out.status),
                |l| l.to_string(),
            );
        bail!("{reason}")
    }
}

/// Echo and run, capturing output; kill the program after `limit`.
pub fn output_with_timeout(
    command: &mut Command,
    limit: Duration,
) -> Result<Output> {
    let line = show(command);
    println!("$ {line}");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{line}`"))?;
    // Drain both pipes on threads so a chatty child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`{line}` did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let join = |h: std::thread::JoinHandle<Vec<u8>>| h.join().unwrap_or_default();
    Ok(Output {
        status,
        stdout: join(stdout),
        stderr: join(stderr),
    })
}

/// `cargo` from `PATH` (rustup's proxy honours rust-toolchain.toml), else
/// the one that runs xtask (`cargo run` sets `CARGO`).
pub fn cargo() -> PathBuf {
    match std::env::var_os("CARGO") {
        Some(ours) if which("cargo").is_none() => PathBuf::from(ours),
        _ => PathBuf::from("cargo"),
    }
}

/// The first `name` found on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod show_tests {
    use super::*;

    /// A password in a URL, in an argument or a variable, and a variable
    /// named like a secret: none of them printed.
    #[test]
    fn show_masks_every_secret() {
        let mut command = Command::new("ch04");
        command
            .env("REDIS_URL", "redis://app:pw123@127.0.0.1:6379/0")
            .env("APP_TOKEN", "tok456")
            .args(["--broker", "rediss://app:pw789@host/0"]);
        let line = show(&command);
        for secret in ["pw123", "tok456", "pw789"] {
            assert!(!line.contains(secret), "{secret} shown: {line}");
        }
        assert!(line.contains("redis://app:***@127.0.0.1:6379/0"), "{line}");
    }

    /// A variable passed on (the compile cache's wrapper) reaches every
    /// command and is not echoed with each.
    #[test]
    fn passed_on_variables_reach_every_command_unechoed() {
        pass_on("XTASK_TEST_PASSED_ON", "/opt/wrapper");
        let command = cmd("cargo", ["build"]);
        let set = command
            .get_envs()
            .find(|(k, _)| *k == "XTASK_TEST_PASSED_ON")
            .and_then(|(_, v)| v);
        assert_eq!(set, Some(OsStr::new("/opt/wrapper")));
        assert_eq!(show(&command), "cargo build");
    }
}
