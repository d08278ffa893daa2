//! Workbench · Checks every chapter's CLI tests make the same way: a
//! reader's first contact — bad input exits 2 with a message, `--list` and
//! `--help` name every example — and a run's record read back. Behind the
//! `testing` feature, for the chapters' dev-dependencies only.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::Record;
use crate::record::Run;
use crate::services::{RedisOptions, RedisServer};

#[cfg(feature = "bench")]
pub mod bench;
mod usage;

pub use usage::{
    assert_help_lists_variants, assert_lists_examples, assert_usage_errors,
    assert_usage_table,
};

/// Run `program` with `args`: its output, whatever its exit status.
pub fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("{program} does not run: {err}"))
}

/// What a run that writes a record left behind.
#[derive(Debug)]
pub struct Recorded {
    pub record: Record,
    pub stdout: String,
    pub figure: String,
}

/// Run `program ARGS --quiet --json .. --svg ..` into a scratch directory
/// that does not exist yet (the program creates it); the run must succeed.
/// `args` is one line, split at whitespace.
pub fn run_recorded(program: &str, args: &str) -> Recorded {
    run_recorded_by(|all| run(program, all), args)
}

/// [`run_recorded`] through `program`, a closure that runs the chapter's
/// CLI with arguments (and whatever environment the test gives it).
pub fn run_recorded_by(program: impl Fn(&[&str]) -> Output, args: &str) -> Recorded {
    let scratch = scratch("workbench-cli-");
    // Not there yet: the program creates it.
    let dir = scratch.path().join("out");
    let (json, svg) = (dir.join("record.json"), dir.join("figure.svg"));
    let paths = [json.to_str(), svg.to_str()].map(|p| p.expect("utf-8 path"));
    let stdout = succeeds(&run_with(
        program,
        args,
        &["--quiet", "--json", paths[0], "--svg", paths[1]],
    ));
    Recorded {
        record: Record::load_json(&json).expect("the record"),
        stdout,
        figure: std::fs::read_to_string(&svg).expect("the figure"),
    }
}

/// Run `program ARGS --quiet --json /dev/null --svg /dev/null`: the run
/// must succeed; its stdout (the table) is returned, its files dropped.
/// `args` is one line, split at whitespace.
pub fn run_table(program: impl Fn(&[&str]) -> Output, args: &str) -> String {
    let discard = ["--quiet", "--json", "/dev/null", "--svg", "/dev/null"];
    succeeds(&run_with(program, args, &discard))
}

/// `program` with `args` (one line, split at whitespace), then `more`.
fn run_with(
    program: impl Fn(&[&str]) -> Output,
    args: &str,
    more: &[&str],
) -> Output {
    let mut all: Vec<&str> = args.split_whitespace().collect();
    all.extend(more);
    program(&all)
}

/// A fresh, empty directory named `prefix…`, removed when the guard drops.
pub fn scratch(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("scratch dir")
}

/// A fresh scratch dir named `prefix…` (removed when the guard drops) and
/// the path of `file` inside it, not created.
pub fn scratch_file(prefix: &str, file: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = scratch(prefix);
    let path = dir.path().join(file);
    (dir, path)
}

/// A program's output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The run succeeded (else: its stderr); its stdout as text.
pub fn succeeds(out: &Output) -> String {
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The run exited with `code` and says `says` on stderr.
pub fn assert_fails(out: &Output, code: i32, says: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    assert!(stderr.contains(says), "{stderr}");
}

/// Every run of `record` passes `check` (else: the first that does not).
pub fn assert_every_run(record: &Record, check: impl Fn(&Run) -> bool) {
    if let Some(run) = record.runs.iter().find(|r| !check(r)) {
        panic!("{} {}: {run:?}", record.chapter, record.example);
    }
}

/// In `table`, the first row starting with each of `rows` ends with `end`:
/// e.g. the race fixes' rows, each losing ` 0` updates.
pub fn assert_rows_end_with(table: &str, rows: &[&str], end: &str) {
    for start in rows {
        let row = table
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no row {start}: {table}"));
        assert!(row.trim_end().ends_with(end), "{start}: {row}");
    }
}

/// A `redis-server` with TLS (and its private CA) on a free loopback port.
pub fn tls_redis() -> RedisServer {
    RedisServer::start_with(RedisOptions {
        tls: true,
        ..RedisOptions::default()
    })
    .expect("redis-server starts with TLS")
}

/// The `size` of the book's record `chapters/figures/{name}.json`, for a
/// test that the committed figure was measured at the size the chapter
/// measures now: a quick size raised in the code leaves the book's figure,
/// and every claim checked on it, at the old one until it is re-measured.
pub fn committed_size(name: &str) -> serde_json::Value {
    let path = crate::bins::book_figures_dir().join(format!("{name}.json"));
    Record::load_json(&path)
        .unwrap_or_else(|err| panic!("{err:#}"))
        .size
}

/// The book's record `chapters/figures/{name}.json` was measured at `size`:
/// every field of `size` has that value in the record's size (else: which
/// command re-measures it).
pub fn assert_committed_size(name: &str, size: serde_json::Value) {
    let chapter = name.split('-').next().unwrap_or(name);
    let committed = committed_size(name);
    let fields = size.as_object().expect("a size is a JSON object");
    for (field, want) in fields {
        assert_eq!(
            &committed[field], want,
            "chapters/figures/{name}.json was measured at {field} = {}, the \
             chapter's quick size is now {want}: re-measure it on a quiet \
             machine (cargo run --release -p {chapter} -- figures) and commit it",
            committed[field]
        );
    }
}
