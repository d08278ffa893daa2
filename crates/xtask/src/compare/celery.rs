//! `cargo xtask compare` · Chapter 4's Python Celery workers
//! (`crates/ch04/python/tasks.py`) for the Python side of a Celery example.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::paths;

/// Python Celery workers (`--pool solo`, one task at a time each); killed
/// when dropped.
#[derive(Debug)]
pub struct Workers(Vec<Child>);

impl Workers {
    /// `count` workers on `broker`, each logging to `dir/celery-N.log`,
    /// their `rate` task asking the service at `rates` (if any); returns
    /// once every one says it is ready.
    pub fn start(
        broker: &str,
        rates: Option<&str>,
        count: usize,
        dir: &Path,
    ) -> Result<Self> {
        let mut workers = Workers(Vec::new());
        let mut logs = Vec::new();
        for i in 0..count {
            let log = dir.join(format!("celery-{i}.log"));
            let file = std::fs::File::create(&log)
                .with_context(|| format!("creating {}", log.display()))?;
            let mut command = Command::new(paths::venv_bin("python"));
            command
                .current_dir(paths::root().join("crates/ch04/python"))
                .args(["-m", "celery", "-A", "tasks", "worker", "--pool", "solo"])
                .args(["--hostname", &format!("compare{i}@%h")])
                .args(["--loglevel", "INFO", "--without-heartbeat"])
                .args(["--without-gossip", "--without-mingle"])
                .env("REDIS_URL", broker)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(file);
            match rates {
                Some(url) => command.env("CH04_RATES_URL", url),
                None => command.env_remove("CH04_RATES_URL"),
            };
            let child =
                command.spawn().context("starting a Python Celery worker")?;
            workers.0.push(child);
            logs.push(log);
        }
        let start = Instant::now();
        for (i, log) in logs.iter().enumerate() {
            loop {
                let text = std::fs::read_to_string(log).unwrap_or_default();
                if text.contains("ready.") {
                    break;
                }
                if let Some(status) = workers.0[i].try_wait()? {
                    bail!("a Python Celery worker exited ({status}):\n{text}");
                }
                if start.elapsed() > Duration::from_secs(60) {
                    bail!(
                        "a Python Celery worker was not ready after a minute:\n{text}"
                    );
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Ok(workers)
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
