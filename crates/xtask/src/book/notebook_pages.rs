//! The book's Notebooks part: one page per notebook, from its executed copy.
//!
//! A page shows the cells in order — Markdown as written, code in a Rust
//! fence, each output below its cell — with every SVG plot written to a file
//! beside the page and shown as an image. Without an executed copy the page
//! shows the cells and says that the notebook was not executed in this build.
//!
//! This is the one notebook-to-Markdown renderer: `run_notebook.py` only
//! executes (it also wrote nbconvert's Markdown, which nothing read). Kept
//! in Rust because a page needs what nbconvert's exporter does not do: a
//! page for a notebook that was not executed (no Python needed), the
//! banner saying when the outputs were made, links into `chapters/`
//! rewritten for the book.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use super::outputs;

/// One rendered notebook page.
#[derive(Debug)]
pub struct NotebookPage {
    /// The notebook's file stem, also the page's: `ch03-parallelism`.
    pub stem: String,
    /// Its first heading, for the table of contents.
    pub title: String,
    /// When the shown outputs were made, or `None` when not executed.
    pub executed: Option<String>,
}

/// Render `notebook` (the executed copy when `executed` is given, else the
/// committed source) to `dir/<stem>.md`, figures in `dir/<stem>_files/`.
pub fn render(
    source: &Path,
    executed: Option<(&Path, String)>,
    why_not: &str,
    dir: &Path,
) -> Result<NotebookPage> {
    let stem = source
        .file_stem()
        .context("notebook without a name")?
        .to_string_lossy()
        .into_owned();
    let read = executed.as_ref().map_or(source, |(path, _)| path);
    let text = std::fs::read_to_string(read)
        .with_context(|| format!("reading {}", read.display()))?;
    let notebook: Value = serde_json::from_str(&text)
        .with_context(|| format!("parsing {} as JSON", read.display()))?;
    let cells = notebook["cells"].as_array().cloned().unwrap_or_default();
    let mut files = outputs::Files::new(dir, &stem);

    let mut title = None;
    let mut body = String::new();
    for (index, cell) in cells.iter().enumerate() {
        let source = outputs::text(&cell["source"]);
        match cell["cell_type"].as_str() {
            Some("markdown") => {
                let mut markdown = source.replace("](../chapters/", "](../");
                let heading = title.is_none().then(|| first_heading(&markdown));
                if let Some(heading) = heading.flatten() {
                    title = Some(heading);
                    let banner = banner(&stem, executed.as_ref(), why_not);
                    markdown = insert_after_heading(&markdown, &banner);
                }
                let _ = write!(body, "{}\n\n", markdown.trim_end());
            }
            Some("code") => {
                let _ = write!(
                    body,
                    "{}\n\n",
                    outputs::fenced("rust,noplayground", &source)
                );
                if executed.is_some() {
                    for output in cell["outputs"].as_array().into_iter().flatten() {
                        body.push_str(&outputs::render(output, index, &mut files)?);
                    }
                }
            }
            _ => {}
        }
    }
    let title = title.unwrap_or_else(|| stem.clone());
    if !body.starts_with("# ") {
        let banner = banner(&stem, executed.as_ref(), why_not);
        body = format!("# {title}\n\n{banner}\n\n{body}");
    }
    let page = dir.join(format!("{stem}.md"));
    std::fs::write(&page, body)
        .with_context(|| format!("writing {}", page.display()))?;
    Ok(NotebookPage {
        stem,
        title,
        executed: executed.map(|(_, when)| when),
    })
}

/// The note under the page title: where the outputs come from.
fn banner(stem: &str, executed: Option<&(&Path, String)>, why_not: &str) -> String {
    match executed {
        Some((_, when)) => format!(
            "> This page is the notebook `notebooks/{stem}.ipynb` as executed by \
             `cargo xtask notebooks` ({when}) on the machine that built this book. \
             To run it cell by cell yourself, see \
             [How to read this workbook](../how-to-read.md#the-notebooks)."
        ),
        None => format!(
            "> **This notebook was not executed in this build** ({why_not}), so \
             its cells are shown without outputs. `cargo xtask book` executes \
             every notebook and shows the results here; to run \
             `notebooks/{stem}.ipynb` yourself, see \
             [How to read this workbook](../how-to-read.md#the-notebooks)."
        ),
    }
}

/// The text of the first `# ` heading of `markdown`.
fn first_heading(markdown: &str) -> Option<String> {
    markdown
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .map(|heading| heading.trim().to_string())
}

/// `markdown` with `text` as a paragraph right after its first `# ` heading.
pub(super) fn insert_after_heading(markdown: &str, text: &str) -> String {
    let at = |line: &str| line.starts_with("# ");
    after_first(markdown, at, |_| format!("\n{text}\n")).0
}

/// `text`'s lines, each ending in `\n`, with what `insert` makes of the
/// first line that `at` matches right after that line; and whether one did.
pub(super) fn after_first(
    text: &str,
    at: impl Fn(&str) -> bool,
    insert: impl FnOnce(&str) -> String,
) -> (String, bool) {
    let mut out = String::new();
    let mut insert = Some(insert);
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if at(line)
            && let Some(insert) = insert.take()
        {
            out.push_str(&insert(line));
        }
    }
    (out, insert.is_none())
}
