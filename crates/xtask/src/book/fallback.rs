//! What `cargo xtask book` could not re-make on this machine, and why.
//!
//! A reader's machine may lack an engine that cannot be installed there (no
//! root for apt, another distribution). The book is built anyway: those
//! chapters keep their committed figures, and their pages and the terminal
//! say so, instead of a failure at the end of a long run.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use super::notebook_pages::insert_after_heading;

/// The chapters whose figures stay as committed, and the notebooks that
/// could not be executed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fallback {
    /// `(chapter, why)`, e.g. `("ch06", "error: mpirun is not installed …")`.
    pub figures: Vec<(String, String)>,
    /// Notebook names, e.g. `ch06-hpc`.
    pub notebooks: Vec<String>,
    /// Debian packages that could not be installed.
    pub packages: Vec<String>,
}

impl Fallback {
    /// The note put at the top of `chapter`'s page, if it has one.
    pub fn page_note(&self, chapter: &str) -> Option<String> {
        let (_, why) = self.figures.iter().find(|(ch, _)| ch == chapter)?;
        let mut note = String::from(
            "> **The figures on this page were not re-measured on this machine.**\n\
             > They are the committed ones; each names the machine it was measured on.\n",
        );
        let _ = writeln!(note, "> Why: `{}`", why.replace('`', "'"));
        if !self.packages.is_empty() {
            let _ = writeln!(
                note,
                "> As root, `apt-get install {}` and run `cargo xtask book` again.",
                self.packages.join(" ")
            );
        }
        Some(note)
    }

    /// What the terminal shows at the end of the build.
    pub fn summary(&self) -> String {
        let mut text = String::new();
        for (chapter, why) in &self.figures {
            let _ = writeln!(
                text,
                "note: {chapter}: the committed figures are shown ({why})"
            );
        }
        if !self.notebooks.is_empty() {
            let _ = writeln!(
                text,
                "note: not executed here, shown without outputs: {} \
                 (`cargo xtask notebooks NAME` shows why)",
                self.notebooks.join(", ")
            );
        }
        text
    }
}

/// Put each failed chapter's note under the first heading of its page(s)
/// `chNN-*.md` in the staged `src`.
pub fn annotate(src: &Path, fallback: &Fallback) -> Result<()> {
    if fallback.figures.is_empty() {
        return Ok(());
    }
    let entries = std::fs::read_dir(src)
        .with_context(|| format!("listing {}", src.display()))?;
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let Some(chapter) = name.get(..4).filter(|_| name.ends_with(".md")) else {
            continue;
        };
        let Some(note) = fallback.page_note(chapter) else {
            continue;
        };
        let text = std::fs::read_to_string(&path)?;
        std::fs::write(&path, insert_after_heading(&text, &note))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chapter_that_kept_its_figures_says_so_under_its_title() {
        let fallback = Fallback {
            figures: vec![("ch06".into(), "error: mpirun is not installed".into())],
            notebooks: vec!["ch06-hpc".into()],
            packages: vec!["openmpi-bin".into()],
        };
        let page = insert_after_heading(
            "# Chapter 6\n\nText.\n",
            &fallback.page_note("ch06").expect("a note for ch06"),
        );
        assert!(page.starts_with("# Chapter 6\n\n> **The figures"), "{page}");
        assert!(page.contains("mpirun is not installed"), "{page}");
        assert!(page.contains("apt-get install openmpi-bin"), "{page}");
        assert!(fallback.page_note("ch03").is_none());
        assert!(fallback.summary().contains("ch06-hpc"));
    }
}
