//! Chapter 6 · munge: how Slurm's daemons and commands trust each other.
//!
//! Every message carries a credential sealed with a key shared by all
//! nodes; `munged` seals and checks them. Here it runs on this one machine.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use nix::unistd::{User, chown};
use workbench::bins::require_program;

pub const KEY: &str = "/etc/munge/munge.key";
const RUN_DIR: &str = "/run/munge";
pub const PID_FILE: &str = "/run/munge/munged.pid";

/// Whether a munged answers: seal an empty credential.
pub fn answering() -> bool {
    Command::new("munge")
        .arg("-n")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Make sure a key exists, creating one (as root) when it is missing.
pub fn ensure_key() -> Result<Option<String>> {
    if Path::new(KEY).is_file() {
        return Ok(None);
    }
    if !nix::unistd::geteuid().is_root() {
        bail!(
            "the munge key {KEY} is missing: create it as root with \
             `mungekey --create` (or `cargo run -p ch06 -- cluster up` as root)"
        );
    }
    let mungekey = require_program("mungekey", "munge")?;
    let status = Command::new(mungekey)
        .args(["--create", "--keyfile", KEY])
        .status()
        .context("running mungekey")?;
    anyhow::ensure!(status.success(), "mungekey --create failed ({status})");
    let munge = munge_user()?;
    chown(KEY, Some(munge.uid), Some(munge.gid))
        .context("chown of the munge key")?;
    Ok(Some(format!("created the munge key {KEY}")))
}

/// Start munged as user munge unless one already answers; `Ok(true)` when
/// this call started it.
pub fn start() -> Result<bool> {
    if answering() {
        return Ok(false);
    }
    let munged = require_program("munged", "munge")?;
    let munge = munge_user()?;
    std::fs::create_dir_all(RUN_DIR)
        .with_context(|| format!("creating {RUN_DIR}"))?;
    chown(RUN_DIR, Some(munge.uid), Some(munge.gid))
        .with_context(|| format!("handing {RUN_DIR} to munge"))?;
    let status = Command::new("runuser")
        .args(["-u", "munge", "--"])
        .arg(munged)
        .status()
        .context("starting munged through runuser")?;
    anyhow::ensure!(status.success(), "munged did not start ({status})");
    let start = Instant::now();
    while !answering() {
        if start.elapsed() > Duration::from_secs(10) {
            bail!(
                "munged started but does not answer; see /var/log/munge/munged.log"
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(true)
}

fn munge_user() -> Result<User> {
    User::from_name("munge")
        .context("looking up the user `munge`")?
        .context("there is no user `munge`: `apt-get install munge` creates it")
}
