//! Chapter 5 · Several hosts on one machine: Redis and three workers in
//! network namespaces of their own; one worker host loses its link in the
//! middle of a job (needs root, as CI runs; without it the test fails and
//! says so, it does not skip).

use std::path::Path;

#[test]
fn a_host_cut_off_mid_job_loses_nothing_and_every_job_is_answered_once() {
    let program = Path::new(env!("CARGO_BIN_EXE_ch05-worker"));
    let report =
        ch05::hosts_demo::run(program, 3, 9, 22).expect("the run across hosts");
    assert_eq!(report.lost(), 0, "{report}");
    assert_eq!(report.jobs.len(), 9);
    let cut = report.cut.as_ref().expect("the last host was cut off");
    assert!(
        !cut.stranded.is_empty(),
        "cut while holding a job: {report}"
    );
    assert!((3..9).contains(&cut.answered_before), "mid-run: {report}");
    for id in &cut.stranded {
        let (_, outcome) =
            report.jobs.iter().find(|(j, _)| &j.id == id).expect("ours");
        let by = &outcome.as_ref().expect("answered").worker;
        assert_ne!(by, &cut.host, "{id} answered by another host: {report}");
    }
    // The broker's own log: one stored answer per job id, no more.
    assert_eq!(report.not_stored_once(), [], "{report}");
    assert!(!report.workers_see_each_other, "{report}");
    let answered: usize = report.workers.iter().map(|w| w.2).sum();
    assert_eq!(answered, 9, "{report}");
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
