//! Issue 17 (中文版): a staged copy of the book turned Chinese, before the
//! record markup is resolved — `cargo xtask book` then resolves it and
//! renders the copy to target/book/zh-CN/ as it does the English.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{LANG, anchors, extract, po, po_file, repair, summary, tempdir};
use crate::paths;

/// The Chinese book's title, after the translation of the Python book,
/// 《Python 分布式计算》.
pub const TITLE: &str = "Rust 分布式计算";

/// Where the Chinese book is rendered: inside the English one, so that one
/// server, one link check and one browser run cover both.
pub fn book_dir() -> PathBuf {
    paths::book_dir().join(LANG)
}

/// Its staging copy.
pub fn stage_dir() -> PathBuf {
    paths::root().join("target").join("book-stage-zh")
}

/// Translate the staged book at `stage` (prepared as the English one):
/// its pages through mdbook-gettext with po/zh-CN.po, the markup the round
/// trip escaped repaired, SUMMARY.md's titles, and book.toml's language and
/// title. Returns the number of pages translated.
pub fn translate_stage(stage: &Path) -> Result<usize> {
    let chapters = stage.join("chapters");
    let english = read_pages(&chapters)?;
    let scratch = tempdir("xtask-i18n-zh")?;
    let po = po_file(&paths::root());
    let translated = extract::translate_pages(&chapters, &po, LANG, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let count = translated?;
    for (path, original) in &english {
        let text = std::fs::read_to_string(path)?;
        let text = repair::repair(&text, original);
        if path.ends_with("SUMMARY.md") {
            // Its `# Part` headings are no page's headings: no ids.
            std::fs::write(path, text)?;
            continue;
        }
        let (text, paired) =
            anchors::keep_ids(&text, &anchors::heading_ids(original));
        if !paired {
            println!(
                "warning: the headings of {} do not pair with the English ones; \
                 links to them from other pages may break",
                paths::show(path)
            );
        }
        std::fs::write(path, text)?;
    }
    let text = std::fs::read_to_string(&po)?;
    let entries =
        po::parse(&text).with_context(|| format!("parsing {}", po.display()))?;
    let catalog = po::translations(&entries);
    let summary_path = chapters.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)?;
    std::fs::write(&summary_path, summary::translate(&summary, &catalog))?;
    let toml_path = stage.join("book.toml");
    let toml = std::fs::read_to_string(&toml_path)?;
    std::fs::write(&toml_path, book_toml(&toml))?;
    Ok(count)
}

/// The English words the record markup renders into (`claims::render`),
/// and the Chinese ones they become in this edition.
const MARKUP_WORDS: &[(&str, &str)] = &[
    (
        "title=\"the 2016 book, Distributed Computing with Python\"",
        "title=\"2016 年的原书《Python 分布式计算》\"",
    ),
    (
        "title=\"checked against the records: ",
        "title=\"已用结果记录核对：",
    ),
    ("(not measured here)", "（本机未测量）"),
    ("(not measured on this machine: ", "（本机未测量："),
    ("(not on this machine: ", "（在本机上不成立："),
    ("(a check that does not parse: ", "（无法解析的检查式："),
];

/// The words of the rendered markup in the staged pages under `chapters`
/// in Chinese (after `claims::stage`).
pub fn localize_markup(chapters: &Path) -> Result<()> {
    for path in read_pages(chapters)?.keys() {
        let text = std::fs::read_to_string(path)?;
        let mut out = text.clone();
        for (english, chinese) in MARKUP_WORDS {
            out = out.replace(english, chinese);
        }
        if out != text {
            std::fs::write(path, out)?;
        }
    }
    Ok(())
}

/// The English book.toml with the Chinese language, title and site URL.
pub fn book_toml(english: &str) -> String {
    let mut out = String::with_capacity(english.len());
    let mut in_book = false;
    for line in english.lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        if line.starts_with('[') {
            in_book = line.trim() == "[book]";
        }
        if in_book && key == "title" {
            out.push_str(&format!("title = \"{TITLE}\"\n"));
        } else if in_book && key == "language" {
            out.push_str(&format!("language = \"{LANG}\"\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
        if line.trim() == "[output.html]" {
            // 404.html reaches its scripts through <base href="/zh-CN/">.
            out.push_str(&format!("site-url = \"/{LANG}/\"\n"));
        }
    }
    out
}

/// Every `.md` under `dir` but the generated `figures/`, with its text.
fn read_pages(dir: &Path) -> Result<BTreeMap<PathBuf, String>> {
    let mut pages = BTreeMap::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "figures") {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path)?;
                pages.insert(path, text);
            }
        }
    }
    Ok(pages)
}
