//! Issue 17 (中文版): the notebooks' catalog and their Chinese copies on a
//! tiny fixture notebook.

use std::path::Path;

use serde_json::{Value, json};

use super::po::{self, Entry};
use super::tests::write_po;
use super::{nbcheck, notebooks};

/// A notebook: a Markdown cell (heading, paragraph with math and code), a
/// code cell with a `:dep` and an output, a second Markdown cell.
fn fixture() -> Value {
    json!({
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {},
             "source": "# Fib on threads\n\nThe speed-up $S_p = T_1/T_p$ of `fib`."},
            {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": 3,
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}],
             "source": ":dep ch03 = { path = \"../crates/ch03\" }\nlet x = \"../y\";"},
            {"cell_type": "markdown", "id": "c", "metadata": {},
             "source": ["A *second*\n", "cell."]}
        ],
        "metadata": {"kernelspec": {"name": "rust"}},
        "nbformat": 4,
        "nbformat_minor": 5
    })
}

/// A root with notebooks/t.ipynb and po/notebooks.zh-CN.po translating
/// the heading and the paragraph of the first cell.
fn root(dir: &Path) {
    std::fs::create_dir_all(dir.join("notebooks")).expect("mkdir");
    std::fs::create_dir_all(dir.join("po")).expect("mkdir");
    let text = serde_json::to_string(&fixture()).expect("json");
    std::fs::write(dir.join("notebooks/t.ipynb"), text).expect("write");
    let entry = |id: &str, str: &str| Entry {
        msgid: id.into(),
        msgstr: str.into(),
        refs: vec!["notebooks/t.ipynb".into()],
        fuzzy: false,
    };
    let entries = [
        entry("Fib on threads", "在线程上计算 fib"),
        entry(
            "The speed-up $S_p = T_1/T_p$ of `fib`.",
            "`fib` 的加速比 $S_p = T_1/T_p$。",
        ),
        entry("A _second_ cell.", ""),
    ];
    let path = notebooks::po_file(dir);
    write_po(&path, &entries);
    let text = std::fs::read_to_string(&path).expect("po");
    let body = text.split_once("\n\n").map_or("", |(_, b)| b);
    std::fs::write(&path, format!("{}\n{body}", notebooks::HEADER)).expect("po");
}

#[test]
fn the_markdown_cells_are_extracted_with_the_notebook_as_reference() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nb = vec![("t.ipynb".to_string(), fixture())];
    let pot = notebooks::extract(&nb, dir.path()).expect("mdbook-xgettext runs");
    let entries = po::parse(&pot).expect("parses");
    let ids: Vec<&str> = entries.iter().map(|e| e.msgid.as_str()).collect();
    assert_eq!(
        ids,
        [
            "Fib on threads",
            "The speed-up $S_p = T_1/T_p$ of `fib`.",
            "A _second_ cell."
        ]
    );
    assert!(
        entries.iter().all(|e| e.refs == ["notebooks/t.ipynb"]),
        "{pot}"
    );
}

#[test]
fn a_copy_is_translated_with_code_kept_one_directory_deeper_and_no_outputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    root(dir.path());
    notebooks::write_all(dir.path()).expect("copies written");
    let text = std::fs::read_to_string(dir.path().join("notebooks/zh-CN/t.ipynb"))
        .expect("a copy");
    let copy: Value = serde_json::from_str(&text).expect("json");
    let cells = copy["cells"].as_array().expect("cells");
    assert_eq!(
        cells[0]["source"],
        "# 在线程上计算 fib\n\n`fib` 的加速比 $S_p = T_1/T_p$。"
    );
    // Untranslated: the English cell as it was, byte for byte.
    assert_eq!(notebooks::source(&cells[2]), "A *second*\ncell.");
    assert_eq!(
        cells[1]["source"],
        ":dep ch03 = { path = \"../../crates/ch03\" }\nlet x = \"../y\";"
    );
    assert_eq!(cells[1]["outputs"], json!([]));
    assert_eq!(cells[1]["execution_count"], Value::Null);
    assert_eq!(copy["metadata"], fixture()["metadata"]);
    assert!(text.starts_with("{\n \"cells\": [\n  {\n"), "{text}");
}

#[test]
fn a_committed_copy_that_is_not_what_the_catalog_makes_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    root(dir.path());
    assert_eq!(
        nbcheck::stale(dir.path()).expect("compares"),
        ["missing: notebooks/zh-CN/t.ipynb"]
    );
    notebooks::write_all(dir.path()).expect("copies written");
    assert!(nbcheck::stale(dir.path()).expect("compares").is_empty());
    let copy = dir.path().join("notebooks/zh-CN/t.ipynb");
    let text = std::fs::read_to_string(&copy).expect("copy");
    std::fs::write(&copy, text.replace("在线程上", "在进程上")).expect("edit");
    assert_eq!(
        nbcheck::stale(dir.path()).expect("compares"),
        ["differs: notebooks/zh-CN/t.ipynb"]
    );
    let err = notebooks::check(dir.path(), true).expect_err("strict fails");
    assert!(format!("{err:#}").contains("differs: notebooks/zh-CN/t.ipynb"));
    assert!(
        notebooks::check(dir.path(), false).is_ok(),
        "not strict passes"
    );
}
