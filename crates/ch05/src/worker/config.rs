//! Chapter 5 · A cloud-ready worker: its configuration, from flags or the
//! environment (the twelve-factor way), each value checked at start.

use std::net::SocketAddr;
use std::time::Duration;

// ANCHOR: config
/// Everything a worker is told. Each flag can also come from the
/// environment variable named beside it, which is how a container image,
/// a Compose file or a Kubernetes Deployment configures it; a bad value
/// stops the worker at once with a message naming the flag (exit code 2).
#[derive(Clone, clap::Args)]
pub struct WorkerConfig {
    /// The Redis broker.
    #[arg(long, env = "REDIS_URL", hide_env_values = true,
          default_value = "redis://127.0.0.1:6379/0",
          value_parser = RedisUrlParser, value_name = "URL")]
    pub redis_url: String,
    /// The Redis list the jobs wait in.
    #[arg(long, env = "CH05_QUEUE", default_value = "ch05:jobs",
          value_parser = parse_queue, value_name = "KEY")]
    pub queue: String,
    /// This worker's name (default: the host name and the process id; a
    /// pod's host name is its name).
    #[arg(long, env = "CH05_WORKER_ID", value_parser = parse_queue, value_name = "NAME")]
    pub worker_id: Option<String>,
    /// Where the health endpoints `/healthz` and `/readyz` listen.
    #[arg(
        long,
        env = "CH05_HEALTH_ADDR",
        default_value = "127.0.0.1:8080",
        value_name = "IP:PORT"
    )]
    pub health_addr: SocketAddr,
    /// After SIGTERM, how long the job in hand may still run before it is
    /// handed back to the queue. Keep it below the orchestrator's grace
    /// period (Kubernetes: 30 s), after which SIGKILL comes.
    #[arg(long, env = "CH05_GRACE_SECONDS", default_value = "20",
          value_parser = parse_seconds, value_name = "SECONDS")]
    pub grace_seconds: Duration,
    /// How often this worker says it is alive; a worker silent for this
    /// long is presumed dead and its jobs go back to the queue.
    #[arg(long, env = "CH05_HEARTBEAT_SECONDS", default_value = "10",
          value_parser = clap::value_parser!(u64).range(1..=3600),
          value_name = "SECONDS")]
    pub heartbeat_seconds: u64,
}
// ANCHOR_END: config

/// Written by hand, to hide the broker URL's password.
impl std::fmt::Debug for WorkerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerConfig")
            .field("redis_url", &workbench::redact::Redacted(&self.redis_url))
            .field("queue", &self.queue)
            .field("worker_id", &self.worker_id)
            .field("health_addr", &self.health_addr)
            .field("grace_seconds", &self.grace_seconds)
            .field("heartbeat_seconds", &self.heartbeat_seconds)
            .finish()
    }
}

impl WorkerConfig {
    /// The defaults with another broker: what tests and the demo start from.
    pub fn new(redis_url: &str) -> Self {
        WorkerConfig {
            redis_url: redis_url.to_owned(),
            queue: "ch05:jobs".into(),
            worker_id: None,
            health_addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            grace_seconds: Duration::from_secs(20),
            heartbeat_seconds: 10,
        }
    }

    /// The name this worker goes by in the broker's keys and the logs.
    pub fn worker_name(&self) -> String {
        self.worker_id.clone().unwrap_or_else(|| {
            let host = nix::unistd::gethostname()
                .ok()
                .and_then(|h| h.into_string().ok())
                .unwrap_or_else(|| "worker".into());
            format!("{host}-{}", std::process::id())
        })
    }

    /// The environment variables a deployment may set, from the flags
    /// themselves, so deployment files can be checked against the code.
    pub fn env_names() -> Vec<String> {
        use clap::Args;
        let command = WorkerConfig::augment_args(clap::Command::new("worker"));
        command
            .get_arguments()
            .filter_map(|arg| arg.get_env())
            .map(|env| env.to_string_lossy().into_owned())
            .collect()
    }
}

pub fn parse_redis_url(s: &str) -> Result<String, String> {
    let shown = workbench::redact::url(s);
    let schemes = ["redis://", "rediss://", "unix://"];
    if !schemes.iter().any(|scheme| s.starts_with(scheme)) {
        return Err(format!(
            "`{shown}` is not a redis:// URL (rediss:// and unix:// work too)"
        ));
    }
    redis::Client::open(s).map(|_| s.to_owned()).map_err(|err| {
        let why = workbench::redact::text(&err.to_string());
        format!("`{shown}` is not a usable Redis URL: {why}")
    })
}

/// [`parse_redis_url`] for clap, whose own message would quote the value
/// as given, password and all: this one says only ours (exit code 2).
#[derive(Debug, Clone, Copy)]
pub struct RedisUrlParser;

impl clap::builder::TypedValueParser for RedisUrlParser {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let flag = arg
            .and_then(clap::Arg::get_long)
            .map_or("the broker URL".into(), |long| format!("--{long}"));
        let bad = |why: String| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value for {flag}: {why}\n"),
            )
        };
        let text = value
            .to_str()
            .ok_or_else(|| bad("not valid UTF-8".into()))?;
        parse_redis_url(text).map_err(bad)
    }
}

pub fn parse_queue(s: &str) -> Result<String, String> {
    if s.is_empty() || s.len() > 200 || s.chars().any(char::is_whitespace) {
        return Err(format!("`{s}` must be 1-200 characters without spaces"));
    }
    Ok(s.to_owned())
}

/// Seconds, from a millisecond to an hour.
pub fn parse_seconds(s: &str) -> Result<Duration, String> {
    workbench::cli::seconds_within(s, 0.001, 3600.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked() {
        assert!(parse_redis_url("redis://10.0.0.2:6379/0").is_ok());
        assert!(
            parse_redis_url("http://x")
                .expect_err("bad")
                .contains("redis://")
        );
        assert_eq!(parse_seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert!(
            parse_seconds("soon")
                .expect_err("bad")
                .contains("not a number")
        );
        assert!(parse_seconds("0").is_err());
        assert!(parse_queue("two words").is_err());
    }

    #[test]
    fn every_setting_has_an_environment_variable() {
        let names = WorkerConfig::env_names();
        assert_eq!(names.len(), 6, "{names:?}");
        assert!(names.contains(&"REDIS_URL".to_owned()));
        assert!(names.contains(&"CH05_GRACE_SECONDS".to_owned()));
    }

    #[test]
    fn debug_shows_the_broker_and_not_its_password() {
        let config = WorkerConfig::new("redis://app:s3cret@10.0.0.2:6379/0");
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("redis://app:***@10.0.0.2:6379/0"), "{shown}");
    }
}
