//! Chapter 5 · The run across hosts: Redis on one namespace, a worker on
//! each of the others, and a client that pushes jobs from a worker host.
//! Every connection crosses a veth link between two network stacks. With
//! two worker hosts or more, the last one is cut off in the middle.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::demo::wait_for_answers;
use crate::hosts::{Hosts, REDIS_PORT};
use crate::job::{Job, Outcome};
use crate::queue::Keys;
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
    /// The worker host cut off mid-run, if any.
    pub cut: Option<Cut>,
    /// job id -> how many times the broker stored an answer for it.
    pub stored: BTreeMap<String, usize>,
}

/// A worker host whose link went down while it held a job.
#[derive(Debug, Clone)]
pub struct Cut {
    pub host: String,
    /// Jobs answered by anyone before the link went down.
    pub answered_before: u64,
    /// The jobs in its processing list on the broker after the cut: taken,
    /// never finished, waiting for its heartbeat to lapse.
    pub stranded: Vec<String>,
}

/// The heartbeat of the run's workers: after this long without one, a
/// worker's jobs go back to the queue (the default, 10 s, is for real
/// networks; the run would wait that long for the cut host's job). Not
/// shorter: a live worker stalled this long on a busy machine would have
/// its job done twice.
const HEARTBEAT_SECONDS: &str = "3";

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
            .env("CH05_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
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
        .map(|i| Job::new(format!("fib-{i}"), n, JOB_IO_MS))
        .collect();
    // The client: on worker host 1, through that host's link to the broker.
    let url = hosts.redis_url(1);
    let pushed = on_host(&names[0], || {
        BrokerView::connect(&url, "ch05:jobs")?.push(&jobs)
    });
    pushed?;
    // A third of the way through (some jobs answered, more to take), the
    // last worker host loses its link while it holds a job.
    let last = names.len();
    let cut = if cuts_a_host(last) {
        let after = (jobs.len() / 3).min(jobs.len().saturating_sub(last));
        Some(cut_when_busy(&hosts, last, after as u64)?)
    } else {
        None
    };
    let found = on_host(&names[0], || {
        let mut broker = BrokerView::connect(&url, "ch05:jobs")?;
        wait_for_answers(&mut broker, &jobs, Duration::from_secs(60))?;
        let mut found = Vec::new();
        for job in &jobs {
            found.push((job.clone(), broker.outcome(&job.id)?));
        }
        Ok(found)
    })?;
    let stored = hosts.stored_fields(&Keys::new("ch05:jobs").results())?;
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
        cut,
        stored,
    })
}

/// What a run of `workers` hosts and `jobs` jobs is about to do, for the
/// terminal: it shows nothing for several seconds, and the cut-off host's
/// worker warns that it lost the broker.
pub fn announce(workers: usize, jobs: usize) -> String {
    let cut = if cuts_a_host(workers) {
        "; the last host is cut off mid-run, so its worker's warnings are expected"
    } else {
        ""
    };
    format!("({workers} worker hosts, {jobs} jobs{cut})")
}

/// Whether a run of `workers` worker hosts cuts its last one off: not
/// when it is the only one, which also sends the jobs.
fn cuts_a_host(workers: usize) -> bool {
    workers >= 2
}

/// What `ch05 figures` captures for the page: three worker hosts, nine
/// jobs, the last host cut off. It needs root; without it the committed
/// capture stays, and this says so.
pub fn capture(program: &Path, out: &Path) -> Result<()> {
    let path = out.join("ch05-hosts.txt");
    if !nix::unistd::geteuid().is_root() {
        eprintln!("hosts: not root, {} kept as committed", path.display());
        return Ok(());
    }
    let (workers, jobs) = (3, 9);
    println!("ch05 hosts  {}", announce(workers, jobs));
    let report = run(program, workers, jobs, 22)?;
    let ok = report.lost() == 0 && report.not_stored_once().is_empty();
    anyhow::ensure!(ok, "the run across hosts went wrong:\n{report}");
    let command = "$ sudo cargo run -p ch05 -- hosts --workers 3 --jobs 9 --n 22";
    workbench::record::write_creating_dirs(&path, &format!("{command}\n{report}\n"))
}

/// Each job's "download" (ms): long enough that a worker is caught holding
/// one when its link goes down.
const JOB_IO_MS: u64 = 300;

// ANCHOR: cut
/// Watch from the broker host until `after` jobs are answered and worker
/// host `i` holds one, then take its link down, and see which jobs it left
/// in its processing list.
fn cut_when_busy(hosts: &Hosts, i: usize, after: u64) -> Result<Cut> {
    let host = hosts.workers[i - 1].clone();
    let keys = Keys::new("ch05:jobs");
    let (processing, results) = (keys.processing(&host), keys.results());
    on_host(&hosts.broker, || {
        let mut redis = broker_connection()?;
        let mut held = || -> Result<(u64, Vec<String>)> {
            let answered = redis::cmd("HLEN").arg(&results).query(&mut redis)?;
            let mut lrange = redis::cmd("LRANGE");
            let jobs = lrange.arg(&processing).arg(0).arg(-1).query(&mut redis)?;
            Ok((answered, jobs))
        };
        wait_until("busy", || {
            held()
                .is_ok_and(|(answered, jobs)| answered >= after && !jobs.is_empty())
        })?;
        hosts.cut(i)?;
        let (answered_before, jobs) = held()?;
        let stranded = jobs
            .iter()
            .map(|raw| Job::parse(raw).map(|job| job.id))
            .collect::<Result<_>>()?;
        Ok(Cut {
            host: host.clone(),
            answered_before,
            stranded,
        })
    })
}
// ANCHOR_END: cut

/// A connection to Redis from the broker host itself, with deadlines.
fn broker_connection() -> Result<redis::Connection> {
    let url = format!("redis://10.55.1.1:{REDIS_PORT}/0");
    let client = redis::Client::open(url)?;
    let redis = client
        .get_connection_with_timeout(Duration::from_secs(2))
        .context("to redis on the broker host")?;
    redis.set_read_timeout(Some(Duration::from_secs(5)))?;
    redis.set_write_timeout(Some(Duration::from_secs(5)))?;
    Ok(redis)
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

    /// Jobs whose answer the broker stored other than once.
    pub fn not_stored_once(&self) -> Vec<(String, usize)> {
        self.jobs
            .iter()
            .map(|(job, _)| (job.id.clone(), self.stored.get(&job.id).copied()))
            .filter(|(_, count)| *count != Some(1))
            .map(|(id, count)| (id, count.unwrap_or(0)))
            .collect()
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
        if let Some(cut) = &self.cut {
            writeln!(
                f,
                "{} cut off after {} answers, holding {}",
                cut.host,
                cut.answered_before,
                cut.stranded.join(", ")
            )?;
            for id in &cut.stranded {
                let by = self.jobs.iter().find(|(job, _)| &job.id == id);
                let by = by
                    .and_then(|(_, o)| o.as_ref())
                    .map_or("nobody", |o| &o.worker);
                writeln!(f, "{id:<20} answered by {by}")?;
            }
        }
        write!(f, "{} jobs, {} lost; ", self.jobs.len(), self.lost())?;
        match self.not_stored_once() {
            odd if odd.is_empty() => write!(f, "the broker stored each answer once"),
            odd => write!(f, "stored other than once (id, times): {odd:?}"),
        }
    }
}
