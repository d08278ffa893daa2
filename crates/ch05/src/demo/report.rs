//! Chapter 5 · What the demo found: every job with the worker that did it,
//! every worker with how it stopped; and a plain look into the broker.

use std::fmt;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::job::{Job, Outcome};
use crate::queue::Keys;

/// A synchronous look at a queue's keys (the demo and the tests use it).
pub struct BrokerView {
    conn: redis::Connection,
    pub keys: Keys,
}

impl fmt::Debug for BrokerView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BrokerView")
            .field("keys", &self.keys)
            .finish()
    }
}

impl BrokerView {
    /// Connect with deadlines: 2 s to connect, 5 s for each answer, so a
    /// broker that never answers is an error rather than a hang.
    pub fn connect(url: &str, queue: &str) -> Result<Self> {
        let shown = workbench::redact::url(url);
        let client = redis::Client::open(url)
            .with_context(|| format!("`{shown}` is not a Redis URL"))?;
        let conn = match client.get_connection_with_timeout(Duration::from_secs(2)) {
            Ok(conn) => conn,
            Err(err) => match crate::queue::refused(url, &err) {
                Some(refused) => anyhow::bail!(refused),
                None => return Err(err).with_context(|| format!("to {shown}")),
            },
        };
        conn.set_read_timeout(Some(Duration::from_secs(5)))?;
        conn.set_write_timeout(Some(Duration::from_secs(5)))?;
        Ok(BrokerView {
            conn,
            keys: Keys::new(queue),
        })
    }

    pub fn push(&mut self, jobs: &[Job]) -> Result<()> {
        let raw: Vec<String> = jobs.iter().map(Job::to_json).collect();
        redis::cmd("LPUSH")
            .arg(&self.keys.queue)
            .arg(raw)
            .exec(&mut self.conn)?;
        Ok(())
    }

    /// Push one raw string (a malformed job, in a test).
    pub fn push_raw(&mut self, raw: &str) -> Result<()> {
        redis::cmd("LPUSH")
            .arg(&self.keys.queue)
            .arg(raw)
            .exec(&mut self.conn)?;
        Ok(())
    }

    pub fn outcome(&mut self, id: &str) -> Result<Option<Outcome>> {
        let raw: Option<String> = redis::cmd("HGET")
            .arg(self.keys.results())
            .arg(id)
            .query(&mut self.conn)?;
        Ok(raw.and_then(|r| serde_json::from_str(&r).ok()))
    }

    pub fn len(&mut self, key: &str) -> Result<u64> {
        Ok(redis::cmd("LLEN").arg(key).query(&mut self.conn)?)
    }

    /// How many jobs have an outcome stored.
    pub fn answered(&mut self) -> Result<u64> {
        Ok(redis::cmd("HLEN")
            .arg(self.keys.results())
            .query(&mut self.conn)?)
    }

    /// Jobs waiting, and jobs taken by some worker and not finished.
    pub fn backlog(&mut self) -> Result<(u64, u64)> {
        let queued = self.len(&self.keys.queue.clone())?;
        let prefix = self.keys.processing("");
        let pattern = format!("{}*", crate::queue::glob_escape(&prefix));
        let lists: Vec<String> =
            redis::cmd("KEYS").arg(pattern).query(&mut self.conn)?;
        let mut taken = 0;
        for list in lists.into_iter().filter(|l| l.starts_with(&prefix)) {
            taken += self.len(&list)?;
        }
        Ok((queued, taken))
    }
}

/// One worker of the demo, and how it ended.
#[derive(Debug, Clone)]
pub struct WorkerRow {
    pub name: String,
    /// The job it was doing when it got SIGTERM.
    pub stopped_during: Option<String>,
    pub exit_code: Option<i32>,
    pub done: u64,
    pub handed_back: u64,
    /// Seconds from SIGTERM to exit.
    pub stop_s: f64,
}

/// The demo's findings.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub grace_s: f64,
    pub jobs: Vec<(Job, Option<Outcome>)>,
    pub workers: Vec<WorkerRow>,
}

impl DemoReport {
    /// Jobs with no verified answer.
    pub fn lost(&self) -> usize {
        let ok = |(job, outcome): &&(Job, Option<Outcome>)| {
            outcome.as_ref().is_some_and(|o| job.verify(o))
        };
        self.jobs.iter().filter(|j| !ok(j)).count()
    }

    /// The report as HTML, for a notebook.
    pub fn evcxr_display(&self) {
        let text = self.to_string().replace('&', "&amp;").replace('<', "&lt;");
        workbench::notebook::Html(format!("<pre>{text}</pre>")).evcxr_display();
    }
}

impl fmt::Display for DemoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "worker    SIGTERM during  exit  done  handed back  stop (s)"
        )?;
        for w in &self.workers {
            let during = w.stopped_during.as_deref().unwrap_or("(idle)");
            let code = w.exit_code.map_or("signal".into(), |c| c.to_string());
            writeln!(
                f,
                "{:<9} {:<15} {:>4} {:>5} {:>12} {:>9.2}",
                w.name, during, code, w.done, w.handed_back, w.stop_s
            )?;
        }
        writeln!(f, "\njob      fib(n)  answer      by        verified")?;
        for (job, outcome) in &self.jobs {
            let (answer, by) = outcome
                .as_ref()
                .map_or(("-".into(), "-"), |o| (o.answer.to_string(), &*o.worker));
            let ok = outcome.as_ref().is_some_and(|o| job.verify(o));
            writeln!(f, "{:<8} {:>6}  {answer:<10}  {by:<9} {ok}", job.id, job.n)?;
        }
        let lost = self.lost();
        write!(
            f,
            "\n{} jobs, {lost} lost (grace period {:.1} s)",
            self.jobs.len(),
            self.grace_s
        )
    }
}
