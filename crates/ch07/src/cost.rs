//! Chapter 7 · Availability of hardware: what a safe checkpoint costs.
//!
//! Three ways to save the same state, timed over many saves on the disk
//! under `target/`: overwrite the file in place (a kill mid-write leaves a
//! truncated file), write a temporary file and rename it (safe against a
//! killed process, not against a power cut), and the chapter's save, which
//! also flushes the file to the disk before the rename.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, ensure};
use workbench::{Experiment, MeasureOpts, Record, Size};

use crate::checkpoint::{State, load, save, temp_path};

/// The variants, cheapest first.
pub const VARIANTS: [&str; 3] = ["overwrite", "rename", "rename+fsync"];

// ANCHOR: unsafe_saves
/// Overwrite in place: `File::create` empties the file first, so a process
/// killed before the write completes leaves it empty or cut short.
pub fn save_in_place(path: &Path, state: &State) -> Result<()> {
    let mut file = File::create(path)?;
    serde_json::to_writer(&mut file, state)?;
    file.write_all(b"\n")?;
    Ok(())
}

/// Write-and-rename without `fsync`: a killed process cannot leave half a
/// file, but after a power cut the renamed file may not have reached the
/// disk yet.
pub fn save_renamed(path: &Path, state: &State) -> Result<()> {
    let temp = temp_path(path);
    let mut file = File::create(&temp)?;
    serde_json::to_writer(&mut file, state)?;
    file.write_all(b"\n")?;
    std::fs::rename(&temp, path)?;
    Ok(())
}
// ANCHOR_END: unsafe_saves

/// How many saves each timed repetition makes.
pub fn saves_for(size: Size) -> u64 {
    match size {
        Size::Quick => 200,
        Size::Full => 2000,
        Size::N(n) => n,
    }
}

/// Time `saves` saves with each of `variants`; every repetition ends with
/// the file read back and checked.
pub fn compare(
    saves: u64,
    variants: &[String],
    opts: MeasureOpts,
) -> Result<Record> {
    let dir = workbench::bins::target_dir().join("ch07-cost");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let size = serde_json::json!({ "saves": saves, "bytes": 14 });
    let mut exp = Experiment::new("ch07", "checkpoint-cost", size, opts);
    for variant in variants {
        let path = dir.join(format!("{}.json", variant.replace('+', "-")));
        let method: fn(&Path, &State) -> Result<()> = match variant.as_str() {
            "overwrite" => save_in_place,
            "rename" => save_renamed,
            _ => save,
        };
        let run = || -> Result<u64> {
            for count in 1..=saves {
                method(&path, &State { count })?;
            }
            Ok(load(&path)?.count)
        };
        let check = |count: &u64| -> Result<()> {
            ensure!(*count == saves, "read back {count}, saved {saves}");
            Ok(())
        };
        let wall = exp.measure(variant, 1, run, check)?.wall_s;
        exp.note("µs per save", wall * 1e6 / saves as f64);
    }
    Ok(exp.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_saves_what_it_is_given() {
        let variants: Vec<String> = VARIANTS.map(String::from).to_vec();
        let opts = MeasureOpts {
            warmup: 1,
            reps: 1,
            progress: false,
        };
        let record = compare(5, &variants, opts).expect("measured");
        assert_eq!(record.variants(), VARIANTS);
        assert!(
            record
                .runs
                .iter()
                .all(|r| r.verified && r.extra.contains_key("µs per save"))
        );
    }
}
