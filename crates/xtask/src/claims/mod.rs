//! `cargo xtask claims` (issue 12): the pages' numbers come from the
//! records, their claims hold on them, and no measured number is typed.
//!
//! The page syntax (`{{rec}}`, `{{claim}}…{{/claim}}`, `{{book}}`, `{{set}}`)
//! is described in CONTRIBUTING.md. [`check`] runs on the committed records
//! and fails; [`stage`] renders the staged pages against the records there
//! (a reader's re-measure) and marks a claim that fails instead.

mod expr;
mod format;
mod forms;
mod records;
mod render;
#[cfg(test)]
mod tests;
mod typed;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::paths;
use records::Records;

/// What the check of a book's pages found.
#[derive(Debug, Default)]
pub struct Report {
    /// Claims checked, by page.
    pub claims: BTreeMap<String, usize>,
    pub references: usize,
    pub problems: Vec<String>,
}

/// The Markdown pages under `chapters` (its `figures/` are generated).
fn pages(chapters: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut dirs = vec![chapters.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .with_context(|| format!("listing {}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "figures") {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Check the pages under `chapters` against the records in its `figures/`.
#[cfg(test)]
pub fn check_dir(chapters: &Path) -> Result<Report> {
    let records = Records::load(&chapters.join("figures"))?;
    check_pages(chapters, &records)
}

/// Check the pages under `chapters` against `records`.
fn check_pages(chapters: &Path, records: &Records) -> Result<Report> {
    let mut report = Report::default();
    for path in pages(chapters)? {
        let name = path.strip_prefix(chapters).unwrap_or(&path);
        let name = name.display().to_string();
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        check_page(&name, &text, records, &mut report);
    }
    Ok(report)
}

/// Check one page's references, claims and typed numbers into `report`.
pub fn check_page(name: &str, text: &str, records: &Records, report: &mut Report) {
    let mut problem = |line: usize, what: String| {
        report.problems.push(format!("{name}:{line}: {what}"));
    };
    let found = match forms::scan(text) {
        Ok(found) => found,
        Err(err) => return problem(0, format!("{err:#}")),
    };
    for form in found.iter().filter(|f| f.kind == forms::Kind::Rec) {
        match render::rec(&form.body, records) {
            Ok(_) => report.references += 1,
            Err(err) => {
                problem(form.line, format!("`{{{{rec {}}}}}`: {err:#}", form.body))
            }
        }
    }
    let claims = match forms::claims(&found) {
        Ok(claims) => claims,
        Err(err) => return problem(0, format!("{err:#}")),
    };
    for claim in &claims {
        let prose: String = text[claim.open.end..claim.close.start]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let outcome = expr::parse_check(&claim.check).and_then(|check| {
            let holds = check.holds(records)?;
            Ok((holds, render::measured(&check, records)))
        });
        match outcome {
            Ok((true, _)) => {}
            Ok((false, values)) => problem(
                claim.line,
                format!(
                    "the claim \"{prose}\" does not hold: {values} (check: {})",
                    claim.check
                ),
            ),
            Err(err) => {
                problem(claim.line, format!("the claim \"{prose}\": {err:#}"))
            }
        }
    }
    *report.claims.entry(name.to_string()).or_default() += claims.len();
    for typed in typed::find(text, &found) {
        problem(
            typed.line,
            format!(
                "a number typed by hand: \"{}\" (use {{{{rec}}}}, {{{{book}}}} or {{{{set}}}})",
                typed.text
            ),
        );
    }
}

/// `cargo xtask claims`: check `chapters/` against the committed records.
///
/// Committed means as at `HEAD`: `cargo xtask book` re-measures the figures
/// into `chapters/figures/`, and on a reader's machine (one core, a busy
/// one) some claims need not hold on those; the book built from them marks
/// each such claim with what was measured. They are listed here as a note,
/// and records not committed yet (a new figure) are checked as they are.
pub fn run() -> Result<()> {
    let root = paths::root();
    let chapters = root.join("chapters");
    let here = Records::load(&chapters.join("figures"))?;
    let committed = Records::committed(&root, "chapters/figures")?;
    let records = match &committed {
        Some(committed) => committed.with_new_from(&here),
        None => here.clone(),
    };
    if committed.as_ref().is_some_and(|c| c.differs_from(&here)) {
        let remeasured = check_pages(&chapters, &here)?;
        let failing: Vec<&String> = remeasured
            .problems
            .iter()
            .filter(|p| p.contains("does not hold"))
            .collect();
        println!(
            "note: chapters/figures/ holds records measured here, not committed; \
             the committed ones are checked. On the ones measured here {} claims \
             do not hold (the book built from them marks each):",
            failing.len()
        );
        for problem in failing {
            println!("  {problem}");
        }
    }
    let report = check_pages(&chapters, &records)?;
    for (page, count) in report.claims.iter().filter(|(_, n)| **n > 0) {
        println!("{count:>4} claims  {page}");
    }
    let total: usize = report.claims.values().sum();
    if !report.problems.is_empty() {
        for problem in &report.problems {
            eprintln!("{problem}");
        }
        bail!(
            "{} problems in the pages' numbers and claims (of {total} claims)",
            report.problems.len()
        );
    }
    println!(
        "ok: {total} claims hold and {} references resolve on the committed \
         records; no number is typed by hand",
        report.references
    );
    Ok(())
}

/// Print `page` as the staged book renders it on the committed records.
pub fn show(page: &Path) -> Result<()> {
    let records = Records::load(&paths::root().join("chapters/figures"))?;
    let text = std::fs::read_to_string(page)
        .with_context(|| format!("reading {}", page.display()))?;
    print!("{}", render::page(&text, &records)?);
    Ok(())
}

/// Render every page of a staged `chapters` against its `figures/`.
pub fn stage(chapters: &Path) -> Result<()> {
    let records = Records::load(&chapters.join("figures"))?;
    for path in pages(chapters)? {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        if !text.contains("{{") {
            continue;
        }
        let rendered = render::page(&text, &records).with_context(|| {
            format!("rendering the numbers of {}", path.display())
        })?;
        std::fs::write(&path, rendered)?;
    }
    Ok(())
}
