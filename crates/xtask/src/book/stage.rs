//! The staging copy under target/book-stage/ that `mdbook build` renders.
//!
//! It holds `book.toml` and `chapters/` as committed, plus what is generated
//! or fetched and never committed: the notebook pages and the Notebooks part
//! of SUMMARY.md, KaTeX's stylesheet and fonts, and the mermaid scripts.
//! Everything else at the root (`crates/`, `notebooks/`) is linked in, so
//! `{{#include ../crates/…}}` resolves as it does in `chapters/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::notebook_pages::{self, NotebookPage};
use crate::paths;
use crate::setup::vendor;

/// Which notebook outputs the Notebooks part shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notebooks {
    /// The executed copies in target/notebooks/ that are newer than their
    /// notebook; the others are shown as not executed.
    Executed,
    /// None: every notebook is shown as not executed, for this reason.
    NotExecuted(&'static str),
}

/// Entries of the root that are not linked into the stage.
const NOT_LINKED: &[&str] = &["chapters", "target", "book.toml", ".git"];

/// Lay out the stage afresh; its root.
pub fn prepare(notebooks: Notebooks) -> Result<PathBuf> {
    prepare_in(&paths::book_stage(), notebooks)
}

/// As [`prepare`], at `stage` (the Chinese book's stage, issue 17).
pub fn prepare_in(stage: &Path, notebooks: Notebooks) -> Result<PathBuf> {
    let root = paths::root();
    let stage = stage.to_path_buf();
    if stage.exists() {
        std::fs::remove_dir_all(&stage)
            .with_context(|| format!("removing {}", stage.display()))?;
    }
    let src = stage.join("chapters");
    copy_tree(&root.join("chapters"), &src)?;
    copy(&root.join("book.toml"), &stage.join("book.toml"))?;
    for entry in std::fs::read_dir(&root)? {
        let name = entry?.file_name();
        if !NOT_LINKED.iter().any(|skip| name == *skip) {
            std::os::unix::fs::symlink(root.join(&name), stage.join(&name))
                .with_context(|| format!("linking {name:?} into the stage"))?;
        }
    }
    // Paths as book.toml's additional-css/-js name them; the fonts go into
    // the sources, which mdBook copies next to the stylesheet it writes.
    let katex = vendor::katex_dir();
    copy(
        &katex.join("katex.min.css"),
        &stage.join("assets/katex/katex.min.css"),
    )?;
    copy_tree(&katex.join("fonts"), &src.join("assets/katex/fonts"))?;
    for file in vendor::MERMAID_FILES {
        copy(
            &vendor::mermaid_dir().join(file),
            &stage.join("assets/mermaid").join(file),
        )?;
    }
    let pages = notebook_part(&src, notebooks)?;
    let summary = std::fs::read_to_string(src.join("SUMMARY.md"))
        .context("reading chapters/SUMMARY.md")?;
    std::fs::write(src.join("SUMMARY.md"), with_notebooks(&summary, &pages))?;
    Ok(stage)
}

/// A page per notebooks/*.ipynb under `src/notebooks/`, and the list of
/// them appended to `src/notebooks/index.md`.
fn notebook_part(src: &Path, notebooks: Notebooks) -> Result<Vec<NotebookPage>> {
    let dir = src.join("notebooks");
    std::fs::create_dir_all(&dir)?;
    let sources =
        paths::files_in(&paths::notebooks_src(), "ipynb").unwrap_or_default();
    let mut pages = Vec::new();
    for source in &sources {
        let stem = source.file_stem().unwrap_or_default().to_string_lossy();
        let executed = paths::notebooks_out().join(format!("{stem}.ipynb"));
        let (copy, why_not) = match notebooks {
            Notebooks::NotExecuted(why) => (None, why),
            Notebooks::Executed if !is_newer(&executed, source) => (
                None,
                "no executed copy newer than the notebook in target/notebooks/",
            ),
            Notebooks::Executed => {
                let when = modified_utc(&executed)?;
                (Some((executed.as_path(), when)), "")
            }
        };
        pages.push(notebook_pages::render(source, copy, why_not, &dir)?);
    }
    let index = dir.join("index.md");
    let mut text = std::fs::read_to_string(&index)
        .unwrap_or_else(|_| "# The notebooks\n".to_string());
    text.push_str("\n## In this build\n\n");
    if pages.is_empty() {
        text.push_str("There are no notebooks under `notebooks/` yet.\n");
    }
    for page in &pages {
        let state = match &page.executed {
            Some(when) => format!("executed {when}"),
            None => "not executed in this build".to_string(),
        };
        let _ = writeln!(text, "- [{}]({}.md) — {state}", page.title, page.stem);
    }
    std::fs::write(&index, text)?;
    Ok(pages)
}

/// SUMMARY.md with the notebook pages nested under the entry for
/// `notebooks/index.md` (a Notebooks part is added when there is none).
pub(super) fn with_notebooks(summary: &str, pages: &[NotebookPage]) -> String {
    let entry = |indent: &str, page: &NotebookPage| {
        format!("{indent}- [{}](notebooks/{}.md)\n", page.title, page.stem)
    };
    let at = |line: &str| line.contains("(notebooks/index.md)");
    let (mut out, placed) = notebook_pages::after_first(summary, at, |line| {
        let indent = &line[..line.len() - line.trim_start().len()];
        let nested = format!("{indent}    ");
        pages.iter().map(|page| entry(&nested, page)).collect()
    });
    if !placed {
        out.push_str("\n# Notebooks\n\n- [The notebooks](notebooks/index.md)\n");
        pages
            .iter()
            .for_each(|page| out.push_str(&entry("    ", page)));
    }
    out
}

fn is_newer(path: &Path, than: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(path), modified(than)), (Some(a), Some(b)) if a >= b)
}

/// A file's modification time as `YYYY-MM-DD HH:MM UTC`.
fn modified_utc(path: &Path) -> Result<String> {
    let modified = std::fs::metadata(path)?.modified()?;
    let secs = modified.duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (hour, minute) = (rest / 3600, rest % 3600 / 60);
    Ok(format!(
        "{year}-{month:02}-{day:02} {hour:02}:{minute:02} UTC"
    ))
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(from, to)
        .map(drop)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))
}

/// Copy the files under `from` to `to`, skipping editor and Jupyter litter.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    let entries = std::fs::read_dir(from)
        .with_context(|| format!("listing {}", from.display()))?;
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with('.') || name.ends_with(".swp") {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &to.join(name.as_ref()))?;
        } else {
            copy(&path, &to.join(name.as_ref()))?;
        }
    }
    Ok(())
}
