//! Chapter 6 · The command line as a reader meets it (no MPI, no Slurm).

use std::process::{Command, Output};

use workbench::testing::{
    assert_help_lists_variants, assert_lists_examples, assert_usage_errors, run,
    run_recorded, text,
};

const CH06: &str = env!("CARGO_BIN_EXE_ch06");

fn ch06(args: &[&str]) -> Output {
    run(CH06, args)
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let cases: [(&[&str], &str); 8] = [
        (&["fib", "--workers", "0"], "at least 1"),
        (&["fib", "--variants", "seq,gpu"], "unknown variant `gpu`"),
        (
            &["fib", "--size", "huge"],
            "not quick, full or a whole number",
        ),
        (&["pingpong", "--sizes", "0"], "1 byte to 64 MiB"),
        (&["cluster", "restart"], "invalid value 'restart'"),
        (&["jobs", "dag", "--fail", "E"], "invalid value 'E'"),
        (&["mpi", "hello", "--ranks", "0"], "--ranks"),
        (&["sweep", "--variants", "seq,mpi"], "unknown variant `mpi`"),
    ];
    assert_usage_errors(ch06, &cases);
}

#[test]
fn list_and_help_name_every_example() {
    assert_lists_examples(
        ch06,
        &[
            "fib", "pingpong", "mpi", "cluster", "jobs", "sweep", "figures",
        ],
    );
}

#[test]
fn the_in_process_variants_write_a_verified_record() {
    let record = run_recorded(
        CH06,
        "fib --size 20 --reps 1 --workers 1,2 --variants seq,threads,async",
    )
    .record;
    assert_eq!(record.variants(), ["seq", "threads", "async"]);
    assert_eq!(record.runs.len(), 5);
    assert!(
        record
            .runs
            .iter()
            .all(|r| r.verified && r.speedup.is_some())
    );
}

#[test]
fn a_task_outside_its_job_fails_with_status_1() {
    let out = Command::new(CH06)
        .args(["task", "array"])
        .env_remove("WORKBOOK_JOB_ID")
        .env_remove("WORKBOOK_TASK_ID")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("WORKBOOK_JOB_ID is not set"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn slurm_commands_without_a_cluster_name_the_fix() {
    let status = text(&ch06(&["cluster", "status"]).stdout);
    assert!(status.contains("slurmctld:"), "{status}");
    if status.contains("slurmctld: not running") {
        let out = ch06(&["jobs", "hello"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("cluster up"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn help_names_each_examples_variants() {
    assert_help_lists_variants(ch06, "fib", &ch06::FIB_VARIANTS);
    assert_help_lists_variants(ch06, "sweep", &ch06::compare::SWEEP_VARIANTS);
}
