//! Tests of the staged book's generated parts: SUMMARY, notebook pages.

use anyhow::Result;
use serde_json::json;

use super::notebook_pages::{self, NotebookPage};
use super::outputs::{self, Files};
use super::stage::with_notebooks;

/// A fresh dir under the system's temp dir, removed when dropped.
fn temp_dir(label: &str) -> Result<tempfile::TempDir> {
    Ok(tempfile::Builder::new()
        .prefix(&format!("xtask-book-{label}-"))
        .tempdir()?)
}

fn page(stem: &str, title: &str) -> NotebookPage {
    NotebookPage {
        stem: stem.into(),
        title: title.into(),
        executed: None,
    }
}

#[test]
fn notebook_pages_nest_under_the_notebooks_entry() {
    let summary = "# Summary\n\n# Notebooks\n\n- [The notebooks](notebooks/index.md)\n\n\
                   # Appendix\n\n- [Errata](errata.md)\n";
    let pages = [
        page("ch01-speedup", "Speed-up"),
        page("ch03-parallelism", "Threads"),
    ];
    let out = with_notebooks(summary, &pages);
    let expected = "- [The notebooks](notebooks/index.md)\n    \
                    - [Speed-up](notebooks/ch01-speedup.md)\n    \
                    - [Threads](notebooks/ch03-parallelism.md)\n\n# Appendix";
    assert!(out.contains(expected), "{out}");
}

#[test]
fn a_summary_without_the_part_gets_one_at_the_end() {
    let out =
        with_notebooks("# Summary\n\n- [Preface](preface.md)\n", &[page("a", "A")]);
    assert!(
        out.ends_with("# Notebooks\n\n- [The notebooks](notebooks/index.md)\n    - [A](notebooks/a.md)\n"),
        "{out}"
    );
}

#[test]
fn svg_in_html_output_becomes_a_file_and_an_image() -> Result<()> {
    let dir = temp_dir("svg")?;
    let mut files = Files::new(dir.path(), "ch03-parallelism");
    let html = "<table><tr><td>$5</td></tr></table>\n\n<svg width=\"9\">\n<rect/>\n</svg>\n";
    let out = outputs::html(html, 4, &mut files)?;
    let svg = dir
        .path()
        .join("ch03-parallelism_files/ch03-parallelism-cell4-1.svg");
    let written = std::fs::read_to_string(&svg)?;
    assert!(written.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(written.trim_end().ends_with("</svg>"));
    assert!(out.contains(
        "<img src=\"ch03-parallelism_files/ch03-parallelism-cell4-1.svg\""
    ));
    assert!(!out.contains("<svg"), "{out}");
    assert!(
        !out.contains("\n\n"),
        "a blank line would end the HTML block: {out}"
    );
    assert!(out.contains("&#36;5") && !out.contains('$'), "{out}");
    Ok(())
}

#[test]
fn fences_outlast_the_backticks_inside() {
    assert_eq!(outputs::fenced("text", "a\n"), "```text\na\n```");
    assert_eq!(outputs::fenced("text", "````x"), "`````text\n````x\n`````");
}

#[test]
fn a_notebook_page_shows_cells_outputs_and_where_they_come_from() -> Result<()> {
    let dir = temp_dir("page")?;
    let notebook = json!({
        "cells": [
            {"cell_type": "markdown", "source": ["# Chapter 3 · Parallelism\n", "Text."]},
            {"cell_type": "code", "source": "fib(30)", "outputs": [
                {"output_type": "execute_result", "data": {"text/plain": "832040"}},
                {"output_type": "stream", "name": "stderr", "text": "\u{1b}[1mwarm\u{1b}[0m"}
            ]}
        ],
        "nbformat": 4
    });
    let source = dir.path().join("ch03-parallelism.ipynb");
    std::fs::write(&source, notebook.to_string())?;
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out)?;

    let when = "2026-11-26 23:26 UTC".to_string();
    let done = notebook_pages::render(&source, Some((&source, when)), "", &out)?;
    assert_eq!(done.title, "Chapter 3 · Parallelism");
    let text = std::fs::read_to_string(out.join("ch03-parallelism.md"))?;
    assert!(
        text.starts_with("# Chapter 3 · Parallelism\n\n> This page is the notebook")
    );
    assert!(
        text.contains("```rust,noplayground\nfib(30)\n```"),
        "{text}"
    );
    assert!(
        text.contains("```text\n832040\n```") && text.contains("```text\nwarm\n```")
    );

    let why = "the book was built with `--no-notebooks`";
    let skipped = notebook_pages::render(&source, None, why, &out)?;
    assert!(skipped.executed.is_none());
    let text = std::fs::read_to_string(out.join("ch03-parallelism.md"))?;
    assert!(
        text.contains("**This notebook was not executed in this build** (the book")
    );
    assert!(
        text.contains("fib(30)") && !text.contains("832040"),
        "{text}"
    );
    Ok(())
}
