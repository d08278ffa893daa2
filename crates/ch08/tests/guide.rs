//! Chapter 8 · Each rule of the guide, judged on synthetic records whose
//! verdict is known: one that agrees, one that does not, and none.

mod common;

use ch08::guide::{Rule, Verdict, evaluate};
use ch08::rules::RULES;
use common::*;
use workbench::Record;

/// The rule whose advice starts with `start`.
fn rule(start: &str) -> Rule {
    *RULES
        .iter()
        .find(|r| r.advice.starts_with(start))
        .expect("a rule with that advice")
}

fn verdict(rule: Rule, records: Vec<Record>) -> Verdict {
    evaluate(&[rule], &compare(records))[0].verdict()
}

#[test]
fn threads_for_cpu_work_needs_efficient_threads() {
    let r = rule("CPU-bound work on one machine");
    let good = cpu_record("fib", &[("rayon", 2, 0.52)]);
    let poor = cpu_record("sort", &[("threads", 2, 2.0)]);
    assert_eq!(verdict(r, vec![good.clone()]), Verdict::Supported);
    assert_eq!(verdict(r, vec![poor.clone()]), Verdict::Contradicted);
    assert_eq!(verdict(r, vec![good, poor]), Verdict::Mixed);
    let waiting = waiting_record("rates", &[("threads", 2, 0.5, 0.001)]);
    assert_eq!(verdict(r, vec![waiting]), Verdict::NoEvidence);
}

#[test]
fn async_is_no_faster_than_threads_on_cpu_work() {
    let r = rule("Async does not");
    let agrees = cpu_record("fib", &[("threads", 2, 0.5), ("async", 2, 1.0)]);
    let disagrees = cpu_record("fib", &[("threads", 2, 1.0), ("async", 2, 0.5)]);
    assert_eq!(verdict(r, vec![agrees]), Verdict::Supported);
    assert_eq!(verdict(r, vec![disagrees]), Verdict::Contradicted);
}

#[test]
fn waiting_work_overlaps_under_async() {
    let r = rule("Waiting");
    let overlapped = waiting_record("rates", &[("async", 10, 0.11, 0.002)]);
    let serial = waiting_record("rates", &[("async", 10, 0.9, 0.002)]);
    assert_eq!(verdict(r, vec![overlapped]), Verdict::Supported);
    assert_eq!(verdict(r, vec![serial]), Verdict::Contradicted);
}

/// Chapter 4's shape: a round-trip probe, and dist at two task sizes.
fn broker_records(rtt_ms: f64, dist_wins_small: bool) -> Vec<Record> {
    let probe = record(
        "ch04",
        "overhead",
        serde_json::json!({}),
        vec![with(run("echo", 1, 0.0004, 0.0), "p50_ms", rtt_ms)],
    );
    // 10 tasks in 1 ms: 0.1 ms each; 10 tasks in 100 ms: 10 ms each.
    let mut sizes = record(
        "ch04",
        "crossover",
        serde_json::json!({"tasks": 10}),
        vec![],
    );
    for (n, seq_s, dist_speedup) in [(10.0, 0.001, 0.2), (20.0, 0.1, 1.8)] {
        let speedup = if dist_wins_small && n == 10.0 {
            1.5
        } else {
            dist_speedup
        };
        sizes.runs.push(with(run("seq", 1, seq_s, seq_s), "n", n));
        let mut dist = with(run("dist", 2, seq_s / speedup, 0.0), "n", n);
        dist.speedup = Some(speedup);
        sizes.runs.push(dist);
    }
    vec![probe, sizes]
}

#[test]
fn small_tasks_stay_local_judges_only_tasks_below_the_round_trip() {
    let r = rule("Tasks shorter than the broker round trip");
    let evals = evaluate(&[r], &compare(broker_records(0.4, false)));
    assert_eq!(evals[0].verdict(), Verdict::Supported);
    assert_eq!(evals[0].findings.len(), 1, "only n=10 is below 0.4 ms");
    assert!(evals[0].findings[0].record.ends_with("n=10"));
    assert_eq!(verdict(r, broker_records(0.4, true)), Verdict::Contradicted);
    let without_probe = broker_records(0.4, false).split_off(1);
    assert_eq!(verdict(r, without_probe), Verdict::NoEvidence);
}

#[test]
fn more_workers_than_cores_is_judged_only_beyond_the_cores() {
    let r = rule("More CPU-bound workers");
    let flat = cpu_record("fib", &[("threads", 2, 0.5), ("threads", 4, 0.5)]);
    let magic = cpu_record("fib", &[("threads", 2, 0.5), ("threads", 4, 0.25)]);
    assert_eq!(verdict(r, vec![flat]), Verdict::Supported);
    assert_eq!(verdict(r, vec![magic]), Verdict::Contradicted);
    let within = cpu_record("fib", &[("threads", 2, 0.5)]);
    assert_eq!(verdict(r, vec![within]), Verdict::NoEvidence);
    // A pipeline's three stages, with no run within the cores to compare
    // with, say nothing about oversubscribing a shared job.
    let stages = cpu_record("grep", &[("threads", 3, 2.5)]);
    assert_eq!(verdict(r, vec![stages]), Verdict::NoEvidence);
}

#[test]
fn threads_before_processes_compares_equal_worker_counts() {
    let r = rule("On one machine");
    let usual = cpu_record("fib", &[("threads", 2, 0.5), ("processes", 2, 0.6)]);
    let locks = cpu_record("memory", &[("mutex", 2, 5.0), ("dist", 2, 2.0)]);
    assert_eq!(verdict(r, vec![usual.clone()]), Verdict::Supported);
    assert_eq!(verdict(r, vec![locks]), Verdict::Contradicted);
    let apart = cpu_record("fib", &[("threads", 2, 0.5), ("dist", 4, 0.3)]);
    assert_eq!(verdict(r, vec![apart]), Verdict::NoEvidence);
}

#[test]
fn the_guide_renders_every_rule_with_its_verdict() {
    let c = compare(vec![cpu_record("fib", &[("threads", 2, 0.5)])]);
    let evals = evaluate(&RULES, &c);
    let md = ch08::guide::markdown(&evals);
    for r in RULES {
        assert!(md.contains(r.advice), "{md}");
    }
    assert!(md.contains("supported (1 of 1 findings agree)"), "{md}");
    assert!(md.contains("no evidence here"), "{md}");
    assert!(
        ch08::guide::text(&evals).contains("+ ch90 fib: threads ×2 reached 2.00×")
    );
}
