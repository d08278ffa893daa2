//! Chapter 5 · The command lines as a reader meets them: bad configuration
//! stops the worker with exit code 2, the CLI lists its examples, and the
//! headline demo loses nothing.

use std::process::{Command, Output};

use workbench::testing::{
    assert_fails, assert_help_lists_variants, assert_lists_examples,
    assert_usage_errors, scratch_file, text,
};

const WORKER: &str = env!("CARGO_BIN_EXE_ch05-worker");

fn ch05(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch05"))
        .args(args)
        .env("CH05_WORKER", WORKER)
        .output()
        .expect("ch05 runs")
}

fn worker_with_env(env: &[(&str, &str)]) -> Output {
    Command::new(WORKER)
        .envs(env.iter().copied())
        .output()
        .expect("ch05-worker runs")
}

#[test]
fn bad_configuration_in_the_environment_exits_2_naming_the_value() {
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("CH05_GRACE_SECONDS", "soon")], "`soon` is not a number"),
        (&[("CH05_GRACE_SECONDS", "-1")], "from 0.001 to 3600"),
        (&[("REDIS_URL", "http://broker:6379")], "not a redis:// URL"),
        (&[("CH05_HEALTH_ADDR", "everywhere")], "--health-addr"),
        (&[("CH05_HEARTBEAT_SECONDS", "0")], "--heartbeat-seconds"),
    ];
    for (env, says) in cases {
        let out = worker_with_env(env);
        assert_eq!(out.status.code(), Some(2), "{env:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(says), "{env:?}: {stderr}");
    }
}

#[test]
fn bad_flags_exit_2_with_a_message() {
    let worker =
        |args: &[&str]| Command::new(WORKER).args(args).output().expect("runs");
    assert_usage_errors(
        worker,
        &[
            (&["--queue", "two words"], "without spaces"),
            (&["probe", "sideways"], "invalid value 'sideways'"),
        ],
    );
    assert_usage_errors(
        ch05,
        &[
            (&["demo", "--jobs", "1"], "--jobs"),
            (&["demo", "--n", "90"], "--n"),
            (&["demo", "--grace-seconds", "0"], "from 0.001 to 3600"),
            (
                &["enqueue", "--redis-url", "amqp://x"],
                "not a redis:// URL",
            ),
            (&["deploy"], "unrecognized subcommand"),
        ],
    );
}

#[test]
fn a_probe_of_no_worker_fails_with_status_1() {
    let port = workbench::services::free_port().expect("a port");
    let out = Command::new(WORKER)
        .args([
            "--health-addr",
            &format!("127.0.0.1:{port}"),
            "probe",
            "live",
        ])
        .output()
        .expect("runs");
    assert_fails(&out, 1, "connecting to");
}

#[test]
fn list_and_help_name_every_example() {
    assert_lists_examples(ch05, &["demo", "enqueue", "status", "hosts", "figures"]);
}

#[test]
fn the_demo_loses_nothing_whether_the_job_finishes_or_is_handed_back() {
    for (grace, io_ms, handed_back) in [("5", "300", "0"), ("0.1", "1500", "1")] {
        let out = ch05(&[
            "demo",
            "--jobs",
            "3",
            "--n",
            "20",
            "--io-ms",
            io_ms,
            "--grace-seconds",
            grace,
        ]);
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
        assert!(stdout.contains("3 jobs, 0 lost"), "{stdout}");
        let a = stdout
            .lines()
            .find(|l| l.starts_with("worker-a"))
            .expect("a row for worker-a");
        let cells: Vec<&str> = a.split_whitespace().collect();
        assert_eq!(cells[2], "0", "worker-a exit code: {a}");
        assert_eq!(cells[4], handed_back, "handed back: {a}");
    }
}

#[test]
fn figures_writes_a_verified_record_of_stop_times() {
    // Not there yet: the program creates it.
    let (_scratch, dir) = scratch_file("ch05-figures-", "out");
    let out = ch05(&[
        "figures",
        "--out",
        dir.to_str().expect("utf-8"),
        "--size",
        "1",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let record =
        workbench::Record::load_json(&dir.join("ch05-stop.json")).expect("a record");
    assert_eq!(record.variants(), ["idle", "finish", "hand-back"]);
    assert!(record.runs.iter().all(|r| r.verified && r.wall_s > 0.0));
    assert!(
        dir.join("ch05-stop.svg").is_file() && dir.join("ch05-stop.md").is_file()
    );
}

#[test]
fn help_names_each_examples_variants() {
    assert_help_lists_variants(ch05, "cloud", &ch05::cloud::compare::VARIANTS);
}

#[test]
fn the_books_figures_are_measured_at_the_quick_size() {
    use ch05::cloud::{compare, price};
    use workbench::Size::Quick;
    let cloud = compare::record_size(&compare::tasks_at(Quick));
    workbench::testing::assert_committed_size("ch05-cloud", cloud);
    let stop = serde_json::json!({ "reps": ch05::stop::reps_for(Quick) });
    workbench::testing::assert_committed_size("ch05-stop", stop);
    // The price of one task is measured alike at every size.
    let cost = serde_json::json!({
        "tasks": price::FIGURE_TASKS, "rounds": price::ROUNDS
    });
    workbench::testing::assert_committed_size("ch05-task-cost", cost);
}
