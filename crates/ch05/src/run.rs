//! Chapter 5 · What each subcommand of the CLI does.

use anyhow::{Context, Result};
use ch05::demo::DemoOptions;
use ch05::job::{Job, MAX_IO_MS, MAX_N};
use ch05::report::BrokerView;

/// `demo`: how many jobs, how long, and the stopped worker's grace.
#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// How many fib jobs.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(2..=1000))]
    jobs: u16,
    /// Each job computes fib(n).
    #[arg(long, default_value_t = 27, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_N)))]
    n: u32,
    /// Milliseconds each job waits first (its "download").
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    io_ms: u64,
    /// The stopped worker's grace period: shorter than a job and the job
    /// in hand is handed back instead of finished.
    #[arg(long, default_value = "5", value_parser = ch05::config::parse_seconds)]
    grace_seconds: std::time::Duration,
}

impl Default for DemoArgs {
    fn default() -> Self {
        let options = DemoOptions::default();
        DemoArgs {
            jobs: options.jobs as u16,
            n: options.n,
            io_ms: options.io_ms,
            grace_seconds: std::time::Duration::from_secs_f64(options.grace_s),
        }
    }
}

/// Where the jobs go. Its `Debug` hides the URL's password.
#[derive(Clone, clap::Args)]
pub struct QueueArgs {
    /// The Redis broker.
    #[arg(long, env = "REDIS_URL", hide_env_values = true,
          default_value = "redis://127.0.0.1:6379/0",
          value_parser = ch05::config::RedisUrlParser)]
    redis_url: String,
    /// The queue.
    #[arg(long, env = "CH05_QUEUE", default_value = "ch05:jobs",
          value_parser = ch05::config::parse_queue)]
    queue: String,
}

impl std::fmt::Debug for QueueArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueueArgs")
            .field("redis_url", &workbench::redact::Redacted(&self.redis_url))
            .field("queue", &self.queue)
            .finish()
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct EnqueueArgs {
    #[command(flatten)]
    queue: QueueArgs,
    /// How many jobs.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    count: u32,
    /// Each computes fib(n).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_N)))]
    n: u32,
    /// Milliseconds each job waits first (at most 60000).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=MAX_IO_MS))]
    io_ms: u64,
    /// Then wait up to this many seconds for every answer, and exit 1 if
    /// one is missing or wrong: a batch run (a Kubernetes Job).
    #[arg(long, value_name = "SECONDS", value_parser = ch05::config::parse_seconds)]
    wait: Option<std::time::Duration>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    queue: QueueArgs,
}

/// `hosts`: how many worker hosts and jobs.
#[derive(Debug, Clone, clap::Args)]
pub struct HostsArgs {
    /// Worker hosts (network namespaces), each with one worker.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=16))]
    workers: u16,
    /// How many fib jobs.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=1000))]
    jobs: u16,
    /// Each job computes fib(n).
    #[arg(long, default_value_t = 27, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_N)))]
    n: u32,
}

pub fn hosts(args: &HostsArgs) -> Result<()> {
    let program = ch05::fleet::worker_program()?;
    let (workers, jobs) = (args.workers.into(), args.jobs.into());
    eprintln!("{}", ch05::hosts_demo::announce(workers, jobs));
    let report = ch05::hosts_demo::run(&program, workers, jobs, args.n)?;
    println!("{report}");
    anyhow::ensure!(report.lost() == 0, "{} jobs were lost", report.lost());
    Ok(())
}

pub fn demo(args: &DemoArgs) -> Result<()> {
    let program = ch05::fleet::worker_program()?;
    let options = DemoOptions {
        jobs: args.jobs.into(),
        n: args.n,
        io_ms: args.io_ms,
        grace_s: args.grace_seconds.as_secs_f64(),
    };
    println!(
        "{} jobs of fib({}) after {} ms, two workers; worker-a gets SIGTERM \
         mid-job (grace {:.1} s)\n",
        options.jobs, options.n, options.io_ms, options.grace_s
    );
    let report = ch05::demo::run(&program, &options)?;
    println!("{report}");
    anyhow::ensure!(report.lost() == 0, "{} jobs were lost", report.lost());
    Ok(())
}

pub fn enqueue(args: &EnqueueArgs) -> Result<()> {
    let mut broker = BrokerView::connect(&args.queue.redis_url, &args.queue.queue)?;
    // The time as well as the process id: in a container every run is pid 1,
    // and a retried Job must not find the answers of an earlier run.
    let since_epoch = std::time::UNIX_EPOCH.elapsed().unwrap_or_default();
    let stamp = format!("{}-{}", since_epoch.as_millis(), std::process::id());
    let jobs: Vec<Job> = (0..args.count)
        .map(|i| Job::new(format!("fib-{stamp}-{i}"), args.n, args.io_ms))
        .collect();
    broker.push(&jobs).context("enqueueing")?;
    println!("{} jobs on {}", jobs.len(), args.queue.queue);
    if let Some(timeout) = args.wait {
        ch05::demo::wait_for_answers(&mut broker, &jobs, timeout)?;
        for job in &jobs {
            let outcome = broker.outcome(&job.id)?;
            let ok = outcome.as_ref().is_some_and(|o| job.verify(o));
            anyhow::ensure!(ok, "job {}: a wrong answer {outcome:?}", job.id);
        }
        println!("{} answered and verified", jobs.len());
    }
    Ok(())
}

pub fn status(args: &StatusArgs) -> Result<()> {
    let mut broker = BrokerView::connect(&args.queue.redis_url, &args.queue.queue)?;
    let (queued, taken) = broker.backlog()?;
    let answered = broker.answered()?;
    println!("queued {queued}, taken {taken}, answered {answered}");
    Ok(())
}

/// `figures`: the stop times, 3 workers per case (quick) or 7 (full).
pub fn figures(out: &std::path::Path, size: workbench::Size) -> Result<()> {
    let reps = ch05::stop::reps_for(size);
    let program = ch05::fleet::worker_program()?;
    let times = ch05::stop::stop_times(&program, reps)?;
    let record = &times.record;
    print!("{}", record.table());
    anyhow::ensure!(
        record.runs.iter().all(|r| r.verified),
        "a worker lost a job or exited with an error"
    );
    record.write_figure(out, &times.figure())?;
    ch05::hosts_demo::capture(&program, out)
}
