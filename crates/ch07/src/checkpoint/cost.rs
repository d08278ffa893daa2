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

use anyhow::{Result, ensure};
use workbench::cli::UsageError;
use workbench::{Contender, Experiment, MeasureOpts, Record, Size, Variant};

use crate::checkpoint::{State, load, save, temp_path};

workbench::variants! {
    /// The variants, cheapest first.
    pub enum SaveVariant, names VARIANTS {
        Overwrite = "overwrite",
        Rename = "rename",
        RenameFsync = "rename+fsync",
    }
}

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
    let dir = workbench::bins::target_subdir("ch07-cost")?;
    let size = serde_json::json!({ "saves": saves, "bytes": 14 });
    let mut exp = Experiment::new("ch07", "checkpoint-cost", size, opts);
    let check = |count: &u64| -> Result<()> {
        ensure!(*count == saves, "read back {count}, saved {saves}");
        Ok(())
    };
    let mut contenders = Vec::new();
    for name in variants {
        let variant: SaveVariant = name.parse().map_err(UsageError)?;
        let method: fn(&Path, &State) -> Result<()> = match variant {
            SaveVariant::Overwrite => save_in_place,
            SaveVariant::Rename => save_renamed,
            SaveVariant::RenameFsync => save,
        };
        let path = dir.join(format!("{}.json", name.replace('+', "-")));
        let run = move || -> Result<u64> {
            for count in 1..=saves {
                method(&path, &State { count })?;
            }
            Ok(load(&path)?.count)
        };
        contenders.push(Contender::new(variant.name(), 1, run, check));
    }
    exp.measure_rounds(contenders)?;
    let mut record = exp.finish();
    for run in &mut record.runs {
        let per_save = run.wall_s * 1e6 / saves as f64;
        run.extra.insert("µs per save".into(), per_save);
    }
    Ok(record)
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

    #[test]
    fn an_unknown_variant_is_a_usage_error_not_another_save() {
        let opts = MeasureOpts {
            warmup: 1,
            reps: 1,
            progress: false,
        };
        let err = compare(5, &["rename+sync".into()], opts)
            .expect_err("rename+sync is not a variant");
        assert!(err.downcast_ref::<UsageError>().is_some(), "{err:#}");
    }
}
