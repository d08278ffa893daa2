//! Chapter 5 · Several hosts on one machine: Redis and two workers in
//! network namespaces of their own (needs root, as CI runs; without it the
//! test fails and says so, it does not skip).

use std::path::Path;

#[test]
fn workers_on_other_hosts_answer_every_job_and_see_only_the_broker() {
    let program = Path::new(env!("CARGO_BIN_EXE_ch05-worker"));
    let report =
        ch05::hosts_demo::run(program, 2, 6, 22).expect("the run across hosts");
    assert_eq!(report.lost(), 0, "{report}");
    assert_eq!(report.jobs.len(), 6);
    assert!(!report.workers_see_each_other, "{report}");
    let answered: usize = report.workers.iter().map(|w| w.2).sum();
    assert_eq!(answered, 6, "{report}");
    let hosts: Vec<String> = report.workers.iter().map(|w| w.0.clone()).collect();
    let listed = std::process::Command::new("ip")
        .args(["netns", "list"])
        .output()
        .expect("ip runs");
    let listed = String::from_utf8_lossy(&listed.stdout);
    for host in hosts {
        assert!(!listed.contains(&host), "{host} deleted afterwards");
    }
}
