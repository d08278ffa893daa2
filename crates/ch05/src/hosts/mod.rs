//! Chapter 5 · Several hosts on one machine: the broker and each worker in
//! a Linux network namespace of its own, joined by veth pairs with 10.x
//! addresses, standing in for cloud instances. Traffic between them
//! crosses a real network stack; nothing of it is reachable from the host.
//! Needs root (`ip netns`, Debian `iproute2`).
//!
//! [`hosts_demo`] is the demo on them: a worker host cut off mid-job.

pub mod hosts_demo;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};
use workbench::bins::require_program;
use workbench::netns::ip;

/// The broker's port on its own host, as on an instance of its own.
pub const REDIS_PORT: u16 = 6379;

/// How long a process on a host gets to stop after SIGTERM.
const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// A broker host and `workers` worker hosts; dropping it stops every
/// process it started and deletes the namespaces.
#[derive(Debug)]
pub struct Hosts {
    pub broker: String,
    pub workers: Vec<String>,
    children: Vec<Child>,
    dir: workbench::services::TempDir,
}

impl Hosts {
    /// Worker host `i` (from 1) has `eth0` = 10.55.i.2/24; its peer in the
    /// broker's namespace has 10.55.i.1/24, the address the worker dials.
    pub fn create(workers: usize) -> Result<Self> {
        anyhow::ensure!(
            nix::unistd::geteuid().is_root(),
            "network namespaces need root: run as root (or with sudo)"
        );
        anyhow::ensure!((1..=16).contains(&workers), "1 to 16 worker hosts");
        let tag = std::process::id();
        let hosts = Hosts {
            broker: format!("ch05-{tag}-broker"),
            workers: (1..=workers).map(|i| format!("ch05-{tag}-w{i}")).collect(),
            children: Vec::new(),
            dir: workbench::services::TempDir::new("ch05-hosts")?,
        };
        // ANCHOR: create
        for name in std::iter::once(&hosts.broker).chain(&hosts.workers) {
            ip(&["netns", "add", name])?;
            ip(&["-n", name, "link", "set", "lo", "up"])?;
        }
        for (i, worker) in hosts.workers.iter().enumerate().map(|(i, w)| (i + 1, w))
        {
            let (near, far) = (format!("veth{i}"), "eth0");
            let b = hosts.broker.as_str();
            ip(&[
                "-n", b, "link", "add", &near, "type", "veth", "peer", "name", far,
            ])?;
            ip(&["-n", b, "link", "set", far, "netns", worker])?;
            // ANCHOR_END: create
            ip(&[
                "-n",
                b,
                "addr",
                "add",
                &format!("10.55.{i}.1/24"),
                "dev",
                &near,
            ])?;
            ip(&[
                "-n",
                worker,
                "addr",
                "add",
                &format!("10.55.{i}.2/24"),
                "dev",
                far,
            ])?;
            ip(&["-n", b, "link", "set", &near, "up"])?;
            ip(&["-n", worker, "link", "set", far, "up"])?;
        }
        Ok(hosts)
    }

    /// The broker's address as worker host `i` (from 1) sees it.
    pub fn redis_url(&self, i: usize) -> String {
        format!("redis://10.55.{i}.1:{REDIS_PORT}/0")
    }

    /// Start `redis-server` on the broker host, on its veth addresses. Its
    /// append-only file is the broker's own log of every write it made.
    pub fn start_redis(&mut self) -> Result<()> {
        let redis = require_program("redis-server", "redis-server")?;
        let binds: Vec<String> = (1..=self.workers.len())
            .map(|i| format!("10.55.{i}.1"))
            .collect();
        let mut command = self.command(&self.broker.clone(), &redis)?;
        command
            .arg("--bind")
            .args(&binds)
            .args(["--port", &REDIS_PORT.to_string(), "--save", ""])
            .args(["--appendonly", "yes", "--protected-mode", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null());
        self.spawn(command)
    }

    /// Cut worker host `i` (from 1) off: its link goes down on the broker's
    /// side, as when an instance's network fails. Its processes run on,
    /// unable to reach anything; nothing tells them or the broker.
    pub fn cut(&self, i: usize) -> Result<()> {
        ip(&[
            "-n",
            &self.broker,
            "link",
            "set",
            &format!("veth{i}"),
            "down",
        ])
    }

    /// How many times the broker stored a field of the hash `key` (an
    /// answer under its job id), counted in its append-only file: every
    /// `HSET` it executed, retries and duplicates included.
    pub fn stored_fields(&self, key: &str) -> Result<BTreeMap<String, usize>> {
        let dir = self.dir.path().join("appendonlydir");
        let mut counts = BTreeMap::new();
        for entry in
            std::fs::read_dir(&dir).with_context(|| dir.display().to_string())?
        {
            let path = entry?.path();
            if !path.to_string_lossy().ends_with(".incr.aof") {
                continue; // the base file holds the (empty) start state
            }
            let log =
                std::fs::read(&path).with_context(|| path.display().to_string())?;
            for command in resp_commands(&log)? {
                let hset = command
                    .first()
                    .is_some_and(|c| c.eq_ignore_ascii_case("hset"));
                if hset && command.get(1).is_some_and(|k| k == key) {
                    for field in command[2..].iter().step_by(2) {
                        *counts.entry(field.clone()).or_default() += 1;
                    }
                }
            }
        }
        Ok(counts)
    }

    /// `program` with `args` on host `host` (`ip netns exec`).
    pub fn command(&self, host: &str, program: &Path) -> Result<Command> {
        workbench::netns::Netns::new(host).exec(program)
    }

    /// Start a long-running process; it is stopped when `self` is dropped.
    pub fn spawn(&mut self, mut command: Command) -> Result<()> {
        let child = command.spawn().context("starting a process on a host")?;
        self.children.push(child);
        Ok(())
    }

    /// Run `command` to the end; its stdout, or an error with its stderr.
    pub fn output(command: &mut Command) -> Result<String> {
        let out = command.output().context("running a command on a host")?;
        if !out.status.success() {
            bail!("{}", String::from_utf8_lossy(&out.stderr).trim());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        // Workers first (they were started last), then the broker.
        for child in self.children.iter_mut().rev() {
            let _ = workbench::stop::terminate(child, GRACE);
        }
        for name in std::iter::once(&self.broker).chain(&self.workers) {
            let _ = ip(&["netns", "del", name]);
        }
    }
}

/// The commands of an append-only file: RESP arrays of bulk strings.
fn resp_commands(mut log: &[u8]) -> Result<Vec<Vec<String>>> {
    let mut commands = Vec::new();
    while !log.is_empty() {
        let count = resp_header(&mut log, b'*')?;
        let mut command = Vec::with_capacity(count);
        for _ in 0..count {
            let length = resp_header(&mut log, b'$')?;
            let bulk = log.get(..length).context("a bulk string cut short")?;
            command.push(String::from_utf8_lossy(bulk).into_owned());
            log = log
                .get(length + 2..)
                .context("no CRLF after a bulk string")?;
        }
        commands.push(command);
    }
    Ok(commands)
}

/// `*3\r\n` or `$5\r\n`: the number after `sigil`; `log` moves past it.
fn resp_header(log: &mut &[u8], sigil: u8) -> Result<usize> {
    let end = log
        .windows(2)
        .position(|w| w == b"\r\n")
        .context("no CRLF")?;
    let (head, rest) = (&log[..end], &log[end + 2..]);
    anyhow::ensure!(head.first() == Some(&sigil), "not RESP: {head:?}");
    let n = std::str::from_utf8(&head[1..])?.parse()?;
    *log = rest;
    Ok(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_append_only_file_reads_as_commands() {
        let log = b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n\
                    *4\r\n$4\r\nHSET\r\n$1\r\nr\r\n$5\r\nfib-1\r\n$4\r\n{\r\n}\r\n";
        let commands = super::resp_commands(log).expect("parses");
        assert_eq!(commands[1], ["HSET", "r", "fib-1", "{\r\n}"]);
        assert!(super::resp_commands(b"*1\r\n$9\r\nshort\r\n").is_err());
    }
}
