//! Chapter 8 · The command line as a reader meets it.

use workbench::testing::{assert_fails, succeeds};

workbench::cli_tests! {
    fn ch08 = env!("CARGO_BIN_EXE_ch08");
    usage_errors = "
        side --dir /no/such/records    => not a directory of results records
        figures --size huge            => not quick, full or a whole number
        no-such-example                => unrecognized subcommand
    ";
    examples = [
        "side",
        "guide",
        "figures",
        "wordcount" => ch08::wordcount::VARIANTS,
    ];
}

/// A fresh, empty dir, removed when the guard drops.
fn scratch(name: &str) -> tempfile::TempDir {
    workbench::testing::scratch(&format!("ch08-cli-{name}-"))
}

#[test]
fn a_malformed_record_is_an_error_naming_it() {
    let scratch_dir = scratch("malformed");
    let dir = scratch_dir.path();
    std::fs::write(
        dir.join("ch03-fib.json"),
        r#"{"chapter": "ch03", "runs": "fast"}"#,
    )
    .expect("write");
    let out = ch08(&["side", "--dir", dir.to_str().expect("utf-8")]);
    assert_fails(&out, 1, "ch03-fib.json");
    assert_fails(&out, 1, "not a valid results record");
    let empty_dir = scratch("empty");
    let empty = empty_dir.path();
    let out = ch08(&["guide", "--dir", empty.to_str().expect("utf-8")]);
    assert_fails(&out, 1, "holds no results records");
}

#[test]
fn no_argument_prints_the_table_and_the_guide_from_the_book() {
    let stdout = succeeds(&ch08(&[]));
    for needle in [
        "ch03 fib",
        "ch04 crossover",
        "machine: ",
        "verdict: ",
        "elsewhere: ",
    ] {
        assert!(stdout.contains(needle), "lacks {needle}:\n{stdout}");
    }
}

#[test]
fn a_readers_own_records_are_compared() {
    let scratch_dir = scratch("own");
    let dir = scratch_dir.path();
    let mut record =
        workbench::Record::new("ch03", "fib", serde_json::json!({"n": 20}));
    for (variant, workers, wall_s) in [("seq", 1, 1.0), ("threads", 2, 0.5)] {
        record.runs.push(workbench::record::Run {
            variant: variant.into(),
            workers,
            wall_s,
            cpu_s: 1.0,
            speedup: None,
            efficiency: None,
            verified: true,
            skipped: None,
            extra: Default::default(),
        });
    }
    record.compute_speedups();
    record.save_json(&dir.join("mine.json")).expect("save");
    let stdout = succeeds(&ch08(&["side", "--dir", dir.to_str().expect("utf-8")]));
    assert!(stdout.contains("2.00× threads ×2"), "{stdout}");
    let figures = dir.join("out");
    let paths = [dir.to_str(), figures.to_str()].map(|p| p.expect("utf-8"));
    succeeds(&ch08(&[
        "figures", "--size", "2000", "--dir", paths[0], "--out", paths[1],
    ]));
    for file in [
        "ch08-side.md",
        "ch08-side.svg",
        "ch08-guide.md",
        "ch08-wordcount.json",
        "ch08-wordcount.svg",
    ] {
        assert!(figures.join(file).is_file(), "{file} missing");
    }
    let guide =
        std::fs::read_to_string(figures.join("ch08-guide.md")).expect("guide");
    assert!(
        guide.contains("ch03 fib: threads ×2 reached 2.00×"),
        "{guide}"
    );
    let side = std::fs::read_to_string(figures.join("ch08-side.md")).expect("side");
    assert!(side.contains("| ch08 wordcount |"), "{side}");
}

#[test]
fn the_books_wordcount_figure_is_measured_at_the_quick_size() {
    let lines = ch08::wordcount::lines_for(workbench::Size::Quick);
    let size = serde_json::json!({ "lines": lines });
    workbench::testing::assert_committed_size("ch08-wordcount", size);
}

/// The lines of `made` and `committed` that differ, for a failure message.
fn differing_lines(made: &str, committed: &str) -> String {
    let (made, committed): (Vec<_>, Vec<_>) =
        (made.lines().collect(), committed.lines().collect());
    let gone = committed.iter().filter(|l| !made.contains(l));
    let new = made.iter().filter(|l| !committed.contains(l));
    gone.map(|l| format!("- {l}\n"))
        .chain(new.map(|l| format!("+ {l}\n")))
        .collect()
}

#[test]
fn the_books_guide_and_table_are_made_from_the_committed_records() {
    // What `ch08 figures` writes from the book's records, the committed
    // `ch08-wordcount.json` standing in for the word count it measures.
    let dir = ch08::load::default_dir();
    let loaded = ch08::load::load_dir(&dir).expect("the book's records load");
    let comparison = ch08::Comparison::new(loaded);
    let evaluations = ch08::guide::evaluate(&ch08::rules::book_rules(), &comparison);
    let made = [
        ("ch08-guide.md", ch08::guide::markdown(&evaluations)),
        ("ch08-side.md", comparison.markdown()),
    ];
    for (name, made) in made {
        let committed = std::fs::read_to_string(dir.join(name)).expect(name);
        assert!(
            made == committed,
            "chapters/figures/{name} is not what the committed records give \
             (- committed, + made): re-make it with `cargo run --release -p \
             ch08 -- figures --no-measure` after the chapters' figures, and \
             commit it\n{}",
            differing_lines(&made, &committed)
        );
    }
}

#[test]
fn no_measure_redraws_the_table_and_guide_and_keeps_the_word_count() {
    let scratch_dir = scratch("no-measure");
    let out = scratch_dir.path();
    let dir = ch08::load::default_dir();
    let paths = [dir.to_str(), out.to_str()].map(|p| p.expect("utf-8"));
    succeeds(&ch08(&[
        "figures",
        "--no-measure",
        "--dir",
        paths[0],
        "--out",
        paths[1],
    ]));
    for name in ["ch08-guide.md", "ch08-side.md"] {
        let made = std::fs::read_to_string(out.join(name)).expect(name);
        let committed = std::fs::read_to_string(dir.join(name)).expect(name);
        assert!(
            made == committed,
            "{name}:\n{}",
            differing_lines(&made, &committed)
        );
    }
    assert!(out.join("ch08-side.svg").is_file(), "no ch08-side.svg");
    assert!(
        !out.join("ch08-wordcount.json").exists(),
        "--no-measure measured the word count"
    );
}
