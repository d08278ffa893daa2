//! Chapter 1 · Worker processes of the real binary give the answers of
//! the sequential code, and a missing worker program is a clear error.

use ch01::dist::{Task, run_dist, scatter};
use ch01::memory::reduce_seq;
use ch01::workload::{Job, run_seq};
use workbench::workers::WorkerCommand;

fn worker() -> WorkerCommand {
    WorkerCommand::new(env!("CARGO_BIN_EXE_ch01"), &["worker"])
}

#[test]
fn worker_processes_give_the_sequential_answers() {
    let job = Job {
        units: 3_000,
        serial: 0.2,
    };
    for workers in [1, 2, 3] {
        assert_eq!(
            run_dist(&job, workers, &worker()).expect("runs"),
            run_seq(&job)
        );
    }
    let tasks = [
        Task::Reduce { start: 0, end: 700 },
        Task::Reduce {
            start: 700,
            end: 1000,
        },
    ];
    assert_eq!(scatter(&tasks, &worker()).expect("runs"), reduce_seq(1000));
}

#[test]
fn a_missing_worker_program_is_a_clear_error() {
    let command = WorkerCommand::new("/nonexistent/ch01", &["worker"]);
    let job = Job {
        units: 100,
        serial: 0.0,
    };
    let err = run_dist(&job, 1, &command).expect_err("cannot start");
    assert!(format!("{err:#}").contains("/nonexistent/ch01"), "{err:#}");
}
