//! Workbench · A worker that asked for it dies with the thread that
//! started it (`exit_with_parent`), and nothing polls.

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

const CHILD: &str = "WORKBENCH_TEST_PARENT_CHILD";
const ARMED: &str = "armed: dies with its starter";

#[test]
fn a_worker_dies_with_its_starter() {
    if std::env::var_os(CHILD).is_some() {
        // The worker's side: this test binary, started again below.
        workbench::workers::exit_with_parent().expect("prctl");
        println!("{ARMED}");
        std::thread::sleep(std::time::Duration::from_secs(600));
        return;
    }
    let me = std::env::current_exe().expect("this test program");
    let starter = std::thread::spawn(move || {
        let mut worker = Command::new(me)
            .args(["--exact", "a_worker_dies_with_its_starter", "--nocapture"])
            .env(CHILD, "1")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the worker starts");
        // The thread must outlive the worker's prctl: a signal is only
        // sent if it was asked for before the starter ends.
        let stdout = worker.stdout.take().expect("piped");
        let armed = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line == ARMED);
        assert!(armed, "the worker never said it was armed");
        worker
    });
    // The starting thread has ended: the kernel kills the worker, which
    // otherwise would sleep for ten minutes and then exit 0.
    let mut worker = starter.join().expect("the starter thread");
    let status = worker.wait().expect("the worker is reaped");
    assert_eq!(status.signal(), Some(9), "{status:?}");
}
