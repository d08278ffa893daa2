//! Workbench · Checks every chapter's CLI tests make the same way: a
//! reader's first contact — bad input exits 2 with a message, `--list` and
//! `--help` name every example — and a run's record read back. Behind the
//! `testing` feature, for the chapters' dev-dependencies only.

use std::process::{Command, Output};

use crate::Record;

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
    let dir = scratch.path().join("out");
    let (json, svg) = (dir.join("record.json"), dir.join("figure.svg"));
    let mut all: Vec<&str> = args.split_whitespace().collect();
    let paths = [json.to_str(), svg.to_str()].map(|p| p.expect("utf-8 path"));
    all.extend(["--quiet", "--json", paths[0], "--svg", paths[1]]);
    let out = program(&all);
    assert!(out.status.success(), "{args}: {}", text(&out.stderr));
    Recorded {
        record: Record::load_json(&json).expect("the record"),
        stdout: text(&out.stdout),
        figure: std::fs::read_to_string(&svg).expect("the figure"),
    }
}

/// A fresh scratch directory named `PREFIX…`, removed when dropped.
pub fn scratch(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("scratch dir")
}

/// A program's output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Each `(args, says)`: running `program` with `args` exits 2, says `says`
/// on stderr, and does not panic.
pub fn assert_usage_errors(
    program: impl Fn(&[&str]) -> Output,
    cases: &[(&[&str], &str)],
) {
    for &(args, says) in cases {
        let out = program(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// `program --list` and `program --help` both name every one of `examples`.
pub fn assert_lists_examples(
    program: impl Fn(&[&str]) -> Output,
    examples: &[&str],
) {
    let list = text(&program(&["--list"]).stdout);
    let help = text(&program(&["--help"]).stdout);
    for example in examples {
        assert!(list.contains(example), "--list lacks {example}");
        assert!(help.contains(example), "--help lacks {example}");
    }
}

/// `program EXAMPLE --help` names every variant `EXAMPLE` takes, in order.
pub fn assert_help_lists_variants(
    program: impl Fn(&[&str]) -> Output,
    example: &str,
    variants: &[&str],
) {
    let help = text(&program(&[example, "--help"]).stdout);
    let listed = format!("comma-separated: {}", variants.join(", "));
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&listed),
        "{example} --help lacks {listed}: {help}"
    );
}
