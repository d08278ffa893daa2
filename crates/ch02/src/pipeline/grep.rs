//! Chapter 2 · An asynchronous example: the book's `cat | grep | count`
//! pipeline (`grep.py`); its fan-out (`mgrep.py`) is in [`crate::pipeline::mgrep`].
//!
//! Three ways to join the stages: an iterator chain (`seq`: the consumer
//! pulls lines through), threads joined by channels (`threads`: each stage
//! runs on its own), and tasks joined by async channels on one thread
//! (`async`: the closest to the book's coroutines, which are pushed lines
//! with `send`).

use std::io::BufRead;
use std::path::Path;
use std::sync::mpsc;

use anyhow::{Context, Result};

/// The grep stage's test: does `line` contain `pattern` (already in lower
/// case when `ignore_case`)?
pub fn matches(line: &str, pattern: &str, ignore_case: bool) -> bool {
    if ignore_case {
        line.to_ascii_lowercase().contains(pattern)
    } else {
        line.contains(pattern)
    }
}

/// The pattern as the grep stage compares it.
pub fn prepare(pattern: &str, ignore_case: bool) -> String {
    if ignore_case {
        pattern.to_ascii_lowercase()
    } else {
        pattern.to_owned()
    }
}

/// The `cat` stage: the lines of a file.
pub fn cat(
    path: &Path,
) -> Result<impl Iterator<Item = std::io::Result<String>> + use<>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    Ok(std::io::BufReader::new(file).lines())
}

// ANCHOR: seq
/// `seq`: cat → grep → count as one iterator chain.
pub fn grep_seq(path: &Path, pattern: &str, ignore_case: bool) -> Result<usize> {
    let pattern = prepare(pattern, ignore_case);
    let mut count = 0;
    for line in cat(path)? {
        if matches(&line?, &pattern, ignore_case) {
            count += 1;
        }
    }
    Ok(count)
}
// ANCHOR_END: seq

// ANCHOR: threads
/// `threads`: cat and grep each on a thread, joined by channels; the
/// calling thread counts.
pub fn grep_threads(path: &Path, pattern: &str, ignore_case: bool) -> Result<usize> {
    let pattern = prepare(pattern, ignore_case);
    let lines = cat(path)?;
    let (to_grep, grep_in) = mpsc::sync_channel::<String>(1024);
    let (to_count, count_in) = mpsc::sync_channel::<String>(1024);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<()> {
            for line in lines {
                if to_grep.send(line?).is_err() {
                    break; // downstream stopped
                }
            }
            Ok(())
        });
        scope.spawn(move || {
            for line in grep_in {
                if matches(&line, &pattern, ignore_case)
                    && to_count.send(line).is_err()
                {
                    break;
                }
            }
        });
        let count = count_in.iter().count();
        reader
            .join()
            .map_err(|_| anyhow::anyhow!("the cat stage panicked"))??;
        Ok(count)
    })
}
// ANCHOR_END: threads

// ANCHOR: async
/// `async`: the same stages as tasks on one thread, joined by async
/// channels. Each `.await` on a full or empty channel hands the thread to
/// another stage, as the book's coroutines hand over with `send`.
pub fn grep_async(path: &Path, pattern: &str, ignore_case: bool) -> Result<usize> {
    let pattern = prepare(pattern, ignore_case);
    let lines = cat(path)?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async move {
        let (to_grep, mut grep_in) = tokio::sync::mpsc::channel::<String>(1024);
        let (to_count, mut count_in) = tokio::sync::mpsc::channel::<String>(1024);
        let reader = tokio::spawn(async move {
            for line in lines {
                if to_grep.send(line?).await.is_err() {
                    break;
                }
            }
            anyhow::Ok(())
        });
        tokio::spawn(async move {
            while let Some(line) = grep_in.recv().await {
                if matches(&line, &pattern, ignore_case)
                    && to_count.send(line).await.is_err()
                {
                    break;
                }
            }
        });
        let mut count = 0;
        while count_in.recv().await.is_some() {
            count += 1;
        }
        reader.await.context("the cat stage panicked")??;
        Ok(count)
    })
}
// ANCHOR_END: async

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> tempfile_free::Sample {
        tempfile_free::Sample::new(
            "Love is here\nno match\nLOVE and hope\nhate\nlovely hope\n",
        )
    }

    #[test]
    fn every_pipeline_counts_the_same() {
        let file = sample();
        for ignore_case in [true, false] {
            let expected = if ignore_case { 3 } else { 1 };
            assert_eq!(
                grep_seq(&file.path, "love", ignore_case).expect("seq"),
                expected
            );
            assert_eq!(
                grep_threads(&file.path, "love", ignore_case).expect("threads"),
                expected
            );
            assert_eq!(
                grep_async(&file.path, "love", ignore_case).expect("async"),
                expected
            );
        }
        let words: Vec<String> = ["love", "hate", "hope"].map(String::from).to_vec();
        use crate::pipeline::mgrep::{mgrep_async, mgrep_seq, mgrep_threads};
        for mgrep in [mgrep_seq, mgrep_threads, mgrep_async] {
            assert_eq!(mgrep(&file.path, &words, true).expect("mgrep"), [3, 1, 2]);
        }
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let missing = Path::new("/nonexistent/corpus.txt");
        for grep in [grep_seq, grep_threads, grep_async] {
            let err = grep(missing, "love", true).expect_err("missing");
            assert!(
                format!("{err:#}").contains("/nonexistent/corpus.txt"),
                "{err:#}"
            );
        }
    }

    /// A file in the temp dir, removed on drop (no tempfile crate needed).
    mod tempfile_free {
        pub struct Sample {
            pub path: std::path::PathBuf,
        }
        impl Sample {
            pub fn new(text: &str) -> Self {
                static NEXT: std::sync::atomic::AtomicUsize =
                    std::sync::atomic::AtomicUsize::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let path = std::env::temp_dir()
                    .join(format!("ch02-grep-{}-{n}.txt", std::process::id()));
                std::fs::write(&path, text).expect("writes the sample");
                Sample { path }
            }
        }
        impl Drop for Sample {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}
