//! Chapter 7 · `ch07 collect`: one trace out of several processes' JSON
//! logs, in time order, other traces and broken lines left out.

use std::process::{Command, Output};

use workbench::services::TempDir;
use workbench::testing::{assert_usage_errors, text};

fn ch07(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch07"))
        .args(args)
        .output()
        .expect("ch07 runs")
}

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const OTHER: &str = "00f067aa0ba902b700f067aa0ba902b7";

fn line(when: &str, role: &str, trace: &str, event: &str) -> String {
    format!(
        r#"{{"timestamp":"2026-11-29T10:00:{when}Z","role":"{role}","pid":1,"event":"{event}","task_id":"t","trace_id":"{trace}","span_id":"00f067aa0ba902b7"}}"#
    )
}

#[test]
fn collect_prints_one_trace_from_every_log_in_time_order() {
    let dir = TempDir::new("ch07-collect").expect("dir");
    let client = [
        line("00.000100", "client", TRACE, "sent"),
        line("00.000900", "client", TRACE, "result"),
        line("00.000200", "client", OTHER, "sent"),
    ];
    std::fs::write(dir.path().join("client-1.jsonl"), client.join("\n")).expect("w");
    let worker = [
        line("00.000300", "worker", TRACE, "task-received"),
        "{\"half a line".to_owned(),
        line("00.000500", "worker", TRACE, "task-succeeded"),
    ];
    std::fs::write(dir.path().join("worker-2.jsonl"), worker.join("\n")).expect("w");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let out = ch07(&["collect", "--trace", TRACE, &dir_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let events: Vec<_> = printed
        .lines()
        .map(|l| l.split_whitespace().nth(3).unwrap_or(""))
        .collect();
    assert_eq!(
        events,
        ["sent", "task-received", "task-succeeded", "result"]
    );
}

#[test]
fn collect_wants_a_trace_id_and_logs() {
    let cases: [(&[&str], &str); 2] = [
        (
            &["collect", "--trace", "abc", "."],
            "a trace id is 32 hex digits",
        ),
        (&["collect", "--trace", TRACE], "required"),
    ];
    assert_usage_errors(ch07, &cases);
}
