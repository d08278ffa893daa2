//! Chapter 7 · The command line as a reader meets it.

use workbench::testing::{assert_rows_end_with, run_recorded_by, succeeds, text};

workbench::cli_tests! {
    fn ch07 = env!("CARGO_BIN_EXE_ch07");
    usage_errors = "
        cost --workers 2                => takes no --workers
        cost --variants mmap            => unknown variant `mmap`
        checkpoint --interval-ms soon   => invalid value 'soon'
        checkpoint --ticks 0            => not in 1..
        clocks --tasks 0                => not in 1..=1000
        simulate --loss 1.5             => not a rate from 0 to below 1
        simulate --partition 100        => not START_MS:LENGTH_MS
        trace --n 99                    => not in 1..=40
        no-such-example                 => unrecognized subcommand
        deposits --dedup set            => not last-only or up-to-last
        chaos --send-s 0                => not a number of seconds
        observe --workers 2             => takes no --workers
        observe --variants rayon        => unknown variant `rayon`
    ";
    examples = [
        "demo",
        "checkpoint",
        "clocks",
        "trace",
        "env",
        "simulate",
        "deposits",
        "chaos",
        "race",
        "observe" => ch07::logs::observe::VARIANTS,
        "cost" => ch07::checkpoint::cost::VARIANTS,
    ];
}

#[test]
fn the_default_demo_resumes_where_each_run_stopped() {
    let stdout = succeeds(&ch07(&[]));
    assert!(stdout.contains("SIGQUIT received: saved count"), "{stdout}");
    assert!(stdout.contains("SIGINT received: saved count"), "{stdout}");
    assert_eq!(stdout.matches("exit code Some(0)").count(), 2, "{stdout}");
    assert!(stdout.contains("3 ticks done"), "{stdout}");
}

#[test]
fn clocks_show_skew_misordering_and_lamport_not() {
    let stdout = succeeds(&ch07(&["clocks", "--tasks", "2", "--skew-ms", "10000"]));
    let counts: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("effects shown before their cause: "))
        .collect();
    assert_eq!(counts, ["2", "0"], "{stdout}");
}

#[test]
fn the_same_seed_prints_the_same_simulation() {
    let args = [
        "simulate",
        "--seed",
        "11",
        "--loss",
        "0.3",
        "--partition",
        "20:400",
    ];
    let (first, again) = (succeeds(&ch07(&args)), ch07(&args));
    assert_eq!(first, text(&again.stdout));
    assert!(first.contains("10 of 10 answered"), "{first}");
}

#[test]
fn env_names_the_compiler_and_the_machine() {
    let env = succeeds(&ch07(&["env", "--json"]));
    let env: serde_json::Value = serde_json::from_str(&env).expect("json");
    assert!(
        env["rustc"]
            .as_str()
            .is_some_and(|r| r.starts_with("rustc"))
    );
    assert!(env["cpus"].as_u64().is_some_and(|n| n >= 1));
    assert!(env["vars"].is_array());
}

#[test]
fn race_fixes_lose_nothing() {
    let stdout =
        succeeds(&ch07(&["race", "--threads", "2", "--increments", "10000"]));
    assert_rows_end_with(&stdout, &["fetch_add", "Mutex"], " 0");
}

#[test]
fn cost_writes_a_verified_record_and_its_figure() {
    let run = run_recorded_by(ch07, "cost --size 3 --reps 1");
    let record = run.record;
    assert_eq!(record.variants(), ch07::checkpoint::cost::VARIANTS);
    assert!(record.runs.iter().all(|r| r.verified));
    assert!(
        run.figure.contains("rename+fsync"),
        "the figure names the variants"
    );
}

#[test]
fn the_books_figures_are_measured_at_the_quick_size() {
    use workbench::Size::Quick;
    use workbench::testing::assert_committed_size;
    let saves = ch07::checkpoint::cost::saves_for(Quick);
    let checkpoint = serde_json::json!({ "saves": saves });
    assert_committed_size("ch07-checkpoint-cost", checkpoint);
    let tasks = ch07::logs::observe::tasks_for(Quick);
    let observe = serde_json::json!({ "tasks": tasks, "n": ch07::logs::observe::N });
    assert_committed_size("ch07-observability-cost", observe);
    let chaos = ch07::chaos::Plan::for_figures(Quick).record_size();
    assert_committed_size("ch07-chaos", chaos);
}
