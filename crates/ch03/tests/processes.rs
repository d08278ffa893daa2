//! Chapter 3 · Worker processes of the real binary: answers, and a worker
//! that dies mid-run loses nothing.

use ch03::fib::fib_seq;
use ch03::processes::{
    WorkerCommand, fib_processes, fib_processes_with, worker_command,
};

fn worker() -> WorkerCommand {
    worker_command(env!("CARGO_BIN_EXE_ch03"))
}

fn crashing_after(answers: usize) -> WorkerCommand {
    let mut command = worker();
    command
        .args
        .extend(["--crash-after".into(), answers.to_string()]);
    command
}

#[test]
fn worker_processes_give_the_sequential_answers() {
    let tasks = [22, 3, 17, 0, 25, 9, 1, 20];
    for workers in [1, 2, 3] {
        let answers = fib_processes(&tasks, workers, &worker()).expect("runs");
        assert_eq!(answers, fib_seq(&tasks), "{workers} workers");
    }
}

#[test]
fn a_dying_worker_loses_no_task() {
    let tasks: Vec<u32> = (10..30).collect();
    let commands = [crashing_after(2), worker(), crashing_after(0)];
    let answers =
        fib_processes_with(&tasks, &commands).expect("the survivor finishes");
    assert_eq!(answers, fib_seq(&tasks));
}

#[test]
fn when_every_worker_dies_the_error_says_so() {
    let tasks: Vec<u32> = (10..20).collect();
    let err = fib_processes_with(&tasks, &[crashing_after(1), crashing_after(2)])
        .expect_err("nobody left to compute");
    let message = format!("{err:#}");
    assert!(message.contains("7 tasks unanswered"), "{message}");
}

#[test]
fn a_missing_worker_program_is_a_clear_error() {
    let command = worker_command("/nonexistent/ch03");
    let err = fib_processes(&[5], 1, &command).expect_err("cannot start");
    assert!(
        format!("{err:#}").contains("starting worker /nonexistent/ch03"),
        "{err:#}"
    );
}
