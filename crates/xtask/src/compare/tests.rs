//! `cargo xtask compare` · The answer check and the table, without running
//! either side.

use serde_json::json;
use workbench::{Record, Run};

use super::pairs::{self, Pair};
use super::{Measured, check, table};

fn run(variant: &str, workers: usize, wall_s: f64) -> Run {
    Run::new(variant, workers, wall_s, wall_s)
}

fn fib_pair() -> Pair {
    pairs::all()
        .into_iter()
        .find(|p| p.chapter == "ch03" && p.example == "fib")
        .expect("ch03 fib has a Python side")
}

/// Both sides of fib(20) × 4; `sum` is what Python answered.
fn fib_measured(sum: u64) -> Measured {
    let size = json!({"n": 20, "tasks": 4});
    let mut rust = Record::new("ch03", "fib", size.clone());
    rust.runs = vec![run("seq", 1, 0.001), run("threads", 2, 0.0006)];
    rust.compute_speedups();
    let mut python = Record::new("ch03", "fib", size);
    python.language = "python".into();
    python.runs = vec![run("seq", 1, 0.055), run("threads", 2, 0.06)];
    python.compute_speedups();
    Measured {
        rust,
        python,
        answer: json!({"sum": sum}),
        interpreter: "CPython 3.11".into(),
    }
}

#[test]
fn equal_answers_pass() {
    // fib(20) = 6765
    check(&fib_pair(), &fib_measured(4 * 6765), None).expect("agree");
}

#[test]
fn a_wrong_python_answer_fails() {
    let err = check(&fib_pair(), &fib_measured(4 * 6765 + 1), None)
        .expect_err("27061 is not 4 × fib(20)");
    assert!(err.to_string().contains("27060"), "{err}");
}

#[test]
fn different_sizes_fail() {
    let mut m = fib_measured(4 * 6765);
    m.python.size = json!({"n": 21, "tasks": 4});
    let err = check(&fib_pair(), &m, None).expect_err("n differs");
    assert!(err.to_string().contains("size `n`"), "{err}");
}

#[test]
fn an_unverified_run_or_a_wrong_language_fails() {
    let mut m = fib_measured(4 * 6765);
    m.python.runs[1].verified = false;
    assert!(check(&fib_pair(), &m, None).is_err());
    let mut m = fib_measured(4 * 6765);
    m.python.language = "rust".into();
    assert!(check(&fib_pair(), &m, None).is_err());
}

#[test]
fn the_table_shows_both_sides_and_the_ratio() {
    let m = fib_measured(4 * 6765);
    let rows = table::rows(&fib_pair(), &m);
    let md = table::markdown(&rows, &[], &table::footer(&m), &m, true);
    assert!(md.contains("| seq | 0.0010 | 0.0550 | 55× |"), "{md}");
    // Python threads: slower than seq (the GIL); Rust's nearly 2×.
    assert!(md.contains("| 1.67× | 0.92× |"), "{md}");
    assert!(md.contains("CPython 3.11"), "{md}");
    let svg = super::figure::svg("ch03 fib", &rows, None, "footer");
    for needle in ["ch03 fib: wall time", "55×", "Rust", "Python"] {
        assert!(svg.contains(needle), "figure lacks {needle}");
    }
}

#[test]
fn fetch_reports_memory_per_request_in_flight() {
    let fetch = pairs::all()
        .into_iter()
        .find(|p| p.example == "fetch")
        .expect("ch02 fetch has a Python side");
    let mut record = Record::new("ch02", "fetch", json!({}));
    for (n, added_mib) in [(1, 3.0), (10, 3.0), (1000, 27.0)] {
        let mut r = run("async", n, 0.05);
        r.extra.insert("added_mib".into(), added_mib);
        record.runs.push(r);
    }
    (fetch.derive.expect("fetch derives a measurement"))(&mut record);
    let per = |n| {
        record
            .run("async", n)
            .expect("a run")
            .extra
            .get("kib_per_request")
            .copied()
    };
    assert_eq!(per(1), None, "one request's memory is the runtime's");
    assert_eq!(per(10), Some(0.0));
    // 24 MiB more for 999 more requests: ≈24.6 KiB each.
    let kib = per(1000).expect("1,000 requests");
    assert!((kib - 24.0 * 1024.0 / 999.0).abs() < 1e-9, "{kib}");
}

#[test]
fn examples_are_chosen_by_chapter_or_by_name() {
    let names = |asked: &str| -> Vec<String> {
        let chosen = super::chosen(Some(asked)).expect(asked);
        chosen
            .iter()
            .map(|p| format!("{}/{}", p.chapter, p.example))
            .collect()
    };
    assert_eq!(names("ch06/pingpong,ch04/rq"), ["ch06/pingpong", "ch04/rq"]);
    assert!(names("ch04").contains(&"ch04/celery".to_owned()));
    let err = super::chosen(Some("ch04/rq,ch09")).expect_err("no ch09");
    assert!(err.to_string().contains("`ch09`"), "{err}");
}

/// The broker's URL holds the embedded Redis's password: it reaches both
/// sides as `REDIS_URL` in the environment, never as an argument, which
/// `ps` would show (issue 14). Every pair with a broker, every call.
#[test]
fn no_pair_puts_the_brokers_password_in_argv() {
    use super::Scale;
    use super::pairs::RustSide;
    use super::pairs_golden::fake_ctx;
    let rust = Record::new("ch04", "any", json!({"n": 1}));
    for scale in [Scale::Tiny, Scale::Measure] {
        let ctx = fake_ctx(scale, "redis://app:s3cret-pw@127.0.0.1:1/0", &rust);
        for pair in pairs::all().into_iter().filter(|p| p.redis) {
            let mut argvs = vec![(pair.rust_args)(&ctx), (pair.python_args)(&ctx)];
            if let RustSide::Merged { calls, .. } = pair.rust {
                argvs.extend(calls(&ctx));
            }
            for argv in argvs {
                let line = argv.join(" ");
                assert!(
                    !line.contains("s3cret-pw"),
                    "{}/{}: the password in argv: {line}",
                    pair.chapter,
                    pair.example
                );
            }
        }
    }
}
