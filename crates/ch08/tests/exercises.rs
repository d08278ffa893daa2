//! Chapter 8 · The exercises' solutions, on synthetic records and on the
//! book's own records (checked against what chapter 4 itself computed).

mod common;

use ch08::Model;
use ch08::exercises::{ASYNC_SAVES_CPU, crossover, rank_by_efficiency};
use ch08::guide::{Verdict, evaluate};
use common::*;

#[test]
fn crossover_is_the_first_size_where_dist_wins() {
    let mut rec = record(
        "ch04",
        "crossover",
        serde_json::json!({"tasks": 10}),
        vec![],
    );
    for (n, seq_s, speedup) in
        [(10.0, 0.001, 0.2), (20.0, 0.02, 1.1), (30.0, 0.1, 1.8)]
    {
        rec.runs.push(with(run("seq", 1, seq_s, seq_s), "n", n));
        let mut dist = with(run("dist", 2, seq_s / speedup, 0.0), "n", n);
        dist.speedup = Some(speedup);
        rec.runs.push(dist);
    }
    let c = compare(vec![rec]);
    let found = crossover(&c.entries[0]).expect("dist wins at some size");
    assert_eq!(found.at, "n=20");
    assert_eq!(found.speedup, 1.1);
    let task_ms = found.task_ms.expect("the record has tasks");
    assert!((task_ms - 2.0).abs() < 1e-9, "{task_ms}");
    let never = compare(vec![cpu_record("fib", &[("dist", 2, 3.0)])]);
    assert_eq!(crossover(&never.entries[0]), None);
}

#[test]
fn crossover_agrees_with_chapter_4s_own_record() {
    let loaded =
        ch08::load::load_dir(&ch08::load::default_dir()).expect("book records");
    let c = ch08::Comparison::new(loaded);
    let entry = c
        .entry("ch04", "crossover")
        .expect("the book has ch04 crossover");
    let own = entry
        .record
        .size
        .get("crossover_n")
        .and_then(|v| v.as_u64());
    let ours = crossover(entry).map(|x| x.at);
    assert_eq!(ours, own.map(|n| format!("n={n}")));
}

#[test]
fn async_saves_cpu_compares_the_same_concurrency() {
    let cheap = waiting_record(
        "fetch",
        &[("threads", 100, 0.07, 0.03), ("async", 100, 0.05, 0.006)],
    );
    let dear = waiting_record(
        "fetch",
        &[("threads", 100, 0.07, 0.01), ("async", 100, 0.05, 0.02)],
    );
    let verdict = |r| evaluate(&[ASYNC_SAVES_CPU], &compare(vec![r]))[0].verdict();
    assert_eq!(verdict(cheap), Verdict::Supported);
    assert_eq!(verdict(dear), Verdict::Contradicted);
    let apart = waiting_record(
        "fetch",
        &[("threads", 10, 0.1, 0.01), ("async", 100, 0.05, 0.02)],
    );
    assert_eq!(verdict(apart), Verdict::NoEvidence);
}

#[test]
fn models_rank_by_median_efficiency() {
    let c = compare(vec![
        cpu_record(
            "a",
            &[("threads", 2, 0.5), ("dist", 2, 0.8), ("async", 2, 1.0)],
        ),
        cpu_record(
            "b",
            &[("threads", 2, 0.6), ("dist", 2, 2.0), ("async", 2, 0.7)],
        ),
        cpu_record("c", &[("rayon", 2, 0.55), ("dist", 2, 0.9)]),
    ]);
    let ranking = rank_by_efficiency(&c);
    let order: Vec<Model> = ranking.iter().map(|r| r.0).collect();
    assert_eq!(order, [Model::Threads, Model::Async, Model::Dist]);
    let (_, threads, count) = ranking[0];
    assert_eq!(count, 3);
    assert!((threads - 1.0 / 0.55 / 2.0).abs() < 1e-9, "{threads}");
}
