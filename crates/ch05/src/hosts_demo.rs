//! Chapter 5 · The run across hosts: Redis on one namespace, a worker on
//! each of the others, and a client that pushes jobs from a worker host.
//! Every connection crosses a veth link between two network stacks.

use std::fmt;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::demo::wait_for_answers;
use crate::hosts::{Hosts, REDIS_PORT};
use crate::job::{Job, Outcome};
use crate::report::BrokerView;

/// What the run found.
#[derive(Debug, Clone)]
pub struct HostsReport {
    /// (host, worker's address, jobs it answered)
    pub workers: Vec<(String, String, usize)>,
    pub jobs: Vec<(Job, Option<Outcome>)>,
    /// Whether worker host 1 could reach worker host 2 (it should not:
    /// each worker host has a link to the broker host only).
    pub workers_see_each_other: bool,
}

/// Run `f` on a thread that has entered the network namespace `host`:
/// every socket it opens belongs to that host's network stack.
pub fn on_host<T: Send>(
    host: &str,
    f: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    std::thread::scope(|scope| {
        let thread = scope.spawn(|| {
            let path = format!("/run/netns/{host}");
            let ns = std::fs::File::open(&path).with_context(|| path.clone())?;
            nix::sched::setns(ns, nix::sched::CloneFlags::CLONE_NEWNET)
                .with_context(|| format!("entering {host}"))?;
            f()
        });
        thread
            .join()
            .map_err(|_| anyhow::anyhow!("the thread on {host} panicked"))?
    })
}

/// `workers` worker hosts serve `jobs` fib(n) jobs from a broker host.
pub fn run(
    program: &Path,
    workers: usize,
    jobs: usize,
    n: u32,
) -> Result<HostsReport> {
    let mut hosts = Hosts::create(workers)?;
    hosts.start_redis()?;
    let redis = SocketAddr::from(([10, 55, 1, 1], REDIS_PORT));
    on_host(&hosts.broker.clone(), || {
        wait_until("redis", || TcpStream::connect(redis).is_ok())
    })?;
    // ANCHOR: run
    let names = hosts.workers.clone();
    for (i, host) in names.iter().enumerate().map(|(i, h)| (i + 1, h)) {
        let mut worker = hosts.command(host, program)?;
        worker
            .arg("--exit-with-parent")
            .env("REDIS_URL", hosts.redis_url(i))
            .env("CH05_WORKER_ID", host)
            .env("CH05_HEALTH_ADDR", format!("10.55.{i}.2:8080"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        hosts.spawn(worker)?;
        let health: SocketAddr = format!("10.55.{i}.2:8080").parse()?;
        on_host(host, || {
            wait_until("ready", || crate::probe::is_ready(health).unwrap_or(false))
        })?;
    }
    // ANCHOR_END: run
    let jobs: Vec<Job> = (1..=jobs)
        .map(|i| Job::new(format!("fib-{i}"), n, 100))
        .collect();
    // The client: on worker host 1, through that host's link to the broker.
    let url = hosts.redis_url(1);
    let found = on_host(&names[0], || {
        let mut broker = BrokerView::connect(&url, "ch05:jobs")?;
        broker.push(&jobs)?;
        wait_for_answers(&mut broker, &jobs, Duration::from_secs(120))?;
        let mut found = Vec::new();
        for job in &jobs {
            found.push((job.clone(), broker.outcome(&job.id)?));
        }
        Ok(found)
    })?;
    let other = SocketAddr::from(([10, 55, 2, 2], 8080));
    let see_each_other = workers > 1
        && on_host(&names[0], || {
            Ok(TcpStream::connect_timeout(&other, Duration::from_secs(1)).is_ok())
        })?;
    let workers = names
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let count = found
                .iter()
                .filter(|(_, o)| o.as_ref().is_some_and(|o| &o.worker == host))
                .count();
            (host.clone(), format!("10.55.{}.2", i + 1), count)
        })
        .collect();
    Ok(HostsReport {
        workers,
        jobs: found,
        workers_see_each_other: see_each_other,
    })
}

fn wait_until(what: &str, mut check: impl FnMut() -> bool) -> Result<()> {
    let start = Instant::now();
    while !check() {
        anyhow::ensure!(start.elapsed() < Duration::from_secs(20), "never {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

impl HostsReport {
    /// Jobs without a verified answer.
    pub fn lost(&self) -> usize {
        let ok = |(job, o): &&(Job, Option<Outcome>)| {
            o.as_ref().is_some_and(|o| job.verify(o))
        };
        self.jobs.iter().filter(|j| !ok(j)).count()
    }
}

impl fmt::Display for HostsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "broker host: redis on 10.55.N.1:{REDIS_PORT}, one link per worker"
        )?;
        for (host, addr, count) in &self.workers {
            writeln!(f, "{host:<20} {addr:<12} {count:>4} jobs answered")?;
        }
        let reach = if self.workers_see_each_other {
            "yes"
        } else {
            "no"
        };
        writeln!(f, "worker hosts reach each other: {reach}")?;
        write!(f, "{} jobs, {} lost", self.jobs.len(), self.lost())
    }
}
