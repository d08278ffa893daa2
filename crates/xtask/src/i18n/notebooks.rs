//! Issue 17 (中文版): the notebooks' Markdown cells in Chinese. Their
//! messages go to po/notebooks.pot, their translation is
//! po/notebooks.zh-CN.po, and the Chinese copies are notebooks/zh-CN/.
//!
//! Both passes run mdbook-i18n-helpers (as the book's do) on a generated
//! mini-book with one chapter per Markdown cell, so a notebook's messages
//! are split exactly as a page's are. Code cells are copied unchanged but
//! for their `:dep … { path = "../…" }` lines, one directory deeper.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::Value;

use super::{LANG, extract, repair, tempdir};

pub use super::nbcheck::{check, status};
use crate::paths;

/// A catalog header as gettext writes one (mdbook-gettext needs its fields).
pub const HEADER: &str = "msgid \"\"\nmsgstr \"\"\n\
    \"Project-Id-Version: Distributed Computing with Rust\\n\"\n\
    \"POT-Creation-Date: 2026-11-29 00:00+0000\\n\"\n\
    \"PO-Revision-Date: 2026-11-29 00:00+0000\\n\"\n\
    \"Language-Team: none\\n\"\n\
    \"MIME-Version: 1.0\\n\"\n\
    \"Content-Type: text/plain; charset=UTF-8\\n\"\n\
    \"Content-Transfer-Encoding: 8bit\\n\"\n\
    \"Language: zh_CN\\n\"\n\
    \"Plural-Forms: nplurals=1; plural=0;\\n\"\n";

/// `po/notebooks.pot`, `po/notebooks.zh-CN.po`, `notebooks/zh-CN/`.
pub fn pot_file(root: &Path) -> PathBuf {
    root.join("po").join("notebooks.pot")
}

pub fn po_file(root: &Path) -> PathBuf {
    root.join("po").join(format!("notebooks.{LANG}.po"))
}

pub fn out_dir(notebooks: &Path) -> PathBuf {
    notebooks.join(LANG)
}

/// The English notebooks `notebooks/*.ipynb`: name and parsed JSON, sorted.
pub fn english(dir: &Path) -> Result<Vec<(String, Value)>> {
    crate::paths::files_in(dir, "ipynb")?
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let json = serde_json::from_str(&text)
                .with_context(|| format!("parsing {}", path.display()))?;
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            Ok((name.into_owned(), json))
        })
        .collect()
}

/// A cell's source, stored as one string or as a list of lines.
pub fn source(cell: &Value) -> String {
    match &cell["source"] {
        Value::String(text) => text.clone(),
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

fn cells(notebook: &Value) -> &[Value] {
    notebook["cells"].as_array().map_or(&[], Vec::as_slice)
}

fn is_markdown(cell: &Value) -> bool {
    cell["cell_type"] == "markdown"
}

/// Write the mini-book source under `src`: `SUMMARY.md` and one chapter
/// `<notebook>/<cell index>.md` per Markdown cell.
fn stage_cells(notebooks: &[(String, Value)], src: &Path) -> Result<()> {
    let mut summary = String::new();
    for (name, notebook) in notebooks {
        std::fs::create_dir_all(src.join(name))?;
        for (n, cell) in cells(notebook).iter().enumerate() {
            if is_markdown(cell) {
                let page = format!("{name}/{n:03}.md");
                std::fs::write(src.join(&page), source(cell) + "\n")?;
                summary.push_str(&format!("- [{name} {n}]({page})\n"));
            }
        }
    }
    std::fs::write(src.join("SUMMARY.md"), summary)?;
    Ok(())
}

/// The template of the notebooks' Markdown cells, references
/// `notebooks/<name>.ipynb`. `work` is an empty scratch dir.
pub fn extract(notebooks: &[(String, Value)], work: &Path) -> Result<String> {
    let src = work.join("src");
    stage_cells(notebooks, &src)?;
    let pot = extract::extract_as(&src, "notebooks", &work.join("x"))?;
    Ok(retarget(&pot))
}

/// The references of an extracted template pointed at the notebooks
/// (`notebooks/a.ipynb/003.md` → `notebooks/a.ipynb`, once each), the
/// mini-book's own SUMMARY titles dropped.
pub fn retarget(pot: &str) -> String {
    let mut blocks = Vec::new();
    for block in pot.trim_end().split("\n\n") {
        let mut refs: Vec<String> = Vec::new();
        let mut rest = Vec::new();
        for line in block.lines() {
            match line.strip_prefix("#:") {
                Some(list) => refs.extend(list.split_whitespace().map(|r| {
                    r.rsplit_once('/').map_or(r, |(nb, _)| nb).to_string()
                })),
                None => rest.push(line),
            }
        }
        let had_refs = !refs.is_empty();
        let mut seen = std::collections::HashSet::new();
        refs.retain(|r| r != "notebooks" && seen.insert(r.clone()));
        if had_refs && refs.is_empty() {
            continue;
        }
        let mut text = String::new();
        if !refs.is_empty() {
            text = format!("#: {}\n", refs.join(" "));
        }
        text.push_str(&rest.join("\n"));
        blocks.push(text);
    }
    blocks.join("\n\n") + "\n"
}

/// The Chinese copies of `notebooks` translated with the catalog `po`:
/// (file name, JSON text). `work` is an empty scratch dir.
pub fn generate(
    notebooks: &[(String, Value)],
    po: &Path,
    work: &Path,
) -> Result<Vec<(String, String)>> {
    let (zh, plain) = (work.join("zh"), work.join("plain"));
    stage_cells(notebooks, &zh)?;
    stage_cells(notebooks, &plain)?;
    extract::translate_pages(&zh, po, LANG, &work.join("tz"))?;
    // The same round trip without translations: a cell that comes back
    // as it does here has nothing translated and stays byte for byte.
    let empty = work.join("empty.po");
    std::fs::write(&empty, HEADER)?;
    extract::translate_pages(&plain, &empty, LANG, &work.join("tp"))?;
    let mut out = Vec::new();
    for (name, notebook) in notebooks {
        let mut copy = notebook.clone();
        let Some(list) = copy["cells"].as_array_mut() else {
            bail!("{name}: no cells");
        };
        for (n, cell) in list.iter_mut().enumerate() {
            let english = source(cell);
            if is_markdown(cell) {
                let page = format!("{name}/{n:03}.md");
                let read = |dir: &Path| -> Result<String> {
                    let text = std::fs::read_to_string(dir.join(&page))?;
                    Ok(repair::repair(&text, &english))
                };
                let chinese = read(&zh)?;
                if chinese != read(&plain)? {
                    cell["source"] = Value::String(chinese.trim_end().to_string());
                } else {
                    cell["source"] = Value::String(english);
                }
            } else if cell["cell_type"] == "code" {
                cell["source"] = Value::String(deeper_deps(&english));
                cell["outputs"] = Value::Array(Vec::new());
                cell["execution_count"] = Value::Null;
            }
        }
        out.push((name.clone(), to_text(&copy)?));
    }
    Ok(out)
}

/// `:dep x = { path = "../crates/x" }` → `"../../crates/x"`: the copies
/// live one directory below the English notebooks.
pub fn deeper_deps(code: &str) -> String {
    code.split_inclusive('\n')
        .map(|line| {
            if line.trim_start().starts_with(":dep") {
                line.replace("path = \"../", "path = \"../../")
            } else {
                line.to_string()
            }
        })
        .collect()
}

/// A notebook as Jupyter writes one: one-space indent, final newline.
fn to_text(notebook: &Value) -> Result<String> {
    let mut buf = Vec::new();
    let format = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut writer = serde_json::Serializer::with_formatter(&mut buf, format);
    notebook.serialize(&mut writer)?;
    buf.push(b'\n');
    Ok(String::from_utf8(buf)?)
}

/// The copies the catalog at `root` makes of the notebooks at `root`.
pub fn generate_at(root: &Path) -> Result<Vec<(String, String)>> {
    let notebooks = english(&root.join("notebooks"))?;
    let scratch = tempdir("xtask-i18n-notebooks")?;
    let result = generate(&notebooks, &po_file(root), &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// `cargo xtask i18n notebooks`: write notebooks/zh-CN/ (and remove copies
/// of notebooks that are gone). Returns how many files changed.
pub fn write_all(root: &Path) -> Result<usize> {
    let dir = out_dir(&root.join("notebooks"));
    std::fs::create_dir_all(&dir)?;
    let copies = generate_at(root)?;
    let mut changed = 0;
    for (name, text) in &copies {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text)
                .with_context(|| format!("writing {}", path.display()))?;
            changed += 1;
        }
    }
    for extra in extras(&dir, &copies)? {
        std::fs::remove_file(dir.join(&extra))?;
        changed += 1;
    }
    println!(
        "ok: {} notebooks in {} ({changed} changed)",
        copies.len(),
        paths::show(&dir)
    );
    Ok(changed)
}

/// Files `*.ipynb` in `dir` that are no copy's.
pub(super) fn extras(
    dir: &Path,
    copies: &[(String, String)],
) -> Result<Vec<String>> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if name.ends_with(".ipynb") && !copies.iter().any(|(n, _)| *n == name) {
                found.push(name);
            }
        }
    }
    found.sort();
    Ok(found)
}
