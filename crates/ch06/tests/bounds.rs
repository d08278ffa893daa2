//! Chapter 6 · A size past what runs in minutes is refused, not clamped.

use workbench::testing::{assert_usage_table, run};

#[test]
fn sizes_out_of_range_exit_2_naming_the_limit() {
    let ch06 = |args: &[&str]| run(env!("CARGO_BIN_EXE_ch06"), args);
    assert_usage_table(
        ch06,
        "
        fib --size 61 --variants seq      => at most 45
        fib --size 1000 --variants seq    => at most 45
        sweep --size 61                   => 20 to 45
        sweep --size 5                    => 20 to 45
        ",
    );
}
