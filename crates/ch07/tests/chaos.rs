//! Chapter 7 · Chaos on the real pipeline: chapter 4's workers on a Redis
//! started here, a worker killed, the broker paused, the link slowed —
//! and still every task's result, correct.

use ch07::chaos::io::Publication;
use ch07::chaos::{FaultKind, Plan, run, tally, worker_program};
use workbench::services::TempDir;

#[test]
fn a_quick_chaos_run_loses_nothing() {
    let worker = worker_program().expect("chapter 4's worker program");
    let logs = TempDir::new("ch07-chaos").expect("a log dir");
    let plan = Plan::standard(300, 3.5);
    let kinds: Vec<FaultKind> = plan.faults.iter().map(|f| f.kind).collect();
    assert_eq!(kinds.len(), 3);
    let report = run(&plan, &worker, logs.path()).expect("the run ends");
    assert_eq!(report.lost, 0, "{report:#?}");
    assert_eq!(report.correct, 300);
    let finished: f64 = report.finished_per_s.iter().sum::<f64>() * report.bucket_s;
    assert_eq!(
        finished.round() as u32,
        300,
        "every first result is on the timeline"
    );
    let record = report.record();
    assert!(record.runs.iter().all(|r| r.verified), "{record:#?}");
    let figure = ch07::chaos::plot::svg(&report);
    for fault in &plan.faults {
        assert!(
            figure.contains(&fault.label()),
            "{} not marked",
            fault.label()
        );
    }
}

fn heard(id: &str, at_s: f64) -> Publication {
    Publication {
        id: id.into(),
        at_s,
    }
}

#[test]
fn a_task_run_twice_counts_once_on_the_timeline_and_once_as_a_duplicate() {
    let (finished, duplicates) = tally(&[
        heard("a", 0.1),
        heard("b", 0.3),
        heard("a", 0.6), // the restored message of a killed worker, again
        heard("c", 0.6),
    ]);
    assert_eq!(finished, vec![1.0, 1.0, 1.0]);
    assert_eq!(duplicates, 1);
}

#[test]
fn the_standard_plan_applies_each_fault_within_the_sending() {
    let plan = Plan::standard(100, 7.0);
    assert_eq!(plan.faults.len(), 3);
    for fault in &plan.faults {
        assert!(0.0 < fault.from_s && fault.from_s < fault.to_s);
        assert!(fault.to_s < plan.send_s, "{fault:?}");
    }
}
