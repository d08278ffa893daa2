//! Chapter 2 · The pipeline against GNU grep on the generated corpus.

use std::process::Command;

use ch02::pipeline::corpus::{self, PLANTED};
use ch02::pipeline::grep::{grep_async, grep_seq, grep_threads};
use ch02::pipeline::mgrep::{mgrep_async, mgrep_seq, mgrep_threads};
use workbench::testing::{run, run_table};

/// `grep -ic WORD FILE`: matching lines.
fn grep_lines(word: &str, file: &std::path::Path) -> usize {
    let out = Command::new("grep")
        .args(["-ic", word])
        .arg(file)
        .output()
        .expect("grep runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count")
}

/// `grep -io WORD FILE | wc -l`: occurrences, as the book compares.
fn grep_occurrences(word: &str, file: &std::path::Path) -> usize {
    let script = format!("grep -io {word} \"$1\" | wc -l");
    let out = Command::new("sh")
        .args(["-c", &script, "sh"])
        .arg(file)
        .output()
        .expect("sh runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count")
}

#[test]
fn every_pipeline_agrees_with_grep_on_the_corpus() {
    let path = corpus::ensure().expect("the corpus is written");
    let text = std::fs::read_to_string(&path).expect("reads");
    assert_eq!(text.lines().count(), corpus::LINES);
    for (word, planted) in PLANTED {
        let lines = grep_lines(word, &path);
        assert_eq!(lines, planted, "grep -ic {word}");
        assert_eq!(
            grep_occurrences(word, &path),
            planted,
            "grep -io {word} | wc -l"
        );
        assert_eq!(grep_seq(&path, word, true).expect("seq"), lines);
        assert_eq!(grep_threads(&path, word, true).expect("threads"), lines);
        assert_eq!(grep_async(&path, word, true).expect("async"), lines);
    }
    let words: Vec<String> = PLANTED.iter().map(|(w, _)| w.to_string()).collect();
    let expected: Vec<usize> = PLANTED.iter().map(|&(_, n)| n).collect();
    for mgrep in [mgrep_seq, mgrep_threads, mgrep_async] {
        assert_eq!(mgrep(&path, &words, true).expect("mgrep"), expected);
    }
}

#[test]
fn the_cli_prints_the_count_like_the_book() {
    let ch02 = |args: &[&str]| run(env!("CARGO_BIN_EXE_ch02"), args);
    let stdout = run_table(ch02, "grep -i love --reps 1");
    assert!(stdout.starts_with("love 677\n"), "{stdout}");
    for variant in ["seq", "threads", "async", "grep"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(variant) && l.contains(" yes")),
            "{stdout}"
        );
    }
}
