//! Chapter 3 · The command line as a reader meets it.

use std::process::Output;

use workbench::testing::{
    assert_help_lists_variants, assert_lists_examples, assert_usage_errors, run,
    run_recorded, text,
};

const CH03: &str = env!("CARGO_BIN_EXE_ch03");

fn ch03(args: &[&str]) -> Output {
    run(CH03, args)
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let cases: [(&[&str], &str); 6] = [
        (&["fib", "--workers", "0"], "at least 1"),
        (&["fib", "--workers", "abc"], "not a whole number"),
        (&["fib", "--variants", "seq,gpu"], "unknown variant `gpu`"),
        (
            &["fib", "--size", "huge"],
            "not quick, full or a whole number",
        ),
        (&["currency", "--workers", "2"], "one request per pair"),
        (&["no-such-example"], "unrecognized subcommand"),
    ];
    assert_usage_errors(ch03, &cases);
}

#[test]
fn list_and_help_name_every_example() {
    assert_lists_examples(ch03, &["fib", "futures", "currency", "race"]);
}

#[test]
fn fib_writes_a_verified_record_and_a_figure() {
    let run = run_recorded(CH03, "fib --size 20 --reps 1 --workers 1,2");
    let record = &run.record;
    let variants = record.variants();
    assert_eq!(variants, ch03::FIB_VARIANTS);
    assert!(
        record
            .runs
            .iter()
            .all(|r| r.verified && r.speedup.is_some())
    );
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
    let out = ch03(&["futures", "--n", "30", "--timeout-ms", "0"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("result() = 832040"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn race_shows_the_fixes_counting_everything() {
    let out = ch03(&["race", "--threads", "2", "--increments", "10000"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    for fixed in ["Mutex", "fetch_add", "per-thread tally"] {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(fixed))
            .expect("a row");
        assert!(
            row.trim_end().ends_with(" 0"),
            "{fixed} lost updates: {row}"
        );
    }
}

#[test]
fn currency_checks_every_rate() {
    let out = ch03(&[
        "currency",
        "--latency-ms",
        "5",
        "--reps",
        "1",
        "--quiet",
        "--json",
        "/dev/null",
        "--svg",
        "/dev/null",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
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
fn help_names_each_examples_variants() {
    assert_help_lists_variants(ch03, "fib", &ch03::FIB_VARIANTS);
    assert_help_lists_variants(ch03, "currency", &ch03::CURRENCY_VARIANTS);
}
