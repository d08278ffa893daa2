//! Chapter 5 · Measured: how long a worker takes to leave after SIGTERM,
//! idle, finishing its job, or handing it back. The book's figure comes
//! from here (`cargo run --release -p ch05 -- figures`).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use workbench::curves::{Panel, Series, Style};
use workbench::measure::cpu_time;
use workbench::services::RedisServer;
use workbench::{Record, Run};

use crate::fleet::WorkerProcess;
use crate::job::Job;
use crate::report::BrokerView;

/// (variant, the worker's grace in seconds, the job's `io_ms` if it has one)
pub const CASES: [(&str, f64, Option<u64>); 3] = [
    ("idle", 5.0, None),
    ("finish", 5.0, Some(1000)),
    ("hand-back", 0.2, Some(5000)),
];

/// The workers stopped per case at a size: quick 3, full 7, N: N (at most
/// 50).
pub fn reps_for(size: workbench::Size) -> usize {
    match size {
        workbench::Size::Quick => 3,
        workbench::Size::Full => 7,
        workbench::Size::N(n) => usize::try_from(n.min(50)).unwrap_or(50),
    }
}

/// For each case, `reps` workers each get SIGTERM (mid-job when there is
/// a job); the median time from the signal to the exit. A run is verified
/// when every worker exited 0 and its job was either answered correctly
/// or back in its queue.
pub fn stop_times(program: &Path, reps: usize) -> Result<StopTimes> {
    let redis = RedisServer::start()?;
    let size = serde_json::json!({"reps": reps, "fib_n": 20});
    let mut record = Record::new("ch05", "stop", size);
    let mut samples = Vec::new();
    for (variant, grace, io_ms) in CASES {
        let (mut walls, mut cpus, mut verified) = (Vec::new(), Vec::new(), true);
        for rep in 0..reps {
            let queue = format!("ch05:stop:{variant}:{rep}");
            let grace_text = grace.to_string();
            let env = [
                ("CH05_GRACE_SECONDS", grace_text.as_str()),
                ("CH05_QUEUE", &queue),
            ];
            let name = format!("{variant}-{rep}");
            let mut worker =
                WorkerProcess::start(program, &redis.url(), &name, &env)?;
            worker.wait_ready(Duration::from_secs(20))?;
            let mut broker = BrokerView::connect(&redis.url(), &queue)?;
            let job = io_ms.map(|ms| Job::new(format!("{name}-job"), 20, ms));
            if let Some(job) = &job {
                broker.push(std::slice::from_ref(job))?;
                worker.wait_busy(Duration::from_secs(20))?;
            }
            // ANCHOR: stop
            let (signalled, cpu) = (Instant::now(), cpu_time());
            worker.terminate()?;
            let (status, _) = worker.wait(Duration::from_secs(30))?;
            walls.push(signalled.elapsed().as_secs_f64());
            cpus.push((cpu_time() - cpu).as_secs_f64());
            let kept = match &job {
                None => true,
                Some(job) => match broker.outcome(&job.id)? {
                    Some(outcome) => job.verify(&outcome),
                    None => broker.backlog()? == (1, 0),
                },
            };
            verified &= status.code() == Some(0) && kept;
            // ANCHOR_END: stop
        }
        let middle = median_index(&walls);
        let mut run = Run {
            variant: variant.into(),
            workers: 1,
            wall_s: walls[middle],
            cpu_s: cpus[middle],
            speedup: None,
            efficiency: None,
            verified,
            skipped: None,
            extra: Default::default(),
        };
        run.extra.insert("grace_s".into(), grace);
        let job_s = io_ms.map_or(0.0, |ms| ms as f64 / 1000.0);
        run.extra.insert("job_s".into(), job_s);
        record.runs.push(run);
        samples.push((variant.to_owned(), walls));
    }
    Ok(StopTimes { record, samples })
}

/// The record (medians) and every worker's time, case by case.
#[derive(Debug, Clone)]
pub struct StopTimes {
    pub record: Record,
    pub samples: Vec<(String, Vec<f64>)>,
}

impl StopTimes {
    /// Every worker's time from SIGTERM to exit, one series per case.
    pub fn figure(&self) -> String {
        let series = self
            .samples
            .iter()
            .map(|(case, walls)| {
                let points = walls
                    .iter()
                    .enumerate()
                    .map(|(i, s)| ((i + 1) as f64, *s))
                    .collect();
                Series::new(case.as_str(), points, Style::LinePoints)
            })
            .collect();
        let panel = Panel {
            title: "seconds from SIGTERM to exit".into(),
            x_label: "worker (one per repetition)".into(),
            y_label: "seconds".into(),
            series,
            ..Panel::default()
        };
        let footer = format!(
            "{} · {}",
            self.record.size_text(),
            self.record.machine.summary()
        );
        workbench::curves::svg(&[panel], &footer)
    }

    /// The table and the figure, for a notebook cell (one HTML output).
    pub fn evcxr_display(&self) {
        let table = self.record.html_table().0;
        workbench::notebook::Html(format!("{table}\n{}", self.figure()))
            .evcxr_display();
    }
}

fn median_index(values: &[f64]) -> usize {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    order[order.len() / 2]
}
