//! Measurement in rounds: every variant runs once per round, so a machine
//! that speeds up or slows down during an experiment weighs on all of them
//! alike, not on whichever variant happened to run last.
//!
//! Timing all repetitions of one variant before the next is not enough: on
//! a shared virtual machine whose speed drifts over minutes, that order
//! alone can move a speed-up by a tenth. Rounds (A B C, A B C, ...) spread
//! the drift over every variant.

use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::measure::{Experiment, cpu_time};

/// Checks one answer, after the timing.
type Check<'a> = Box<dyn FnOnce() -> Result<()> + 'a>;

/// Runs a contender once and returns the check of its answer.
type Runner<'a> = Box<dyn FnMut() -> Result<Check<'a>> + 'a>;

/// One variant of a measurement in rounds: how to run it, and how to check
/// what it returns — or why it cannot run here.
pub struct Contender<'a> {
    variant: String,
    workers: usize,
    run: Result<Runner<'a>, String>,
}

impl std::fmt::Debug for Contender<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contender")
            .field("variant", &self.variant)
            .field("workers", &self.workers)
            .finish()
    }
}

impl<'a> Contender<'a> {
    /// `variant` on `workers`: `run` computes an answer, `verify` checks it.
    pub fn new<T: 'a>(
        variant: &str,
        workers: usize,
        mut run: impl FnMut() -> Result<T> + 'a,
        verify: impl Fn(&T) -> Result<()> + 'a,
    ) -> Self {
        let verify = Rc::new(verify);
        Contender {
            variant: variant.to_owned(),
            workers,
            run: Ok(Box::new(move || {
                let answer = run()?;
                let verify = Rc::clone(&verify);
                Ok(Box::new(move || verify(&answer)) as Check<'a>)
            })),
        }
    }

    /// `variant` on `workers` cannot run here: it is recorded as skipped,
    /// with `why`, in its place among the others.
    pub fn skipped(variant: &str, workers: usize, why: impl Into<String>) -> Self {
        Contender {
            variant: variant.to_owned(),
            workers,
            run: Err(why.into()),
        }
    }

    fn failed(&self) -> String {
        format!("{} with {} workers", self.variant, self.workers)
    }
}

impl Experiment {
    // ANCHOR: rounds
    /// Measure `contenders` in rounds: warm up and verify each one, then run
    /// `reps` rounds in which each runs once, in the order given. Each is
    /// recorded, in that order, by the median of its rounds (a skipped one
    /// as skipped); every answer is checked, outside the timing.
    pub fn measure_rounds(
        &mut self,
        mut contenders: Vec<Contender<'_>>,
    ) -> Result<()> {
        for contender in &mut contenders {
            for _ in 0..self.opts().warmup.max(1) {
                self.run_once(contender, "warm-up and check")?;
            }
        }
        let reps = self.opts().reps.max(1);
        let mut samples = vec![Vec::with_capacity(reps); contenders.len()];
        for round in 1..=reps {
            for (contender, samples) in contenders.iter_mut().zip(&mut samples) {
                let stage = format!("repetition {round}/{reps}");
                samples.extend(self.run_once(contender, &stage)?);
            }
        }
        for (contender, samples) in contenders.into_iter().zip(samples) {
            let (variant, workers) = (&contender.variant, contender.workers);
            match contender.run {
                Ok(_) => self.push_median(variant, workers, samples),
                Err(why) => self.skip(variant, workers, why),
            }
        }
        Ok(())
    }
    // ANCHOR_END: rounds

    /// Run `contender` once (not at all if it is skipped): its wall and CPU
    /// time, after its answer passed the check.
    fn run_once(
        &self,
        contender: &mut Contender<'_>,
        stage: &str,
    ) -> Result<Option<(Duration, Duration)>> {
        let failed = contender.failed();
        let Ok(run) = &mut contender.run else {
            return Ok(None);
        };
        self.progress(format!("{} {failed}: {stage}", self.example()));
        let cpu_before = cpu_time();
        let start = Instant::now();
        let check = run().with_context(|| failed.clone())?;
        let wall = start.elapsed();
        let cpu = cpu_time().saturating_sub(cpu_before);
        check().with_context(|| format!("{failed} gave a wrong answer"))?;
        Ok(Some((wall, cpu)))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::MeasureOpts;

    pub(crate) fn quiet(reps: usize) -> MeasureOpts {
        MeasureOpts {
            warmup: 1,
            reps,
            progress: false,
        }
    }

    /// Measuring `contender` fails (`why`) naming a wrong answer, and the
    /// record keeps no run of it.
    pub(crate) fn assert_fails_on_a_wrong_answer(
        contender: Contender<'_>,
        reps: usize,
        why: &str,
    ) {
        let size = serde_json::json!({});
        let mut exp = Experiment::new("ch00", "sum", size, quiet(reps));
        let err = exp.measure_rounds(vec![contender]).expect_err(why);
        assert!(format!("{err:#}").contains("wrong answer"), "{err:#}");
        assert!(exp.finish().runs.is_empty());
    }

    #[test]
    fn rounds_alternate_the_variants_and_record_each_once() {
        let order = RefCell::new(Vec::new());
        let mut exp =
            Experiment::new("ch00", "sum", serde_json::json!({}), quiet(3));
        let ok = |_: &u32| Ok(());
        exp.measure_rounds(vec![
            Contender::new(
                "seq",
                1,
                || {
                    order.borrow_mut().push("seq");
                    Ok(1)
                },
                ok,
            ),
            Contender::new(
                "threads",
                2,
                || {
                    order.borrow_mut().push("threads");
                    Ok(2)
                },
                ok,
            ),
        ])
        .expect("both run");
        // One warm-up each, then three rounds of seq, threads.
        let mut want = vec!["seq", "threads"];
        for _ in 0..3 {
            want.extend(["seq", "threads"]);
        }
        assert_eq!(*order.borrow(), want);
        let record = exp.finish();
        let names: Vec<_> = record
            .runs
            .iter()
            .map(|r| (r.variant.as_str(), r.workers))
            .collect();
        assert_eq!(names, [("seq", 1), ("threads", 2)]);
        assert_eq!(record.runs[0].speedup, Some(1.0));
        assert!(record.runs.iter().all(|r| r.verified));
    }

    #[test]
    fn a_wrong_answer_in_any_round_fails_the_measurement() {
        let calls = RefCell::new(0);
        let contender = Contender::new(
            "seq",
            1,
            || {
                *calls.borrow_mut() += 1;
                Ok(*calls.borrow())
            },
            // Right at the warm-up and the first round, wrong after.
            |&n: &i32| {
                anyhow::ensure!(n <= 2, "call {n} went wrong");
                Ok(())
            },
        );
        assert_fails_on_a_wrong_answer(contender, 3, "the third answer is wrong");
    }

    #[test]
    fn a_skipped_contender_keeps_its_place_and_never_runs() {
        let runs = RefCell::new(0);
        let mut exp =
            Experiment::new("ch00", "sum", serde_json::json!({}), quiet(2));
        let ok = |_: &u32| Ok(());
        exp.measure_rounds(vec![
            Contender::new("seq", 1, || Ok(1), ok),
            Contender::skipped("dist", 2, "no broker here"),
            Contender::new(
                "threads",
                2,
                || {
                    *runs.borrow_mut() += 1;
                    Ok(2)
                },
                ok,
            ),
        ])
        .expect("the others run");
        assert_eq!(*runs.borrow(), 3, "one warm-up and two rounds");
        let record = exp.finish();
        let names: Vec<_> = record.runs.iter().map(|r| r.variant.as_str()).collect();
        assert_eq!(names, ["seq", "dist", "threads"]);
        assert_eq!(record.runs[1].skipped.as_deref(), Some("no broker here"));
        assert!(!record.runs[1].verified);
        assert!(record.runs[2].verified);
    }
}
