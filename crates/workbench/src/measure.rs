//! Measurement: the experiment that collects the runs of one example into
//! its record; wall and CPU time. The timing itself is in `rounds`.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::record::{Record, Run};

/// How a variant is timed.
#[derive(Debug, Clone)]
pub struct MeasureOpts {
    /// Untimed runs before timing; the first one's answer is verified.
    pub warmup: usize,
    /// Timed repetitions; the median is reported.
    pub reps: usize,
    /// Show a spinner on stderr (hidden anyway when stderr is not a terminal).
    pub progress: bool,
}

impl Default for MeasureOpts {
    fn default() -> Self {
        MeasureOpts {
            warmup: 1,
            reps: 3,
            progress: true,
        }
    }
}

/// Runs the variants of one example and collects them into a [`Record`].
#[derive(Debug)]
pub struct Experiment {
    record: Record,
    opts: MeasureOpts,
    bar: ProgressBar,
}

impl Experiment {
    pub fn new(
        chapter: &str,
        example: &str,
        size: serde_json::Value,
        opts: MeasureOpts,
    ) -> Self {
        let bar = if opts.progress {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .expect("a valid progress template"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        Experiment {
            record: Record::new(chapter, example, size),
            opts,
            bar,
        }
    }

    /// Show what is being measured on the spinner.
    pub(crate) fn progress(&self, message: String) {
        self.bar.set_message(message);
    }

    /// The options this experiment measures with.
    pub(crate) fn opts(&self) -> &MeasureOpts {
        &self.opts
    }

    /// `example` as the record names it.
    pub(crate) fn example(&self) -> &str {
        &self.record.example
    }

    /// Record `variant` on `workers` by the median (by wall time) of its
    /// `(wall, cpu)` samples.
    pub(crate) fn push_median(
        &mut self,
        variant: &str,
        workers: usize,
        mut samples: Vec<(Duration, Duration)>,
    ) {
        samples.sort_by_key(|&(wall, _)| wall);
        let (wall, cpu) = samples[samples.len() / 2];
        self.record.runs.push(Run {
            variant: variant.to_owned(),
            workers,
            wall_s: wall.as_secs_f64(),
            cpu_s: cpu.as_secs_f64(),
            speedup: None,
            efficiency: None,
            verified: true,
            skipped: None,
            extra: Default::default(),
        });
    }

    /// Attach a further measurement to the run measured (or skipped) last:
    /// it lands in that run's `extra` and shows as a column of the table.
    pub fn note(&mut self, key: &str, value: f64) {
        if let Some(run) = self.record.runs.last_mut() {
            run.extra.insert(key.to_owned(), value);
        }
    }

    /// Attach a further measurement to the run of `variant` on `workers`.
    pub fn note_on(&mut self, variant: &str, workers: usize, key: &str, value: f64) {
        let run = self
            .record
            .runs
            .iter_mut()
            .rev()
            .find(|r| r.variant == variant && r.workers == workers);
        if let Some(run) = run {
            run.extra.insert(key.to_owned(), value);
        }
    }

    /// Record that `variant` could not run here, and why.
    pub fn skip(&mut self, variant: &str, workers: usize, why: impl Into<String>) {
        self.record.runs.push(Run {
            variant: variant.to_owned(),
            workers,
            wall_s: 0.0,
            cpu_s: 0.0,
            speedup: None,
            efficiency: None,
            verified: false,
            skipped: Some(why.into()),
            extra: Default::default(),
        });
    }

    /// Stop the spinner and compute speed-ups against `seq`.
    pub fn finish(mut self) -> Record {
        self.bar.finish_and_clear();
        self.record.compute_speedups();
        self.record
    }
}

/// CPU time (user + system) used so far by this process and by the child
/// processes it has waited for, so worker processes count too.
pub fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let total = |who| {
        getrusage(who).map_or(Duration::ZERO, |u| {
            to_duration(u.user_time()) + to_duration(u.system_time())
        })
    };
    total(UsageWho::RUSAGE_SELF) + total(UsageWho::RUSAGE_CHILDREN)
}

fn to_duration(tv: nix::sys::time::TimeVal) -> Duration {
    let micros = tv.tv_sec() as i128 * 1_000_000 + tv.tv_usec() as i128;
    Duration::from_micros(u64::try_from(micros).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Contender;
    use crate::rounds::tests::{assert_fails_on_a_wrong_answer, quiet};

    #[test]
    fn a_wrong_answer_is_never_timed() {
        let contender = Contender::new(
            "seq",
            1,
            || Ok(41),
            |&v| {
                anyhow::ensure!(v == 42, "got {v}");
                Ok(())
            },
        );
        assert_fails_on_a_wrong_answer(contender, 3, "a wrong answer must fail");
    }

    #[test]
    fn runs_are_timed_and_speedups_filled() {
        let mut exp =
            Experiment::new("ch00", "sum", serde_json::json!({}), quiet(3));
        let work = || Ok((0..200_000u64).map(std::hint::black_box).sum::<u64>());
        let check = |&v: &u64| {
            anyhow::ensure!(v == 199_999 * 200_000 / 2, "bad sum {v}");
            Ok(())
        };
        exp.measure_rounds(vec![
            Contender::new("seq", 1, work, check),
            Contender::new("threads", 2, work, check),
            Contender::skipped("dist", 2, "no broker"),
        ])
        .expect("both run");
        let rec = exp.finish();
        assert_eq!(rec.runs.len(), 3);
        assert!(rec.runs[0].wall_s > 0.0);
        assert_eq!(rec.runs[0].speedup, Some(1.0));
        assert!(rec.runs[1].speedup.is_some());
        assert_eq!(rec.runs[2].speedup, None);
    }

    #[test]
    fn cpu_time_grows_with_work() {
        let before = cpu_time();
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = std::hint::black_box(x.wrapping_add(i));
        }
        assert!(x > 0);
        assert!(cpu_time() > before);
    }
}
