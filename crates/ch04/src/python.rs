//! Chapter 4 · Python Celery beside the Rust programs: the venv's Python
//! (`target/venv`, made by `cargo xtask setup`), a Python worker of
//! `python/tasks.py`, and the Python client `python/client.py`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// The chapter's Python scripts.
pub fn scripts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python")
}

/// The venv's Python with Celery importable, or an error saying how to
/// get it.
pub fn python() -> Result<PathBuf> {
    let python = workbench::bins::target_dir().join("venv/bin/python");
    let fix = "run `cargo xtask setup` (or `python3 -m venv target/venv && \
               target/venv/bin/pip install \
               \"$(grep ^celery python/requirements.txt)\"`)";
    if !python.is_file() {
        bail!("no Python venv at {}: {fix}", python.display());
    }
    let check = Command::new(&python)
        .args(["-c", "import celery, redis"])
        .output()
        .with_context(|| format!("running {}", python.display()))?;
    if !check.status.success() {
        bail!(
            "Python Celery is not installed in {}: {fix}",
            python.display()
        );
    }
    Ok(python)
}

/// A Python Celery worker process; dropping it kills it.
#[derive(Debug)]
pub struct PythonWorker {
    child: Child,
}

impl PythonWorker {
    /// `celery -A tasks worker --pool solo` on `broker`, logging to
    /// `log` (its first lines say when it is ready).
    pub fn start(
        broker: &str,
        rates: Option<&str>,
        log: &std::path::Path,
    ) -> Result<Self> {
        Self::start_on(broker, None, rates, log)
    }

    /// The same with the results in `backend` when the broker is RabbitMQ.
    pub fn start_on(
        broker: &str,
        backend: Option<&str>,
        rates: Option<&str>,
        log: &std::path::Path,
    ) -> Result<Self> {
        Self::start_pool(broker, backend, rates, log, "solo", 1)
    }

    /// The same with another execution pool (`solo`, `threads`,
    /// `prefork`) running `concurrency` tasks at once.
    pub fn start_pool(
        broker: &str,
        backend: Option<&str>,
        rates: Option<&str>,
        log: &std::path::Path,
        pool: &str,
        concurrency: u16,
    ) -> Result<Self> {
        let mut command = Command::new(python()?);
        command
            .current_dir(scripts_dir())
            .args(["-m", "celery", "-A", "tasks", "worker", "--pool", pool])
            .args(["--concurrency", &concurrency.to_string()])
            .args(["--loglevel", "INFO", "--without-heartbeat"])
            .args(["--without-gossip", "--without-mingle"])
            .env("REDIS_URL", broker)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log)?);
        if let Some(rates) = rates {
            command.env("CH04_RATES_URL", rates);
        }
        if let Some(backend) = backend {
            command.env("CH04_BACKEND_URL", backend);
        }
        let child = command.spawn().context("starting a Python Celery worker")?;
        let mut worker = PythonWorker { child };
        let start = std::time::Instant::now();
        loop {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            if text.contains("ready.") {
                return Ok(worker);
            }
            if let Some(status) = worker.child.try_wait()? {
                bail!("the Python worker exited ({status}):\n{text}");
            }
            if start.elapsed() > Duration::from_secs(60) {
                bail!("the Python worker was not ready after a minute:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Kill it at once (SIGKILL).
    pub fn kill(&mut self) -> Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for PythonWorker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run `python/client.py` against the Rust workers on `broker`; its
/// report as JSON.
pub fn run_client(broker: &str) -> Result<serde_json::Value> {
    run_client_on(broker, None)
}

/// The same with the results in `backend` when the broker is RabbitMQ.
pub fn run_client_on(
    broker: &str,
    backend: Option<&str>,
) -> Result<serde_json::Value> {
    let out = Command::new(python()?)
        .arg(scripts_dir().join("client.py"))
        .env("CELERY_BROKER_URL", broker)
        .env("CELERY_RESULT_BACKEND", backend.unwrap_or(broker))
        .output()
        .context("running the Python client")?;
    if !out.status.success() {
        bail!(
            "the Python client failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("reading the Python client's report")
}
