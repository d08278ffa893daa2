//! `cargo xtask listings`: every listing in the book is short and captioned.
//!
//! A listing is a fenced block that includes code from outside `chapters/`
//! (`{{#include ../crates/ch03/src/fib.rs:threads}}`). Each one is resolved
//! as mdBook resolves it and must be at most [`MAX_LINES`] lines, come from
//! an anchor that ends, and be followed by its caption:
//! `*Listing 3.2 — fib on scoped threads (`crates/ch03/src/fib.rs`).*`,
//! numbered per chapter in the order of `SUMMARY.md`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The longest listing a page may show.
pub const MAX_LINES: usize = 40;

/// One listing found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub page: String,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// Included files, relative to the workspace root.
    pub files: Vec<String>,
    pub lines: usize,
}

/// What the check found: listings per chapter label, and the problems.
#[derive(Debug, Default)]
pub struct Report {
    pub listings: BTreeMap<String, Vec<Listing>>,
    pub problems: Vec<String>,
}

/// Check the book under `root` (the workspace); fail naming every problem.
pub fn check(root: &Path) -> Result<()> {
    let report = scan(root)?;
    for (chapter, listings) in &report.listings {
        let longest = listings.iter().max_by_key(|listing| listing.lines);
        if let Some(longest) = longest {
            println!(
                "chapter {chapter}: {} listings, longest {} lines ({}:{})",
                listings.len(),
                longest.lines,
                longest.page,
                longest.line
            );
        }
    }
    if !report.problems.is_empty() {
        for problem in &report.problems {
            eprintln!("{problem}");
        }
        bail!("{} listing problems (see above)", report.problems.len());
    }
    println!("ok: every listing is at most {MAX_LINES} lines and captioned");
    Ok(())
}

/// Scan every page that `chapters/SUMMARY.md` links, in its order.
pub fn scan(root: &Path) -> Result<Report> {
    let chapters = root.join("chapters");
    let summary_path = chapters.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .with_context(|| format!("reading {}", summary_path.display()))?;
    let mut report = Report::default();
    let mut numbers: BTreeMap<String, usize> = BTreeMap::new();
    for page in summary_pages(&summary) {
        let path = chapters.join(&page);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // generated pages (the notebooks) are not committed
        };
        let label = chapter_label(&page);
        for found in page_listings(&page, &text, &chapters, &mut report.problems) {
            let (listing, caption) = found;
            let number = numbers.entry(label.clone()).or_insert(0);
            *number += 1;
            let expected = format!("Listing {label}.{number} — ");
            let at = format!("{page}:{}", listing.line);
            if listing.lines > MAX_LINES {
                report.problems.push(format!(
                    "{at}: listing of {} lines (at most {MAX_LINES}): show the \
                     lines that teach, name the rest",
                    listing.lines
                ));
            }
            check_caption(&at, caption.as_deref(), &expected, &listing, &mut report);
            report
                .listings
                .entry(label.clone())
                .or_default()
                .push(listing);
        }
    }
    Ok(report)
}

fn check_caption(
    at: &str,
    caption: Option<&str>,
    expected: &str,
    listing: &Listing,
    report: &mut Report,
) {
    let Some(caption) = caption else {
        report.problems.push(format!(
            "{at}: listing without a caption; the line after its fence should \
             read `*{expected}what it shows (`{}`).*`",
            listing.files.join("`, `")
        ));
        return;
    };
    let Some(body) = caption
        .strip_prefix('*')
        .and_then(|rest| rest.strip_suffix(".*"))
    else {
        report.problems.push(format!(
            "{at}: caption `{caption}` is not `*Listing N.M — … (`path`).*`"
        ));
        return;
    };
    if !body.starts_with(expected) {
        report.problems.push(format!(
            "{at}: caption `{caption}` should start with `{expected}`"
        ));
    }
    for file in &listing.files {
        if !body.contains(&format!("`{file}`")) {
            report
                .problems
                .push(format!("{at}: caption `{caption}` does not name `{file}`"));
        }
    }
}

/// The pages linked from SUMMARY.md, in order.
pub fn summary_pages(summary: &str) -> Vec<String> {
    let mut pages = Vec::new();
    for line in summary.lines() {
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            rest = &rest[start + 2..];
            if let Some(end) = rest.find(')') {
                let target = &rest[..end];
                if target.ends_with(".md") && !pages.iter().any(|p| p == target) {
                    pages.push(target.to_string());
                }
                rest = &rest[end..];
            }
        }
    }
    pages
}

/// `ch04-celery.md` and `ch04-under-the-hood.md` → `4`; other pages → their
/// stem (an appendix numbers its own listings).
pub fn chapter_label(page: &str) -> String {
    let stem = page.trim_end_matches(".md");
    let digits = stem
        .strip_prefix("ch")
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .unwrap_or_default();
    match digits.parse::<u32>() {
        Ok(number) => number.to_string(),
        Err(_) => stem.to_string(),
    }
}

/// The listings of one page, each with the caption line after its fence.
fn page_listings(
    page: &str,
    text: &str,
    chapters: &Path,
    problems: &mut Vec<String>,
) -> Vec<(Listing, Option<String>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some(fence) = fence_of(lines[index]) else {
            index += 1;
            continue;
        };
        let open = index;
        let mut files = Vec::new();
        let mut count = 0;
        index += 1;
        while index < lines.len() && !closes(lines[index], &fence) {
            match include_of(lines[index]) {
                Some(spec) => {
                    let path = spec.split_once(':').map_or(spec, |(path, _)| path);
                    if let Some(file) = path.strip_prefix("../") {
                        files.push(file.to_string());
                    }
                    match resolve(chapters, path, spec) {
                        Ok(included) => count += included,
                        Err(err) => {
                            problems.push(format!("{page}:{}: {err:#}", index + 1));
                        }
                    }
                }
                None => count += 1,
            }
            index += 1;
        }
        index += 1; // the closing fence
        if files.is_empty() {
            continue;
        }
        let caption = lines[index..]
            .iter()
            .find(|line| !line.trim().is_empty())
            .filter(|line| line.trim_start().starts_with("*Listing"))
            .map(|line| line.trim().to_string());
        let listing = Listing {
            page: page.to_string(),
            line: open + 1,
            files,
            lines: count,
        };
        found.push((listing, caption));
    }
    found
}

/// The fence that a line opens (its backticks or tildes), if it opens one.
fn fence_of(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let fence: String = trimmed.chars().take_while(|c| *c == marker).collect();
    (fence.len() >= 3).then_some(fence)
}

fn closes(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with(fence)
        && trimmed.chars().all(|c| c == trimmed.as_bytes()[0] as char)
}

/// `path:anchor` of a `{{#include path:anchor}}` line.
fn include_of(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("{{#include ")?;
    rest.strip_suffix("}}").map(str::trim)
}

/// How many lines `{{#include spec}}` (of the file at `path`) puts into
/// the page.
fn resolve(chapters: &Path, path: &str, spec: &str) -> Result<usize> {
    let selector = spec.split_once(':').map(|(_, selector)| selector);
    let full = chapters.join(path);
    let text = std::fs::read_to_string(&full)
        .with_context(|| format!("`{spec}`: reading {}", full.display()))?;
    Ok(match selector {
        None => text.lines().count(),
        Some(selector) if is_range(selector) => range_lines(&text, selector),
        Some(anchor) => {
            anchor_lines(&text, anchor).with_context(|| format!("`{spec}`"))?
        }
    })
}

fn is_range(selector: &str) -> bool {
    selector.chars().all(|c| c.is_ascii_digit() || c == ':')
}

/// mdBook's `file:10:20`, `file:10:`, `file::20` and `file:10`.
fn range_lines(text: &str, selector: &str) -> usize {
    let total = text.lines().count();
    let mut parts = selector.splitn(2, ':');
    let start: usize = parts.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let end = match parts.next() {
        None => start,
        Some(end) => end.parse().unwrap_or(total),
    };
    end.min(total).saturating_sub(start.max(1) - 1)
}

/// Lines between `ANCHOR: name` and `ANCHOR_END: name`, without the lines
/// of other anchors, as mdBook includes them.
pub fn anchor_lines(text: &str, anchor: &str) -> Result<usize> {
    let start = format!("ANCHOR: {anchor}");
    let end = format!("ANCHOR_END: {anchor}");
    let mut inside = false;
    let mut count = 0;
    for line in text.lines() {
        if !inside {
            inside = names(line, &start);
        } else if names(line, &end) {
            return Ok(count);
        } else if !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
            count += 1;
        }
    }
    if inside {
        bail!("anchor `{anchor}` has no `ANCHOR_END: {anchor}`");
    }
    bail!("no anchor `{anchor}`")
}

/// Whether `line` holds `marker` as a whole word (`fib` is not `fib_sum`).
fn names(line: &str, marker: &str) -> bool {
    line.match_indices(marker).any(|(at, _)| {
        line[at + marker.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'))
    })
}

#[cfg(test)]
#[path = "listings_tests.rs"]
mod tests;
