//! Chapter 7 · The cost of observability: every variant at every level of
//! instrumentation computes the same sum, and the JSON level writes lines.

use std::path::Path;

use ch07::logs::observe::{LEVELS, VARIANTS, compare, dispatch, seq};
use workbench::MeasureOpts;
use workbench::cli::UsageError;
use workbench::services::TempDir;

fn once() -> MeasureOpts {
    MeasureOpts {
        warmup: 1,
        reps: 1,
        progress: false,
    }
}

#[test]
fn every_variant_and_level_is_measured_and_verified() {
    let exe = Path::new(env!("CARGO_BIN_EXE_ch07"));
    let variants: Vec<String> = VARIANTS.map(String::from).to_vec();
    let record = compare(exe, 40, &variants, once()).expect("measured");
    assert_eq!(record.runs.len(), VARIANTS.len() * LEVELS.len());
    assert!(record.runs.iter().all(|r| r.verified), "{record:#?}");
    let names = record.variants();
    for name in [
        "seq",
        "seq+tracing",
        "threads+json",
        "async+tracing",
        "dist+json",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
}

#[test]
fn the_json_level_writes_a_line_per_event() {
    let dir = TempDir::new("ch07-observe").expect("a dir");
    let log = dir.path().join("seq.jsonl");
    let json = dispatch("json", &log).expect("a subscriber");
    assert_eq!(seq(0..5, 10, &json), 5 * 55);
    let text = std::fs::read_to_string(&log).expect("the log");
    assert_eq!(text.lines().count(), 10, "{text}");
    assert!(text.lines().all(|l| l.contains("\"index\"")), "{text}");
}

#[test]
fn an_unknown_level_or_variant_is_a_usage_error() {
    let err = dispatch("verbose", Path::new("unused")).expect_err("no such level");
    assert!(err.downcast_ref::<UsageError>().is_some(), "{err:#}");
    let exe = Path::new(env!("CARGO_BIN_EXE_ch07"));
    let err = compare(exe, 4, &["rayon".into()], once()).expect_err("no rayon");
    assert!(err.downcast_ref::<UsageError>().is_some(), "{err:#}");
}
