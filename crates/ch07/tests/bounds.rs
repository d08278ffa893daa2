//! Chapter 7 · Bad input and secrets: an oversized or exhausted state
//! file, a planted temp-file symlink, and tokens in the environment.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ch07::checkpoint::{MAX_STATE_BYTES, State, load, save};
use workbench::testing::{scratch_file, text};

const SECRET: &str = "s3cret5m1";

fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
    scratch_file(&format!("ch07-{name}-"), "state.json")
}

#[test]
fn an_oversized_state_file_is_refused_naming_the_limit() {
    let (_dir, path) = scratch("oversized");
    let mut body = " ".repeat(2 * MAX_STATE_BYTES);
    body.push_str("{\"count\": 1}");
    std::fs::write(&path, body).expect("written");
    let err = load(&path).expect_err("too large");
    assert!(
        format!("{err:#}").contains(&MAX_STATE_BYTES.to_string()),
        "{err:#}"
    );
}

#[test]
fn an_endless_state_file_exits_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_ch07"))
        .args(["checkpoint", "--state", "/dev/zero", "--ticks", "1"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains(&MAX_STATE_BYTES.to_string()), "{said}");
}

#[test]
fn the_counter_at_its_maximum_is_an_error_not_a_wrap() {
    let (_dir, path) = scratch("max");
    save(&path, &State { count: u64::MAX }).expect("saved");
    let err =
        ch07::checkpoint::counter::run(&path, Duration::ZERO, Some(1), Vec::new())
            .expect_err("cannot count further");
    assert!(
        format!("{err:#}").contains("18446744073709551615"),
        "{err:#}"
    );
    assert_eq!(load(&path).expect("kept").count, u64::MAX);
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_planted_symlink_at_the_temp_name_is_not_followed() {
    let (dir, path) = scratch("symlink");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious\n").expect("written");
    // The old, predictable temp names: an attacker's links there.
    for name in ["state.json.tmp", ".state.json.tmp"] {
        std::os::unix::fs::symlink(&victim, dir.path().join(name)).expect("link");
    }
    save(&path, &State { count: 3 }).expect("saved");
    assert_eq!(
        std::fs::read_to_string(&victim).expect("read"),
        "precious\n"
    );
    assert_eq!(load(&path).expect("loaded").count, 3);
    assert_eq!(
        names_in(dir.path()),
        [".state.json.tmp", "state.json", "state.json.tmp", "victim"],
        "no temp file left behind"
    );
}

#[test]
fn env_and_trace_logs_hide_tokens_and_passwords() {
    let url = format!("redis://app:{SECRET}@127.0.0.1:6379/0");
    let scratch = tempfile::Builder::new()
        .prefix("ch07-secrets-")
        .tempdir()
        .expect("scratch dir");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ch07"))
            .args(args)
            .env("CARGO_REGISTRY_TOKEN", format!("cio{SECRET}"))
            .env("CELERY_BROKER_PASSWORD", SECRET)
            .env("REDIS_URL", &url)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout) + &text(&out.stderr)
    };
    for said in [run(&["env"]), run(&["env", "--json"])] {
        assert!(!said.contains(SECRET), "{said}");
        assert!(said.contains("redis://app:***@127.0.0.1:6379/0"), "{said}");
    }
    let logs = scratch.path().join("logs");
    let logs_arg = logs.to_string_lossy().into_owned();
    run(&["trace", "--tasks", "1", "--n", "10", "--log-dir", &logs_arg]);
    for entry in std::fs::read_dir(&logs).expect("logs") {
        let path = entry.expect("entry").path();
        let body = std::fs::read_to_string(&path).expect("log");
        assert!(!body.contains(SECRET), "{}: {body}", path.display());
    }
}
