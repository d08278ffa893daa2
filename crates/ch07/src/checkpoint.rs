//! Chapter 7 · Availability of hardware: the checkpoint file.
//!
//! The state file: read it back, or start afresh when there is none; save
//! it so that no interruption can leave half of it on the disk.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// What the program remembers between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub count: u64,
}

// ANCHOR: load
/// The saved state, or a fresh one when there is no file yet. A file that
/// exists but cannot be read or parsed is an error: starting again from
/// zero would silently throw the work away.
pub fn load(path: &Path) -> Result<State> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(State::default()),
        Err(err) => {
            return Err(err).with_context(|| {
                format!("cannot read state file {}", path.display())
            });
        }
    };
    serde_json::from_str(&text).with_context(|| {
        format!("state file {} is not a valid checkpoint", path.display())
    })
}
// ANCHOR_END: load

/// Where a save is written before it is renamed over the state file.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

// ANCHOR: save
/// Save atomically: write a temporary file next to the state file, flush it
/// to the disk, then rename it over the old one. A reader (or the next run)
/// sees either the old state or the new one, never half of one.
pub fn save(path: &Path, state: &State) -> Result<()> {
    let temp = temp_path(path);
    let mut file = File::create(&temp)
        .with_context(|| format!("cannot create {}", temp.display()))?;
    serde_json::to_writer(&mut file, state)?;
    file.write_all(b"\n")?;
    file.sync_all().context("fsync of the new checkpoint")?;
    fs::rename(&temp, path)
        .with_context(|| format!("cannot rename onto {}", path.display()))?;
    // The rename itself lives in the directory: flush that too.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir).and_then(|d| d.sync_all()).ok();
    }
    Ok(())
}
// ANCHOR_END: save

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh scratch dir (removed when the guard drops) and the state
    /// file's path inside it.
    fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::Builder::new()
            .prefix(&format!("ch07-{name}-"))
            .tempdir()
            .expect("scratch dir");
        let path = dir.path().join("state.json");
        (dir, path)
    }

    #[test]
    fn a_missing_file_starts_at_zero_and_saves_round_trip() {
        let (_dir, path) = scratch("roundtrip");
        let _ = fs::remove_file(&path);
        assert_eq!(load(&path).expect("fresh"), State::default());
        save(&path, &State { count: 41 }).expect("saved");
        assert_eq!(load(&path).expect("loaded").count, 41);
        assert!(!temp_path(&path).exists(), "the temp file was renamed away");
    }

    #[test]
    fn a_corrupt_file_is_an_error_not_a_fresh_start() {
        let (_dir, path) = scratch("corrupt");
        fs::write(&path, "{\"count\": 12").expect("written");
        let err = load(&path).expect_err("corrupt");
        assert!(
            format!("{err:#}").contains("not a valid checkpoint"),
            "{err:#}"
        );
    }
}
