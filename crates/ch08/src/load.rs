//! Chapter 8 · Everything side by side: reading a directory of records.
//!
//! A directory of figures holds results records and, beside them, other
//! JSON a chapter keeps for its own figure (chapter 1's Amdahl table). A
//! JSON object with `runs` must be a valid record; anything without `runs`
//! is listed as not compared.
//! Unreadable JSON is an error naming the file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use workbench::Record;
use workbench::cli::UsageError;

/// What a directory held.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The results records, sorted by chapter then example.
    pub records: Vec<Record>,
    /// JSON files that are not results records, with why.
    pub others: Vec<NotARecord>,
}

/// A JSON file beside the records that is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotARecord {
    pub file: String,
    pub why: String,
}

/// The book's own records: `chapters/figures/` in the workspace.
pub fn default_dir() -> PathBuf {
    workbench::bins::book_figures_dir()
}

/// Every `*.json` in `dir`. A missing directory is a usage error; a file
/// that is not JSON, or has `runs` but not a record's shape, is an error.
pub fn load_dir(dir: &Path) -> Result<Loaded> {
    if !dir.is_dir() {
        return Err(UsageError(format!(
            "`{}` is not a directory of results records",
            dir.display()
        ))
        .into());
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut loaded = Loaded {
        records: Vec::new(),
        others: Vec::new(),
    };
    for path in &paths {
        match classify(path)? {
            Ok(record) => loaded.records.push(record),
            Err(other) => loaded.others.push(other),
        }
    }
    anyhow::ensure!(
        !loaded.records.is_empty(),
        "{} holds no results records (JSON files with `runs`); run a \
         chapter with `--json PATH` or `cargo xtask figures` first",
        dir.display()
    );
    loaded
        .records
        .sort_by(|a, b| (&a.chapter, &a.example).cmp(&(&b.chapter, &b.example)));
    Ok(loaded)
}

/// A record, or the reason a well-formed JSON file is not one.
fn classify(path: &Path) -> Result<std::result::Result<Record, NotARecord>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    let file = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if value.get("runs").is_none() {
        let why = match value.get("chapter") {
            Some(_) => "a chapter's own data, without `runs`",
            None => "not a measurement record (no `chapter`, no `runs`)",
        };
        return Ok(Err(NotARecord {
            file,
            why: why.into(),
        }));
    }
    let record: Record = serde_json::from_value(value).with_context(|| {
        format!(
            "{} has `runs` but is not a valid results record",
            path.display()
        )
    })?;
    Ok(Ok(record))
}

#[cfg(test)]
mod tests {
    use workbench::services::TempDir;

    use super::*;

    /// A fresh, empty dir, removed when the guard drops.
    fn scratch(name: &str) -> TempDir {
        TempDir::new(&format!("ch08-load-{name}")).expect("scratch dir")
    }

    #[test]
    fn records_and_other_json_are_told_apart() {
        let tmp = scratch("mixed");
        let dir = tmp.path();
        let record = Record::new("ch03", "fib", serde_json::json!({"n": 20}));
        record.save_json(&dir.join("ch03-fib.json")).expect("write");
        std::fs::write(dir.join("ch01-laws.json"), r#"{"rows": []}"#).expect("w");
        std::fs::write(dir.join("notes.md"), "not json").expect("w");
        let loaded = load_dir(dir).expect("loads");
        assert_eq!(loaded.records.len(), 1);
        assert_eq!(loaded.others[0].file, "ch01-laws.json");
    }

    #[test]
    fn a_broken_record_is_an_error_naming_the_file() {
        let tmp = scratch("broken");
        let dir = tmp.path();
        std::fs::write(dir.join("ch09-x.json"), r#"{"runs": 3}"#).expect("w");
        let err = load_dir(dir).expect_err("not a record");
        assert!(format!("{err:#}").contains("ch09-x.json"), "{err:#}");
        std::fs::write(dir.join("ch09-x.json"), "{ oops").expect("w");
        let err = load_dir(dir).expect_err("not json");
        assert!(format!("{err:#}").contains("not valid JSON"), "{err:#}");
    }

    #[test]
    fn a_missing_directory_is_a_usage_error() {
        let err = load_dir(Path::new("/no/such/records")).expect_err("missing");
        assert!(err.downcast_ref::<UsageError>().is_some());
    }
}
