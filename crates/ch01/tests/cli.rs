//! Chapter 1 · The command line as a reader meets it.

use std::process::Output;

use workbench::testing::{
    assert_help_lists_variants, assert_lists_examples, assert_usage_errors, run,
    run_recorded, text,
};

const CH01: &str = env!("CARGO_BIN_EXE_ch01");

fn ch01(args: &[&str]) -> Output {
    run(CH01, args)
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["amdahl", "--serial", "1.5"],
            "not a fraction between 0 and 1",
        ),
        (&["amdahl", "--serial", "half"], "not a number"),
        (&["amdahl", "--workers", "0"], "at least 1"),
        (
            &["memory", "--variants", "seq,gpu"],
            "unknown variant `gpu`",
        ),
        (&["laws", "--at", "0,10"], "at least 1"),
        (&["no-such-example"], "unrecognized subcommand"),
    ];
    assert_usage_errors(ch01, &cases);
}

#[test]
fn list_and_help_name_every_example() {
    assert_lists_examples(ch01, &["laws", "amdahl", "memory", "figures"]);
}

#[test]
fn laws_prints_the_books_numbers() {
    let out = ch01(&["laws"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    for needle in ["9.17×", "50.25×", "90.99×", "ceiling: 100.0×"] {
        assert!(stdout.contains(needle), "{needle}: {stdout}");
    }
}

#[test]
fn amdahl_writes_a_verified_record_with_a_fit() {
    let run = run_recorded(
        CH01,
        "amdahl --size 4000 --serial 0.1 --reps 1 --workers 1,2",
    );
    let record = run.record;
    assert!(record.runs.iter().all(|r| r.verified));
    let mut variants = ch01::AMDAHL_VARIANTS.to_vec();
    variants.extend(["seq-weak", "threads-weak"]);
    assert_eq!(record.variants(), variants);
    assert!(
        record
            .run("dist", 2)
            .expect("dist ×2")
            .extra
            .contains_key("karp_flatt")
    );
    assert!(run.stdout.contains("serial fraction fitted from threads"));
    assert!(
        run.figure.contains("weak scaling"),
        "the chapter's own figure"
    );
}

#[test]
fn memory_checks_every_reduction() {
    let out = ch01(&[
        "memory",
        "--size",
        "20000",
        "--reps",
        "1",
        "--workers",
        "2",
        "--quiet",
        "--json",
        "/dev/null",
        "--svg",
        "/dev/null",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for variant in ch01::MEMORY_VARIANTS {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(variant) && l.trim_end().ends_with("yes")),
            "{variant}: {stdout}"
        );
    }
}

#[test]
fn help_names_each_examples_variants() {
    assert_help_lists_variants(ch01, "amdahl", &ch01::AMDAHL_VARIANTS);
    assert_help_lists_variants(ch01, "memory", &ch01::MEMORY_VARIANTS);
}
