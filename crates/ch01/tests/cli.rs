//! Chapter 1 · The command line as a reader meets it.

use workbench::testing::{run_recorded_by, run_table, succeeds};

workbench::cli_tests! {
    fn ch01 = env!("CARGO_BIN_EXE_ch01");
    usage_errors = "
        amdahl --serial 1.5        => not a fraction between 0 and 1
        amdahl --serial half       => not a number
        amdahl --workers 0         => at least 1
        memory --variants seq,gpu  => unknown variant `gpu`
        laws --at 0,10             => at least 1
        no-such-example            => unrecognized subcommand
    ";
    examples = [
        "laws",
        "amdahl" => ch01::AMDAHL_VARIANTS,
        "memory" => ch01::MEMORY_VARIANTS,
        "figures",
    ];
}

#[test]
fn laws_prints_the_books_numbers() {
    let stdout = succeeds(&ch01(&["laws"]));
    for needle in ["9.17×", "50.25×", "90.99×", "ceiling: 100.0×"] {
        assert!(stdout.contains(needle), "{needle}: {stdout}");
    }
}

#[test]
fn amdahl_writes_a_verified_record_with_a_fit() {
    let run = run_recorded_by(
        ch01,
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
    let stdout = run_table(ch01, "memory --size 20000 --reps 1 --workers 2");
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
fn the_books_figures_are_measured_at_the_quick_size() {
    use workbench::Size::Quick;
    let units = ch01::compare::amdahl_job(Quick, 0.05).units;
    let amdahl = serde_json::json!({ "units": units, "serial": 0.05 });
    workbench::testing::assert_committed_size("ch01-amdahl", amdahl);
    let memory =
        serde_json::json!({ "values": ch01::compare::memory_values(Quick) });
    workbench::testing::assert_committed_size("ch01-memory", memory);
}
