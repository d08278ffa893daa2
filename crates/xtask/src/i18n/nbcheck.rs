//! Issue 17 (中文版): checking the notebooks' catalog and their Chinese
//! copies — complete, up to date with the English cells, and the copies
//! in notebooks/zh-CN/ exactly what the catalog makes.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::notebooks::{english, extract, extras, generate_at, out_dir, po_file};
use super::{LANG, Status, compare, po, tempdir};
use crate::paths;

/// The committed copies under `root` that differ from what would be
/// generated (missing, changed, or of no English notebook).
pub fn stale(root: &Path) -> Result<Vec<String>> {
    let dir = out_dir(&root.join("notebooks"));
    let copies = generate_at(root)?;
    let mut found = Vec::new();
    for (name, text) in &copies {
        let committed = std::fs::read_to_string(dir.join(name)).ok();
        match committed {
            None => found.push(format!("missing: notebooks/{LANG}/{name}")),
            Some(c) if c != *text => {
                found.push(format!("differs: notebooks/{LANG}/{name}"))
            }
            Some(_) => {}
        }
    }
    for extra in extras(&dir, &copies)? {
        found.push(format!("no English notebook: notebooks/{LANG}/{extra}"));
    }
    Ok(found)
}

/// The notebooks' catalog at `root` against a fresh extraction.
pub fn status(root: &Path) -> Result<Status> {
    let notebooks = english(&root.join("notebooks"))?;
    let scratch = tempdir("xtask-i18n-nbcheck")?;
    let fresh = extract(&notebooks, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let fresh = po::parse(&fresh?)?;
    let path = po_file(root);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!("reading {} (cargo xtask i18n update)", path.display())
    })?;
    let entries =
        po::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok(compare(&fresh, &entries))
}

/// `check` for the notebooks: their catalog complete and up to date, and
/// the committed copies what it makes; with `strict`, an error otherwise.
pub fn check(root: &Path, strict: bool) -> Result<()> {
    let status = status(root)?;
    println!("notebooks: {}", status.summary());
    let stale = stale(root)?;
    if status.is_done() && stale.is_empty() {
        println!(
            "ok: the notebooks' catalog is complete, notebooks/{LANG}/ current"
        );
        return Ok(());
    }
    let mut todo = stale.clone();
    if !stale.is_empty() {
        todo.push("(run `cargo xtask i18n notebooks` and commit the copies)".into());
    }
    todo.extend(status.todo());
    if !strict {
        println!("(not strict) notebooks to do:\n  {}", todo.join("\n  "));
        return Ok(());
    }
    bail!(
        "{} or notebooks/{LANG}/ is not done:\n  {}",
        paths::show(&po_file(root)),
        todo.join("\n  ")
    )
}
