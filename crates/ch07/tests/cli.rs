//! Chapter 7 · The command line as a reader meets it.

use std::process::{Command, Output};

use workbench::testing::{
    assert_help_lists_variants, assert_lists_examples, assert_usage_errors, text,
};

fn ch07(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch07"))
        .args(args)
        .output()
        .expect("ch07 runs")
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let cases: [(&[&str], &str); 13] = [
        (&["cost", "--workers", "2"], "takes no --workers"),
        (&["cost", "--variants", "mmap"], "unknown variant `mmap`"),
        (
            &["checkpoint", "--interval-ms", "soon"],
            "invalid value 'soon'",
        ),
        (&["checkpoint", "--ticks", "0"], "not in 1.."),
        (&["clocks", "--tasks", "0"], "not in 1..=1000"),
        (
            &["simulate", "--loss", "1.5"],
            "not a rate from 0 to below 1",
        ),
        (
            &["simulate", "--partition", "100"],
            "not START_MS:LENGTH_MS",
        ),
        (&["trace", "--n", "99"], "not in 1..=40"),
        (&["no-such-example"], "unrecognized subcommand"),
        (
            &["deposits", "--dedup", "set"],
            "not last-only or up-to-last",
        ),
        (&["chaos", "--send-s", "0"], "not a number of seconds"),
        (&["observe", "--workers", "2"], "takes no --workers"),
        (
            &["observe", "--variants", "rayon"],
            "unknown variant `rayon`",
        ),
    ];
    assert_usage_errors(ch07, &cases);
}

#[test]
fn list_and_help_name_every_example() {
    assert_lists_examples(
        ch07,
        &[
            "demo",
            "checkpoint",
            "clocks",
            "trace",
            "env",
            "simulate",
            "deposits",
            "chaos",
            "race",
            "observe",
        ],
    );
}

#[test]
fn the_default_demo_resumes_where_each_run_stopped() {
    let out = ch07(&[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("SIGQUIT received: saved count"), "{stdout}");
    assert!(stdout.contains("SIGINT received: saved count"), "{stdout}");
    assert_eq!(stdout.matches("exit code Some(0)").count(), 2, "{stdout}");
    assert!(stdout.contains("3 ticks done"), "{stdout}");
}

#[test]
fn clocks_show_skew_misordering_and_lamport_not() {
    let out = ch07(&["clocks", "--tasks", "2", "--skew-ms", "10000"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
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
    let (first, again) = (ch07(&args), ch07(&args));
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(text(&first.stdout), text(&again.stdout));
    assert!(
        text(&first.stdout).contains("10 of 10 answered"),
        "{}",
        text(&first.stdout)
    );
}

#[test]
fn env_names_the_compiler_and_the_machine() {
    let out = ch07(&["env", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let env: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
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
    let out = ch07(&["race", "--threads", "2", "--increments", "10000"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    for fixed in ["fetch_add", "Mutex"] {
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
fn cost_writes_a_verified_record_and_its_figure() {
    let scratch = tempfile::Builder::new()
        .prefix("ch07-cost-")
        .tempdir()
        .expect("scratch dir");
    // Not there yet: the program creates it.
    let dir = scratch.path().join("out");
    let (json, svg) = (dir.join("cost.json"), dir.join("cost.svg"));
    let out = ch07(&[
        "cost",
        "--size",
        "3",
        "--reps",
        "1",
        "--quiet",
        "--json",
        json.to_str().expect("utf-8"),
        "--svg",
        svg.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let record: workbench::Record =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json"))
            .expect("record");
    assert_eq!(record.variants(), ch07::checkpoint::cost::VARIANTS);
    assert!(record.runs.iter().all(|r| r.verified));
    let figure = std::fs::read_to_string(&svg).expect("svg");
    assert!(
        figure.contains("rename+fsync"),
        "the figure names the variants"
    );
}

#[test]
fn help_names_each_examples_variants() {
    assert_help_lists_variants(ch07, "cost", &ch07::checkpoint::cost::VARIANTS);
    assert_help_lists_variants(ch07, "observe", &ch07::logs::observe::VARIANTS);
}
