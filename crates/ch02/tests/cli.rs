//! Chapter 2 · The command line as a reader meets it: every example runs,
//! bad input gets a clear message and the right exit code.

use workbench::services::free_port;
use workbench::testing::{assert_fails, run_recorded_by, succeeds, text};

workbench::cli_tests! {
    fn ch02 = env!("CARGO_BIN_EXE_ch02");
    usage_errors = "
        fetch --requests -1                   => between 1 and 10000
        fetch --requests many                 => not a whole number
        fetch --variants seq,gpu              => unknown variant `gpu`
        grep love /nonexistent/corpus.txt     => no such corpus file
        no-such-example                       => unrecognized subcommand
    ";
    examples = [
        "iteration",
        "generators",
        "coroutines",
        "grep" => ch02::GREP_VARIANTS,
        "mgrep" => ch02::MGREP_VARIANTS,
        "executor",
        "fetch" => ch02::FETCH_VARIANTS,
        "timeout",
    ];
}

#[test]
fn an_unreachable_service_is_a_runtime_error_not_a_hang() {
    let port = free_port().expect("a free port");
    let url = format!("http://127.0.0.1:{port}");
    let out = ch02(&[
        "fetch",
        "--service",
        &url,
        "--requests",
        "3",
        "--quiet",
        "--no-memory",
    ]);
    assert_fails(&out, 1, "error:");
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&url), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_small_examples_say_what_the_book_says() {
    assert_eq!(text(&ch02(&["generators"]).stdout), "2\n1\n0\n");
    assert!(text(&ch02(&["iteration"]).stdout).starts_with("0\n1\n2\n"));
    let coroutines = text(&ch02(&["coroutines", "--word", "love"]).stdout);
    assert_eq!(
        coroutines.matches("'love' again?").count(),
        6,
        "{coroutines}"
    );
    assert_eq!(coroutines.matches("closed: no more complaints").count(), 3);
    let executor = text(&ch02(&["executor"]).stdout);
    assert!(
        executor.contains("from scratch: quick, medium, slow"),
        "{executor}"
    );
    assert!(
        executor.contains("tokio:        quick, medium, slow"),
        "{executor}"
    );
    let timeout = succeeds(&ch02(&["timeout", "--latency-ms", "100"]));
    assert!(timeout.contains("GBPUSD within 50ms: cancelled"));
}

#[test]
fn fetch_writes_a_verified_record_with_memory() {
    let run = run_recorded_by(
        ch02,
        "fetch --size full --latency-ms 5 --requests 1,20 --reps 1",
    );
    let record = &run.record;
    assert_eq!(record.variants(), ch02::FETCH_VARIANTS);
    assert_eq!(record.runs.len(), 2 * ch02::FETCH_VARIANTS.len());
    for run in &record.runs {
        assert!(run.verified, "{run:?}");
        assert!(run.extra["peak_mib"] > 1.0, "{run:?}");
        assert!(run.extra["requests"] == 1.0 || run.extra["requests"] == 20.0);
    }
    assert!(run.figure.contains("peak memory"), "the chapter's figure");
}
