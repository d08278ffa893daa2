//! The book's internal link checker: every local href/src must resolve.
//!
//! Walks the rendered book's HTML pages; a relative link must name a file
//! that exists inside the book, and a `#fragment` must name an `id` (or
//! `name`) of the page it points to. External links are not fetched.
//!
//! Our own rather than `mdbook-linkcheck`, which does not support mdBook 0.5.

mod html;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Directories of theme assets that are not pages.
const SKIP_DIRS: &[&str] = &["FontAwesome", "fonts"];

/// Every HTML page of the rendered book (theme assets and the search index
/// aside), sorted.
pub fn pages(book: &Path) -> Result<Vec<PathBuf>> {
    let book = &normalize(&std::path::absolute(book)?);
    let mut pages = Vec::new();
    html_files(book, &mut pages)?;
    pages.sort();
    if pages.is_empty() {
        bail!("no HTML pages under {}", book.display());
    }
    Ok(pages)
}

/// Check every page under `book`; the number of pages checked, or an error
/// listing each broken link as `page: link (why)`.
pub fn check(book: &Path) -> Result<usize> {
    let book = &normalize(&std::path::absolute(book)?);
    let pages = pages(book)?;
    let mut anchors = Anchors::default();
    let mut broken = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page)
            .with_context(|| format!("reading {}", page.display()))?;
        let parsed = html::parse(&text);
        let dir = page.parent().unwrap_or(book);
        let base = match parsed.base.as_deref() {
            Some(base) if base.starts_with('/') => book.join(base.trim_matches('/')),
            Some(base) if base.ends_with('/') => dir.join(base),
            Some(base) => dir.join(base).parent().unwrap_or(dir).to_path_buf(),
            None => dir.to_path_buf(),
        };
        let mut seen = HashSet::new();
        for link in parsed.links.iter().filter(|link| seen.insert(*link)) {
            if let Some(why) = check_link(book, page, &base, link, &mut anchors) {
                let shown = page.strip_prefix(book).unwrap_or(page);
                broken.push(format!("{}: {link} ({why})", shown.display()));
            }
        }
    }
    if !broken.is_empty() {
        bail!(
            "{} broken links in {}:\n  {}",
            broken.len(),
            book.display(),
            broken.join("\n  ")
        );
    }
    Ok(pages.len())
}

/// Why `link` on `page` is broken, or `None` when it resolves.
fn check_link(
    book: &Path,
    page: &Path,
    base: &Path,
    link: &str,
    anchors: &mut Anchors,
) -> Option<String> {
    if is_external(link) {
        return None;
    }
    let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
    let path = path.split_once('?').map_or(path, |(path, _query)| path);
    let path = html::percent_decode(path);
    let mut target = if path.is_empty() {
        page.to_path_buf()
    } else if let Some(absolute) = path.strip_prefix('/') {
        normalize(&book.join(absolute))
    } else {
        normalize(&base.join(&path))
    };
    if !target.starts_with(book) {
        return Some("points outside the book".into());
    }
    if target.is_dir() {
        target = target.join("index.html");
    }
    if !target.is_file() {
        return Some("no such file".into());
    }
    let fragment = html::percent_decode(fragment);
    let is_html = target
        .extension()
        .is_some_and(|e| e == "html" || e == "htm");
    if fragment.is_empty() || !is_html {
        return None;
    }
    match anchors.of(&target) {
        Ok(ids) if ids.contains(&fragment) => None,
        Ok(_) => Some(format!("no id \"{fragment}\" in the target page")),
        Err(err) => Some(format!("{err:#}")),
    }
}

/// `http:`, `mailto:`, `//host`, a bare `#`: not files of the book.
fn is_external(link: &str) -> bool {
    let scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    scheme || link.starts_with("//") || link == "#"
}

/// `a/./b/../c` as `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The ids and names of each page, read once.
#[derive(Debug, Default)]
struct Anchors(HashMap<PathBuf, HashSet<String>>);

impl Anchors {
    fn of(&mut self, page: &Path) -> Result<&HashSet<String>> {
        if !self.0.contains_key(page) {
            let text = std::fs::read_to_string(page)
                .with_context(|| format!("reading {}", page.display()))?;
            let ids = html::parse(&text).anchors.into_iter().collect();
            self.0.insert(page.to_path_buf(), ids);
        }
        self.0.get(page).context("anchor cache")
    }
}

/// Every `*.html` under `dir`, except theme asset dirs.
fn html_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("listing {}", dir.display()))?
            .path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if path.is_dir() {
            if !SKIP_DIRS.contains(&name.as_str()) {
                html_files(&path, found)?;
            }
        } else if name.ends_with(".html") && !name.starts_with("searchindex") {
            found.push(path);
        }
    }
    Ok(())
}
