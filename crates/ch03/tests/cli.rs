//! Chapter 3 · The command line as a reader meets it.

use workbench::testing::{
    assert_every_run, assert_rows_end_with, run_recorded_by, run_table, succeeds,
};

workbench::cli_tests! {
    fn ch03 = env!("CARGO_BIN_EXE_ch03");
    usage_errors = "
        fib --workers 0           => at least 1
        fib --workers abc         => not a whole number
        fib --variants seq,gpu    => unknown variant `gpu`
        fib --size huge           => not quick, full or a whole number
        currency --workers 2      => one request per pair
        no-such-example           => unrecognized subcommand
    ";
    examples = [
        "fib" => ch03::FIB_VARIANTS,
        "futures",
        "currency" => ch03::CURRENCY_VARIANTS,
        "race",
    ];
}

#[test]
fn fib_writes_a_verified_record_and_a_figure() {
    let run = run_recorded_by(ch03, "fib --size 20 --reps 1 --workers 1,2");
    let record = &run.record;
    let variants = record.variants();
    assert_eq!(variants, ch03::FIB_VARIANTS);
    assert_every_run(record, |r| r.verified && r.speedup.is_some());
    assert_eq!(record.runs.len(), 1 + 6 * 2);
    assert!(run.figure.contains("speed-up"));
    let table = &run.stdout;
    assert!(
        table.contains("spawn_blocking") && table.contains("machine:"),
        "{table}"
    );
}

#[test]
fn futures_reports_fib_38_like_the_book() {
    let stdout = succeeds(&ch03(&["futures", "--n", "30", "--timeout-ms", "0"]));
    assert!(stdout.contains("result() = 832040"), "{stdout}");
}

#[test]
fn race_shows_the_fixes_counting_everything() {
    let stdout =
        succeeds(&ch03(&["race", "--threads", "2", "--increments", "10000"]));
    assert_rows_end_with(&stdout, &["Mutex", "fetch_add", "per-thread tally"], " 0");
}

#[test]
fn currency_checks_every_rate() {
    let stdout = run_table(ch03, "currency --latency-ms 5 --reps 1");
    for variant in ["seq", "threads", "async"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(variant) && l.ends_with("yes")),
            "{stdout}"
        );
    }
}

#[test]
fn the_books_fib_figure_is_measured_at_the_quick_size() {
    let size = ch03::sizes::fib_size(workbench::Size::Quick, 8);
    workbench::testing::assert_committed_size("ch03-fib", size.to_json());
}
