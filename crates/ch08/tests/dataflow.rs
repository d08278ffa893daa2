//! Chapter 8 · The timely word count gives the sequential answer, with any
//! number of workers, in one process and across processes.

use std::path::Path;
use std::sync::Arc;

use ch08::dataflow::{Part, corpus, count_dataflow, count_seq, merge};
use ch08::wordcount::count_processes;
use workbench::testing::{assert_every_run, run, run_recorded_by};

#[test]
fn the_corpus_is_seeded_and_skewed() {
    let text = corpus(1_000, 7);
    assert_eq!(text, corpus(1_000, 7));
    assert_ne!(text, corpus(1_000, 8));
    let counts = count_seq(&text);
    assert_eq!(counts.values().sum::<u64>(), 12_000);
    let (most, least) = (counts.values().max(), counts.values().min());
    assert!(most > least.map(|l| l * 3).as_ref(), "{counts:?}");
}

#[test]
fn workers_in_one_process_count_like_seq_and_own_each_word_once() {
    let text = Arc::new(corpus(2_345, 11));
    let expected = count_seq(&text);
    for workers in [1, 2, 3] {
        let parts =
            count_dataflow(Arc::clone(&text), timely::Config::process(workers))
                .expect("the dataflow runs");
        assert_eq!(parts.len(), workers);
        let owned: usize = parts.iter().map(|p| p.counts.len()).sum();
        assert_eq!(owned, expected.len(), "each word on exactly one worker");
        assert_eq!(
            merge(parts).expect("disjoint"),
            expected,
            "{workers} workers"
        );
    }
}

#[test]
fn merge_refuses_a_word_counted_twice() {
    let part = |n| Part {
        counts: [("task".to_string(), n)].into(),
        busy_s: 0.0,
    };
    let err = merge(vec![part(1), part(2)]).expect_err("twice");
    assert!(err.to_string().contains("`task`"), "{err}");
}

#[test]
fn two_processes_on_loopback_count_like_seq() {
    let program = Path::new(env!("CARGO_BIN_EXE_ch08"));
    let (counts, busy_s) =
        count_processes(program, 2, 3_000).expect("two processes");
    assert_eq!(counts, count_seq(&corpus(3_000, ch08::wordcount::SEED)));
    assert!(busy_s > 0.0);
}

#[test]
fn the_wordcount_subcommand_writes_a_verified_record() {
    let ch08 = |args: &[&str]| run(env!("CARGO_BIN_EXE_ch08"), args);
    let record =
        run_recorded_by(ch08, "wordcount --size 3000 --reps 1 --workers 1,2").record;
    assert_eq!(record.variants(), ch08::wordcount::VARIANTS);
    assert_every_run(&record, |r| r.verified && r.speedup.is_some());
    let dist = record.run("dataflow-dist", 2).expect("two processes");
    assert!(dist.extra.contains_key("in_workers_s"));
}
