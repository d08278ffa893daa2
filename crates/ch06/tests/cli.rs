//! Chapter 6 · The command line as a reader meets it (no MPI, no Slurm).

use std::process::Command;

use workbench::testing::{assert_every_run, assert_fails, run_recorded_by, text};

workbench::cli_tests! {
    fn ch06 = env!("CARGO_BIN_EXE_ch06");
    usage_errors = "
        fib --workers 0             => at least 1
        fib --variants seq,gpu      => unknown variant `gpu`
        fib --size huge             => not quick, full or a whole number
        pingpong --sizes 0          => 1 byte to 64 MiB
        cluster restart             => invalid value 'restart'
        jobs dag --fail E           => invalid value 'E'
        mpi hello --ranks 0         => --ranks
        sweep --variants seq,mpi    => unknown variant `mpi`
    ";
    examples = [
        "fib" => ch06::FIB_VARIANTS,
        "pingpong",
        "mpi",
        "cluster",
        "jobs",
        "sweep" => ch06::compare::SWEEP_VARIANTS,
        "figures",
    ];
}

#[test]
fn the_in_process_variants_write_a_verified_record() {
    let record = run_recorded_by(
        ch06,
        "fib --size 20 --reps 1 --workers 1,2 --variants seq,threads,async",
    )
    .record;
    assert_eq!(record.variants(), ["seq", "threads", "async"]);
    assert_eq!(record.runs.len(), 5);
    assert_every_run(&record, |r| r.verified && r.speedup.is_some());
}

#[test]
fn a_task_outside_its_job_fails_with_status_1() {
    let out = Command::new(env!("CARGO_BIN_EXE_ch06"))
        .args(["task", "array"])
        .env_remove("WORKBOOK_JOB_ID")
        .env_remove("WORKBOOK_TASK_ID")
        .output()
        .expect("runs");
    assert_fails(&out, 1, "WORKBOOK_JOB_ID is not set");
}

#[test]
fn slurm_commands_without_a_cluster_name_the_fix() {
    let status = text(&ch06(&["cluster", "status"]).stdout);
    assert!(status.contains("slurmctld:"), "{status}");
    if status.contains("slurmctld: not running") {
        assert_fails(&ch06(&["jobs", "hello"]), 1, "cluster up");
    }
}

#[test]
fn the_books_figures_are_measured_at_the_quick_size() {
    use ch06::sizes::{FIGURE_FIB_TASKS, fib_size, sweep_record_size, sweep_sizes};
    use workbench::Size::Quick;
    use workbench::testing::assert_committed_size;
    let fib = fib_size(Quick, FIGURE_FIB_TASKS).expect("the quick size");
    assert_committed_size("ch06-fib", fib.to_json());
    let sweep = sweep_sizes(Quick).expect("the quick sweep");
    assert_committed_size("ch06-sweep", sweep_record_size(&sweep));
    // The ping-pong measures the same message sizes at every size.
    let sizes = ch06::sizes::FIGURE_PINGPONG_SIZES;
    assert_committed_size("ch06-pingpong", serde_json::json!({ "sizes": sizes }));
}

#[test]
fn the_books_full_fib_figure_is_measured_at_the_full_size() {
    let size =
        ch06::sizes::fib_size(workbench::Size::Full, ch06::sizes::FIGURE_FIB_TASKS);
    let want = size.expect("the full size").to_json();
    let committed = workbench::testing::committed_size("ch06-fib-full");
    assert_eq!(
        committed, want,
        "chapters/figures/ch06-fib-full.json was measured at another size than \
         the chapter's full size: re-measure it on a quiet machine (cargo run \
         --release -p ch06 -- figures --size full, which re-measures \
         ch06-sweep and ch06-pingpong too) and commit it"
    );
}
