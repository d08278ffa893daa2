//! Tests of the listing check (`cargo xtask listings`).

use std::path::Path;

use anyhow::Result;

use super::{anchor_lines, chapter_label, scan, summary_pages};

const SOURCE: &str = "\
fn outside() {}
// ANCHOR: seq
fn fib_seq() {}
// ANCHOR: inner
fn inner() {}
// ANCHOR_END: inner
// ANCHOR_END: seq
// ANCHOR: open
fn never_closed() {}
";

/// A book with one chapter page and a source file beside `chapters/`.
fn book(page: &str, source: &str) -> Result<tempfile::TempDir> {
    let root = tempfile::tempdir()?;
    let chapters = root.path().join("chapters");
    std::fs::create_dir_all(&chapters)?;
    std::fs::create_dir_all(root.path().join("crates/ch03/src"))?;
    std::fs::write(root.path().join("crates/ch03/src/fib.rs"), source)?;
    std::fs::write(
        chapters.join("SUMMARY.md"),
        "# Summary\n\n- [3 · Parallelism](ch03-parallelism.md)\n",
    )?;
    std::fs::write(chapters.join("ch03-parallelism.md"), page)?;
    Ok(root)
}

/// A listing of `fib.rs` at `anchor` as a page includes it: the fenced
/// block, without a caption.
fn include(anchor: &str) -> String {
    format!("```rust\n{{{{#include ../crates/ch03/src/fib.rs:{anchor}}}}}\n```\n")
}

fn problems(root: &Path) -> Result<Vec<String>> {
    Ok(scan(root)?.problems)
}

#[test]
fn anchors_resolve_as_mdbook_does() -> Result<()> {
    assert_eq!(anchor_lines(SOURCE, "seq")?, 2);
    assert_eq!(anchor_lines(SOURCE, "inner")?, 1);
    let err = anchor_lines(SOURCE, "open").map_err(|e| e.to_string());
    assert_eq!(err, Err("anchor `open` has no `ANCHOR_END: open`".into()));
    assert!(anchor_lines(SOURCE, "se").is_err());
    Ok(())
}

#[test]
fn a_captioned_short_listing_passes() -> Result<()> {
    let page = [
        &include("seq"),
        "*Listing 3.1 — fib, one call after another (`crates/ch03/src/fib.rs`).*\n\n",
        &include("inner"),
        "\n*Listing 3.2 — the inner call (`crates/ch03/src/fib.rs`).*\n",
    ]
    .concat();
    let root = book(&page, SOURCE)?;
    assert_eq!(problems(root.path())?, Vec::<String>::new());
    let report = scan(root.path())?;
    assert_eq!(report.listings["3"].len(), 2);
    Ok(())
}

#[test]
fn a_listing_without_caption_or_end_or_in_the_wrong_order_fails() -> Result<()> {
    let page = [
        &include("seq"),
        "\nText, not a caption.\n\n",
        &include("open"),
        "*Listing 3.1 — the wrong number (`crates/ch03/src/fib.rs`).*\n\n",
        &include("inner"),
        "*Listing 3.3 — names another file (`crates/ch03/src/pool.rs`).*\n",
    ]
    .concat();
    let root = book(&page, SOURCE)?;
    let found = problems(root.path())?;
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].contains(":8: `../crates/ch03/src/fib.rs:open`: anchor"));
    assert!(found[0].contains("has no `ANCHOR_END: open`"), "{found:#?}");
    assert!(
        found[1].contains(":1: listing without a caption"),
        "{found:#?}"
    );
    assert!(found[2].contains(":7: caption `*Listing 3.1 — the wrong number"));
    assert!(found[2].contains("should start with `Listing 3.2 — `"));
    assert!(found[3].contains("does not name `crates/ch03/src/fib.rs`"));
    Ok(())
}

#[test]
fn a_long_listing_fails_and_output_blocks_are_not_listings() -> Result<()> {
    let long: String = (0..41).map(|i| format!("let x{i} = {i};\n")).collect();
    let source = format!("// ANCHOR: long\n{long}// ANCHOR_END: long\n");
    let page = include("long")
        + "*Listing 3.1 — too long (`crates/ch03/src/fib.rs`).*\n\n\
           ```text\n{{#include figures/ch03-race.txt}}\n```\n";
    let root = book(&page, &source)?;
    let chapters = root.path().join("chapters");
    std::fs::create_dir_all(chapters.join("figures"))?;
    std::fs::write(chapters.join("figures/ch03-race.txt"), "counter: 1\n")?;
    let found = problems(root.path())?;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("listing of 41 lines (at most 40)"));
    Ok(())
}

#[test]
fn pages_come_in_summary_order_with_their_chapter() {
    let summary = "- [Preface](preface.md)\n- [4 · Celery](ch04-celery.md)\n  \
                   - [Under the hood](ch04-under-the-hood.md)\n";
    assert_eq!(
        summary_pages(summary),
        ["preface.md", "ch04-celery.md", "ch04-under-the-hood.md"]
    );
    assert_eq!(chapter_label("ch04-under-the-hood.md"), "4");
    assert_eq!(chapter_label("faults.md"), "faults");
}
