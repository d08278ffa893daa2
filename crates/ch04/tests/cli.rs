//! Chapter 4 · The command line as a reader meets it.

use std::process::{Command, Output};

use workbench::testing::{
    assert_lists_examples, assert_usage_errors, run_recorded_by, text,
};

fn ch04(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch04"))
        .args(args)
        .env_remove("REDIS_URL")
        .env("CH04_WORKER", env!("CARGO_BIN_EXE_worker"))
        .output()
        .expect("ch04 runs")
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let cases: [(&[&str], &str); 9] = [
        (&["fib", "--workers", "0"], "at least 1"),
        (
            &["mergesort", "--variants", "seq,gpu"],
            "unknown variant `gpu`",
        ),
        (
            &["mergesort", "--size", "huge"],
            "not quick, full or a whole number",
        ),
        (&["launch", "--count", "0"], "0 is not in 1..=64"),
        (
            &["rpc", "--workers", "2"],
            "one call at a time or all at once",
        ),
        (&["no-such-example"], "unrecognized subcommand"),
        (&["status"], "needs a broker"),
        (&["rate-group", "--workers", "3"], "runs on 2 workers"),
        (
            &["rq", "--backend", "mysql"],
            "[possible values: sqlite, redis]",
        ),
    ];
    assert_usage_errors(ch04, &cases);
}

#[test]
fn list_and_help_name_every_example() {
    assert_lists_examples(
        ch04,
        &[
            "mergesort",
            "fib",
            "overhead",
            "throughput",
            "crossover",
            "echo",
            "rates",
            "chain",
            "rate-group",
            "purge",
            "status",
            "interop",
            "launch",
            "rq",
            "rpc",
            "figures",
        ],
    );
}

/// Run `ch04 ARGS`: it succeeds and says every one of `lines`.
fn says(args: &[&str], lines: &[&str]) {
    let out = ch04(args);
    let said = text(&out.stdout);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    for line in lines {
        assert!(said.contains(line), "{args:?}: no `{line}` in:\n{said}");
    }
}

#[test]
fn chain_shows_every_link_and_none_after_a_failure() {
    let links = [
        "  link 3: succeeded: 10946",
        "  link 1: succeeded: [1,5,9]",
        "  chain → raised ExpectedError: a broken link",
        "  link 3: never ran",
    ];
    says(&["chain"], &links);
}

#[test]
fn mergesort_with_its_own_broker_writes_a_verified_record() {
    let run = run_recorded_by(ch04, "mergesort --size 20000 --reps 1 --workers 1,2");
    let record = run.record;
    assert_eq!(record.variants(), ch04::compare::VARIANTS);
    assert_eq!(record.runs.len(), 1 + 3 * 2);
    assert!(
        record
            .runs
            .iter()
            .all(|r| r.verified && r.skipped.is_none())
    );
}

#[test]
fn rate_group_records_checked_rates_per_second() {
    let run = run_recorded_by(ch04, "rate-group --size 5 --latency-ms 5 --reps 1");
    let record = run.record;
    assert_eq!(record.size["pairs"], 5);
    assert_eq!(record.size["latency_ms"], 5);
    let run = record.run("dist", 2).expect("dist on 2 workers");
    assert!(run.verified && run.extra["tasks_per_s"] > 0.0, "{run:?}");
}

#[test]
fn echo_rates_and_purge_tell_their_story() {
    let echo = ["result: \"Hello, Celery!\"", "ready now? true"];
    says(&["echo"], &echo);
    let rates = [
        "EURUSD = 1.085",
        "unknown currency pair XYZUSD",
        "timed out",
    ];
    says(&["rates", "--latency-ms", "5"], &rates);
    says(
        &["purge", "--count", "7"],
        &["queued 7 tasks, purged 7, 0 left"],
    );
}

#[test]
fn launch_stops_its_workers_after_the_given_time() {
    let args = ["launch", "--count", "2", "--for-s", "1", "--grace-s", "2"];
    says(
        &args,
        &["2 workers on redis://app:***@127.0.0.1:", "stopped"],
    );
}

#[test]
fn the_books_fib_figure_is_measured_at_the_quick_size() {
    let size = ch04::sizes::fib_size(workbench::Size::Quick);
    workbench::testing::assert_committed_size("ch04-fib", size.to_json());
}
