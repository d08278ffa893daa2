//! Chapter 7 · Availability of hardware: the checkpoint file.
//!
//! The state file: read it back, or start afresh when there is none; save
//! it so that no interruption can leave half of it on the disk.

pub mod cost;
pub mod counter;
pub mod demo;

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use workbench::cli::UsageError;

/// The largest state file read back: a checkpoint is a few bytes, and
/// `--state /dev/zero` must not eat the machine's memory.
pub const MAX_STATE_BYTES: usize = 64 * 1024;

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
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(State::default()),
        Err(err) => {
            return Err(err).with_context(|| {
                format!("cannot read state file {}", path.display())
            });
        }
    };
    // One byte more than the limit tells a file at the limit from a larger one.
    let mut text = Vec::new();
    file.take(MAX_STATE_BYTES as u64 + 1)
        .read_to_end(&mut text)
        .with_context(|| format!("cannot read state file {}", path.display()))?;
    if text.len() > MAX_STATE_BYTES {
        let why = format!(
            "state file {} is larger than {MAX_STATE_BYTES} bytes: not a checkpoint",
            path.display()
        );
        return Err(UsageError(why).into());
    }
    serde_json::from_slice(&text).with_context(|| {
        format!("state file {} is not a valid checkpoint", path.display())
    })
}
// ANCHOR_END: load

/// The simple, predictable temporary name (`state.json.tmp`) that the
/// slower-to-fail saves of `cost.rs` and the exercises use; [`save`] itself
/// takes a random name, created new.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

// ANCHOR: save
/// Save atomically: write a temporary file next to the state file, flush it
/// to the disk, then rename it over the old one. A reader (or the next run)
/// sees either the old state or the new one, never half of one. The
/// temporary file has a random name and is created new (`O_EXCL`), so a
/// link planted in the directory is never followed.
pub fn save(path: &Path, state: &State) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).with_context(|| {
        format!("cannot create a temporary file in {}", dir.display())
    })?;
    serde_json::to_writer(&mut temp, state)?;
    temp.write_all(b"\n")?;
    temp.as_file()
        .sync_all()
        .context("fsync of the new checkpoint")?;
    temp.persist(path)
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
    use std::fs;

    use workbench::services::TempDir;

    use super::*;

    /// A fresh scratch dir (removed when the guard drops) and the state
    /// file's path inside it.
    fn scratch(name: &str) -> (TempDir, PathBuf) {
        let dir = TempDir::new(&format!("ch07-{name}")).expect("scratch dir");
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
        let files = fs::read_dir(path.parent().expect("a dir"))
            .expect("listed")
            .count();
        assert_eq!(files, 1, "the temp file was renamed away");
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
