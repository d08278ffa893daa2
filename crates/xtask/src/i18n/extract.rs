//! Issue 17 (中文版): the English pages into a gettext template, and the
//! gettext pass that turns a staged copy of the pages into Chinese Markdown.
//!
//! Both run mdBook over the RAW pages (no default preprocessors: no
//! `{{#include}}` followed, no record markup resolved), so the messages hold
//! `{{rec …}}` and `{{#include …}}` lines, never a number or a listing.

use std::path::Path;

use anyhow::{Context, Result};

use crate::process::{RunExt, cmd};
use crate::setup::{MDBOOK, MDBOOK_I18N};

/// The creation date written into the template: fixed, so that the file
/// changes only when the English does.
pub const POT_DATE: &str = "2026-11-29 00:00+0000";

/// The book's title in the template's header.
const TITLE: &str = "Distributed Computing with Rust";

/// Extract `chapters` (a book's `src`) into the template text. `work` is an
/// empty scratch dir.
pub fn extract(chapters: &Path, work: &Path) -> Result<String> {
    extract_as(chapters, "chapters", work)
}

/// As [`extract`] for any book source `src`, linked as `name` (the
/// references of the messages start with `name/`).
pub fn extract_as(src: &Path, name: &str, work: &Path) -> Result<String> {
    let book = work.join("book");
    std::fs::create_dir_all(&book)?;
    std::os::unix::fs::symlink(std::path::absolute(src)?, book.join(name))
        .context("linking the pages into the extraction book")?;
    let toml = format!(
        "[book]\ntitle = \"{TITLE}\"\nlanguage = \"en\"\nsrc = \"{name}\"\n\
         [build]\nuse-default-preprocessors = false\ncreate-missing = false\n\
         [output.xgettext]\npot-file = \"messages.pot\"\ngranularity = 0\n"
    );
    std::fs::write(book.join("book.toml"), toml)?;
    let out = work.join("out");
    mdbook(&book, &out)
        .read()
        .context("extracting the messages (mdbook-xgettext)")?;
    let pot = std::fs::read_to_string(out.join("xgettext/messages.pot"))
        .or_else(|_| std::fs::read_to_string(out.join("messages.pot")))
        .context("reading the extracted messages.pot")?;
    Ok(fix_date(&pot))
}

/// `POT-Creation-Date` set to [`POT_DATE`].
pub fn fix_date(pot: &str) -> String {
    pot.lines()
        .map(|line| {
            if line.starts_with("\"POT-Creation-Date: ") {
                format!("\"POT-Creation-Date: {POT_DATE}\\n\"")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Translate the Markdown pages of `chapters` in place with the catalog
/// `po_file` (language `lang`): mdbook-gettext, then mdBook's `markdown`
/// renderer. Untranslated messages stay English. `work` is a scratch dir.
pub fn translate_pages(
    chapters: &Path,
    po_file: &Path,
    lang: &str,
    work: &Path,
) -> Result<usize> {
    let book = work.join("book");
    std::fs::create_dir_all(book.join("po"))?;
    std::os::unix::fs::symlink(
        std::path::absolute(chapters)?,
        book.join("chapters"),
    )?;
    std::fs::copy(po_file, book.join("po").join(format!("{lang}.po")))
        .with_context(|| format!("copying {}", po_file.display()))?;
    let toml = format!(
        "[book]\ntitle = \"{TITLE}\"\nlanguage = \"{lang}\"\nsrc = \"chapters\"\n\
         [build]\nuse-default-preprocessors = false\ncreate-missing = false\n\
         [preprocessor.gettext]\n[output.markdown]\n"
    );
    std::fs::write(book.join("book.toml"), toml)?;
    let out = work.join("out");
    mdbook(&book, &out)
        .read()
        .context("translating the pages (mdbook-gettext)")?;
    let rendered = if out.join("markdown").is_dir() {
        out.join("markdown")
    } else {
        out
    };
    let mut count = 0;
    copy_pages(&rendered, &rendered, chapters, &mut count)?;
    Ok(count)
}

/// Copy every `.md` under `dir` onto the same path under `to`.
fn copy_pages(base: &Path, dir: &Path, to: &Path, count: &mut usize) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            copy_pages(base, &path, to, count)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            let target = to.join(path.strip_prefix(base)?);
            std::fs::copy(&path, &target)
                .with_context(|| format!("copying onto {}", target.display()))?;
            *count += 1;
        }
    }
    Ok(())
}

/// `mdbook build -d out book` with mdbook-i18n-helpers on PATH.
fn mdbook(book: &Path, out: &Path) -> std::process::Command {
    let mut command = cmd(
        MDBOOK.locate().unwrap_or_else(|| "mdbook".into()),
        ["build", "--dest-dir"],
    );
    command.arg(out).arg(book);
    if let Some(dir) = MDBOOK_I18N
        .locate()
        .and_then(|p| Some(p.parent()?.to_owned()))
    {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let dirs = std::iter::once(dir).chain(std::env::split_paths(&path));
        if let Ok(joined) = std::env::join_paths(dirs) {
            command.env("PATH", joined);
        }
    }
    command
}
