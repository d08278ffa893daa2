//! Chapter 6 · The book's jobs on a real single-node Slurm cluster, started
//! and stopped by this test (one test function: Slurm runs one at a time).

use std::path::Path;
use std::process::{Command, Output};

use ch06::cluster::Cluster;
use ch06::launch::{Launcher, MpiJob};
use ch06::{exercises, jobs};

#[path = "slurm/namespace.rs"]
mod namespace;

const CH06: &str = env!("CARGO_BIN_EXE_ch06");
const RANKS: &str = env!("CARGO_BIN_EXE_ch06-mpi");

fn ch06(args: &[&str]) -> Output {
    Command::new(CH06).args(args).output().expect("ch06 runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Stops the cluster when the test ends, passed or failed.
struct Down;

impl Drop for Down {
    fn drop(&mut self) {
        let out = ch06(&["cluster", "down"]);
        eprintln!("cluster down: {}{}", text(&out.stdout), text(&out.stderr));
    }
}

#[test]
fn the_books_jobs_run_on_a_local_slurm_cluster() {
    let up = ch06(&["cluster", "up"]);
    let _down = Down;
    assert!(up.status.success(), "cluster up: {}", text(&up.stderr));
    let again = ch06(&["cluster", "up"]);
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("already running"),
        "{}",
        text(&again.stdout)
    );

    let cluster = Cluster::local();
    namespace::only_the_namespace_listens(&cluster);
    let ch06_bin = Path::new(CH06);
    hello(&cluster, ch06_bin);
    array_of_100(&cluster, ch06_bin);
    array_with_a_failing_task(&cluster, ch06_bin);
    diamond(&cluster, ch06_bin);
    mpi_under_srun(&cluster);

    let down = ch06(&["cluster", "down"]);
    assert!(down.status.success(), "{}", text(&down.stderr));
    let status = cluster.status();
    assert!(
        status.slurmctld.is_none() && status.slurmd.is_none(),
        "{status}"
    );
    assert!(!cluster.netns.exists(), "{} is left", cluster.netns.name);
    assert!(text(&ch06(&["cluster", "status"]).stdout).contains("not running"));
}

fn hello(cluster: &Cluster, ch06_bin: &Path) {
    let (record, output) = jobs::hello(cluster, ch06_bin).expect("hello runs");
    assert_eq!(record.state, "COMPLETED");
    assert!(
        output.contains(&format!("hello from job {}", record.job_id)),
        "{output}"
    );
}

fn array_of_100(cluster: &Cluster, ch06_bin: &Path) {
    let tasks = jobs::array(cluster, ch06_bin, false).expect("the array runs");
    assert_eq!(tasks.len(), 100);
    for (index, task) in tasks.iter().enumerate() {
        let (job, number) = task.array.expect("an array task");
        assert_eq!(number as usize, index);
        assert_eq!(task.state, "COMPLETED", "task {index}");
        let output = jobs::output_of(task);
        let wanted = format!("array job {job} task {index}: WORKBOOK_JOB_ID={job}");
        assert!(output.starts_with(&wanted), "task {index}: {output}");
    }
}

fn array_with_a_failing_task(cluster: &Cluster, ch06_bin: &Path) {
    let tasks = jobs::array(cluster, ch06_bin, true).expect("the array runs");
    assert_eq!(tasks.len(), 100);
    let failed = exercises::failed_tasks(&tasks);
    assert_eq!(failed.len(), 1, "{failed:?}");
    let (index, code, reason) = &failed[0];
    assert_eq!((*index, *code), (13, 1));
    assert!(reason.contains("WORKBOOK_TASK_ID is not set"), "{reason}");
    let dir = tasks[0].stdout.parent().expect("an output directory");
    assert_eq!(
        exercises::tasks_without_output(dir, 100).expect("reads"),
        vec![13]
    );
}

fn diamond(cluster: &Cluster, ch06_bin: &Path) {
    let good = jobs::diamond(cluster, ch06_bin, None).expect("the diamond runs");
    assert!(
        good.steps.values().all(|r| r.state == "COMPLETED"),
        "{}",
        good.report()
    );
    assert_eq!(good.log.len(), 8, "{:?}", good.log);
    assert!(good.order_respected(), "{:?}", good.log);

    let broken = jobs::diamond(cluster, ch06_bin, Some("A")).expect("submits");
    assert_eq!(broken.steps["A"].state, "FAILED");
    for step in ["B", "C", "D"] {
        assert_ne!(broken.steps[step].state, "COMPLETED", "{}", broken.report());
    }
    assert_eq!(broken.log, ["start A"]);
    let report = broken.report();
    assert!(report.contains("A: FAILED with exit code 1"), "{report}");
    assert!(report.contains("fails on purpose"), "{report}");
    assert!(report.contains("DependencyNeverSatisfied"), "{report}");

    let cli = ch06(&["jobs", "dag", "--fail", "B"]);
    assert_eq!(cli.status.code(), Some(1));
    assert!(
        text(&cli.stdout).contains("B: FAILED"),
        "{}",
        text(&cli.stdout)
    );
}

fn mpi_under_srun(cluster: &Cluster) {
    let mut list = cluster.command("srun").expect("srun");
    let plugins = text(&list.arg("--mpi=list").output().expect("srun runs").stdout);
    assert!(
        plugins.contains("pmix"),
        "this Slurm has no PMIx: {plugins}"
    );

    let job = MpiJob {
        launcher: Launcher::Srun(cluster.clone()),
        ..MpiJob::mpirun(RANKS, 2)
    };
    let hello = job.run(&["hello"]).expect("srun --mpi=pmix -n 2");
    assert!(
        hello.contains("rank 0 of 2") && hello.contains("rank 1 of 2"),
        "{hello}"
    );
    let answers = ch06::fib::fib_dist(20, 5, &job).expect("fib over srun");
    assert_eq!(answers, vec![6765; 5]);

    // Plain `srun -n 2`: the cluster's MpiDefault=pmix does the rest.
    let mut srun = cluster.command("srun").expect("srun");
    srun.args(["-n", "2", RANKS, "hello"]);
    let plain =
        ch06::process::run_within(&mut srun, std::time::Duration::from_secs(60))
            .expect("srun -n 2");
    assert!(plain.contains("rank 1 of 2"), "{plain}");
}
