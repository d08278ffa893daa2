//! Checks every chapter's CLI tests make the same way: a reader's first
//! contact — bad input exits 2 with a message, `--list` and `--help` name
//! every example.

use std::process::Output;

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
