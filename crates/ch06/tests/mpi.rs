//! Chapter 6 · MPI programs under mpirun: answers, collectives, the C
//! comparison, and a panicking rank that must end the job, not hang it.

use std::time::Duration;

use ch06::fib::{fib_dist, fib_seq};
use ch06::launch::{MpiJob, json_lines};
use workbench::testing::run_table;

const RANKS: &str = env!("CARGO_BIN_EXE_ch06-mpi");

fn job(ranks: usize) -> MpiJob {
    MpiJob::mpirun(RANKS, ranks)
}

#[test]
fn fib_tasks_over_ranks_give_the_sequential_answers() {
    for (ranks, tasks) in [(1, 3), (2, 8), (3, 5)] {
        let list = vec![22; tasks];
        let answers = fib_dist(22, tasks, &job(ranks)).expect("runs");
        assert_eq!(answers, fib_seq(&list), "{ranks} ranks");
    }
}

#[test]
fn collectives_agree_on_the_total() {
    let out = job(3).run(&["collectives"]).expect("runs");
    assert!(out.contains("gather: partial sums [6, 15, 24]"), "{out}");
    assert_eq!(out.matches("total 45").count(), 3, "{out}");
}

#[test]
fn the_merge_sort_over_ranks_sorts() {
    let out = job(2).run(&["mergesort", "--len", "200001"]).expect("runs");
    let line = &json_lines(&out)[0];
    assert_eq!(line["sorted"], true, "{out}");
    assert_eq!(line["len"], 200_001);
}

#[test]
fn rust_and_c_ping_pong_both_measure_every_size() {
    let record = ch06::pingpong::measure(&job(2), &[8, 4096], 50, 1).expect("runs");
    for implementation in ["rust", "c"] {
        for bytes in [8, 4096] {
            let point = record.point(implementation, bytes).expect("measured");
            assert!(point.latency_us > 0.0 && point.bandwidth_mb_s > 0.0);
        }
    }
    assert!(record.ratio(8).is_some());
    let svg = ch06::pingpong_plot::svg(&record);
    assert!(svg.contains("latency") && svg.contains("rust"));
    assert!(record.markdown_table().contains("| 4 KiB |"));
}

#[test]
fn a_panicking_rank_ends_the_job_with_its_message() {
    let mut limited = job(2);
    limited.limit = Duration::from_secs(60);
    let out = limited
        .output(&["panic", "--rank", "1"])
        .expect("ends, no hang");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rank 1 gives up on purpose"), "{stderr}");
}

#[test]
fn the_comparison_runs_dist_on_mpi_ranks() {
    // The CLI finds the rank program through CH06_MPI_BIN.
    let ch06 = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ch06"))
            .args(args)
            .env("CH06_MPI_BIN", RANKS)
            .output()
            .expect("ch06 runs")
    };
    let stdout = run_table(ch06, "fib --size 20 --reps 1 --workers 1,2");
    for variant in ["seq", "threads", "async", "dist"] {
        assert!(
            stdout.lines().any(|l| l.starts_with(variant)
                && l.split_whitespace().any(|word| word == "yes")),
            "{variant} missing: {stdout}"
        );
    }
}
