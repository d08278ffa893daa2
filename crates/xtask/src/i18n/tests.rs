//! Issue 17 (中文版): the catalog checks and the markup repair on fixtures.

use std::collections::HashMap;
use std::path::Path;

use super::po::{self, Entry};
use super::{check, repair, status, summary, zh};

const SUMMARY: &str = "# Summary\n\n[Preface](preface.md)\n\n# The chapters\n\n\
                       - [1 · Parallel](ch01.md)\n";
const PREFACE: &str = "# Preface\n\nThis workbook follows the book.\n";
const CH01: &str = "# 1 · Parallel\n\nThreads share memory.\n\n\
                    {{claim ch03-fib:threads@2.speedup <= 2.5}}Two threads are \
                    faster{{/claim}}.\n";

/// A two-page book under `dir`.
fn book(dir: &Path, ch01: &str) {
    let chapters = dir.join("chapters");
    std::fs::create_dir_all(&chapters).expect("mkdir");
    for (name, text) in [
        ("SUMMARY.md", SUMMARY),
        ("preface.md", PREFACE),
        ("ch01.md", ch01),
    ] {
        std::fs::write(chapters.join(name), text).expect("write page");
    }
}

fn quote(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// A catalog of `entries` as gettext writes one.
pub(super) fn write_po(path: &Path, entries: &[Entry]) {
    let mut text = String::from("msgid \"\"\nmsgstr \"Language: zh_CN\\n\"\n");
    for e in entries {
        text.push_str(&format!("\n#: {}\n", e.refs.join(" ")));
        if e.fuzzy {
            text.push_str("#, fuzzy\n");
        }
        text.push_str(&format!(
            "msgid {}\nmsgstr {}\n",
            quote(&e.msgid),
            quote(&e.msgstr)
        ));
    }
    std::fs::write(path, text).expect("write po");
}

#[test]
fn a_catalog_parses_with_continuations_fuzzy_marks_and_obsolete_entries() {
    let text = "msgid \"\"\nmsgstr \"\"\n\"Language: zh_CN\\n\"\n\n\
                #: chapters/a.md\nmsgid \"\"\n\"Two \\\"lines\\\"\\n\"\n\"joined\"\n\
                msgstr \"两行\"\n\n#: chapters/b.md chapters/c.md\n#, fuzzy\n\
                msgid \"Old\"\nmsgstr \"旧\"\n\n#~ msgid \"Gone\"\n#~ msgstr \"\"\n";
    let entries = po::parse(text).expect("parses");
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[0].msgid, "Two \"lines\"\njoined");
    assert_eq!(entries[0].msgstr, "两行");
    assert!(entries[0].translated() && !entries[1].translated());
    assert_eq!(entries[1].refs, ["chapters/b.md", "chapters/c.md"]);
}

#[test]
fn changing_one_english_sentence_makes_the_check_name_that_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    book(dir.path(), CH01);
    let chapters = dir.path().join("chapters");
    let scratch = dir.path().join("scratch");
    let pot =
        super::extract::extract(&chapters, &scratch).expect("mdbook-xgettext runs");
    assert!(pot.contains("\"POT-Creation-Date: 2026-11-29 00:00+0000\\n\""));
    let mut entries = po::parse(&pot).expect("the template parses");
    let ids: Vec<&str> = entries.iter().map(|e| e.msgid.as_str()).collect();
    // The prefix chapter is its own message; the markup stays, escaped as
    // Markdown (what translators copy and `repair` undoes).
    assert!(ids.contains(&"Preface"), "{ids:?}");
    let claim = "{{claim ch03-fib:threads@2.speedup \\<= 2.5}}";
    assert!(ids.iter().any(|id| id.contains(claim)), "{ids:?}");
    for e in &mut entries {
        e.msgstr = format!("译：{}", e.msgid);
    }
    let po_path = dir.path().join("zh-CN.po");
    write_po(&po_path, &entries);
    let done = status(&chapters, &po_path).expect("status");
    assert!(done.is_done(), "{}", done.summary());
    check(&chapters, &po_path, true).expect("a complete catalog passes");

    book(
        dir.path(),
        &CH01.replace("Threads share memory.", "Threads share an address space."),
    );
    let stale = status(&chapters, &po_path).expect("status");
    assert_eq!(stale.missing.len(), 1, "{}", stale.summary());
    check(&chapters, &po_path, false).expect("not strict: counts only");
    let err = check(&chapters, &po_path, true).expect_err("strict fails");
    let err = format!("{err:#}");
    assert!(
        err.contains("new: chapters/ch01.md: \"Threads share an address space.\""),
        "{err}"
    );

    // A translation that drops or edits a claim's check is named.
    let claim_entry = entries
        .iter()
        .position(|e| e.msgid.contains("{{claim"))
        .expect("claim");
    let saved = entries[claim_entry].msgstr.clone();
    entries[claim_entry].msgstr = saved.replace("2.5", "3");
    write_po(&po_path, &entries);
    let stale = status(&chapters, &po_path).expect("status");
    assert_eq!(stale.markup.len(), 1, "{}", stale.summary());
    assert!(
        stale.todo()[0].starts_with("markup differs: chapters/ch01.md"),
        "{:?}",
        stale.todo()
    );
    entries[claim_entry].msgstr = saved;

    entries[1].fuzzy = true;
    entries[2].msgstr.clear();
    write_po(&po_path, &entries);
    let stale = status(&chapters, &po_path).expect("status");
    assert_eq!((stale.fuzzy.len(), stale.untranslated.len()), (1, 1));
}

#[test]
fn the_round_trip_escapes_are_repaired_and_the_claims_render() {
    let english = "Scaled: $$ S_{\\text{scaled}}(n) = (1-p) + p\\,n $$ and \
                   {{claim ch03-fib:threads@2.speedup <= 2.5}}fast{{/claim}}, \
                   {{rec ch03-fib:runs[variant=threads].speedup}}.\n";
    // As mdbook-gettext writes the translated page back.
    let translated = "缩放：$$ S\\_{\\text{scaled}}(n) = (1-p) + p,n $$，\
                      {{claim ch03-fib:threads@2.speedup \\<= 2.5}}快{{/claim}}，\
                      {{rec ch03-fib:runs\\[variant=threads\\].speedup}}。\n";
    let repaired = repair::repair(translated, english);
    assert_eq!(
        repaired,
        "缩放：$$ S_{\\text{scaled}}(n) = (1-p) + p\\,n $$，\
         {{claim ch03-fib:threads@2.speedup <= 2.5}}快{{/claim}}，\
         {{rec ch03-fib:runs[variant=threads].speedup}}。\n"
    );
    // claims::stage reads the repaired page; it failed on `\<=` before.
    let dir = tempfile::tempdir().expect("tempdir");
    let figures = dir.path().join("figures");
    std::fs::create_dir_all(&figures).expect("mkdir");
    let record = r#"{"machine": {"cpus": 2}, "runs": [
        {"variant": "seq", "workers": 1, "speedup": 1.0, "wall_s": 0.06},
        {"variant": "threads", "workers": 2, "speedup": 1.9, "wall_s": 0.03}]}"#;
    std::fs::write(figures.join("ch03-fib.json"), record).expect("record");
    let page = dir.path().join("ch01.md");
    std::fs::write(&page, &repaired).expect("page");
    crate::claims::stage(dir.path()).expect("the repaired page stages");
    let staged = std::fs::read_to_string(&page).expect("staged");
    assert!(
        staged.contains("1.90×") && !staged.contains("{{"),
        "{staged}"
    );
    assert!(staged.contains("class=\"claim\"") && !staged.contains("failed"));
    // Without the repair, the claim does not parse and the number is missing.
    std::fs::write(&page, translated).expect("page");
    crate::claims::stage(dir.path()).expect("stages, marking");
    let staged = std::fs::read_to_string(&page).expect("staged");
    assert!(staged.contains("claim-failed") && staged.contains("rec-missing"));
}

#[test]
fn summary_titles_and_parts_are_translated_and_links_kept() {
    let catalog: HashMap<&str, &str> = [
        ("Preface", "前言"),
        ("The chapters", "各章"),
        ("1 · Parallel", "第 1 章 并行"),
    ]
    .into_iter()
    .collect();
    let out = summary::translate(SUMMARY, &catalog);
    assert!(out.contains("[前言](preface.md)\n"), "{out}");
    assert!(out.contains("# 各章\n") && out.contains("- [第 1 章 并行](ch01.md)\n"));
    assert!(out.contains("# Summary\n"), "untranslated stays English");
}

#[test]
fn the_chinese_book_toml_changes_language_title_and_site_url() {
    let english = "[book]\ntitle = \"Distributed Computing with Rust\"\nlanguage = \"en\"\n\
                   src = \"chapters\"\n\n[output.html]\ntitle = \"kept\"\n";
    let out = zh::book_toml(english);
    assert_eq!(
        out,
        "[book]\ntitle = \"Rust 分布式计算\"\nlanguage = \"zh-CN\"\n\
         src = \"chapters\"\n\n[output.html]\nsite-url = \"/zh-CN/\"\n\
         title = \"kept\"\n"
    );
}

#[test]
fn translated_headings_keep_the_english_ids() {
    let english = "# How to read this workbook\n\n## The notebooks\n\n```sh\n# not a heading\n```\n\n\
                   ## The `seq` variant, [again](x.md)\n\n## The notebooks\n\n### Kept {#kept}\n";
    let translated = "# 如何阅读本工作手册\n\n## 笔记本\n\n```sh\n# not a heading\n```\n\n\
                      ## `seq` 变体\n\n## 笔记本\n\n### 保留 {#kept}\n";
    let ids = super::anchors::heading_ids(english);
    let (out, paired) = super::anchors::keep_ids(translated, &ids);
    assert!(paired);
    assert_eq!(
        out,
        "# 如何阅读本工作手册 {#how-to-read-this-workbook}\n\n## 笔记本 {#the-notebooks}\n\n\
         ```sh\n# not a heading\n```\n\n## `seq` 变体 {#the-seq-variant-again}\n\n\
         ## 笔记本 {#the-notebooks-1}\n\n### 保留 {#kept}\n"
    );
    let (_, paired) = super::anchors::keep_ids("# 只有一个\n", &ids);
    assert!(!paired, "a page whose headings do not pair is left alone");
}

#[test]
fn the_words_the_markup_renders_are_chinese_in_the_chinese_book() {
    let dir = tempfile::tempdir().expect("tempdir");
    let figures = dir.path().join("figures");
    std::fs::create_dir_all(&figures).expect("mkdir");
    let record =
        r#"{"runs": [{"variant": "threads", "workers": 2, "speedup": 1.2}]}"#;
    std::fs::write(figures.join("ch03-fib.json"), record).expect("record");
    let page = dir.path().join("ch03.md");
    let text = "原书是 {{book 2.01 s}}；{{claim ch03-fib:threads@2.speedup > 1.6}}快\
                {{/claim}}，{{claim nope:x@1.speedup > 1}}慢{{/claim}}，\
                {{claim ch03-fib:threads@2.speedup >}}坏{{/claim}}，{{rec nope:x@1.wall_s}}。\n";
    std::fs::write(&page, text).expect("page");
    crate::claims::stage(dir.path()).expect("stages");
    zh::localize_markup(dir.path()).expect("localizes");
    let staged = std::fs::read_to_string(&page).expect("staged");
    for english in [
        "the 2016 book",
        "checked against",
        "measured",
        "machine",
        "parse",
    ] {
        assert!(!staged.contains(english), "{english:?} in {staged}");
    }
    assert!(staged.contains("在本机上不成立") && staged.contains("本机未测量"));
}
