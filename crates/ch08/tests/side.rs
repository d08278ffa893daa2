//! Chapter 8 · The side-by-side comparison on records of every shape.

mod common;

use ch08::Model;
use ch08::side::{Work, groups};
use common::*;

#[test]
fn best_variant_and_each_model_come_from_the_record() {
    let c = compare(vec![cpu_record(
        "fib",
        &[
            ("threads", 2, 0.52),
            ("rayon", 2, 0.51),
            ("async", 2, 1.0),
            ("processes", 2, 0.6),
        ],
    )]);
    let e = &c.entries[0];
    assert_eq!(e.work, Work::Cpu);
    let best = e.best.as_ref().expect("a best run");
    assert_eq!((best.variant.as_str(), best.workers), ("rayon", 2));
    assert_eq!(e.best_of(Model::Async).map(|p| p.speedup), Some(Some(1.0)));
    assert_eq!(e.best_of(Model::Dist).expect("dist").variant, "processes");
    let cells = e.cells();
    assert!(cells[4].starts_with("1.96× rayon ×2"), "{cells:?}");
    assert!(cells[6].starts_with("1.67× processes ×2"), "{cells:?}");
}

#[test]
fn a_record_without_seq_shows_its_fastest_run_and_no_speedups() {
    let c = compare(vec![record(
        "ch04",
        "throughput",
        serde_json::json!({"tasks": 100}),
        vec![
            with(run("rust", 2, 0.4, 0.1), "tasks_per_s", 250.0),
            with(run("python", 2, 1.6, 0.1), "tasks_per_s", 62.5),
        ],
    )]);
    let e = &c.entries[0];
    assert!(e.best.is_none() && e.seq_wall_s.is_none());
    assert_eq!(e.work, Work::Unknown);
    assert_eq!(e.fastest.as_ref().expect("fastest").variant, "rust");
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("no seq") && n.contains("tasks_per_s"))
    );
    assert!(e.cells()[7].contains("no seq; fastest rust ×2"));
    assert_eq!(ch08::figure::plotted(&c).len(), 0);
}

#[test]
fn several_sizes_are_grouped_by_their_own_seq() {
    let mut runs = Vec::new();
    for (n, seq_s, dist_s) in [(20.0, 0.001, 0.004), (30.0, 0.1, 0.06)] {
        runs.push(with(run("seq", 1, seq_s, seq_s), "n", n));
        let mut dist = with(run("dist", 2, dist_s, 0.001), "n", n);
        dist.speedup = Some(seq_s / dist_s);
        runs.push(dist);
    }
    // As chapter 4 writes it: each size's speed-ups against its own seq.
    let mut rec = record(
        "ch04",
        "crossover",
        serde_json::json!({"tasks": 16}),
        vec![],
    );
    rec.runs = runs;
    let labels: Vec<String> = groups(&rec).into_iter().map(|g| g.label).collect();
    assert_eq!(labels, ["n=20", "n=30"]);
    let c = compare(vec![rec]);
    let best = c.entries[0].best.as_ref().expect("best");
    assert_eq!(best.at, "n=30");
    assert!(c.entries[0].cells()[7].ends_with("at n=30"));
}

#[test]
fn skipped_and_weak_scaling_runs_are_noted_not_compared() {
    let mut skipped = run("dist", 2, 0.0, 0.0);
    skipped.skipped = Some("no redis-server".into());
    let mut rec = cpu_record("amdahl", &[("threads", 2, 0.5)]);
    rec.runs.push(skipped);
    rec.runs.push(run("threads-weak", 2, 0.5, 1.0));
    rec.runs.last_mut().expect("pushed").speedup = Some(3.9);
    let c = compare(vec![rec]);
    let e = &c.entries[0];
    assert_eq!(e.best.as_ref().expect("best").variant, "threads");
    assert!(e.best_of(Model::Dist).is_none());
    let notes = c.notes().join("\n");
    assert!(
        notes.contains("dist ×2 skipped: no redis-server"),
        "{notes}"
    );
    assert!(notes.contains("weak-scaling"), "{notes}");
}

#[test]
fn tables_and_figure_name_every_record_and_the_machine() {
    let c = compare(vec![
        cpu_record("fib", &[("threads", 2, 0.5)]),
        waiting_record("rates", &[("async", 10, 0.11, 0.002)]),
    ]);
    let md = c.markdown();
    assert!(md.contains("| ch90 fib | CPU |"), "{md}");
    assert!(md.contains("| ch91 rates | waiting |"), "{md}");
    assert!(md.contains("measured on 2 CPUs"), "{md}");
    assert!(c.text().contains("machine: 2 CPUs"));
    let svg = ch08::figure::svg(&c);
    for needle in [
        "ch90 fib",
        "ch91 rates",
        "2.00× threads ×2",
        "measured on 2 CPUs",
    ] {
        assert!(svg.contains(needle), "figure lacks {needle}");
    }
}
