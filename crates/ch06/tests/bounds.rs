//! Chapter 6 · A size past what runs in minutes is refused, not clamped.

use std::process::{Command, Output};

use workbench::testing::assert_usage_errors;

fn ch06(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ch06"))
        .args(args)
        .output()
        .expect("ch06 runs")
}

#[test]
fn sizes_out_of_range_exit_2_naming_the_limit() {
    let cases: [(&[&str], &str); 4] = [
        (&["fib", "--size", "61", "--variants", "seq"], "at most 45"),
        (
            &["fib", "--size", "1000", "--variants", "seq"],
            "at most 45",
        ),
        (&["sweep", "--size", "61"], "20 to 45"),
        (&["sweep", "--size", "5"], "20 to 45"),
    ];
    assert_usage_errors(ch06, &cases);
}
