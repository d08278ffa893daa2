//! Workbench · testing: a reader's first contact with a chapter's CLI —
//! bad input exits 2 with a message, `--list` and `--help` name every
//! example, each example's `--help` its variants — and [`cli_tests!`],
//! the three `#[test]`s every chapter's `tests/cli.rs` runs.
//!
//! [`cli_tests!`]: crate::cli_tests

use std::process::Output;

use super::text;

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

/// [`assert_usage_errors`] from a table, one case a line:
/// `ARGS => SAYS`, the arguments split at whitespace (none holds a space),
/// `SAYS` trimmed. Blank lines are skipped.
pub fn assert_usage_table(program: impl Fn(&[&str]) -> Output, table: &str) {
    let rows: Vec<(Vec<&str>, &str)> = table
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (args, says) = line
                .split_once("=>")
                .unwrap_or_else(|| panic!("not `ARGS => SAYS`: {line}"));
            (args.split_whitespace().collect(), says.trim())
        })
        .collect();
    let cases: Vec<(&[&str], &str)> =
        rows.iter().map(|(a, s)| (a.as_slice(), *s)).collect();
    assert_usage_errors(program, &cases);
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

/// The checks every chapter's `tests/cli.rs` makes, written once:
///
/// ```text
/// workbench::cli_tests! {
///     fn ch03 = env!("CARGO_BIN_EXE_ch03");
///     usage_errors = "
///         fib --workers 0       => at least 1
///         no-such-example       => unrecognized subcommand
///     ";
///     examples = [
///         "fib" => ch03::FIB_VARIANTS,
///         "futures",
///     ];
/// }
/// ```
///
/// defines `fn ch03(args) -> Output` (the chapter's binary, run) and the
/// tests `bad_input_exits_2_with_a_message` ([`assert_usage_table`]),
/// `list_and_help_name_every_example` ([`assert_lists_examples`]: every
/// example listed) and `help_names_each_examples_variants`
/// ([`assert_help_lists_variants`]: each `EXAMPLE => VARIANTS`).
#[macro_export]
macro_rules! cli_tests {
    (
        fn $program:ident = $bin:expr;
        usage_errors = $errors:expr;
        examples = [$($example:expr $(=> $variants:expr)?),* $(,)?];
    ) => {
        fn $program(args: &[&str]) -> ::std::process::Output {
            $crate::testing::run($bin, args)
        }

        #[test]
        fn bad_input_exits_2_with_a_message() {
            $crate::testing::assert_usage_table($program, $errors);
        }

        #[test]
        fn list_and_help_name_every_example() {
            $crate::testing::assert_lists_examples($program, &[$($example),*]);
        }

        #[test]
        fn help_names_each_examples_variants() {
            $($($crate::testing::assert_help_lists_variants(
                $program,
                $example,
                &$variants,
            );)?)*
        }
    };
}
