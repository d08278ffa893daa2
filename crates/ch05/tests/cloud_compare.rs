//! Chapter 5 · The comparison against a moto server the test starts: seq,
//! threads, async and dist (SQS + two worker processes) all give verified
//! answers, and the record says so.

use ch05::cloud::Aws;
use ch05::cloud::compare::{CloudVariant, compare};
use workbench::MeasureOpts;
use workbench::variants::Variant;

#[test]
fn the_four_variants_answer_alike_through_the_queue_too() {
    let rt = tokio::runtime::Runtime::new().expect("tokio");
    let mut aws = rt.block_on(Aws::local()).expect("moto's server starts");
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_ch05-sqs-worker"));
    let opts = MeasureOpts {
        warmup: 1,
        reps: 1,
        progress: false,
    };
    let tasks = [18, 19, 20, 21, 22, 23];
    let record = compare(&rt, &aws, program, &tasks, 2, CloudVariant::ALL, opts)
        .expect("measured");
    let variants: Vec<&str> =
        record.runs.iter().map(|r| r.variant.as_str()).collect();
    assert_eq!(variants, ["seq", "threads", "async", "dist"]);
    assert!(
        record.runs.iter().all(|r| r.verified),
        "{}",
        record.to_json()
    );
    aws.stop().expect("stops");
}

#[test]
fn only_the_variants_asked_for_are_run() {
    let rt = tokio::runtime::Runtime::new().expect("tokio");
    let mut aws = rt.block_on(Aws::local()).expect("moto's server starts");
    let program = std::path::Path::new("/nonexistent/ch05-sqs-worker");
    let opts = MeasureOpts {
        warmup: 1,
        reps: 1,
        progress: false,
    };
    let record = compare(
        &rt,
        &aws,
        program,
        &[20, 21],
        2,
        &[CloudVariant::Threads, CloudVariant::Seq],
        opts,
    );
    let record = record.expect("no worker program is needed without dist");
    let variants: Vec<&str> =
        record.runs.iter().map(|r| r.variant.as_str()).collect();
    assert_eq!(variants, ["threads", "seq"]);
    aws.stop().expect("stops");
}
