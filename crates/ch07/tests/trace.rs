//! Chapter 7 · One task's story, merged from the logs of two processes.

use std::collections::HashSet;
use std::process::Command;

use serde_json::Value;
use workbench::testing::{scratch_file, succeeds};

#[test]
fn each_task_id_gathers_its_whole_story_from_both_processes() {
    // Not there yet: `--log-dir` creates it.
    let (_scratch, dir) = scratch_file("ch07-trace-", "logs");
    let out = Command::new(env!("CARGO_BIN_EXE_ch07"))
        .args(["trace", "--tasks", "3", "--n", "20", "--log-dir"])
        .arg(&dir)
        .output()
        .expect("runs");
    succeeds(&out);

    // Merge every process's log file, as one would after collecting them.
    let mut lines: Vec<Value> = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("log dir") {
        let path = entry.expect("entry").path();
        files += 1;
        let body = std::fs::read_to_string(&path).expect("log");
        lines.extend(
            body.lines()
                .map(|l| serde_json::from_str::<Value>(l).expect("JSON line")),
        );
    }
    assert_eq!(files, 4, "one client and three workers");

    let task_of = |line: &Value| {
        line["spans"]
            .as_array()?
            .iter()
            .find_map(|s| s["task_id"].as_str().map(str::to_owned))
    };
    let ids: HashSet<String> = lines.iter().filter_map(task_of).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");

    for id in &ids {
        let story = ch07::logs::trace::story(&dir, id).expect("a story");
        let said: Vec<(&str, &str)> = story
            .iter()
            .map(|l| (l.role.as_str(), l.message.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                ("client", "starting a worker process"),
                ("worker", "task received"),
                ("worker", "task computed"),
                ("client", "answer received"),
            ],
            "task {id}"
        );
        let pids: HashSet<u64> = story.iter().map(|l| l.pid).collect();
        assert_eq!(pids.len(), 2, "two processes told task {id}'s story");
    }
    // The client wrote its environment down first.
    assert!(lines.iter().any(|l| {
        l["fields"]["message"] == "start"
            && l["fields"]["environment"]
                .as_str()
                .is_some_and(|e| e.contains("rustc"))
    }));
}
